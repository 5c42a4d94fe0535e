package validate

import (
	"blankett/form"
	"errors"
	"fmt"
	"time"
)

// Errors from CheckAge.
var (
	ErrAgeYoung = errors.New("personnummer: younger than MinAge")
	ErrAgeOld   = errors.New("personnummer: older than MaxAge")
)

// The ages between which a user or orderer is plausible, inclusive.
const (
	MinAge = 16
	MaxAge = 100
)

// CheckAge reports whether the person is of a plausible age for a user or
// an orderer on the day on (the day the form was received): at least
// MinAge (ErrAgeYoung) and at most MaxAge (ErrAgeOld).
func CheckAge(p form.Personnummer, on time.Time) error {
	switch a := p.Age(on); {
	case a < MinAge:
		return fmt.Errorf("%w: %d", ErrAgeYoung, a)
	case a > MaxAge:
		return fmt.Errorf("%w: %d", ErrAgeOld, a)
	}
	return nil
}

// MisreadPlus reports whether a number written with '+' would give a
// plausible age on the day on had the separator been '-': then the '+'
// is likely a misread or slip, and born is the year of birth with '-'.
func MisreadPlus(p form.Personnummer, on time.Time) (born int, ok bool) {
	if !p.Plus {
		return 0, false
	}
	alt := p
	alt.Birth = p.Birth.AddDate(100, 0, 0)
	if alt.Birth.After(form.Day(on)) || CheckAge(alt, on) != nil {
		return 0, false
	}
	return alt.Birth.Year(), true
}
