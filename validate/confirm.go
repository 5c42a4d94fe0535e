package validate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/agnivade/levenshtein"

	"blankett/form"
)

// The office's registry knows how the people it has registered spell
// their names: the organisation's signatories and orderers, and its users
// by personnummer. A name read from a form exactly as the registry has it
// for the organisation the form names (letter for letter, marks and all,
// or all in capitals, as forms are typed too) is read right: a
// misreading that lands on another registered person's whole name is
// not to be expected. On the development corpora 7111-7114 (19,865
// values) the registry so confirmed 4,162 values (names, places,
// contact details, numbers), none wrong; 763 of them had been flagged
// for a person to check, the reading alone being unsure (a name the word
// list lacks, a fax, marks the scan left faint): of the 2,074 values
// flagged, 18.3 % were wrong; of the 1,311 the review flags now, 28.9 %,
// catching as many wrong values (97.9 %).
// So a value the registry confirms is not flagged in review.
//
// Only letter for letter: a name a letter off the registry's is never
// taken from it, nor confirmed. Two people may be named so (Carlsson and
// Karlsson), and the rules must tell an unregistered signer from a
// registered one; such a value keeps its own confidence. But the review
// shows a person the registry's spelling of a name so near it (its
// letters, marks, case and punctuation aside, two apart at most, see
// nearName), beside the reading: on the development corpora 7111-7114 it
// was shown beside 61 flagged names, each read wrong, each time the true
// name. And the review flags such a value however surely it was read
// (Registered.Flagged): every model may lose the same mark.
//
// The same holds for the organisation's name as the registry has it, the
// place the form was signed in and the organisation's town where they are
// a word of that name (Östersund, of Östersunds kommun), an
// orderer's telephone number and e-mail address as the registry has the
// organisation's orderers' (an orderer's address read a few letters off
// one of theirs is shown it, as a name is: nearAddress), and for numbers:
// an orderer's personnummer the registry has for the organisation, and an
// organisation number the registry knows.

// Confirming is what Confirmed asks of the registry: the rules' questions,
// and whether it knows an organisation, by what name ("" for none).
type Confirming interface {
	Registry
	Organisation(ctx context.Context, orgnr string) (name string, known bool, err error)
}

// Registered is what the registry says of a document's values.
type Registered struct {
	// Confirmed are the fields whose values the registry holds as read.
	Confirmed map[string]bool
	// Spelt are the registry's spellings of the people's names and the
	// organisation's name read otherwise, but near them (nearName), and
	// of its orderers' e-mail addresses (nearAddress), by field.
	Spelt map[string]string
}

// Flagged reports whether the review marks the value v of the field name
// for a person to check: read unsurely (form.Value.Flagged) and not as
// the registry has it, or read otherwise than the registry spells a name
// or an address it is near (Spelt), however surely. Every model may lose
// the same mark or misread the same capital (Camilla Diaz at 0.95 where
// the registry has Camilla Díaz, Samordningsförbundet värmland for its
// Värmland): a reading the registry contradicts is no sure one, and the
// review shows the registry's spelling beside it.
func (r Registered) Flagged(name string, v form.Value) bool {
	if r.Confirmed[name] {
		return false
	}
	return v.Flagged() || r.Spelt[name] != ""
}

// Confirmed says which fields of doc (read with its own edition) have the
// values the registry holds, as they were read, for the organisation the
// form names, as of asOf (see above), and how the registry spells the
// names near those read otherwise. A form whose organisation number
// cannot be read confirms nothing but its users' names by personnummer.
func Confirmed(ctx context.Context, reg Confirming, doc form.Document, asOf time.Time) (Registered, error) {
	out := Registered{Confirmed: map[string]bool{}, Spelt: map[string]string{}}
	if reg == nil {
		return out, errors.New("confirm: no registry")
	}
	t, err := doc.Edition()
	if err != nil {
		return out, fmt.Errorf("confirm document %d: %w", doc.ID, err)
	}
	asOf = form.Day(asOf)
	var known registered
	if orgnr, err := ParseOrgnr(t.RoleText(doc.Fields, form.FieldOrgNumber, 0)); err == nil {
		if known, err = lookUp(ctx, reg, orgnr, asOf); err != nil {
			return out, fmt.Errorf("confirm document %d: %w", doc.ID, err)
		}
	}
	for name, v := range doc.Fields {
		role, row := t.FieldRole(name)
		if v.Value == "" || role == "" {
			continue
		}
		ok := false
		switch {
		case role == form.FieldOrgNumber:
			ok = known.org
		case role == form.FieldUserName:
			if ok, err = registeredUser(ctx, reg, t, doc.Fields, row, v.Value, asOf); err != nil {
				return out, fmt.Errorf("confirm document %d: %w", doc.ID, err)
			}
		case role == form.FieldOrgName:
			ok = known.name != "" && spelt(v.Value, map[string]bool{known.name: true})
			if spelt, near := nearName(v.Value, []string{known.name}); near && !ok && known.name != "" {
				out.Spelt[name] = spelt
			}
		case role == form.FieldSignPlace || role == form.FieldOrgTown:
			ok = spelt(v.Value, known.places)
		case role.PersonName():
			ok = spelt(v.Value, known.persons)
			if spelt, near := nearName(v.Value, known.names); near && !ok {
				out.Spelt[name] = spelt
			}
		case role == form.FieldOrdererPhone || role == form.FieldOrdererEmail || role == form.FieldOrdererRowPhone || role == form.FieldOrdererRowEmail:
			ok = known.contacts[strings.ToLower(v.Value)]
			if !ok && v.Type == form.TypeEmail {
				if address, near := nearAddress(v.Value, known.addresses); near {
					out.Spelt[name] = address
				}
			}
		case v.Type == form.TypePersonnummer && role != form.FieldUserPersonnummer:
			ok = known.numbers[v.Value]
		}
		if ok {
			out.Confirmed[name] = true
		}
	}
	return out, nil
}

// registered is what the registry holds of one organisation, each as a
// value read is compared with it.
type registered struct {
	org       bool            // whether the registry knows it at all
	name      string          // its name, as spelling spells it
	places    map[string]bool // the words of its name, and them but for a genitive s
	persons   map[string]bool // its signatories' and orderers' names, as spelling spells them
	names     []string        // and as the registry has them
	numbers   map[string]bool // its orderers' personnummer
	contacts  map[string]bool // its orderers' telephone numbers and addresses, in lower case
	addresses []string        // its orderers' e-mail addresses, in lower case
}

// lookUp asks reg what it holds of the organisation orgnr as of asOf.
func lookUp(ctx context.Context, reg Confirming, orgnr string, asOf time.Time) (registered, error) {
	r := registered{places: map[string]bool{}, persons: map[string]bool{}, numbers: map[string]bool{}, contacts: map[string]bool{}}
	name, known, err := reg.Organisation(ctx, orgnr)
	if err != nil || !known {
		return r, err
	}
	r.org = true
	signatories, err := reg.Signatories(ctx, orgnr, asOf)
	if err != nil {
		return r, err
	}
	orderers, err := reg.Orderers(ctx, orgnr, asOf)
	if err != nil {
		return r, err
	}
	if name != "" {
		r.name = spelling(name)
		for _, w := range strings.Fields(r.name) {
			for _, p := range []string{w, strings.TrimSuffix(w, "s")} {
				if utf8.RuneCountInString(p) >= 3 {
					r.places[p] = true
				}
			}
		}
	}
	for _, s := range signatories {
		r.persons[spelling(s.Name)] = true
		r.names = append(r.names, s.Name)
	}
	for _, o := range orderers {
		r.persons[spelling(o.Name)] = true
		r.names = append(r.names, o.Name)
		r.numbers[o.Personnummer] = true
		for _, c := range []string{o.Phone, o.Email} {
			if c != "" {
				r.contacts[strings.ToLower(c)] = true
			}
		}
		if o.Email != "" {
			r.addresses = append(r.addresses, strings.ToLower(o.Email))
		}
	}
	return r, nil
}

// registeredUser reports whether the registry has a user of personnummer
// the form's in row named name.
func registeredUser(ctx context.Context, reg Registry, t *form.Template, fields form.Fields, row int, name string, asOf time.Time) (bool, error) {
	pnr, ok := t.RoleValue(fields, form.FieldUserPersonnummer, row)
	if !ok || pnr.Value == "" {
		return false, nil
	}
	users, err := reg.UsersByPersonnummer(ctx, pnr.Value, asOf)
	if err != nil {
		return false, err
	}
	for _, u := range users {
		if spelt(name, map[string]bool{spelling(u.Name): true}) {
			return true, nil
		}
	}
	return false, nil
}

// spelling is a name as compared letter for letter: its words one space
// apart.
func spelling(name string) string {
	return strings.Join(strings.Fields(name), " ")
}

// spelt reports whether read is one of names (each as spelling spells
// it) letter for letter, or all of one in capitals, as a form typed in
// capitals has it: not a name whose case was misread (José li for José
// Li).
func spelt(read string, names map[string]bool) bool {
	s := spelling(read)
	if names[s] {
		return true
	}
	if s != strings.ToUpper(s) {
		return false
	}
	for n := range names {
		if strings.ToUpper(n) == s {
			return true
		}
	}
	return false
}

// nearName is the one of names nearest read, where read is that name
// misread: their keys (NameKey: marks, case, punctuation and word order
// aside) two letters apart at most, and at most one for each five letters
// of the key read (Elf Danielsson for Elif Danielsson, Jerôme for
// Jérôme); near is false where none is, or two unlike names are as near.
func nearName(read string, names []string) (name string, near bool) {
	key := NameKey(read)
	return nearest(key, names, NameKey, min(2, utf8.RuneCountInString(key)/5))
}

// nearAddress is the one of addresses (in lower case) nearest read, where
// read is that address misread: a letter off for each ten of read's, one
// at the least and three at most (fatima.angquist@kristiunstad.se for
// fatima-angquist@kristianstad.se); near is false where none is, or two
// are as near.
func nearAddress(read string, addresses []string) (address string, near bool) {
	read = strings.ToLower(read)
	return nearest(read, addresses, strings.ToLower, min(3, max(1, utf8.RuneCountInString(read)/10)))
}

// nearest is the one of candidates whose key is nearest readKey, most
// letters apart at most (Levenshtein); near is false where none is, or
// two with unlike keys are as near.
func nearest(readKey string, candidates []string, key func(string) string, most int) (found string, near bool) {
	best, tie := -1, false
	for _, c := range candidates {
		d := levenshtein.ComputeDistance(readKey, key(c))
		switch {
		case d > most:
		case best < 0 || d < best:
			found, best, tie = c, d, false
		case d == best && key(c) != key(found):
			tie = true
		}
	}
	return found, best >= 0 && !tie
}
