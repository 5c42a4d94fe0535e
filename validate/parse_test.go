package validate

import (
	"blankett/form"
	"errors"
	"testing"
	"time"
)

var ref = time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)

func TestParsePersonnummer(t *testing.T) {
	tests := []struct {
		in         string
		want       string
		samordning bool
		err        error
	}{
		{"19121212-1212", "191212121212", false, nil},
		{"191212121212", "191212121212", false, nil},
		{"121212-1212", "201212121212", false, nil},
		{"121212+1212", "191212121212", false, nil},
		{"1212121212", "201212121212", false, nil},
		{" 811218-9876 ", "198112189876", false, nil},
		{"8112189876", "198112189876", false, nil},
		{"811218+9876", "188112189876", false, nil},
		{"701063-2391", "197010632391", true, nil},
		{"19701063-2391", "197010632391", true, nil},
		{"000229-1235", "200002291235", false, nil},
		{"000229+1235", "", false, form.ErrPersonnummerDate}, // 1900 was no leap year
		{"811218-9875", "", false, form.ErrPersonnummerLuhn},
		{"811318-9876", "", false, form.ErrPersonnummerDate},
		{"811232-9876", "", false, form.ErrPersonnummerDate},
		{"811218-987", "", false, form.ErrPersonnummerFormat},
		{"81121-89876", "", false, form.ErrPersonnummerFormat},
		{"abcdef-1234", "", false, form.ErrPersonnummerFormat},
		{"", "", false, form.ErrPersonnummerFormat},
		{"20991212-1212", "", false, form.ErrPersonnummerFuture},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := form.ParsePersonnummer(tt.in, ref)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("form.ParsePersonnummer(%q) error = %v, want %v", tt.in, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("form.ParsePersonnummer(%q): %v", tt.in, err)
			}
			if p.Number != tt.want || p.Samordning != tt.samordning {
				t.Fatalf("form.ParsePersonnummer(%q) = %q samordning %v, want %q %v", tt.in, p.Number, p.Samordning, tt.want, tt.samordning)
			}
		})
	}
}

func TestMaskPersonnummer(t *testing.T) {
	for in, want := range map[string]string{
		"198112189876":  "19811218-****",
		"19811218-9876": "19811218-****",
		"811218-9876":   "811218-****",
		"garbage":       "****",
	} {
		if got := form.MaskPersonnummer(in); got != want {
			t.Errorf("form.MaskPersonnummer(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseOrgnr(t *testing.T) {
	tests := []struct {
		in   string
		want string
		err  error
	}{
		{"556677-8899", "556677-8899", nil},
		{"5566778899", "556677-8899", nil},
		{"16556677-8899", "556677-8899", nil},
		{"165566778899", "556677-8899", nil},
		{"212000-0142", "212000-0142", nil},
		{" 802002-3456", "802002-3456", nil},
		{"556677-8898", "", ErrOrgnrLuhn},
		{"811218-9876", "", ErrOrgnrThird}, // a personnummer
		{"556677-889", "", ErrOrgnrFormat},
		{"5566-778899", "", ErrOrgnrFormat},
		{"175566778899", "", ErrOrgnrFormat},
		{"", "", ErrOrgnrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseOrgnr(tt.in)
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Fatalf("ParseOrgnr(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestParsePhone(t *testing.T) {
	tests := []struct {
		in   string
		want string
		kind PhoneKind
		err  error
	}{
		{"070-123 45 67", "+46701234567", PhoneMobile, nil},
		{"0701234567", "+46701234567", PhoneMobile, nil},
		{"+46 70 123 45 67", "+46701234567", PhoneMobile, nil},
		{"+46 (0)70-123 45 67", "+46701234567", PhoneMobile, nil},
		{"46 (0)70-123 45 67", "+46701234567", PhoneMobile, nil}, // its plus lost
		{"0046701234567", "+46701234567", PhoneMobile, nil},
		{"46701234567", "+46701234567", PhoneMobile, nil},
		{"073-987 65 43", "+46739876543", PhoneMobile, nil},
		{"079 000 00 00", "+46790000000", PhoneMobile, nil},
		{"08-123 456 78", "+46812345678", PhoneLandline, nil},
		{"031-12 34 56", "+4631123456", PhoneLandline, nil},
		{"+46 8 123 456 78", "+46812345678", PhoneLandline, nil},
		{"0771-17 90 00", "+46771179000", PhoneLandline, nil},
		{"0480-123 45", "+4648012345", PhoneLandline, nil},    // a four-digit area code
		{"0920/123 456", "+46920123456", PhoneLandline, nil},  // written with a slash
		{"0701-23 45 67", "+46701234567", PhoneMobile, nil},   // a mobile grouped by four
		{"018 123 45", "+461812345", PhoneLandline, nil},      // grouped by spaces alone: not checked
		{"0818-92352", "", "", ErrPhoneArea},                  // 08 is Stockholm's, and no code begins so
		{"0908-87214", "", "", ErrPhoneArea},                  // 090 is Umeå's
		{"0118-97569", "", "", ErrPhoneArea},                  // 011 is Norrköping's
		{"46 7 481 4755", "", "", ErrPhoneArea},               // +46 70 481 47 55 without its plus and the mobile's 0
		{"074-123 45 67", "", "", ErrPhoneArea},               // 074 reaches no person
		{"075-123 45 67", "+46751234567", PhoneLandline, nil}, // a personal number
		{"070-123 45 6", "", "", ErrPhoneLength},
		{"070-123 45 678", "", "", ErrPhoneLength},
		{"+45 12 34 56 78", "", "", ErrPhoneForeign},
		{"0045 12345678", "", "", ErrPhoneForeign},
		{"070-ABC", "", "", ErrPhoneFormat},
		{"", "", "", ErrPhoneFormat},
		{"12345", "", "", ErrPhoneFormat},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePhone(tt.in)
			if !errors.Is(err, tt.err) || p.E164 != tt.want || p.Kind != tt.kind {
				t.Fatalf("ParsePhone(%q) = %+v, %v; want %q %q, %v", tt.in, p, err, tt.want, tt.kind, tt.err)
			}
		})
	}
}

func TestParseEmail(t *testing.T) {
	good := map[string]string{
		"anna.svensson@kommun.se":   "anna.svensson@kommun.se",
		" Anna@Kommun.SE ":          "anna@kommun.se",
		"a+b@sub.region-x.se":       "a+b@sub.region-x.se",
		"info@göteborg.se":          "info@göteborg.se",
		"o'brien@samordning.org.se": "o'brien@samordning.org.se",
	}
	for in, want := range good {
		if got, err := ParseEmail(in); err != nil || got != want {
			t.Errorf("ParseEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "anna", "anna@", "@kommun.se", "anna@kommun", "anna@@kommun.se",
		"anna svensson@kommun.se", "anna..s@kommun.se", ".anna@kommun.se", "anna@kommun.s",
		"anna@-kommun.se", "Anna <anna@kommun.se>", "anna@kommun..se", "anna@kommun.123"} {
		if got, err := ParseEmail(in); !errors.Is(err, ErrEmail) {
			t.Errorf("ParseEmail(%q) = %q, %v; want ErrEmail", in, got, err)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"2025-03-05", "2025-03-05"},
		{"2025-3-5", "2025-03-05"},
		{"20250305", "2025-03-05"},
		{"2025/03/05", "2025-03-05"},
		{"2025.03.05", "2025-03-05"},
		{"250305", "2025-03-05"},
		{"25-03-05", "2025-03-05"},
		{"991231", "1999-12-31"},
		{"5/3/2025", "2025-03-05"},
		{"05.03.2025", "2025-03-05"},
		{"5-3-2025", "2025-03-05"},
		{"5 mars 2025", "2025-03-05"},
		{"den 5 mars 2025", "2025-03-05"},
		{"5 mar. 2025", "2025-03-05"},
		{"12 Oktober 2024", "2024-10-12"},
		{"2024-02-29", "2024-02-29"},
		// As people write them.
		{"3 november 2024", "2024-11-03"},
		{"3/11 2024", "2024-11-03"},
		{"3.11.24", "2024-11-03"},
		{"03.11.24", "2024-11-03"},
		{"3/11/24", "2024-11-03"},
		{"3 nov. 2024", "2024-11-03"},
		{"3 nov 2024", "2024-11-03"},
		{"3 febr 2024", "2024-02-03"},
		{"3 sept. 2024", "2024-09-03"},
		{"3 septemb 2024", "2024-09-03"},
		{"3 november -24", "2024-11-03"},
		{"24-11-03", "2024-11-03"},
		{"03112024", "2024-11-03"},
		{"3/11-24", "2024-11-03"},
		{"3.11-24", "2024-11-03"},
		{"3:e november 2024", "2024-11-03"},
		{"den 1:a mars 2025", "2025-03-01"},
		{"22:a febr. 2025", "2025-02-22"},
		{"3e nov 2024", "2024-11-03"},
		{"3 e november 2024", "2024-11-03"},
		{"3.e november 2024", "2024-11-03"},
		// Hyphens put the year first, unless that makes no date, or one
		// years from the reference date where day first is a date of
		// its year.
		{"05-03-25", "2025-03-05"},
		{"24-11-03", "2024-11-03"},
		{"03-11-24", "2024-11-03"},
		{"31-01-25", "2025-01-31"},
		// A two-digit year is the one nearest the reference date, even
		// when that is after it (a date in the future is reported, not
		// moved a century back).
		{"5.4.25", "2025-04-05"},
		{"30.12.24", "2024-12-30"},
		{"1.1.76", "1976-01-01"},
		{"1.1.74", "2074-01-01"},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in, ref)
		if err != nil || got.Format(DateLayout) != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"", "2025-02-29", "2025-13-01", "32/1/2025", "5 marsch 2025", "5 ma 2025", "5 ju 2025", "5 septembre 2025", "igår", "2025-03", "0005-01-01", "31.2.25", "5 mars 123", "3:x november 2024", "3/11-2"} {
		if got, err := ParseDate(in, ref); !errors.Is(err, ErrDateFormat) {
			t.Errorf("ParseDate(%q) = %v, %v; want ErrDateFormat", in, got, err)
		}
	}
}

func TestCheckDate(t *testing.T) {
	tests := []struct {
		date string
		err  error
	}{
		{"2025-03-10", nil},
		{"2025-01-01", nil},
		{"2024-03-10", nil},
		{"2025-03-11", ErrDateFuture},
		{"2024-03-09", ErrDateOld},
		{"1999-01-01", ErrDateOld},
	}
	for _, tt := range tests {
		d, _ := time.Parse(DateLayout, tt.date)
		if err := CheckDate(d, ref); !errors.Is(err, tt.err) {
			t.Errorf("CheckDate(%s) = %v, want %v", tt.date, err, tt.err)
		}
	}
}

// TestNormaliseDashesAndSpaces: a number or a date typed in a word
// processor, or copied, with an en dash, a minus sign or a no-break space
// reads as the same typed with a hyphen and a space; a hyphen, stop or
// comma before or after a number (a speck read so) is dropped.
func TestNormaliseDashesAndSpaces(t *testing.T) {
	for _, tt := range []struct {
		t    form.FieldType
		in   string
		want string
	}{
		{form.TypeOrgnr, "212000\u20131355", "212000-1355"},
		{form.TypePersonnummer, "121212\u20131212", "201212121212"},
		{form.TypePersonnummer, "19121212\u22121212", "191212121212"},
		{form.TypePhone, "070\u2013123\u00a045\u00a067", "+46701234567"},
		{form.TypePhone, "08\u2011123\u202f45\u202f67", "+4681234567"},
		{form.TypeDate, "2025\u201303\u201305", "2025-03-05"},
		{form.TypeDate, "5\u00a0mars\u00a02025", "2025-03-05"},
		{form.TypePersonnummer, "121212-1212-", "201212121212"}, // a speck at either end
		{form.TypeOrgnr, ".212000-1355", "212000-1355"},
		{form.TypePhone, "070-123 45 67,", "+46701234567"},
	} {
		got, ok := Normalise(tt.t, tt.in, ref)
		if !ok || got != tt.want {
			t.Errorf("Normalise(%s, %q) = %q, %v; want %q", tt.t, tt.in, got, ok, tt.want)
		}
	}
	// Text is kept as written.
	if got, _ := Normalise(form.TypeText, "Anna\u2013Karin", ref); got != "Anna\u2013Karin" {
		t.Errorf("text changed to %q", got)
	}
}
