package validate

import (
	"blankett/form"
	"errors"
	"strings"
)

// Errors from ParseOrgnr.
var (
	ErrOrgnrFormat = errors.New("organisationsnummer: not 10 digits (NNNNNN-NNNN, optionally prefixed 16)")
	ErrOrgnrThird  = errors.New("organisationsnummer: third digit must be at least 2")
	ErrOrgnrLuhn   = errors.New("organisationsnummer: wrong check digit")
)

// ParseOrgnr parses a Swedish organisationsnummer: 10 digits with an
// optional hyphen after the sixth, or the 12-digit form with the prefix
// 16. Spaces are ignored. The third digit must be at least 2 (which tells
// it from a personnummer) and the last digit is a Luhn check digit. The
// result is normalised to NNNNNN-NNNN.
func ParseOrgnr(s string) (string, error) {
	clean := strings.Join(strings.Fields(s), "")
	digits := clean
	if i := strings.IndexByte(clean, '-'); i >= 0 {
		if len(clean)-i != 5 || strings.Count(clean, "-") != 1 {
			return "", ErrOrgnrFormat
		}
		digits = clean[:i] + clean[i+1:]
	}
	if !form.AllDigits(digits) {
		return "", ErrOrgnrFormat
	}
	if len(digits) == 12 {
		if !strings.HasPrefix(digits, "16") {
			return "", ErrOrgnrFormat
		}
		digits = digits[2:]
	}
	if len(digits) != 10 {
		return "", ErrOrgnrFormat
	}
	if digits[2] < '2' {
		return "", ErrOrgnrThird
	}
	if !form.Luhn(digits) {
		return "", ErrOrgnrLuhn
	}
	return digits[:6] + "-" + digits[6:], nil
}
