package review_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"blankett/form"
	"blankett/storage"
)

// TestCompletionNamesOnlyConfirmedMissing: a request to complete asks only
// for what the reviewer ticked as missing on the page image; with nothing
// ticked and nothing else wrong it is refused with what was typed kept.
func TestCompletionNamesOnlyConfirmedMissing(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("rita", form.AccountReviewer)
	id := h.seed9445()
	h.exec(`update documents set findings = $2 where id = $1`, id,
		`[{"code": "REQUIRED_MISSING", "severity": "error", "field": "user_email", "message": "E-postadressen saknas."},
		  {"code": "SIGNATURE_MISSING", "severity": "error", "field": "signature", "message": "Blanketten är inte undertecknad."}]`)
	c := h.client()
	c.login("rita")
	path := fmt.Sprintf("/documents/%d/decision", id)

	resp, body := c.do("POST", path, url.Values{"outcome": {"complete"}, "reason": {"Uppgifter saknas."}}, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Bocka för") || !strings.Contains(body, "Uppgifter saknas.") {
		t.Fatalf("completion with nothing ticked: %d\n%s", resp.StatusCode, body)
	}
	if ds, _ := storage.DocumentDecisions(context.Background(), h.pool, id); len(ds) != 0 {
		t.Fatalf("decisions %+v, want none", ds)
	}

	resp, _ = c.do("POST", path, url.Values{"outcome": {"complete"}, "reason": {"Uppgifter saknas."}, "missing": {"signature"}}, nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("completion with the signature ticked: %d", resp.StatusCode)
	}
	ds, err := storage.DocumentDecisions(context.Background(), h.pool, id)
	if err != nil || len(ds) != 1 {
		t.Fatalf("decisions %+v %v", ds, err)
	}
	dec, err := storage.GetDecision(context.Background(), h.pool, ds[0].ID)
	if err != nil || !dec.RequestCompletion || !slices.Equal(dec.ConfirmedMissing, []string{"signature"}) {
		t.Fatalf("decision %+v %v, want a request to complete the signature only", dec, err)
	}
}
