package validate

import (
	"errors"
	"strings"
)

// PhoneKind says whether a Swedish number reaches a mobile phone.
type PhoneKind string

// Phone kinds.
const (
	PhoneMobile   PhoneKind = "mobile"
	PhoneLandline PhoneKind = "landline"
)

// Errors from ParsePhone.
var (
	ErrPhoneFormat  = errors.New("phone: not a telephone number")
	ErrPhoneForeign = errors.New("phone: not a Swedish number")
	ErrPhoneLength  = errors.New("phone: wrong number of digits for a Swedish number")
)

// Phone is a parsed Swedish telephone number.
type Phone struct {
	E164 string    // +46701234567
	Kind PhoneKind // mobile or landline
}

// String returns the E.164 form.
func (p Phone) String() string { return p.E164 }

// mobilePrefixes are the national prefixes (after the trunk 0) of Swedish
// mobile networks: 070, 072, 073, 076 and 079.
var mobilePrefixes = []string{"70", "72", "73", "76", "79"}

// ParsePhone parses a Swedish telephone number written nationally
// (070-123 45 67, 08-123 456 78), internationally (+46 70 123 45 67,
// +46 (0)70…, 0046 70…) and normalises it to E.164 (+46701234567). Spaces,
// hyphens, dots, slashes and parentheses are ignored. It tells mobile
// numbers (07x with x in 0, 2, 3, 6, 9 and 9 digits after the trunk 0)
// from other numbers, which are reported as landline.
func ParsePhone(s string) (Phone, error) {
	var b strings.Builder
	plus := false
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && b.Len() == 0 && !plus:
			plus = true
		case r == ' ' || r == '-' || r == '.' || r == '/' || r == '(' || r == ')' || r == '\u00a0':
		default:
			return Phone{}, ErrPhoneFormat
		}
	}
	d := b.String()
	if d == "" {
		return Phone{}, ErrPhoneFormat
	}
	var nsn string // national significant number, without the trunk 0
	switch {
	case plus:
		if !strings.HasPrefix(d, "46") {
			return Phone{}, ErrPhoneForeign
		}
		nsn = d[2:]
	case strings.HasPrefix(d, "00"):
		if !strings.HasPrefix(d, "0046") {
			return Phone{}, ErrPhoneForeign
		}
		nsn = d[4:]
	case strings.HasPrefix(d, "0"):
		nsn = d[1:]
	case strings.HasPrefix(d, "46") && len(d) >= 10:
		nsn = d[2:] // 46701234567 without the plus
	default:
		return Phone{}, ErrPhoneFormat
	}
	// "+46 (0)70 …": the trunk 0 written after the country code.
	if (plus || strings.HasPrefix(d, "00")) && strings.HasPrefix(nsn, "0") {
		nsn = nsn[1:]
	}
	if nsn == "" || nsn[0] == '0' {
		return Phone{}, ErrPhoneFormat
	}
	for _, p := range mobilePrefixes {
		if strings.HasPrefix(nsn, p) {
			if len(nsn) != 9 {
				return Phone{}, ErrPhoneLength
			}
			return Phone{E164: "+46" + nsn, Kind: PhoneMobile}, nil
		}
	}
	if len(nsn) < 7 || len(nsn) > 9 {
		return Phone{}, ErrPhoneLength
	}
	return Phone{E164: "+46" + nsn, Kind: PhoneLandline}, nil
}
