package storage

import (
	"encoding/json"
	"fmt"
	"regexp"
	"time"

	"blankett/form"
)

// Personnummer typed where they do not belong: into a name, an address,
// a correction or a reason. Such a value is handled like a personnummer
// field: sealed in PostgreSQL (fields, corrections), its lookup hash kept
// for the subject access export, and masked in the audit log.

// pnrShaped finds 10- or 12-digit numbers, with an optional separator
// before the last four digits. personnummerIn keeps those that pass the
// check digit with a real date of birth (or a samordningsnummer's day+60).
var pnrShaped = regexp.MustCompile(`\d{6}(?:\d{2})?[-+ ]?\d{4}`)

// personnummerIn returns the spans of s that are personnummer or
// samordningsnummer, and each one's 12-digit form.
func personnummerIn(s string, asOf time.Time) (spans [][2]int, pnrs []string) {
	if asOf.IsZero() {
		asOf = time.Now()
	}
	for _, m := range pnrShaped.FindAllStringIndex(s, -1) {
		start, end := m[0], m[1]
		if (start > 0 && isDigit(s[start-1])) || (end < len(s) && isDigit(s[end])) {
			continue // part of a longer number
		}
		pnr, err := form.NormalisePersonnummer(s[start:end], asOf)
		if err != nil || len(pnr) != 12 {
			continue
		}
		spans = append(spans, [2]int{start, end})
		pnrs = append(pnrs, pnr)
	}
	return spans, pnrs
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// holdsPersonnummer reports whether free text holds a personnummer.
func holdsPersonnummer(s string) bool {
	spans, _ := personnummerIn(s, time.Time{})
	return len(spans) > 0
}

// maskPersonnummerIn masks every personnummer in free text as the audit
// log shows them (the birth date only).
func maskPersonnummerIn(s string) string {
	spans, _ := personnummerIn(s, time.Time{})
	for i := len(spans) - 1; i >= 0; i-- {
		sp := spans[i]
		s = s[:sp[0]] + form.MaskPersonnummer(s[sp[0]:sp[1]]) + s[sp[1]:]
	}
	return s
}

// isFreeText reports whether a field holds free text (its type, or no
// type for a correction of a field the extraction did not return):
// numbers of other types (phone, org number, date) are not searched.
func isFreeText(v form.Value) bool {
	return v.Type == form.TypeText || v.Type == ""
}

// holdsPersonalNumber reports whether a field must be sealed: a
// personnummer field, or free text holding a personnummer.
func holdsPersonalNumber(v form.Value) bool {
	return isPersonnummerField(v) || (isFreeText(v) && (holdsPersonnummer(v.Value) || holdsPersonnummer(v.Raw)))
}

// maskAuditValue masks the personnummer in every string of an audit
// event's before or after (any JSON-able value).
func maskAuditValue(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	if !pnrShaped.Match(b) {
		return v, nil
	}
	var generic any
	if err := json.Unmarshal(b, &generic); err != nil {
		return nil, fmt.Errorf("mask audit value: %w", err)
	}
	return maskStrings(generic), nil
}

func maskStrings(v any) any {
	switch x := v.(type) {
	case string:
		return maskPersonnummerIn(x)
	case map[string]any:
		for k, e := range x {
			x[k] = maskStrings(e)
		}
	case []any:
		for i, e := range x {
			x[i] = maskStrings(e)
		}
	}
	return v
}
