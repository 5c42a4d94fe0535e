package review_test

import (
	"blankett/form"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestRegistryTermination records a termination from the organisation
// page: a notice shorter than six months is refused with the reason and
// what was typed kept; with a written reason it is recorded; the in-force
// list for a later day leaves the Part out.
func TestRegistryTermination(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("rita", form.AccountReviewer)
	c := h.client()
	c.login("rita")
	today := time.Now().UTC()
	received, end := today.AddDate(0, 0, -1).Format(time.DateOnly), today.AddDate(0, 2, 0).Format(time.DateOnly)

	resp, body := c.do("POST", "/registry/"+testOrg+"/termination", url.Values{"by": {"part"}, "received": {received}, "end": {end}}, nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "sex månader") ||
		!strings.Contains(body, `value="`+end+`"`) || !strings.Contains(body, `aria-invalid="true"`) {
		t.Fatalf("too short a notice: %d\n%s", resp.StatusCode, body)
	}
	var n int
	if err := h.pool.QueryRow(t.Context(), "select count(*) from terminations").Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d terminations (%v), want none", n, err)
	}

	resp, _ = c.do("POST", "/registry/"+testOrg+"/termination", url.Values{"by": {"part"}, "received": {received}, "end": {end},
		"override": {"Parterna har kommit överens om ett tidigare slut."}}, nil)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "klart=uppsagd") {
		t.Fatalf("with a reason: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if err := h.pool.QueryRow(t.Context(), "select count(*) from terminations where org_number = $1", testOrg).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d terminations (%v), want one", n, err)
	}

	resp, body = c.do("GET", "/registry/in-force.pdf?datum="+today.AddDate(0, 3, 0).Format(time.DateOnly), nil, nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-") {
		t.Fatalf("in-force list: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
