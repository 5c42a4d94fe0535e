package review_test

import (
	"strings"
	"testing"

	"blankett/form"
)

// TestQueueMasksPersonnummerInText: a personnummer typed into a name or
// the organisation's name is masked on the queue like the personnummer
// column.
func TestQueueMasksPersonnummerInText(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.account("rita", form.AccountReviewer)
	h.seed(form.Kind9445, map[string]string{
		"org_name": "Firma 850505-1238", "org_number": testOrg, "user_name": "Tolvan 19121212-1212",
		"user_personnummer": userPnr,
	})
	c := h.client()
	c.login("rita")
	resp, body := c.do("GET", "/queue", nil, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("queue: %d", resp.StatusCode)
	}
	for _, plain := range []string{"1212-1212", "191212121212", "850505-1238", "8505051238"} {
		if strings.Contains(body, plain) {
			t.Errorf("the queue shows %s", plain)
		}
	}
	if !strings.Contains(body, "Tolvan 19121212-****") || !strings.Contains(body, "Firma 850505-****") {
		t.Error("the names are not shown, masked")
	}
}
