package review_test

import (
	"fmt"
	"strings"
	"testing"

	"blankett/form"
)

// TestQueueShowsWhatA9463WaitsFor: a 9463 that waits for its agreement is
// listed under its own tab with a link to that agreement.
func TestQueueShowsWhatA9463WaitsFor(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("rita", form.AccountReviewer)
	agreement := h.seed(form.KindAgreement, map[string]string{"org_number": testOrg, "org_name": testOrgName})
	notice := h.seed9463()
	h.exec(`update documents set state = 'waiting', waiting_for = $2 where id = $1`, notice, agreement)
	c := h.client()
	c.login("rita")
	resp, body := c.do("GET", "/queue?state=waiting", nil, nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "väntar på överenskommelsen") ||
		!strings.Contains(body, fmt.Sprintf(`href="/documents/%d"`, agreement)) {
		t.Fatalf("waiting queue: %d\n%s", resp.StatusCode, body)
	}
}
