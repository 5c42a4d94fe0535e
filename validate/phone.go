package validate

import (
	"errors"
	"slices"
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
	ErrPhoneArea    = errors.New("phone: no Swedish area code is written so")
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

// otherSevens are the national prefixes beginning with 7, besides the
// mobile ones, that a person may be reached on: 075 (personal numbers)
// and 077 (shared-cost service numbers, such as 0771).
var otherSevens = []string{"75", "77"}

// threeDigitAreas are the Swedish area codes of three digits, trunk 0
// included (018 Uppsala, 090 Umeå), but the mobile ones. Area codes are a
// prefix code: no longer code begins with one of these, nor with 08.
var threeDigitAreas = []string{"010", "011", "013", "016", "018", "019", "020", "021", "023", "026",
	"031", "033", "035", "036", "040", "042", "044", "046", "054", "060", "063", "090"}

// writtenArea checks the area code a national number is written with, the
// digits before its first hyphen or slash (018-123 45): a group that
// begins with a shorter area code and goes on with a subscriber's digit is
// no area code (0818, 0908: a digit read or written twice). Mobile numbers are often grouped 0701-23 45 67,
// and are left alone.
func writtenArea(s string) error {
	group, _, found := strings.Cut(s, "-")
	if g, _, ok := strings.Cut(s, "/"); ok && (!found || len(g) < len(group)) {
		group, found = g, true
	}
	group = strings.TrimSpace(group)
	if !found || len(group) < 3 || group[0] != '0' || strings.HasPrefix(group, "00") ||
		strings.ContainsFunc(group, func(r rune) bool { return r < '0' || r > '9' }) {
		return nil
	}
	// No subscriber number begins with 0, so 0900 and 0939 (premium
	// rate) are numbers of their own, not Umeå's.
	if strings.HasPrefix(group, "08") && group[2] != '0' {
		return ErrPhoneArea
	}
	if len(group) == 4 && group[3] != '0' && slices.Contains(threeDigitAreas, group[:3]) {
		return ErrPhoneArea
	}
	return nil
}

// ParsePhone parses a Swedish telephone number written nationally
// (070-123 45 67, 08-123 456 78), internationally (+46 70 123 45 67,
// +46 (0)70…, 0046 70…) and normalises it to E.164 (+46701234567). Spaces,
// hyphens, dots, slashes and parentheses are ignored. It tells mobile
// numbers (07x with x in 0, 2, 3, 6, 9 and 9 digits after the trunk 0)
// from other numbers, which are reported as landline, and refuses an
// area code no Swedish number has (see writtenArea).
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
	intl := true   // written with the country code
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
		if err := writtenArea(s); err != nil {
			return Phone{}, err
		}
		nsn, intl = d[1:], false
	case strings.HasPrefix(d, "46") && len(d) >= 10:
		nsn = d[2:] // 46701234567 without the plus
	default:
		return Phone{}, ErrPhoneFormat
	}
	// "+46 (0)70 …": the trunk 0 written after the country code (its
	// plus lost too: "46 (0)70 …").
	if intl && strings.HasPrefix(nsn, "0") {
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
	if nsn[0] == '7' && !slices.Contains(otherSevens, nsn[:min(2, len(nsn))]) {
		// 071 (machines), 074 and 078 reach no person: a mobile
		// number's 0 lost ("46 7 481 4755" for +46 70 481 47 55).
		return Phone{}, ErrPhoneArea
	}
	if len(nsn) < 7 || len(nsn) > 9 {
		return Phone{}, ErrPhoneLength
	}
	return Phone{E164: "+46" + nsn, Kind: PhoneLandline}, nil
}
