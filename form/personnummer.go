package form

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// MaskPersonnummer hides the last four digits of a personnummer or
// samordningsnummer: YYYYMMDD-****. Input that is not a 12-digit number
// (possibly with a separator) is masked completely.
func MaskPersonnummer(s string) string {
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	if len(d) == 12 {
		return d[:8] + "-****"
	}
	if len(d) == 10 {
		return d[:6] + "-****"
	}
	return "****"
}

// Errors from ParsePersonnummer. They are wrapped with detail; test with
// errors.Is.
var (
	ErrPersonnummerFormat = errors.New("personnummer: not 10 or 12 digits with an optional - or + separator")
	ErrPersonnummerLuhn   = errors.New("personnummer: wrong check digit")
	ErrPersonnummerDate   = errors.New("personnummer: not a real date of birth")
	ErrPersonnummerFuture = errors.New("personnummer: date of birth after the reference date")
	ErrPersonnummerSerial = errors.New("personnummer: birth number 000 is never issued")
)

// Personnummer is a parsed Swedish personal identity number or
// coordination number (samordningsnummer).
type Personnummer struct {
	// Number is the normalised form: 12 digits, YYYYMMDDNNNC, without a
	// separator. For a samordningsnummer the day is the day of birth + 60.
	Number string
	// Birth is the date of birth (midnight UTC).
	Birth time.Time
	// Samordning is true for a samordningsnummer (day + 60).
	Samordning bool
	// Plus is true when the number was written with 10 digits and the
	// separator '+', which puts the birth a century earlier (100 or older).
	Plus bool
}

// String returns the normalised 12 digits.
func (p Personnummer) String() string { return p.Number }

// Masked returns the number with its last four digits hidden,
// YYYYMMDD-****, the only form allowed in messages, evidence and logs.
func (p Personnummer) Masked() string { return MaskPersonnummer(p.Number) }

// ParsePersonnummer parses a personnummer or samordningsnummer written with
// 10 digits (YYMMDD-NNNC, YYMMDD+NNNC for someone 100 or older, or without
// separator) or 12 digits (YYYYMMDD-NNNC or YYYYMMDDNNNC). Spaces are
// ignored. With 10 digits the century is the latest one that puts the date
// of birth on or before ref (the reference date, normally the day the form
// was received), and one century earlier with '+'. The date of birth must
// be a real date (day + 60 for a samordningsnummer) and not after ref; the
// check digit is Luhn over the last 10 digits. A zero ref means today.
func ParsePersonnummer(s string, ref time.Time) (Personnummer, error) {
	if ref.IsZero() {
		ref = time.Now()
	}
	ref = Day(ref)
	clean := strings.Join(strings.Fields(s), "")
	sep := byte(0)
	digits := clean
	if i := strings.IndexAny(clean, "-+"); i >= 0 {
		sep = clean[i]
		digits = clean[:i] + clean[i+1:]
		// The separator sits before the last four digits, nowhere else.
		if len(clean)-i != 5 {
			return Personnummer{}, fmt.Errorf("%w: separator in the wrong place", ErrPersonnummerFormat)
		}
	}
	if !AllDigits(digits) {
		return Personnummer{}, ErrPersonnummerFormat
	}
	var year int
	var short string // YYMMDDNNNC
	switch len(digits) {
	case 12:
		year = atoi(digits[:4])
		short = digits[2:]
	case 10:
		short = digits
		yy := atoi(digits[:2])
		year = ref.Year()/100*100 + yy
	default:
		return Personnummer{}, ErrPersonnummerFormat
	}
	month := atoi(short[2:4])
	day := atoi(short[4:6])
	samordning := false
	if day > 60 {
		samordning = true
		day -= 60
	}
	birth, ok := RealDate(year, month, day)
	if !ok {
		return Personnummer{}, ErrPersonnummerDate
	}
	if len(digits) == 10 {
		back := 0
		if birth.After(ref) {
			// The latest century with this year is still in the future:
			// the person was born one century earlier.
			back += 100
		}
		if sep == '+' {
			back += 100 // 100 years or older
		}
		if back > 0 {
			year -= back
			birth, ok = RealDate(year, month, day)
			if !ok { // 29 February in a year that is not a leap year
				return Personnummer{}, ErrPersonnummerDate
			}
		}
	}
	if birth.After(ref) {
		return Personnummer{}, ErrPersonnummerFuture
	}
	if year < 1800 {
		return Personnummer{}, ErrPersonnummerDate
	}
	if short[6:9] == "000" {
		return Personnummer{}, ErrPersonnummerSerial
	}
	if !Luhn(short) {
		return Personnummer{}, ErrPersonnummerLuhn
	}
	return Personnummer{
		Number:     fmt.Sprintf("%04d", year) + short[2:],
		Birth:      birth,
		Samordning: samordning,
		Plus:       len(digits) == 10 && sep == '+',
	}, nil
}

// Age is the person's age in whole years on the calendar day of on.
func (p Personnummer) Age(on time.Time) int {
	return age(p.Birth, Day(on))
}

func age(birth, on time.Time) int {
	a := on.Year() - birth.Year()
	if on.Month() < birth.Month() || on.Month() == birth.Month() && on.Day() < birth.Day() {
		a-- // no birthday yet this year
	}
	return a
}

// NormalisePersonnummer is ParsePersonnummer returning only the 12 digits.
func NormalisePersonnummer(s string, ref time.Time) (string, error) {
	p, err := ParsePersonnummer(s, ref)
	return p.Number, err
}

// RealDate returns the date y-m-d if it exists in the calendar.
func RealDate(y, m, d int) (time.Time, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// atoi converts a short string of ASCII digits; callers check allDigits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// Luhn reports whether the decimal digit string s has a valid Luhn check
// digit as its last digit. s must hold only the digits 0-9.
func Luhn(s string) bool {
	if len(s) < 2 {
		return false
	}
	sum := 0
	double := false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// AllDigits reports whether s is non-empty and holds only ASCII digits.
func AllDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
