package letter_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"blankett/letter"
)

func TestTerminationLetter(t *testing.T) {
	day := func(s string) time.Time {
		d, _ := time.Parse(time.DateOnly, s)
		return d
	}
	term := letter.Termination{Organisation: "Samordningsförbundet Kuststaden", ByPart: true,
		Address:  letter.Address{Name: "Erik Strand", Street: "Hamngatan 4", Postcode: "45130", Town: "Uddevalla"},
		Received: day("2026-03-02"), End: day("2026-10-01"), RecordedAt: day("2026-03-05"), Reference: "SUS-U-000001",
		ReturnAddress: []string{"Försäkringskassan", "SUS, Utvecklingsstyrning", "103 51 Stockholm"}}
	l, err := letter.ComposeTermination(term)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := letter.Render(l, letter.DefaultSender())
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	golden(t, letter.KindAgreementTerminated, pdf, text)
	flat := strings.Join(strings.Fields(text), " ")
	for _, want := range []string{"Samordningsförbundet Kuststaden Att: Erik Strand Hamngatan 4 451 30 UDDEVALLA",
		"den 2 mars 2026", "till och med den 30 september 2026", "Från och med den 1 oktober 2026 gäller den inte längre",
		"beställare", "103 51 Stockholm"} {
		if !strings.Contains(flat, want) {
			t.Errorf("termination letter lacks %q:\n%s", want, flat)
		}
	}
	term.Address = letter.Address{}
	l, err = letter.ComposeTermination(term)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := letter.Render(l, letter.DefaultSender()); !errors.Is(err, letter.ErrNoAddress) {
		t.Fatalf("a termination letter without an address: %v, want ErrNoAddress", err)
	}
}
