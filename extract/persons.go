package extract

import (
	"slices"
	"strings"
	"unicode"

	"blankett/form"
)

// One person is often named twice on a form: the orderer who signs it,
// the party's signatory who signs the agreement. A scan misreads a name in
// one zone and not in the other (Pragan for Dragan, Äke for Åke, a speck
// read as an accent: Forsbërg), and seldom alike in both; and two people of
// one form are seldom named a letter apart. So a person's name read in
// doubt takes the spelling of a name read surely in another zone of the
// document when the two are one name misread: their words alike in number
// and written in the same case, their letters alike but for a letter or
// two, marks aside. Taken, it stays in doubt (a person looks): the surer
// reading may have lost a mark the doubted one had right (Andrés read
// Andres, Jürgen read Jörgen in the surer zone). So a word of the doubted
// reading that the word list has is kept (Andrés; or Carlsson beside
// Karlsson: two people after all, whom the rules must tell apart). On ten
// development corpora (49,820 values) 42 names so taken were right that
// were wrong, and 4 wrong that were right. Either way the two disagreed,
// and neither is shown as sure.

// samePersonSure is the least calibrated confidence of the surer reading
// of a name that another zone's reading takes: under it, the two are as
// likely each other's misreading (on the development corpora, names taken
// from readings at 0.77 were right four times in five, too seldom to
// replace one).
const samePersonSure = 0.8

// samePersonCeiling is the most a name taken from another zone may be,
// calibrated: under form.FlagBelow.
const samePersonCeiling = 0.85

// samePerson gives a person's name the spelling of the same person's name
// read more surely, and at least samePersonSure, in another zone (see
// above), unless it is a name the list knows (listedName); of two such
// readings as sure, unlike, it takes neither. Both are put in doubt,
// taken or not. Call it before the addresses are mended, so that they
// are mended from the name as spelt surely. Values are compared
// calibrated (backing says how).
func samePerson(fields form.Fields, backing map[string]support) {
	type reading struct {
		field string
		value form.Value
		sure  float64 // calibrated
	}
	var names []reading
	for field, v := range fields {
		if v.Type == form.TypeText && v.Role.PersonName() && strings.TrimSpace(v.Value) != "" {
			names = append(names, reading{field, v, calibrated(v, backing[field])})
		}
	}
	slices.SortFunc(names, func(a, b reading) int { return strings.Compare(a.field, b.field) })
	taken := map[string]form.Value{}
	var doubted []string // the fields taken from and those they took
	for _, r := range names {
		var best *reading
		tie := false
		for i := range names {
			p := &names[i]
			if p.field == r.field || !misreadAlike(r.value.Value, p.value.Value) {
				continue
			}
			switch {
			case best == nil || p.sure > best.sure:
				best, tie = p, false
			case p.sure == best.sure && p.value.Value != best.value.Value:
				tie = true
			}
		}
		if best == nil || tie || best.sure < samePersonSure || best.sure <= r.sure {
			continue
		}
		doubted = append(doubted, r.field, best.field)
		if listedName(r.value.Value, best.value.Value) {
			continue
		}
		v := r.value
		v.Value = best.value.Value
		v.Confidence = best.value.Confidence
		taken[r.field] = v
	}
	for field, v := range taken {
		fields[field] = v
	}
	// The two disagreed: neither is shown as sure (the surer reading lost
	// a mark the other had, now and then).
	for _, field := range doubted {
		b := backing[field]
		b.ceiling = ceil(b.ceiling, samePersonCeiling)
		backing[field] = b
	}
}

// misreadAlike reports whether a and b, two readings of names that differ,
// may be one name misread: as many words, the same case (capitals or
// not), and their letters as an address spells them (marks aside) at
// most two apart, one in six at most.
func misreadAlike(a, b string) bool {
	if a == b || len(strings.Fields(a)) != len(strings.Fields(b)) || capitals(a) != capitals(b) {
		return false
	}
	fa, fb := addressSpelling(a), addressSpelling(b)
	d := editDistance(fa, fb)
	return d <= 2 && d*6 <= len(fa)
}

// listedName reports whether a word of name, where it differs from the
// same word of other (the two misreadAlike), is one the word list has, as
// a name or a word: Andrés read in doubt beside Andres read surely, or two
// people, Karlsson and Carlsson.
func listedName(name, other string) bool {
	nw, ow := strings.Fields(name), strings.Fields(other)
	for i := range min(len(nw), len(ow)) {
		if w := strings.ToLower(nw[i]); nw[i] != ow[i] && (known(w) == listed || knownName(w) == listed) {
			return true
		}
	}
	return false
}

// capitals reports whether s is written in capitals: letters, none lower
// case.
func capitals(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0 && strings.IndexFunc(s, unicode.IsLower) < 0
}
