package letter

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // letters are dated in Swedish time on any host

	"blankett/form"
)

// isoDate writes a day as YYYY-MM-DD, for the letterhead's date field and
// tables.
func isoDate(t time.Time) string { return t.Format(time.DateOnly) }

func itoa(i int) string { return strconv.Itoa(i) }

// join lists items the Swedish way: "a", "a och b", "a, b och c".
func join(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " och " + items[len(items)-1]
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func capitalise(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

// nationalPhone writes a normalised (E.164) Swedish number the way it is
// dialled at home: "+46701234567" as "070-123 45 67".
func nationalPhone(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	if strings.HasPrefix(s, "+46") {
		digits = "0" + digits[2:]
	}
	if len(digits) == 10 && strings.HasPrefix(digits, "07") {
		return digits[:3] + "-" + digits[3:6] + " " + digits[6:8] + " " + digits[8:]
	}
	return s
}

// personnummerLike matches a personnummer or samordningsnummer in any
// usual spelling: YYYYMMDDNNNN, YYYYMMDD-NNNN, YYMMDD-NNNN, YYMMDD+NNNN,
// YYMMDDNNNN. Month and day are checked in maskText, which keeps org
// numbers (third digit 2 or more) and dates written with dashes intact.
var personnummerLike = regexp.MustCompile(`\b(?:\d{2})?(\d{2})(\d{2})(\d{2})\s?[-+]?\s?\d{4}\b`)

// personnummerMask replaces a personnummer in a letter.
const personnummerMask = "(personnummer)"

// maskText replaces whatever looks like a personnummer, and the exact
// personnummer values of the form, in s.
func maskText(s string, known []string) string {
	for _, pn := range known {
		s = strings.ReplaceAll(s, pn, personnummerMask)
	}
	return personnummerLike.ReplaceAllStringFunc(s, func(m string) string {
		sub := personnummerLike.FindStringSubmatch(m)
		month, _ := strconv.Atoi(sub[2])
		d, _ := strconv.Atoi(sub[3])
		if d > 60 {
			d -= 60 // samordningsnummer
		}
		if month >= 1 && month <= 12 && d >= 1 && d <= 31 {
			return personnummerMask
		}
		return m
	})
}

// knownPersonnummer returns the spellings of the form's personnummer
// values: as read and normalised, 12 and 10 digits, with and without dash.
func knownPersonnummer(fields form.Fields) []string {
	var out []string
	for _, v := range fields {
		if v.Type != form.TypePersonnummer {
			continue
		}
		for _, s := range []string{v.Raw, v.Value} {
			s = strings.TrimSpace(s)
			if digitCount(s) < 10 {
				continue
			}
			out = append(out, s)
			if len(s) == 12 {
				out = append(out, s[:8]+"-"+s[8:], s[2:8]+"-"+s[8:], s[2:])
			}
		}
	}
	// Longest first, so a 12-digit spelling is replaced before its tail.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && len(out[j]) > len(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// maskPersonnummer removes personnummer from every text of l.
func maskPersonnummer(l Letter, fields form.Fields) Letter {
	known := knownPersonnummer(fields)
	m := func(s string) string { return maskText(s, known) }
	l.Heading = m(l.Heading)
	l.Recipient = Address{Name: m(l.Recipient.Name), Organisation: m(l.Recipient.Organisation),
		Street: m(l.Recipient.Street), Postcode: l.Recipient.Postcode, Town: m(l.Recipient.Town)}
	ps := make([]string, len(l.Paragraphs))
	for i, p := range l.Paragraphs {
		ps[i] = m(p)
	}
	l.Paragraphs = ps
	if l.Enclosures != nil {
		es := make([]string, len(l.Enclosures))
		for i, e := range l.Enclosures {
			es[i] = m(e)
		}
		l.Enclosures = es
	}
	return l
}

func digitCount(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}
