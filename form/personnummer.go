package form

import "strings"

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
