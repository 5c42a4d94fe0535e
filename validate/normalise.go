package validate

import (
	"strings"
	"time"

	"blankett/form"
)

// Normalise turns a field's raw text into its normalised form
// (personnummer as 12 digits, org numbers as NNNNNN-NNNN, phone numbers as
// E.164, dates as YYYY-MM-DD, text with single spaces) and reports whether
// it is well formed. A malformed value comes back trimmed, with ok false.
// ref is the date two-digit years and century signs are read against.
func Normalise(t form.FieldType, raw string, ref time.Time) (value string, ok bool) {
	s := strings.TrimSpace(raw)
	var err error
	switch t {
	case form.TypePersonnummer:
		value, err = form.NormalisePersonnummer(s, ref)
	case form.TypeOrgnr:
		value, err = ParseOrgnr(s)
	case form.TypePhone:
		var p Phone
		p, err = ParsePhone(s)
		value = p.E164
	case form.TypeEmail:
		value, err = ParseEmail(s)
	case form.TypeDate:
		var d time.Time
		d, err = ParseDate(s, ref)
		value = d.Format(time.DateOnly)
	case form.TypeCheckbox, form.TypeSignature:
		return form.CheckToken(s), true
	default:
		return strings.Join(strings.Fields(s), " "), true
	}
	if err != nil {
		return shape(t, s), false
	}
	return value, true
}

// shape normalises the form of a value that failed its checks (a wrong
// check digit, an impossible date), so that a reviewer and the letters see
// it written the usual way: 12 digits for a personnummer, NNNNNN-NNNN for
// an org number, lower case for an e-mail address.
func shape(t form.FieldType, s string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	switch t {
	case form.TypePersonnummer:
		if len(digits) == 12 {
			return digits
		}
	case form.TypeOrgnr:
		if len(digits) == 10 {
			return digits[:6] + "-" + digits[6:]
		}
	case form.TypeEmail:
		return strings.ToLower(s)
	}
	return s
}
