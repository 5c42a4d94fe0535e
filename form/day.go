package form

import (
	"time"
	_ "time/tzdata" // the calendar day is Swedish wherever the process runs
)

// stockholm is the time zone in which calendar days are counted.
var stockholm = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// Day returns the Swedish calendar day of t as midnight UTC, the form in
// which dates are compared and stored. A zero t stays zero.
func Day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.In(stockholm).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
