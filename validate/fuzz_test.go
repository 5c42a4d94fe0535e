package validate

import (
	"blankett/form"
	"testing"
	"time"
)

var fuzzRef = time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)

func FuzzPersonnummer(f *testing.F) {
	for _, s := range []string{
		"19121212-1212", "121212+1212", "8112189876", "701063-2391", "000229-1235",
		"811218-9875", "", "+", "-", "99999999-9999", "0000000000", "19000229-0000",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := form.ParsePersonnummer(s, fuzzRef)
		if err != nil {
			return
		}
		if len(p.Number) != 12 || !form.AllDigits(p.Number) {
			t.Fatalf("form.ParsePersonnummer(%q) = %q, not 12 digits", s, p.Number)
		}
		// The 12 digits say the same person; only how it was written
		// (Plus) may differ.
		again, err := form.ParsePersonnummer(p.Number, fuzzRef)
		if err != nil || again.Number != p.Number || !again.Birth.Equal(p.Birth) || again.Samordning != p.Samordning || again.Plus {
			t.Fatalf("form.ParsePersonnummer(%q) = %+v, re-parsed %+v, %v", s, p, again, err)
		}
		if m := p.Masked(); m != p.Number[:8]+"-****" {
			t.Fatalf("Masked() = %q", m)
		}
	})
}

func FuzzOrgnr(f *testing.F) {
	for _, s := range []string{"556677-8899", "16556677-8899", "2120000142", "811218-9876", "", "-", "16", "1616161616-16"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseOrgnr(s)
		if err != nil {
			return
		}
		if len(n) != 11 || n[6] != '-' {
			t.Fatalf("ParseOrgnr(%q) = %q, not NNNNNN-NNNN", s, n)
		}
		again, err := ParseOrgnr(n)
		if err != nil || again != n {
			t.Fatalf("ParseOrgnr(%q) = %q, re-parsed %q, %v", s, n, again, err)
		}
	})
}

func FuzzPhone(f *testing.F) {
	for _, s := range []string{
		"070-123 45 67", "+46 (0)70-123 45 67", "0046701234567", "08-123 456 78",
		"+4600", "46", "+", "0", "(((", "0771-17 90 00", "+46 0 8 12345",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePhone(s)
		if err != nil {
			return
		}
		if p.Kind != PhoneMobile && p.Kind != PhoneLandline {
			t.Fatalf("ParsePhone(%q) kind %q", s, p.Kind)
		}
		if len(p.E164) < 3 || p.E164[:3] != "+46" || !form.AllDigits(p.E164[1:]) {
			t.Fatalf("ParsePhone(%q) = %q, not Swedish E.164", s, p.E164)
		}
		again, err := ParsePhone(p.E164)
		if err != nil || again != p {
			t.Fatalf("ParsePhone(%q) = %+v, re-parsed %+v, %v", s, p, again, err)
		}
	})
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{"2025-03-05", "250305", "5 mars 2025", "den 1 jan 2000", "1/1/1", "--", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s, fuzzRef)
		if err != nil {
			return
		}
		again, err := ParseDate(d.Format(DateLayout), fuzzRef)
		if err != nil || !again.Equal(d) {
			t.Fatalf("ParseDate(%q) = %v, re-parsed %v, %v", s, d, again, err)
		}
	})
}

func FuzzEmail(f *testing.F) {
	for _, s := range []string{"anna@kommun.se", "a@b.cd", "@", "a@b", "x@ÅÄÖ.se"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := ParseEmail(s)
		if err != nil {
			return
		}
		again, err := ParseEmail(e)
		if err != nil || again != e {
			t.Fatalf("ParseEmail(%q) = %q, re-parsed %q, %v", s, e, again, err)
		}
	})
}
