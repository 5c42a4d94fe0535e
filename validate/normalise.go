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
	if t == form.TypePersonnummer || t == form.TypeOrgnr || t == form.TypePhone || t == form.TypeDate {
		s = dashesAndSpaces.Replace(s)
	}
	if t == form.TypePersonnummer || t == form.TypeOrgnr || t == form.TypePhone {
		// A hyphen, stop or comma before or after a number is no part
		// of it: a speck a scan read so, or a slip of the pen.
		s = strings.TrimSpace(strings.Trim(s, "-.,"))
	}
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

// dashesAndSpaces folds the dashes and spaces a word processor or a copied
// text puts in numbers and dates (an en dash in 212000–1355, a no-break
// space in 070-123\u00a045\u00a067) into the hyphen and the space people
// mean by them.
var dashesAndSpaces = strings.NewReplacer(
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2212", "-", "\ufe63", "-", "\uff0d", "-",
	"\u00a0", " ", "\u2007", " ", "\u2009", " ", "\u202f", " ",
)

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
