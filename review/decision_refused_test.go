package review_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"blankett/form"
)

// TestDecisionRefused: a decision the server refuses (sent without the
// page's script) comes back as the document page with what was typed and
// the reason beside the box that needs more, not as an error page.
func TestDecisionRefused(t *testing.T) {
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("rita", form.AccountReviewer)
	id := h.seed9445() // SMS_MOBILE_INVALID: an error to override
	c := h.client()
	c.login("rita")
	path := fmt.Sprintf("/documents/%d/decision", id)

	resp, body := c.do("POST", path, url.Values{"outcome": {"approve"}, "reason": {"Ringt & kontrollerat <ok>"}}, nil)
	if resp.StatusCode != 422 {
		t.Fatalf("approve without an override: %d", resp.StatusCode)
	}
	for _, want := range []string{
		`id="override-SMS_MOBILE_INVALID"`, `aria-invalid="true" aria-describedby="override-SMS_MOBILE_INVALID-error" autofocus`,
		`id="override-SMS_MOBILE_INVALID-error"`, "Fel: Skriv varför du godkänner trots felet.",
		"Ringt &amp; kontrollerat &lt;ok&gt;</textarea>", "Inget mobilnummer för SMS", `id="decision"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("refused approval: the page lacks %q", want)
		}
	}
	if strings.Contains(body, "Det gick inte") {
		t.Error("refused approval ends on the error page")
	}

	resp, body = c.do("POST", path, url.Values{"outcome": {"reject"}, "override_SMS_MOBILE_INVALID": {"Fast nummer godtas"}}, nil)
	if resp.StatusCode != 422 || !strings.Contains(body, `id="reason" rows="3" aria-invalid="true" aria-describedby="reason-error" autofocus`) ||
		!strings.Contains(body, "Fast nummer godtas</textarea>") {
		t.Fatalf("reject without a reason: %d", resp.StatusCode)
	}
	if h.state(id) != form.StateNeedsReview {
		t.Fatalf("state %s after refused decisions", h.state(id))
	}
}
