package validate

import (
	"blankett/form"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Errors from ParseDate and CheckDate.
var (
	ErrDateFormat = errors.New("date: not a recognised date")
	ErrDateFuture = errors.New("date: after the reference date")
	ErrDateOld    = errors.New("date: implausibly old")
)

// MaxDateAgeDays is how many days before the reference date (the day a
// form was received) a date written on a form may lie before it is
// implausibly old. Paper forms are posted within days or weeks of signing;
// a year is generous.
const MaxDateAgeDays = 365

// DateLayout is the normalised form of a date.
const DateLayout = "2006-01-02"

// writtenMonth returns the month w names or abbreviates: its name
// (form.MonthNames), or a start of it three letters or longer (feb, febr,
// sept, okt); ok=false for anything else.
func writtenMonth(w string) (time.Month, bool) {
	if len(w) < 3 {
		return 0, false
	}
	for i, name := range form.MonthNames {
		if strings.HasPrefix(name, w) {
			return time.Month(i + 1), true
		}
	}
	return 0, false
}

// ParseDate reads a date as people write it on Swedish forms and returns it
// as midnight UTC. Accepted: 2024-03-05, 2024-3-5, 20240305 (or 05032024
// when that is no date), 2024/03/05,
// 2024.03.05, 240305 and 24-03-05 (year first), 5/3/2024, 05.03.2024,
// 5-3-2024, 5/3 2024 (day first), 5.3.24, 5/3/24 and 5/3-24 (day first
// with a two-digit year: a dot or a slash after the day puts it first),
// 05-03-24 where year first is far from ref and day first is not, and
// "5 mars 2024", "den 5 mars 2024", "5:e mars 2024", "5 mar. 2024",
// "5 sept 2024", "5 mars -24". A two-digit year is the one nearest ref. A
// zero ref means today.
func ParseDate(s string, ref time.Time) (time.Time, error) {
	if ref.IsZero() {
		ref = time.Now()
	}
	ref = form.Day(ref)
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "den ")
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, ErrDateFormat
	}
	// An ordinal day before a written month: "3:e november", "1:a mars"
	// (the colon read as a stop, or lost).
	s = ordinalDay.ReplaceAllString(s, "$1 ")
	// Written month: "5 mars 2024", "5 mars -24".
	if f := strings.Fields(strings.NewReplacer(".", " ", ",", " ", "-", " ").Replace(s)); len(f) == 3 && !form.AllDigits(f[1]) {
		m, ok := writtenMonth(f[1])
		if !ok || !form.AllDigits(f[0]) || !form.AllDigits(f[2]) || len(f[0]) > 2 || len(f[2]) != 4 && len(f[2]) != 2 {
			return time.Time{}, ErrDateFormat
		}
		if len(f[2]) == 2 {
			return shortYear(atoi(f[2]), int(m), atoi(f[0]), ref)
		}
		return dateOf(atoi(f[2]), int(m), atoi(f[0]))
	}
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == '-' || r == '/' || r == '.' || r == ' '
	})
	// A dot or a slash after the first number puts the day first (5.3.24,
	// 05/03/24, and 3/11-24 as Swedes write by hand); a hyphen and no
	// separator the year (24-03-05, 240305).
	dayFirst := false
	if i := strings.IndexAny(s, "-./ "); i > 0 {
		dayFirst = s[i] == '.' || s[i] == '/'
	}
	for _, p := range parts {
		if !form.AllDigits(p) {
			return time.Time{}, ErrDateFormat
		}
	}
	switch len(parts) {
	case 1:
		p := parts[0]
		switch len(p) {
		case 8:
			if t, err := dateOf(atoi(p[:4]), atoi(p[4:6]), atoi(p[6:])); err == nil {
				return t, nil
			}
			return dateOf(atoi(p[4:]), atoi(p[2:4]), atoi(p[:2])) // 03112026, day first
		case 6:
			return shortYear(atoi(p[:2]), atoi(p[2:4]), atoi(p[4:]), ref)
		}
	case 3:
		a, b, c := parts[0], parts[1], parts[2]
		switch {
		case len(a) == 4 && len(b) <= 2 && len(c) <= 2:
			return dateOf(atoi(a), atoi(b), atoi(c))
		case len(a) <= 2 && len(b) <= 2 && len(c) == 4:
			return dateOf(atoi(c), atoi(b), atoi(a))
		case dayFirst && len(a) <= 2 && len(b) <= 2 && len(c) == 2:
			return shortYear(atoi(c), atoi(b), atoi(a), ref)
		case len(a) == 2 && len(b) == 2 && len(c) == 2:
			t, err := shortYear(atoi(a), atoi(b), atoi(c), ref)
			if d, derr := shortYear(atoi(c), atoi(b), atoi(a), ref); derr == nil && yearsApart(d, ref) <= 1 && (err != nil || yearsApart(t, ref) > 2) {
				// 03-11-24 written day first, as some do with hyphens:
				// read year first it is no date, or one years from
				// the day the form came, where day first is a date of
				// its year.
				return d, nil
			}
			return t, err
		}
	}
	return time.Time{}, ErrDateFormat
}

// ordinalDay matches a day written as an ordinal before a month's name:
// 3:e, 1:a, 2:a, and as a reading may give them (3.e, 3e, 3 e).
var ordinalDay = regexp.MustCompile(`^(\d{1,2}) ?[:.]? ?[ae]\s+`)

// yearsApart is how many years t's year is from ref's, either way.
func yearsApart(t, ref time.Time) int {
	return max(t.Year()-ref.Year(), ref.Year()-t.Year())
}

func dateOf(y, m, d int) (time.Time, error) {
	if y < 1000 {
		return time.Time{}, ErrDateFormat
	}
	t, ok := form.RealDate(y, m, d)
	if !ok {
		return time.Time{}, ErrDateFormat
	}
	return t, nil
}

// shortYear places a two-digit year in the century that puts it nearest
// ref: forms are dated around the day they are received, and a date a
// few months after it is a mistake to report, not one a century back.
func shortYear(yy, m, d int, ref time.Time) (time.Time, error) {
	y := ref.Year()/100*100 + yy
	switch {
	case y > ref.Year()+50:
		y -= 100
	case y <= ref.Year()-50:
		y += 100
	}
	return dateOf(y, m, d)
}

// CheckDate reports whether a date written on a form is plausible relative
// to ref (the received date): not after it (ErrDateFuture) and not more
// than MaxDateAge years before it (ErrDateOld).
func CheckDate(t, ref time.Time) error {
	t, ref = form.Day(t), form.Day(ref)
	if t.After(ref) {
		return ErrDateFuture
	}
	if t.Before(ref.AddDate(0, 0, -MaxDateAgeDays)) {
		return ErrDateOld
	}
	return nil
}

// atoi converts a short string of ASCII digits; callers check
// form.AllDigits first.
func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
