package review

import (
	"strings"
	"testing"

	"blankett/form"
)

func TestFindingTitles(t *testing.T) {
	for code := range form.Codes {
		if _, ok := findingTitles[code]; !ok {
			t.Errorf("finding code %s has no Swedish title", code)
		}
	}
	if got := findingTitle("SOMETHING_NEW"); got != "Something new" {
		t.Errorf("unknown code shown as %q", got)
	}
}

func TestAuditItems(t *testing.T) {
	before := `{"field": "user_personnummer", "value": "191212121212", "confidence": 0.62, "findings": ["PERSONNUMMER_INVALID"]}`
	got := auditItems(before)
	text := ""
	for _, it := range got {
		text += it.Key + "=" + it.Value + ";"
	}
	for _, want := range []string{"Fält=Personnummer (ÅÅÅÅMMDD-NNNN) (Användare)", "Säkerhet=62 %", "Avvikelser=Ogiltigt personnummer", "Värde=19121212-****"} {
		if !strings.Contains(text, want) {
			t.Errorf("audit items %q lack %q", text, want)
		}
	}
	if strings.Contains(text, "191212121212") {
		t.Fatalf("personnummer shown: %q", text)
	}
	if got := auditItems(`{"state": "needs_review"}`); len(got) != 1 || got[0].Key != "Status" || got[0].Value != "Väntar på granskning" {
		t.Errorf("state: %+v", got)
	}
	if got := auditItems(`{"field": "orderer2_phone", "value": "true"}`); got[0].Value != "Telefon (Beställare 2)" {
		t.Errorf("orderer row: %+v", got)
	}
	if got := auditItems(`{"field": "order_new", "value": "true"}`); got[1].Value != "Ja" {
		t.Errorf("tick box value: %+v", got)
	}
	if got := auditItems(`{"role": "mailroom", "size_bytes": 2048}`); got[0].Value != form.AccountMailroom.Title() || got[1].Value != "2,0 kB" {
		t.Errorf("role and size: %+v", got)
	}
	if got := auditItems(""); got != nil {
		t.Errorf("empty: %+v", got)
	}
	if got := auditItems("not json 191212121212"); len(got) != 1 || strings.Contains(got[0].Value, "191212121212") {
		t.Errorf("plain text: %+v", got)
	}
}
