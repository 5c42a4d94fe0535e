package validate

import (
	"testing"
	"time"

	"blankett/form"
)

func TestDateInWords(t *testing.T) {
	for in, want := range map[string]string{
		"2026-11-02": "2 november 2026",
		"2025-01-31": "31 januari 2025",
		"2024-12-01": "1 december 2024",
	} {
		d, err := time.Parse(DateLayout, in)
		if err != nil {
			t.Fatal(err)
		}
		if got := form.DayInWords(d); got != want {
			t.Errorf("form.DayInWords(%s) = %q, want %q", in, got, want)
		}
	}
}

// TestEveryFieldHasALabel: each field a message can name has a label of
// its own, by its role, so no message falls back to a template label such as
// "form.Personnummer (ÅÅÅÅMMDD-NNNN)" or to the field's code name.
func TestEveryFieldHasALabel(t *testing.T) {
	ts, err := form.LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for kind, tmpl := range ts {
		for _, f := range tmpl.Fields {
			if f.Type == form.TypeCheckbox || f.Type == form.TypeSignature {
				continue
			}
			if l := roleLabel(kind, f.Role, f.Row); l == "" {
				t.Errorf("%s field %s (role %s) has no label", kind, f.Name, f.Role)
			}
		}
	}
}

func TestServiceNumber(t *testing.T) {
	for in, want := range map[string]string{
		"0771-17 90 00": "ett servicenummer som börjar med 077",
		"0770-11 22 33": "ett servicenummer som börjar med 077",
		"020-12 34 56":  "ett avgiftsfritt servicenummer som börjar med 020",
		"0900-123 45 6": "ett betalnummer",
		"08-123 456 78": "",
		"070-123 45 67": "",
	} {
		p, err := ParsePhone(in)
		if err != nil {
			t.Fatalf("ParsePhone(%q): %v", in, err)
		}
		if got := serviceNumber(p.E164); got != want {
			t.Errorf("serviceNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestList(t *testing.T) {
	for _, tt := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"SMS"}, "SMS"},
		{[]string{"SMS", "BankID"}, "SMS eller BankID"},
		{[]string{"SMS", "BankID", "E-legitimation"}, "SMS, BankID eller E-legitimation"},
	} {
		if got := list(tt.in, "eller"); got != tt.want {
			t.Errorf("list(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
