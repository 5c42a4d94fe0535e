package extract

import (
	"cmp"
	"image"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/publicsuffix"

	"blankett/form"
)

// Office e-mail addresses are often made from the person's name
// (first.last, first_last, firstlast, f.last …), which OCR reads far better
// (Swedish model, dictionary of letters) than an address (no words,
// lookalike l/i/1, lost dots). But many are not (info@, initials, digits,
// no dot), so the name only ever proposes, and the surer the reading the
// less it may:
//
//   - an address the readings agree on, surely, is kept; its confidence
//     is lowered when the name's spelling differs by the model's
//     lookalikes alone, or by a thin letter lost (gudmundsdottr), or has
//     a dot where the address has a hyphen or an underscore after an
//     initial (g-eklund); but where it differs by one letter in a part that
//     the word list knows as the name spells it and not as read (jyerome
//     for jerome), and the name was read as surely, the name's spelling
//     is taken, in doubt;
//   - one sure reading (no second was made) gives way to the name's
//     spelling, read at least as surely, only for lookalike letters
//     (helerie for helene), never for a dot, an underscore or a digit,
//     which are styles; a name read less surely only casts doubt;
//   - where the readings disagree and one of them has the name's spelling,
//     its local part is taken;
//   - a reading in doubt, within a couple of letters of the name's
//     spelling in the address's own style, becomes that spelling;
//   - a number after the name is the address's own, kept through any
//     mend;
//
// a mended address gets a confidence low enough that a reviewer looks.

// nameAddressConfidence is the confidence of an address mended from a name.
const nameAddressConfidence = 0.75

// mendAddresses mends every e-mail field that has its person's name beside
// it: the field of the same role with "name" for "email" (orderer.email ↔
// orderer.name), in the same row. backing says what backs each field's
// value: whether several readings agreed on it, and what the others read.
func mendAddresses(fields form.Fields, backing map[string]support) {
	words, _ := organisation(fields)
	for name, v := range fields {
		if v.Type != form.TypeEmail {
			continue
		}
		personField, person, ok := personBeside(fields, v)
		if !ok || person.Value == "" {
			continue
		}
		local, domain, ok := strings.Cut(v.Value, "@")
		if !ok {
			if mended, ok := lostAt(v.Value, person.Value, words); ok {
				v.Value = mended
				v.Confidence = min(v.Confidence, nameAddressConfidence)
				fields[name] = v
			}
			continue
		}
		if local == "" || domain == "" {
			continue // not an address at all: leave it for the rules
		}
		parts := localParts(person.Value, local)
		if i := slices.Index(parts, strings.TrimRight(local, "0123456789")); i > 0 {
			// The address spells one of the name's styles: that one is
			// weighed first.
			parts[0], parts[i] = parts[i], parts[0]
		}
		if i := slices.IndexFunc(backing[name].others, func(other string) bool {
			l, _, _ := strings.Cut(other, "@")
			return namedIn(parts, l)
		}); i >= 0 && !namedIn(parts, local) {
			// Its local part: the domain is mendDomains's.
			other, _, _ := strings.Cut(backing[name].others[i], "@")
			v.Value = other + "@" + domain
			v.Confidence = min(v.Confidence, nameAddressConfidence)
			fields[name] = v
			continue
		}
		agreed := backing[name].agreed
		for _, want := range parts {
			if num, ok := numberAfter(local, want); ok {
				// The name's spelling and a number read as letters
				// (karlssonl): the number, in doubt.
				v.Value = want + num + "@" + domain
				v.Confidence = min(v.Confidence, nameAddressConfidence)
				fields[name] = v
				break
			}
			// A number after the name is the address's own: it is
			// kept as read whatever the name mends (mullerludenscheidt9).
			bare := strings.TrimRight(local, "0123456789")
			number := local[len(bare):]
			if want == bare {
				// The name's spelling, or it with a number after. Without
				// a dot, read surely, it may have lost one: kept, in doubt.
				for _, dotted := range parts {
					if dotted != want && agreed && v.Confidence >= secondLook && lookalike(local, dotted) {
						v.Confidence = min(v.Confidence, nameAddressConfidence)
						fields[name] = v
					}
				}
				if dotAfterInitial(local) {
					// After an initial the model reads a dot as a hyphen or
					// an underscore as surely as it reads them (y-lovas
					// for y.lovas): kept, in doubt.
					v.Confidence = min(v.Confidence, nameAddressConfidence)
					fields[name] = v
				}
				break
			}
			// Without its number, to be matched with a name without one.
			read, tail := local, ""
			if number != "" && !strings.ContainsAny(want, "0123456789") {
				read, tail = bare, number
			}
			d := editDistance(read, want)
			if d == 0 || d > max(2, len(want)/8) {
				continue
			}
			bothSure := person.Confidence >= secondLook && v.Confidence >= secondLook
			// The name's spelling of the one part where the two differ is
			// a word of the list and the address's is not (jyerome,
			// rmette), and the name was read as surely: the address is
			// the misreading. (Read less surely, the name may be: Elit
			// for Elif, 0 Connor for O'Connor.)
			mend := d == 1 && person.Confidence >= v.Confidence && betterSpelt(read, want)
			switch {
			case mend:
			case agreed && v.Confidence >= secondLook:
				if lookalike(read, want) {
					v.Confidence = min(v.Confidence, nameAddressConfidence)
					fields[name] = v
				}
			case v.Confidence >= secondLook:
				// A name read less surely than the address may be the
				// misreading (Halmér for Holmér), or the address may
				// (asten for osten): kept, but never sure.
				if lookalikeDots(read, want, false) {
					mend = person.Confidence >= v.Confidence
					v.Confidence = min(v.Confidence, nameAddressConfidence)
					fields[name] = v
				}
			default:
				// The name wins when read as surely and its words are
				// the word list's or it is sure all the same (another
				// model confirmed it), or when the address's difference
				// is the model's lookalikes; otherwise a misread name
				// (Gännel, Gongalves for Gonçalves) would spoil a right
				// address.
				// Two other models' reading the name letter for letter as
				// it was chosen confirm it as well as the list would.
				// Lookalikes cut both ways: an address whose readings agree,
				// read more surely than its name, is not mended to the
				// name's lookalike (tran2 for a name read Trah, demir for
				// Dernir): the name is as likely the misreading; but not to a
				// digit where the name has its letter (0j60 for Omar Jónsson):
				// a name holds none.
				mend = person.Confidence >= v.Confidence && (person.Confidence >= secondLook || !strangeWords(person.Value, true) || backing[personField].voted >= 2) ||
					lookalike(read, want) && (!agreed || person.Confidence >= v.Confidence || strings.ContainsAny(read, "0123456789"))
			}
			if mend {
				v.Value = want + tail + "@" + domain
			}
			if !mend && bothSure {
				// Both read surely, a letter or two apart, and the address
				// kept (thora.yilmaz beside Böra Yilmaz): either may be the
				// misreading, and the name is not shown as sure either.
				p := backing[personField]
				p.ceiling = ceil(p.ceiling, nameMendedCeiling)
				backing[personField] = p
			}
			if mend || person.Confidence >= v.Confidence || thinLost(read, want) || d == 1 && betterSpelt(read, want) {
				// An address a letter or two off its person's name read
				// as surely may be a misreading the name cannot put
				// right (inesloyas for ineslovas): never sure; nor one
				// that lost a thin letter of it, however surely read,
				// or one letter off where the name spells a word of the
				// list and the address none (katin for Karin), however
				// much surer than the name.
				v.Confidence = min(v.Confidence, nameAddressConfidence)
				fields[name] = v
			} else {
				// Kept as read, a letter or two off a name read less
				// surely (jerome.karissoni for Jérôme Karlsson,
				// jerome.karlsson.1 with a speck for a dot): the name
				// may be the misreading, or the address; either way it
				// is not shown as sure.
				b := backing[name]
				b.ceiling = ceil(b.ceiling, nameMendedCeiling)
				backing[name] = b
			}
			break
		}
	}
}

// confirmedAddress is the confidence, before calibration, of an address
// that readings of other fields confirm (see addressesConfirmed).
const confirmedAddress = 0.85

// confirmedName is the least confidence of the name that confirms an
// address: a name in doubt may be misread as its address was (at 0.5,
// Gudmundsdöttr lost the thin i that jasmina.gudmundsdottr lost: the
// same print, the same slip).
const confirmedName = 0.6

// addressesConfirmed returns, by field, the e-mail addresses as read that
// readings of other zones, by another model, confirm. Its local part is
// its person's name as read beside it, spelt in a style localParts knows,
// perhaps with a number after; with a dot, an underscore or a hyphen in
// it after the first name (without one, a lost dot cannot be told from
// none; after an initial, a dot is read as a hyphen). Its domain is
// another address's on the form (see domainElsewhere), or is spelt by the
// organisation's name (nameSpells), and is not that name misread (see
// orgDomain); a hyphen or an underscore in it was read fairly surely. A
// misreading of the address would have had to be made alike in the name,
// and in another address or the organisation's name. Call it before the
// addresses are mended: a mended address is not confirmed.
func addressesConfirmed(fields form.Fields) map[string]string {
	words, _ := organisation(fields)
	out := map[string]string{}
	for name, v := range fields {
		local, domain, ok := strings.Cut(v.Value, "@")
		if v.Type != form.TypeEmail || v.Role == "" || !ok || !strings.Contains(domain, ".") {
			continue
		}
		if i := strings.IndexAny(local, separators); i < 2 {
			// No separator, or one after an initial, where the model
			// takes a dot for a hyphen (y-lovas for y.lovas): the name
			// does not confirm it.
			continue
		}
		if v.Confidence < confirmedName && strings.ContainsAny(local, "-_") {
			// A hyphen or an underscore read unsurely may be a dot read
			// so (perolof-oconnor for perolof.oconnor, at 0): the name
			// confirms the letters, not the separator.
			continue
		}
		if !domainElsewhere(fields, name, domain) && !nameSpells(domain, words) {
			continue
		}
		if _, misread := orgDomain(domain, words); misread {
			// Two addresses in one print, read by one model, make a
			// misreading alike (maimo.se for malmo.se beside Malmö
			// stad): where the organisation's name spells the domain
			// otherwise, neither confirms it.
			continue
		}
		_, person, ok := personBeside(fields, v)
		if !ok || person.Confidence < confirmedName {
			continue
		}
		if namedIn(localParts(person.Value, local), local) {
			out[name] = v.Value
		}
	}
	return out
}

// styleDisputed reports whether another reading of an address's zone
// (others, the values that passed their checks) gave its local part with
// the same letters and its separator lost or read as another
// (jeromekarlsson1 and jerome_karlsson1 for jerome.karlsson1), or its
// number otherwise (sofia.eklund9 for sofia.eklund): the name beside it
// confirms the letters, not the address's own style, so the address
// stays as sure as its readings made it.
func styleDisputed(address string, others []string) bool {
	local, _, _ := strings.Cut(address, "@")
	keep := func(s, set string) string {
		return strings.Map(func(r rune) rune {
			if strings.ContainsRune(set, r) {
				return r
			}
			return -1
		}, s)
	}
	letters := func(s string) string {
		return strings.Map(func(r rune) rune {
			if strings.ContainsRune(separators+"0123456789", r) {
				return -1
			}
			return r
		}, s)
	}
	for _, o := range others {
		ol, _, _ := strings.Cut(o, "@")
		ol = strings.Trim(ol, separators)
		if ol == local || letters(ol) != letters(local) {
			continue
		}
		if keep(ol, "0123456789") != keep(local, "0123456789") {
			return true
		}
		// Fewer separators, or as many elsewhere or other ones; not
		// more (lena.j.akobsson: a speck read as a dot).
		if len(keep(ol, separators)) <= len(keep(local, separators)) {
			return true
		}
	}
	return false
}

// personBeside is the field of the person's name beside an address
// (orderer.email ↔ orderer.name, in the same row), and its value.
func personBeside(fields form.Fields, address form.Value) (string, form.Value, bool) {
	if address.Role == "" {
		return "", form.Value{}, false
	}
	role := address.Role.Beside("name")
	for name, v := range fields {
		if v.Role == role && v.Row == address.Row && v.Role.PersonName() {
			return name, v, true
		}
	}
	return "", form.Value{}, false
}

// mendNames gives a person's name read in doubt the letters that its
// address, read surely beside it, spells otherwise (see nameFromAddress):
// Mbreau for Moreau, Guömundsdóttir for Guðmundsdóttir, Póra for Þóra. The address is another zone, read by another model: a
// misreading of the name is seldom made alike in it. Letters both spell
// alike are the name's (an address cannot tell Renee from Renée), and the
// name stays in doubt; so does the address, which the name, spelt from
// it, no longer tells anything about. Call it before the addresses are
// mended.
func mendNames(fields form.Fields, backing map[string]support) {
	for name, v := range fields {
		b := backing[name]
		local, _, ok := strings.Cut(v.Value, "@")
		if v.Type != form.TypeEmail || v.Role == "" || !ok || v.Confidence < secondLook || b.reread && !b.agreed {
			continue
		}
		key, person, ok := personBeside(fields, v)
		if !ok || person.Confidence >= secondLook || person.Confidence >= v.Confidence {
			continue
		}
		if mended, ok := nameFromAddress(person.Value, local); ok {
			person.Value = mended
			fields[key] = person
			// The two disagreed: the address, which the name now spells
			// alike, may be the misreading all the same (iovgren for
			// lovgren made the name Iøvgren), and the name cannot
			// vouch for it.
			b.ceiling = ceil(b.ceiling, nameMendedCeiling)
			backing[name] = b
		}
	}
}

// nameMendedCeiling is the most an address that mended its name may be,
// or one kept as read a letter or two off a name read less surely (see
// mendAddresses), calibrated: just under form.FlagBelow, so a person
// looks. Such an address was read surely and is mostly right (five of
// the six that mended a name on the development corpora and a seen
// evaluation seed; four of the six kept a letter or two off their name
// on two seen seeds), too often to be called unlikely, too seldom to be
// shown as sure.
const nameMendedCeiling = 0.89

// nameFromAddress gives name the letters of local, the local part of its
// address, where a word of it is spelt otherwise there. The address's
// parts between separators are matched to the name's words (first and
// last, or each: see localParts; a part of one letter is an initial and
// tells nothing); within a word, the stretch between what the two have
// alike at either end, three letters at most on each side, is taken from
// the address. Where the name read a letter beyond a to z there, or read
// one glyph for two of the address's letters, the letter beyond a to z
// that the address spells so is taken, if one is (ö read for ð: d; P read
// for Þ: th); a letter with a mark that the address spells as several
// letters could be (ä for o: ö, ø, ó …) leaves the word as read, and so
// does an address that would make a word of the word list one it lacks
// (O'Connor, not O'Connar: the address is the misreading), and a part
// with a separator of another kind in it.
func nameFromAddress(name, local string) (string, bool) {
	i := strings.IndexAny(local, separators)
	if i < 0 {
		return name, false // first.last and firstlast cannot be told apart
	}
	parts := strings.Split(strings.TrimRight(local, "0123456789"), local[i:i+1])
	words := strings.Fields(name)
	var pairs [][2]int // a word of the name and the address's part that spells it
	switch {
	case len(parts) == len(words):
		for j := range words {
			pairs = append(pairs, [2]int{j, j})
		}
	case len(parts) == 2 && len(words) > 2:
		pairs = [][2]int{{0, 0}, {len(words) - 1, 1}}
	default:
		return name, false
	}
	changed := false
	for _, p := range pairs {
		if len(parts[p[1]]) < 2 || strings.ContainsAny(parts[p[1]], separators) {
			// An initial tells nothing; nor does a part holding
			// another separator (hernandezaker.lund beside
			// Hernández-Åkerlund: a stop read in a gap), which no
			// name's word has.
			continue
		}
		w, ok := wordFromAddress(words[p[0]], parts[p[1]])
		if ok && (known(strings.ToLower(w)) == listed || known(strings.ToLower(words[p[0]])) != listed) {
			words[p[0]], changed = w, true
		}
	}
	return strings.Join(words, " "), changed
}

// wordFromAddress mends word by part, the address's spelling of it (see
// nameFromAddress).
func wordFromAddress(word, part string) (string, bool) {
	runes := []rune(word)
	spelt := make([]string, len(runes)) // each letter as an address spells it
	for i, r := range runes {
		spelt[i] = nameMarks.Replace(addressSpelling(string(r)))
	}
	if strings.Join(spelt, "") == part || len(runes) < 4 {
		return word, false
	}
	lo, from := 0, 0 // the runes and the address's letters alike at the start
	for lo < len(runes) && strings.HasPrefix(part[from:], spelt[lo]) {
		from += len(spelt[lo])
		lo++
	}
	hi, to := len(runes), len(part) // and at the end
	for hi > lo && to-len(spelt[hi-1]) >= from && strings.HasSuffix(part[:to], spelt[hi-1]) {
		to -= len(spelt[hi-1])
		hi--
	}
	read, want := runes[lo:hi], part[from:to]
	if len(read) > 3 || len(want) > 3 {
		return word, false
	}
	with := want
	if slices.ContainsFunc(read, func(r rune) bool { return r >= utf8.RuneSelf }) || len(read) == 1 && len(want) > 1 {
		r, ok := spelledAs(want)
		switch {
		case ok && len(read) == 1:
			with = string(r)
		case slices.ContainsFunc(read, func(r rune) bool { return r >= utf8.RuneSelf }):
			return word, false
		}
	}
	out := []rune(string(runes[:lo]) + with + string(runes[hi:]))
	if lo < len(runes) && unicode.IsUpper(runes[lo]) && lo < len(out) {
		out[lo] = unicode.ToUpper(out[lo]) // the capital goes with its place (Póra, Þóra; Ajonas, Jonas)
	}
	return string(out), true
}

// betterSpelt reports whether want, a local part its person's name
// makes, differs from local, an address's as read, in one part between
// separators, which the word list has as want spells it and not as local
// does (jerome and jyerome, mette and rmette).
func betterSpelt(local, want string) bool {
	isSep := func(r rune) bool { return strings.ContainsRune(separators, r) }
	lp, wp := strings.FieldsFunc(local, isSep), strings.FieldsFunc(want, isSep)
	if len(lp) != len(wp) {
		return false
	}
	differ := -1
	for i := range lp {
		if lp[i] != wp[i] {
			if differ >= 0 {
				return false
			}
			differ = i
		}
	}
	if differ < 0 {
		return false
	}
	_, wantListed := lexicon()[wp[differ]]
	_, readListed := lexicon()[lp[differ]]
	return wantListed && !readListed
}

// namedIn reports whether local is one of parts, the local parts a name
// makes (see localParts), or one of them with a number after.
func namedIn(parts []string, local string) bool {
	return slices.Contains(parts, local) || slices.Contains(parts, strings.TrimRight(local, "0123456789"))
}

// dotAfterInitial reports whether local begins with an initial and a
// hyphen or an underscore, which a dot there is read as (see
// mendAddresses).
func dotAfterInitial(local string) bool {
	return len(local) > 2 && local[0] >= 'a' && local[0] <= 'z' && (local[1] == '-' || local[1] == '_')
}

// thinLetters are the letters a small or faint scan loses between their
// neighbours: one stroke, no wider than a space between letters.
const thinLetters = "iljtfr"

// thinLost reports whether read is want with one thin letter lost
// (gudmundsdottr for gudmundsdottir): a misreading far likelier than an
// address that misspells its person's name.
func thinLost(read, want string) bool {
	if len(want) != len(read)+1 {
		return false
	}
	i := 0
	for i < len(read) && read[i] == want[i] {
		i++
	}
	return read[i:] == want[i+1:] && strings.IndexByte(thinLetters, want[i]) >= 0
}

// numberAfter reports whether local is want and a number of one or two
// digits after it with a digit read as its letter lookalike (l or i for
// 1, o for 0), and gives the number: an address of a name and a number
// (jessica.karlsson1) read as jessica.karlssonl, which no one would
// choose.
func numberAfter(local, want string) (string, bool) {
	tail, ok := strings.CutPrefix(local, want)
	if !ok || len(tail) == 0 || len(tail) > 2 || strings.Trim(tail, "0123456789") == "" {
		return "", false
	}
	return digitsRead(tail)
}

// digitsRead is s, digits some of which may have been read as their
// letter lookalikes (l or i for 1, o for 0), in digits, and whether it is
// a number then.
func digitsRead(s string) (string, bool) {
	num := strings.Map(func(r rune) rune {
		switch r {
		case 'l', 'i':
			return '1'
		case 'o':
			return '0'
		}
		return r
	}, s)
	return num, num != "" && strings.Trim(num, "0123456789") == ""
}

// lostAt puts back the @ of an address read without one (ml30esfvarmland.se,
// adne.sorensenrsfvarmland.se, y.lovasttpitea.se), where the reading
// begins with a local part the person's name makes (see localParts) and
// goes on, after one to three characters read for the @ (see atRead), or
// none where the domain starts with its label for the organisation (see
// nameLabel) and that is its name (words, see orgWords: ah54pitea.se),
// with a domain: labels of letters, digits and hyphens, and a top-level
// domain of two or three letters. Of two ways to read it, the one whose
// label for the organisation is its name with the fewest letters besides
// is taken (karin.koskinen7itgotene.se: gotene.se, not tgotene.se); where
// that does not tell, it is left as it is.
func lostAt(read, name string, words []string) (string, bool) {
	// besides is how many letters the label of a domain that carries
	// the organisation's name (see nameLabel) has besides the name; -1
	// when it has none of it.
	besides := func(domain string) int {
		_, label, _ := nameLabel(domain)
		if n := nameScore(domain, words); n > 0 {
			return len(label) - n
		}
		return -1
	}
	type reading struct {
		address string
		besides int
	}
	var found []reading
	for i := 1; i+1 < len(read); i++ {
		for _, width := range []int{0, 1, 2, 3} {
			local, domain := read[:i], read[min(i+width, len(read)):]
			// With no @ read at all, the domain starts with the
			// organisation's name: a department's label before it
			// could be any letters of the local part.
			if width == 0 && (besides(domain) != 0 || strings.Count(domain, ".") > 1) || width > 0 && !atRead(read[i:min(i+width, len(read))]) || !domainLike(domain) {
				continue
			}
			if namedIn(localParts(name, local), local) {
				found = append(found, reading{local + "@" + domain, besides(domain)})
			}
		}
	}
	if len(found) == 1 {
		return found[0].address, true
	}
	best, tied := reading{besides: -1}, false
	for _, r := range found {
		switch {
		case r.besides < 0:
		case best.besides < 0 || r.besides < best.besides:
			best, tied = r, false
		case r.besides == best.besides:
			tied = true
		}
	}
	return best.address, best.besides >= 0 && !tied
}

// atRead reports whether s may be the @ as read: a letter (of its shape,
// or a part of it) or a bracket (its curl); or two, a bracket and a
// letter, or a letter and a t (the curl and the tail: it, tt); or a
// letter standing apart, a space read either side of it, which repair
// makes dots (jonas.fransson.a.habo.se). Not a digit: an address's number
// goes before the @ (ml30esfvarmland.se).
func atRead(s string) bool {
	letter := func(c byte) bool { return c >= 'a' && c <= 'z' }
	switch len(s) {
	case 1:
		return s[0] == '(' || letter(s[0])
	case 2:
		return s[0] == '(' && letter(s[1]) || s[1] == 't' && letter(s[0])
	case 3:
		return s[0] == '.' && letter(s[1]) && s[2] == '.'
	}
	return false
}

// domainLike reports whether s has the shape of a domain: labels of
// lower-case letters, digits and hyphens, the last of two or three
// letters.
func domainLike(s string) bool {
	labels := strings.Split(s, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || strings.ContainsFunc(l, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') }) {
			return false
		}
	}
	tld := labels[len(labels)-1]
	return len(tld) >= 2 && len(tld) <= 3 && strings.Trim(tld, "abcdefghijklmnopqrstuvwxyz") == ""
}

// addressLetters spells a name's letters (lower case) as an address
// does: Latin-1's marked letters plain.
var addressLetters = strings.NewReplacer(addressFolds...)

// addressSpelling is s in lower case, spelt as an address spells it
// (addressLetters): two spellings of one name that differ in their marks
// alone spell alike.
func addressSpelling(s string) string {
	return addressLetters.Replace(strings.ToLower(s))
}

// separators are what stands between the words of an address's local
// part (anna.berg, anna_berg, anna-berg).
const separators = "._-"

// nameMarks are the signs of a name an address leaves out (Karl-Åke,
// O'Connor).
var nameMarks = strings.NewReplacer("-", "", "'", "")

// addressFolds are the letters beyond a to z and how an address spells
// them, in pairs.
var addressFolds = []string{
	"å", "a", "ä", "a", "á", "a", "à", "a", "â", "a", "ã", "a", "æ", "ae",
	"é", "e", "è", "e", "ê", "e", "ë", "e", "í", "i", "ì", "i", "î", "i", "ï", "i",
	"ö", "o", "ø", "o", "ó", "o", "ò", "o", "ô", "o", "õ", "o",
	"ü", "u", "ú", "u", "ù", "u", "û", "u", "ñ", "n", "ç", "c", "ý", "y", "ÿ", "y",
	"ð", "d", "þ", "th", "ß", "ss",
}

// spelledAs is the one letter beyond a to z that an address spells as
// want (ð for d, þ for th), if exactly one is.
func spelledAs(want string) (rune, bool) {
	found := ""
	for i := 0; i < len(addressFolds); i += 2 {
		if addressFolds[i+1] == want {
			if found != "" {
				return 0, false
			}
			found = addressFolds[i]
		}
	}
	r, _ := utf8.DecodeRuneInString(found)
	return r, found != ""
}

// localParts gives the local parts a name makes, in the style of the
// address as read (its separator: a dot, an underscore, a hyphen, or
// none and then a dot too): first.last, every word joined, and the first
// initial and the last name, folded to plain letters (Karl-Åke Forsén →
// karlake.forsen, k.forsen).
func localParts(name, read string) []string {
	words := strings.Fields(nameMarks.Replace(addressSpelling(name)))
	if len(words) < 2 {
		return nil
	}
	seps := []string{"."}
	switch join := joinAfter(read, len(words[0])); {
	case join != "":
		// The separator where the first name ends is the style, where
		// the reading has another one besides: a dot read in a last
		// name (jorn-hernandezaker.lund) is a speck, not the style.
		seps = []string{join}
	case strings.Contains(read, "."):
	case strings.Contains(read, "_"):
		seps = []string{"_"}
	case strings.Contains(read, "-"):
		seps = []string{"-"}
	default:
		// No separator read: the address may have none (bjorgholmer),
		// or its dot may be lost. The reading's own style comes first,
		// so that a reading of it is kept as read.
		seps = []string{"", "."}
	}
	var out []string
	if n := len(words); n >= 3 && len([]rune(words[n-2])) == 1 {
		// A letter alone before the last name is of it, its apostrophe
		// lost in the reading (0 Connor for O'Connor): the address
		// joins them (jerome.oconnor).
		joined := strings.Replace(words[n-2], "0", "o", 1) + words[n-1]
		for _, sep := range seps {
			out = append(out, words[0]+sep+joined)
		}
	}
	for _, sep := range seps {
		out = append(out, words[0]+sep+words[len(words)-1])
		if len(words) > 2 {
			out = append(out, strings.Join(words, sep))
		}
		if sep != "" && words[0][0] < utf8.RuneSelf {
			out = append(out, words[0][:1]+sep+words[len(words)-1]) // a.andersson
		}
	}
	for _, sep := range seps {
		if sep != "" {
			// The last name first, as some offices list their staff
			// (andersson.anna): weighed after the others.
			out = append(out, words[len(words)-1]+sep+words[0])
		}
	}
	if p, ok := initialsAndNumber(words, read); ok {
		out = append(out, p)
	}
	return out
}

// joinAfter is the separator (a dot, an underscore or a hyphen) of read
// at n, where a first name of n letters ends; where none is there, the
// one a place before or after it (a letter of the first name lost or
// read twice), when only one of the two places holds one; "" otherwise,
// and where read has fewer than two separators (its style is then
// plain).
func joinAfter(read string, n int) string {
	if strings.Count(read, ".")+strings.Count(read, "_")+strings.Count(read, "-") < 2 {
		return ""
	}
	at := func(i int) string {
		if i > 0 && i < len(read) && strings.IndexByte("._-", read[i]) >= 0 {
			return read[i : i+1]
		}
		return ""
	}
	if s := at(n); s != "" {
		return s
	}
	before, after := at(n-1), at(n+1)
	if before == "" || after == "" {
		return before + after
	}
	return ""
}

// initialsAndNumber gives, for a reading in the style of initials and a
// number (ml30), the name's initials (words, folded) and the reading's
// number, where the reading begins with the initials but for the English
// model's lookalikes (addressLookalikes: 1 and i for l, 0 for o, n for h,
// rn for m, …) and goes on in digits but for the lookalikes of digits
// (mi30, m130, edi8 and jn25 for ml30, ed18 and jh25).
func initialsAndNumber(words []string, read string) (string, bool) {
	var ini strings.Builder
	for _, w := range words {
		ini.WriteByte(w[0])
	}
	want := ini.String()
	if !strings.ContainsAny(read, "0123456789") {
		return "", false
	}
	// A lookalike may be two letters for one (rn for m), or one for two.
	for n := max(1, len(want)-1); n <= min(len(want)+1, len(read)-1); n++ {
		if !lookalikeDots(read[:n], want, false) {
			continue
		}
		if number, ok := digitsRead(read[n:]); ok {
			return want + number, true
		}
	}
	return "", false
}

// editDistance is the Levenshtein distance between a and b (bytes).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// An address's domain is as hard to read (sfvarmiand, stvarmland for
// sfvarmland) but has two helps: addresses on one form nearly always share
// their organisation's domain, and that domain is made from the
// organisation's name. mendDomains takes, for a domain within two letters
// of another on the form, a well-formed one over one that is not (sjobo.se over
// sjobo.se-), then the one more fields read, then the one more of
// the organisation's name is found in, then the one with a whole top-level
// domain, and last the one read more surely, leaving both in doubt. First,
// a domain whose name ends or begins with a word of the organisation's
// name but for one letter or the model's lookalikes (sfvarmiand for
// Samordningsförbundet Värmland, moindals for Mölndals stad) gets that
// word (orgDomain), when the organisation's name was read more surely and
// the address's readings did not agree on it surely, nor did another
// address's (solvesborgs in two addresses beside Sälvesborgs kommun: the
// name is the misreading); where they did, the address is kept as read,
// in doubt, unless the name was read surely in words of the word list
// (orgListed): one print read by one model makes a slip twice (moindals
// in two addresses beside Mölndals stad), but seldom one that spells a
// listed word. A domain that spells, as read, a town the form gives is
// left as read: it is that town's. A mended or doubtful address gets
// nameAddressConfidence at most.
func mendDomains(fields form.Fields, backing map[string]support) {
	mendAt(fields)
	words, orgSure := organisation(fields)
	towns := townWords(fields)
	spelt := orgListed(fields)
	read := domainsRead(fields)
	for name, v := range fields {
		local, domain, ok := strings.Cut(v.Value, "@")
		if v.Type != form.TypeEmail || !ok {
			continue
		}
		if _, label, _ := nameLabel(domain); slices.Contains(towns, label) {
			// The domain spells, as read, the town the form gives (alvsby.se
			// beside Älvsbyns kommun, signed in Älvsby): a municipality's
			// domain is its town's name, and not the organisation's name
			// misread.
			continue
		}
		mended, misread := orgDomain(domain, words)
		if !misread {
			if _, off := orgDomain(domain, towns); off {
				// A domain read a letter off the name of the town the
				// form gives (kommun@ktistianstad.se beside
				// Kristianstad): a municipality's domain is its town's
				// name, and the address is in doubt, though not mended
				// from it (the organisation may be another, in that
				// town).
				v.Confidence = min(v.Confidence, nameAddressConfidence)
				fields[name] = v
			}
			continue
		}
		if orgSure > v.Confidence && (spelt || read[domain] < 2 && (!backing[name].agreed || v.Confidence < secondLook)) {
			v.Value = local + "@" + mended
		}
		// Mended or not, the domain and the name disagree, and one of
		// them is misread: two addresses read alike (goran_naess and
		// hugo-haile @moindals.se beside Mölndals stad, read surely)
		// may have made one slip twice.
		v.Confidence = min(v.Confidence, nameAddressConfidence)
		fields[name] = v
	}
	type address struct {
		field, local, domain string
		confidence           float64
	}
	var addrs []address
	for name, v := range fields {
		if v.Type != form.TypeEmail {
			continue
		}
		local, domain, ok := strings.Cut(v.Value, "@")
		if !ok || local == "" || !strings.Contains(domain, ".") {
			continue
		}
		addrs = append(addrs, address{name, local, domain, v.Confidence})
	}
	count, surest := map[string]int{}, map[string]float64{}
	for _, a := range addrs {
		count[a.domain]++
		surest[a.domain] = max(surest[a.domain], a.confidence)
	}
	// order is +1 when a beats b and -1 when b beats a, by the shape of a
	// domain, the number of fields, the organisation's name and the
	// top-level domain's length; sure is false when only the readings'
	// confidence tells them apart.
	wellFormed := func(d string) int {
		if domainLike(d) {
			return 1
		}
		return 0
	}
	order := func(a, b string) (c int, sure bool) {
		for _, c := range []int{
			cmp.Compare(wellFormed(a), wellFormed(b)),
			cmp.Compare(count[a], count[b]),
			cmp.Compare(nameScore(a, words), nameScore(b, words)),
			cmp.Compare(min(2, len(a)-strings.LastIndex(a, ".")-1), min(2, len(b)-strings.LastIndex(b, ".")-1)),
		} {
			if c != 0 {
				return c, true
			}
		}
		return cmp.Compare(surest[a], surest[b]), false
	}
	domains := slices.Sorted(maps.Keys(count))
	for _, a := range addrs {
		domain, doubt := a.domain, false
		for _, other := range domains {
			if other == domain || len(other) < 6 || editDistance(domain, other) > 2 {
				continue
			}
			c, sure := order(other, domain)
			if c > 0 {
				domain = other
			}
			doubt = doubt || !sure
		}
		v := fields[a.field]
		if doubt {
			v.Confidence = min(v.Confidence, nameAddressConfidence)
			fields[a.field] = v
		}
		if value := a.local + "@" + domain; value != v.Value && backing[a.field].agreed && a.confidence >= secondLook {
			// Readings agreed: another address's domain only casts doubt.
			v.Confidence = min(v.Confidence, nameAddressConfidence)
			fields[a.field] = v
		} else if value != v.Value {
			v.Value = value
			v.Confidence = min(v.Confidence, nameAddressConfidence)
			fields[a.field] = v
		}
	}
}

// mendAt puts back the @ of an address read without one, where the
// reading ends in the domain of another address on the form (one letter
// misread at most), with or without its dots, after one character (the @
// read as f, i or c: the model's lookalikes) or two, the first a bracket:
// anna.berg(ebabo.se, kommunigotene.se; and it cuts what specks added
// after such a domain (habo.se.y2.s.sy). The address is then well formed,
// at the confidence it had: the letters were as doubtful as before.
func mendAt(fields form.Fields) {
	var domains []string
	for _, v := range fields {
		if v.Type != form.TypeEmail {
			continue
		}
		if _, domain, ok := strings.Cut(v.Value, "@"); ok && strings.Contains(domain, ".") && !slices.Contains(domains, domain) {
			domains = append(domains, domain)
		}
	}
	slices.Sort(domains)
	for name, v := range fields {
		if v.Type != form.TypeEmail || v.Value == "" {
			continue
		}
		var named func(local string) bool // whether local is one the name beside makes
		if _, person, ok := personBeside(fields, v); ok && person.Value != "" {
			named = func(local string) bool { return namedIn(localParts(person.Value, local), local) }
		}
		if local, domain, ok := strings.Cut(v.Value, "@"); ok {
			// Specks after the domain read as more of it
			// (habo.se.y2.s.sy): another address's domain and more.
			for _, d := range domains {
				if strings.HasPrefix(domain, d+".") {
					v.Value = local + "@" + d
					fields[name] = v
					break
				}
			}
			continue
		}
		for _, d := range domains {
			local, ok := "", false
			for _, spelt := range []string{d, strings.ReplaceAll(d, ".", "")} {
				// The domain as read, one letter misread at most.
				if len(v.Value) < len(spelt)+2 || editDistance(v.Value[len(v.Value)-len(spelt):], spelt) > min(1, len(spelt)/6) {
					continue
				}
				rest := v.Value[:len(v.Value)-len(spelt)]
				local, ok = rest[:len(rest)-atWidth(rest, named)], true
				break
			}
			local = strings.TrimRight(local, ".")
			if ok && local != "" && !strings.ContainsFunc(local, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("._-", r))
			}) {
				v.Value = local + "@" + d
				fields[name] = v
				break
			}
		}
	}
}

// atWidth is how many characters at the end of rest, an address read
// up to another address's domain, were read for its @: one, two where
// the first is a bracket (anna.berg(e), or three where a letter stands
// apart (per.olsson.a.); but where the name beside the address (named;
// nil for none) makes the local part left by exactly one of none to
// three (see atRead), that one: marta.samuelssonit is
// marta.samuelsson and an @ read as "it", not marta.samuelssoni and one
// read as "t", a number after the name and then none
// (begona.munoz3trollhattans.se).
func atWidth(rest string, named func(local string) bool) int {
	n := len(rest)
	width := 1
	switch {
	case n >= 3 && rest[n-2] == '(':
		width = 2
	case n >= 4 && atRead(rest[n-3:]):
		width = 3
	}
	if named == nil {
		return width
	}
	var fits []int
	for w := range 4 {
		if w >= n || w > 0 && !atRead(rest[n-w:]) {
			continue
		}
		if named(strings.TrimRight(rest[:n-w], ".")) {
			fits = append(fits, w)
		}
	}
	if len(fits) == 1 {
		return fits[0]
	}
	return width
}

// orgDomain mends the label of domain that carries the organisation's
// name (see nameLabel) where it ends (sf|varmiand) or begins (moindals|)
// with one of the organisation's words (see orgWords) misread: one letter
// for another, dropped (uleakommun) or added (sfvarmhland), or the
// model's lookalikes (ri for n). A word the label holds as written is not
// looked for, and a label that could be mended two ways is left alone.
func orgDomain(domain string, words []string) (string, bool) {
	before, label, after := nameLabel(domain)
	// found holds the mends that misread a letter (or lookalikes), each
	// way to one label at most; a letter dropped or added is looked at
	// only where none misread one (sfyarmland is sfvarmland, not
	// sfyvarmland with a v dropped).
	var found [2]string
	if slices.Contains(words, label) {
		return domain, false // a word of the name, letter for letter
	}
	// note records mended as a mend of kind: a second, other mend of the
	// same kind leaves none.
	note := func(kind int, mended string) {
		if found[kind] != "" && found[kind] != mended {
			found[kind] = "-" // two ways: none
			return
		}
		found[kind] = mended
	}
	for _, w := range words {
		if strings.Contains(label, w) {
			// A word of the name and one sign more, a speck read as a
			// letter after it (luleakommunh) or as a digit before it
			// (1luleakommun); not a genitive's s, nor a letter before
			// it, which may be an initial of the organisation's.
			if len(label) == len(w)+1 && (strings.HasPrefix(label, w) && label[len(w)] != 's' ||
				strings.HasSuffix(label, w) && !unicode.IsLetter(rune(label[0]))) {
				note(1, w)
			}
			continue
		}
		for n := len(w) - 1; n <= len(w)+1; n++ {
			if n > len(label) || n < 5 {
				continue
			}
			for _, at := range []int{len(label) - n, 0} {
				run := label[at : at+n]
				// One letter misread, dropped or added; but not a
				// genitive's s left out, as a town's domain leaves it
				// (karlstad.se for Karlstads kommun).
				genitive := n < len(w) && run+"s" == w
				if (genitive || editDistance(run, w) != 1) && !lookalike(run, w) {
					continue
				}
				kind := 0
				if n != len(w) && !lookalike(run, w) {
					kind = 1
				}
				note(kind, label[:at]+w+label[at+n:])
			}
		}
	}
	for _, f := range found {
		switch f {
		case "":
			continue
		case "-":
			return domain, false
		}
		return before + f + after, true
	}
	return domain, false
}

// nameLabel splits domain about the label that carries the
// organisation's name: the one before the top-level domain (gotene in
// soc.gotene.se, where a department's comes first), or the only one.
func nameLabel(domain string) (before, label, after string) {
	i := strings.LastIndexByte(domain, '.')
	if i < 0 {
		return "", domain, ""
	}
	head, after := domain[:i], domain[i:]
	j := strings.LastIndexByte(head, '.')
	return head[:j+1], head[j+1:], after
}

// organisation is the words of the organisation's name on the form (see
// orgWords), and how surely it was read.
func organisation(fields form.Fields) (words []string, sure float64) {
	if v, ok := orgName(fields); ok {
		return orgWords(v.Value), v.Confidence
	}
	return nil, 0
}

// townWords are the words (see orgWords) of the towns the form gives:
// the organisation's town and the place it was signed in.
func townWords(fields form.Fields) []string {
	var words []string
	for _, v := range fields {
		if v.Role == form.FieldOrgTown || v.Role == form.FieldSignPlace {
			words = append(words, orgWords(v.Value)...)
		}
	}
	return words
}

// orgName is the organisation's name on the form, as read.
func orgName(fields form.Fields) (form.Value, bool) {
	for _, v := range fields {
		if v.Role == form.FieldOrgName {
			return v, true
		}
	}
	return form.Value{}, false
}

// orgListed reports whether the organisation's name on the form was read
// in words of the word list (each of five letters or more, as orgWords
// takes them, with its dots and rings), read surely: a name the scan
// spoilt seldom makes listed words, a domain it spoilt seldom holds them.
func orgListed(fields form.Fields) bool {
	v, ok := orgName(fields)
	if !ok || v.Confidence < secondLook {
		return false
	}
	n := 0
	for _, w := range strings.FieldsFunc(strings.ToLower(v.Value), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if utf8.RuneCountInString(w) < 5 {
			continue
		}
		if known(w) == unknown {
			return false
		}
		n++
	}
	return n > 0
}

// orgWords are the words of an organisation's name as they appear in its
// domain: lower case, plain letters, five letters or more, and each two
// neighbours joined (Göteborg Hisingen → goteborg, hisingen,
// goteborghisingen); a word in the genitive also without its s, as the
// town's domain has it (Kungälvs kommun → kungalv, as in kungalv.se).
func orgWords(name string) []string {
	ws := strings.FieldsFunc(addressSpelling(name), func(r rune) bool { return r < 'a' || r > 'z' })
	var out []string
	for i, w := range ws {
		if len(w) >= 5 {
			out = append(out, w)
		}
		if stem, ok := strings.CutSuffix(w, "s"); ok && len(stem) >= 5 {
			out = append(out, stem)
		}
		if i > 0 {
			out = append(out, ws[i-1]+w)
		}
	}
	return out
}

// nameScore is how many letters of the label of domain that carries the
// organisation's name (see nameLabel) are words of the name, less the
// letters that are not (meslovs holds eslovs, beside Eslövs kommun, and
// one letter more: a speck), and 1 at the least for a label that holds
// one.
func nameScore(domain string, words []string) int {
	_, label, _ := nameLabel(domain)
	n := 0
	for _, w := range words {
		if strings.Contains(label, w) {
			n = max(n, 1, 2*len(w)-len(label))
		}
	}
	return n
}

// nameSpells reports whether the label of domain that carries the
// organisation's name (see nameLabel) is a word of the name (or two of
// them joined), letter for letter. A label that holds one and more
// letters besides (sfvarmland beside Samordningsförbundet Värmland) has
// letters the name does not confirm: a misreading of them (stvarmland)
// would pass.
func nameSpells(domain string, words []string) bool {
	_, label, _ := nameLabel(domain)
	return slices.Contains(words, label)
}

// lookalike reports whether read becomes want by swapping the model's
// lookalike letters (rn for m, ri for n, i for l, …) and adding or
// dropping dots, and by nothing else.
func lookalike(read, want string) bool { return lookalikeDots(read, want, true) }

// addressLookalikes are the letters the English model, which reads
// addresses, takes for one another: those of the word list's mending,
// h for k and a for o, which its shapes in small type share, and the
// digits 1 and 0 for l, i and o.
var addressLookalikes = append(slices.Clip(shapeLookalikes), [2]string{"h", "k"}, [2]string{"k", "h"}, [2]string{"a", "o"}, [2]string{"o", "a"},
	[2]string{"1", "l"}, [2]string{"l", "1"}, [2]string{"1", "i"}, [2]string{"i", "1"}, [2]string{"0", "o"}, [2]string{"o", "0"})

// lookalikeDots is lookalike, with or without dots added or dropped.
func lookalikeDots(read, want string, dots bool) bool {
	memo := map[[2]int]bool{}
	var match func(i, j int) bool
	match = func(i, j int) bool {
		if i == len(read) && j == len(want) {
			return true
		}
		key := [2]int{i, j}
		if v, ok := memo[key]; ok {
			return v
		}
		ok := i < len(read) && j < len(want) && read[i] == want[j] && match(i+1, j+1) ||
			dots && i < len(read) && read[i] == '.' && match(i+1, j) ||
			dots && j < len(want) && want[j] == '.' && match(i, j+1)
		for _, p := range addressLookalikes {
			if ok {
				break
			}
			ok = strings.HasPrefix(read[i:], p[0]) && strings.HasPrefix(want[j:], p[1]) && match(i+len(p[0]), j+len(p[1]))
		}
		memo[key] = ok
		return ok
	}
	return match(0, 0)
}

// domainElsewhere reports whether an e-mail address on the form other than
// the field name's was read with domain, at confirmingDomain or over.
func domainElsewhere(fields form.Fields, name, domain string) bool {
	for other, v := range fields {
		if _, d, ok := strings.Cut(v.Value, "@"); ok && other != name && v.Type == form.TypeEmail && d == domain && v.Confidence >= confirmingDomain {
			return true
		}
	}
	return false
}

// confirmingDomain is the least confidence of an address whose domain
// confirms another's (addressesConfirmed): one read at less is mostly a
// guess, and its domain may be the same slip of the same print
// (ajs5@stvarmland.se at 0 beside amina.nunez@stvarmland.se, both written
// sfvarmland.se).
const confirmingDomain = 0.25

// domainsRead counts, by domain, the e-mail addresses on a form that were
// read with it.
func domainsRead(fields form.Fields) map[string]int {
	n := map[string]int{}
	for _, v := range fields {
		if _, domain, ok := strings.Cut(v.Value, "@"); ok && v.Type == form.TypeEmail {
			n[domain]++
		}
	}
	return n
}

// doubtMailboxes puts in doubt an address whose local part is one word,
// not its person's name in any style (localParts), that the word list
// lacks where a word one letter off it is listed: a misread mailbox
// (reyistrator for registrator, kanslj for kansli). Nothing else weighs
// such an address: no name confirms or mends it. Capped at
// nameMendedCeiling, which flags it; the value is kept as read.
func doubtMailboxes(fields form.Fields, backing map[string]support) {
	for name, v := range fields {
		local, _, ok := strings.Cut(v.Value, "@")
		if v.Type != form.TypeEmail || !ok || len(local) < 4 || strings.Trim(local, "abcdefghijklmnopqrstuvwxyz") != "" {
			continue
		}
		if _, person, ok := personBeside(fields, v); ok && namedIn(localParts(person.Value, local), local) {
			continue
		}
		if known(local) == unknown && oneLetterOffListed(local) {
			b := backing[name]
			b.ceiling = ceil(b.ceiling, nameMendedCeiling)
			backing[name] = b
		}
	}
}

// doubtTopLevels puts in doubt an address whose top-level domain is none
// the world has (jerome-khalil@soc.goten, cut off where a PDF viewer
// clipped the field, read surely): the address as read reaches no one,
// whatever its letters. The list is the Public Suffix List's, as
// golang.org/x/net/publicsuffix holds it. Capped at secondLook/2; the
// value is kept as read.
func doubtTopLevels(fields form.Fields, backing map[string]support) {
	for name, v := range fields {
		_, domain, ok := strings.Cut(v.Value, "@")
		if v.Type != form.TypeEmail || !ok || !strings.Contains(domain, ".") {
			continue
		}
		if suffix, icann := publicsuffix.PublicSuffix(domain); !icann && !strings.Contains(suffix, ".") {
			// Under the list's default rule: no top-level domain it
			// knows (its private rules are of two labels or more).
			b := backing[name]
			b.ceiling = ceil(b.ceiling, secondLook/2)
			backing[name] = b
		}
	}
}

// oneLetterOffListed reports whether a word with one of its letters
// (a to z) changed is in the word list.
func oneLetterOffListed(w string) bool {
	b := []byte(w)
	for i, c := range b {
		for r := byte('a'); r <= 'z'; r++ {
			if r == c {
				continue
			}
			b[i] = r
			if known(string(b)) == listed {
				return true
			}
		}
		b[i] = c
	}
	return false
}

// addressText joins the words Tesseract read in an e-mail address's zone
// (crop, k pixels per point) by what the ink between them is. An address
// has no spaces: where the model saw one, it saw a gap it could not read,
// most often a full stop or an underscore thinned by the scan (perolof
// holmer for perolof.holmer). A small mark on the baseline is a full stop,
// a flat stroke on or under it an underscore, one at mid x-height a
// hyphen; beside a word that already ends or begins with a separator the
// words are joined. guessed reports a gap whose mark could not be told
// (read as a full stop), or that holds none: a stop the scan lost, or
// letters set apart, read as a stop before the @ and joined after it;
// the address is in doubt.
func addressText(words []Word, crop *image.Gray, k float64) (text string, guessed bool) {
	if len(words) < 2 {
		if len(words) == 1 {
			return words[0].Text, false
		}
		return "", false
	}
	ln := lineOf(crop, k)
	var b strings.Builder
	b.WriteString(words[0].Text)
	for i := 1; i < len(words); i++ {
		prev, next := words[i-1], words[i]
		sep := ""
		if !strings.ContainsAny(lastRune(prev.Text)+firstRune(next.Text), ".-_@") {
			var ok bool
			sep, ok = gapMark(ln, prev.Box.Max.X, next.Box.Min.X)
			if sep == "" && !strings.Contains(b.String(), "@") {
				// No mark: in the name before the @, most often a stop
				// the scan lost; a domain is joined (sfv armland), a
				// top-level domain's lost stop put back by repair.
				sep = "."
			}
			guessed = guessed || !ok
		}
		b.WriteString(sep)
		b.WriteString(next.Text)
	}
	return b.String(), guessed
}

// gapMark is the separator whose ink stands between x0 and x1 on the line
// ln, or reaches into the words on either side (a model that reads no
// underscore may still count its stroke to the next word's box): a mark
// that is no letter, not over the x-height (a dot of an i, an accent),
// however small (a 1-bit scan leaves a stop two pixels); a faint one
// where no mark is dark. It is "" where there is none, and "." for marks
// it cannot tell; ok is false for both.
func gapMark(ln *line, x0, x1 int) (sep string, ok bool) {
	if ln.xh == 0 {
		return ".", false
	}
	kinds := gapMarks(ln, ln.comps, x0, x1)
	if len(kinds) == 0 {
		kinds = gapMarks(ln, ln.faint, x0, x1)
	}
	switch len(kinds) {
	case 0:
		return "", false
	case 1:
		for k := range kinds {
			if k != "?" {
				return k, true
			}
		}
	}
	return ".", false
}

// gapMarks are the kinds of separator among comps in a gap (see gapMark):
// "_", "-", "." or "?" for a mark of no separator's shape.
func gapMarks(ln *line, comps []component, x0, x1 int) map[string]bool {
	reach := int(ln.xh / 2)
	kinds := map[string]bool{}
	for _, c := range comps {
		if letterSized(c, ln.k) || c.area < 2 || c.box.Max.X < x0-reach || c.box.Min.X > x1+reach {
			continue
		}
		w, h := float64(c.box.Dx()), float64(c.box.Dy())
		above := ln.baseline - float64(c.box.Min.Y+c.box.Max.Y)/2 // the mark's middle over the baseline
		switch {
		case above > 0.8*ln.xh:
			continue // over the letters
		case w >= 2*h && above < 0.2*ln.xh:
			kinds["_"] = true
		case w >= 1.5*h && above >= 0.25*ln.xh:
			kinds["-"] = true
		case max(w, h) <= 0.6*ln.xh && above < 0.4*ln.xh:
			kinds["."] = true
		default:
			kinds["?"] = true
		}
	}
	return kinds
}

// firstRune and lastRune are s's first and last characters ("" for none).
func firstRune(s string) string {
	_, n := utf8.DecodeRuneInString(s)
	return s[:n]
}

func lastRune(s string) string {
	_, n := utf8.DecodeLastRuneInString(s)
	return s[len(s)-n:]
}
