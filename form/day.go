package form

import (
	"strconv"
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

// MonthNames are the months' Swedish names, January first.
var MonthNames = [...]string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}

// DayInWords writes a calendar day as Swedish running text does:
// "2 november 2026" (the day of t in Sweden).
func DayInWords(t time.Time) string {
	d := Day(t)
	return strconv.Itoa(d.Day()) + " " + MonthNames[d.Month()-1] + " " + strconv.Itoa(d.Year())
}

// InSweden is t in Swedish time, for showing a moment to people.
func InSweden(t time.Time) time.Time { return t.In(stockholm) }

// Stockholm is Swedish time, for reading and showing moments.
func Stockholm() *time.Location { return stockholm }
