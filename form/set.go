package form

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
)

// Set is the editions in use: several editions of several kinds, e.g. the
// old and the new 9445 while both still arrive by post. A Set is never
// changed once made (With and Without return new sets), so a worker can
// swap in a new one while others read the old.
type Set struct {
	list []*Template // in the order added
}

// NewSet makes a set of checked templates, refusing two of one edition.
func NewSet(ts ...*Template) (*Set, error) {
	s := &Set{}
	for _, t := range ts {
		var err error
		if s, err = s.With(t); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// ParseSet makes a set from template JSON documents, one each.
func ParseSet(docs ...[]byte) (*Set, error) {
	s := &Set{}
	for i, b := range docs {
		t, err := ParseTemplate(b)
		if err != nil {
			return nil, fmt.Errorf("template %d: %w", i+1, err)
		}
		if s, err = s.With(t); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// ErrDuplicateEdition is returned when a set would hold an edition twice.
var ErrDuplicateEdition = errors.New("form: edition already in the set")

// With returns a set holding s's templates and t, which is checked first.
func (s *Set) With(t *Template) (*Set, error) {
	if t == nil {
		return nil, errors.New("form: no template")
	}
	if err := t.Check(); err != nil {
		return nil, fmt.Errorf("template %s: %w", t.ID(), err)
	}
	if _, dup := s.Edition(t.Kind, t.Edition); dup {
		return nil, fmt.Errorf("%w: %s", ErrDuplicateEdition, t.ID())
	}
	list := append(append([]*Template(nil), s.all()...), t)
	return &Set{list: list}, nil
}

// Without returns a set without the given edition.
func (s *Set) Without(kind Kind, edition string) *Set {
	var list []*Template
	for _, t := range s.all() {
		if t.Kind != kind || t.Edition != edition {
			list = append(list, t)
		}
	}
	return &Set{list: list}
}

func (s *Set) all() []*Template {
	if s == nil {
		return nil
	}
	return s.list
}

// MarkNamesKind reports whether t's edition mark, read without its form
// number or title, tells t's kind in s: not when an edition of another
// kind prints a mark that t's pattern matches too, or the other way about
// (a drafted edition's mark is its number in brackets, "(003)", and
// editions of other kinds may print theirs alike). An edition's name
// stands for the mark it prints: editions are named after their marks.
func (s *Set) MarkNamesKind(t *Template) bool {
	for _, o := range s.all() {
		if o.Kind != t.Kind && (t.MatchEdition(o.Edition) || o.MatchEdition(t.Edition)) {
			return false
		}
	}
	return true
}

// Templates returns every edition, in the order added.
func (s *Set) Templates() []*Template { return append([]*Template(nil), s.all()...) }

// Len is the number of editions.
func (s *Set) Len() int { return len(s.all()) }

// Kinds returns the kinds the set has an edition of, sorted.
func (s *Set) Kinds() []Kind {
	seen := map[Kind]bool{}
	var out []Kind
	for _, t := range s.all() {
		if !seen[t.Kind] {
			seen[t.Kind] = true
			out = append(out, t.Kind)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Editions returns the editions of kind, in the order added.
func (s *Set) Editions(kind Kind) []*Template {
	var out []*Template
	for _, t := range s.all() {
		if t.Kind == kind {
			out = append(out, t)
		}
	}
	return out
}

// Edition returns the named edition of kind.
func (s *Set) Edition(kind Kind, edition string) (*Template, bool) {
	for _, t := range s.all() {
		if t.Kind == kind && t.Edition == edition {
			return t, true
		}
	}
	return nil, false
}

// Primary returns the first edition of kind added to the set: the one
// used where a document's own edition is not known.
func (s *Set) Primary(kind Kind) (*Template, bool) {
	for _, t := range s.all() {
		if t.Kind == kind {
			return t, true
		}
	}
	return nil, false
}

// FormNumberIn finds in text a form number printed in the style of the
// set's own: the letters before the digits of one of theirs, spaced or
// not, then as many digits ("FK 9445" finds "F K 9999" as "FK 9999"). It
// names a form that is none of the set's to people.
func (s *Set) FormNumberIn(text string) (string, bool) {
	for _, t := range s.all() {
		if numbers := numbersIn(t.FormNumber, text); len(numbers) > 0 {
			return numbers[0], true
		}
	}
	return "", false
}

// MisreadFormNumber reports whether text holds t's form number with one
// digit misread, printed in its style (see FormNumberIn), and no other
// form number of the set is one digit or none from what was read: a
// blur, a stamp or a fax can make a 3 of a 2, and what was read then
// names t and no other form.
func (s *Set) MisreadFormNumber(t *Template, text string) bool {
	for _, read := range numbersIn(t.FormNumber, text) {
		if digitsApart(read, normalNumber(t.FormNumber)) != 1 {
			continue
		}
		alone := true
		for _, o := range s.all() {
			if n := normalNumber(o.FormNumber); n != normalNumber(t.FormNumber) && digitsApart(read, n) <= 1 {
				alone = false
			}
		}
		if alone {
			return true
		}
	}
	return false
}

// numberParts splits a form number into its letters (spaces taken out)
// and how many digits end it; ok is false for one without both.
func numberParts(number string) (letters string, digits int, ok bool) {
	number = strings.TrimSpace(number)
	digits = len(number) - len(strings.TrimRight(number, "0123456789"))
	letters = strings.Join(strings.Fields(number[:len(number)-digits]), "")
	return letters, digits, digits > 0 && letters != ""
}

// normalNumber is a form number as numbersIn gives those it finds: its
// letters, a space, its digits ("" for one without both).
func normalNumber(number string) string {
	letters, digits, ok := numberParts(number)
	if !ok {
		return ""
	}
	number = strings.TrimSpace(number)
	return letters + " " + number[len(number)-digits:]
}

// numbersIn finds in text the form numbers printed in the style of
// number (see FormNumberIn), each as normalNumber gives it.
func numbersIn(number, text string) []string {
	letters, digits, ok := numberParts(number)
	if !ok {
		return nil
	}
	var pattern strings.Builder
	pattern.WriteString(`(?i)`)
	for i, r := range letters {
		if i > 0 {
			pattern.WriteString(`\s?`)
		}
		pattern.WriteString(regexp.QuoteMeta(string(r)))
	}
	fmt.Fprintf(&pattern, `\s*(\d{%d})`, digits)
	re, err := regexp.Compile(pattern.String())
	if err != nil {
		return nil
	}
	var out []string
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		out = append(out, letters+" "+m[1])
	}
	return out
}

// digitsApart is how many characters two form numbers of the same
// letters and length differ in (a large number for any others).
func digitsApart(a, b string) int {
	if len(a) != len(b) || a == "" || !strings.EqualFold(a[:strings.IndexByte(a+" ", ' ')], b[:strings.IndexByte(b+" ", ' ')]) {
		return math.MaxInt
	}
	n := 0
	for i := range len(a) {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}
