package extract

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

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
//     lookalikes alone;
//   - one sure reading (no second was made) gives way to the name's
//     spelling, read at least as surely, only for lookalike letters
//     (helerie for helene), never for a dot, an underscore or a digit,
//     which are styles; a name read less surely only casts doubt;
//   - where the readings disagree and one of them has the name's spelling,
//     its local part is taken;
//   - a reading in doubt, within a couple of letters of the name's
//     spelling in the address's own style, becomes that spelling;
//
// a mended address gets a confidence low enough that a reviewer looks.

// nameAddressConfidence is the confidence of an address mended from a name.
const nameAddressConfidence = 0.75

// mendAddresses mends every e-mail field that has its person's name beside
// it: the field of the same role with "name" for "email" (orderer.email ↔
// orderer.name), in the same row. backing says what backs each field's
// value: whether several readings agreed on it, and what the others read.
func mendAddresses(fields form.Fields, backing map[string]support) {
	byRole := map[form.FieldRole]map[int]form.Value{}
	for _, v := range fields {
		if v.Role != "" {
			if byRole[v.Role] == nil {
				byRole[v.Role] = map[int]form.Value{}
			}
			byRole[v.Role][v.Row] = v
		}
	}
	for name, v := range fields {
		if v.Type != form.TypeEmail || v.Role == "" {
			continue
		}
		person, ok := byRole[v.Role.Beside("name")][v.Row]
		if !ok || person.Value == "" || !person.Role.PersonName() {
			continue
		}
		local, domain, ok := strings.Cut(v.Value, "@")
		if !ok {
			if mended, ok := lostAt(v.Value, person.Value); ok {
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
		named := func(local string) bool { // the name's spelling, or it with a number after
			return slices.Contains(parts, local) || slices.Contains(parts, strings.TrimRight(local, "0123456789"))
		}
		if i := slices.IndexFunc(backing[name].others, func(other string) bool {
			l, _, _ := strings.Cut(other, "@")
			return named(l)
		}); i >= 0 && !named(local) {
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
			if want == local || strings.TrimRight(local, "0123456789") == want {
				// The name's spelling, or it with a number after. Without
				// a dot, read surely, it may have lost one: kept, in doubt.
				for _, dotted := range parts {
					if dotted != want && agreed && v.Confidence >= secondLook && lookalike(local, dotted) {
						v.Confidence = min(v.Confidence, nameAddressConfidence)
						fields[name] = v
					}
				}
				break
			}
			d := editDistance(local, want)
			if d == 0 || d > max(2, len(want)/8) {
				continue
			}
			mend := false
			switch {
			case agreed && v.Confidence >= secondLook:
				if lookalike(local, want) {
					v.Confidence = min(v.Confidence, nameAddressConfidence)
					fields[name] = v
				}
			case v.Confidence >= secondLook:
				// A name read less surely than the address may be the
				// misreading (Halmér for Holmér), or the address may
				// (asten for osten): kept, but never sure.
				if lookalikeDots(local, want, false) {
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
				mend = person.Confidence >= v.Confidence && (person.Confidence >= secondLook || !strangeWords(person.Value, true)) || lookalike(local, want)
			}
			if mend {
				v.Value = want + "@" + domain
			}
			if mend || person.Confidence >= v.Confidence {
				// An address a letter or two off its person's name read
				// as surely may be a misreading the name cannot put
				// right (inesloyas for ineslovas): never sure.
				v.Confidence = min(v.Confidence, nameAddressConfidence)
				fields[name] = v
			}
			break
		}
	}
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

// atLookalikes are what the model reads an @ as: a letter of its shape,
// or an opening bracket for its curl.
const atLookalikes = "aceforu("

// lostAt puts back the @ of an address read without one (ml30esfvarmland.se,
// adne.sorensenrsfvarmland.se), where the reading begins with a local part
// the person's name makes (see localParts) and goes on, after one of the
// @'s lookalikes, with a domain: labels of letters, digits and hyphens,
// and a top-level domain of two or three letters. Two ways to read it
// leave it as it is.
func lostAt(read, name string) (string, bool) {
	found := ""
	for i := 1; i+1 < len(read); i++ {
		local, domain := read[:i], read[i+1:]
		if !strings.ContainsRune(atLookalikes, rune(read[i])) || !domainLike(domain) {
			continue
		}
		if !slices.ContainsFunc(localParts(name, local), func(p string) bool {
			return p == local || strings.TrimRight(local, "0123456789") == p
		}) {
			continue
		}
		if found != "" {
			return "", false
		}
		found = local + "@" + domain
	}
	return found, found != ""
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
var addressLetters = strings.NewReplacer(
	"å", "a", "ä", "a", "á", "a", "à", "a", "â", "a", "ã", "a", "æ", "ae",
	"é", "e", "è", "e", "ê", "e", "ë", "e", "í", "i", "ì", "i", "î", "i", "ï", "i",
	"ö", "o", "ø", "o", "ó", "o", "ò", "o", "ô", "o", "õ", "o",
	"ü", "u", "ú", "u", "ù", "u", "û", "u", "ñ", "n", "ç", "c", "ý", "y", "ÿ", "y",
	"ð", "d", "þ", "th", "ß", "ss",
)

// localParts gives the local parts a name makes, in the style of the
// address as read (its separator: a dot, an underscore, a hyphen, or
// none and then a dot too): first.last, every word joined, and the first
// initial and the last name, folded to plain letters (Karl-Åke Forsén →
// karlake.forsen, k.forsen).
func localParts(name, read string) []string {
	words := strings.Fields(strings.NewReplacer("-", "", "'", "").Replace(addressLetters.Replace(strings.ToLower(name))))
	if len(words) < 2 {
		return nil
	}
	seps := []string{"."}
	switch {
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
	for _, sep := range seps {
		out = append(out, words[0]+sep+words[len(words)-1])
		if len(words) > 2 {
			out = append(out, strings.Join(words, sep))
		}
		if sep != "" && words[0][0] < utf8.RuneSelf {
			out = append(out, words[0][:1]+sep+words[len(words)-1]) // a.andersson
		}
	}
	if p, ok := initialsAndNumber(words, read); ok {
		out = append(out, p)
	}
	return out
}

// initialsAndNumber gives, for a reading in the style of initials and a
// number (ml30), the name's initials (words, folded) and the reading's
// number, where the reading begins with the initials but for the
// lookalikes 1, i for l and 0 for o and goes on in digits but for the same
// lookalikes (mi30, m130 and edi8 for ml30 and ed18).
func initialsAndNumber(words []string, read string) (string, bool) {
	var ini strings.Builder
	for _, w := range words {
		ini.WriteByte(w[0])
	}
	want := ini.String()
	if len(read) <= len(want) || !strings.ContainsAny(read, "0123456789") {
		return "", false
	}
	for i := range len(want) {
		if r, w := read[i], want[i]; r != w && !(w == 'l' && (r == '1' || r == 'i')) && !(w == 'o' && r == '0') {
			return "", false
		}
	}
	number, ok := digitsRead(read[len(want):])
	if !ok {
		return "", false
	}
	return want + number, true
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
// of another on the form, the one more fields read, then the one more of
// the organisation's name is found in, then the one with a whole top-level
// domain, and last the one read more surely, leaving both in doubt. First,
// a domain whose name ends or begins with a word of the organisation's
// name but for one letter or the model's lookalikes (sfvarmiand for
// Samordningsförbundet Värmland, moindals for Mölndals stad) gets that
// word (orgDomain), when the organisation's name was read more surely and
// the address's readings did not agree on it surely. A mended or doubtful
// address gets nameAddressConfidence at most.
func mendDomains(fields form.Fields, backing map[string]support) {
	mendAt(fields)
	var words []string
	orgSure := 0.0 // how surely the organisation's name was read
	for _, v := range fields {
		if v.Role == form.FieldOrgName {
			words, orgSure = orgWords(v.Value), v.Confidence
		}
	}
	for name, v := range fields {
		local, domain, ok := strings.Cut(v.Value, "@")
		if v.Type != form.TypeEmail || !ok || orgSure <= v.Confidence {
			continue
		}
		if mended, ok := orgDomain(domain, words); ok {
			if !backing[name].agreed || v.Confidence < secondLook {
				v.Value = local + "@" + mended
			}
			v.Confidence = min(v.Confidence, nameAddressConfidence)
			fields[name] = v
		}
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
	// order is +1 when a beats b and -1 when b beats a, by the number of
	// fields, the organisation's name and the top-level domain's length;
	// sure is false when only the readings' confidence tells them apart.
	order := func(a, b string) (c int, sure bool) {
		for _, c := range []int{
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
				switch n := len(rest); {
				case n >= 3 && rest[n-2] == '(':
					local, ok = rest[:n-2], true
				default:
					local, ok = rest[:n-1], true
				}
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

// orgDomain mends the first label of domain where it ends (sf|varmiand)
// or begins (moindals|) with one of the organisation's words (see
// orgWords) misread: one letter for another, or the model's lookalikes
// (ri for n). A word the label holds as written is not looked for, and a
// label that could be mended two ways is left alone.
func orgDomain(domain string, words []string) (string, bool) {
	label, rest, _ := strings.Cut(domain, ".")
	found := ""
	for _, w := range words {
		if strings.Contains(label, w) {
			continue
		}
		for n := len(w) - 1; n <= len(w)+1; n++ {
			if n > len(label) || n < 5 {
				continue
			}
			for _, at := range []int{len(label) - n, 0} {
				run := label[at : at+n]
				// One letter misread, not one dropped or added: a
				// genitive s is often left out of a domain (karlstad.se
				// for Karlstads kommun).
				if !(n == len(w) && editDistance(run, w) == 1) && !lookalike(run, w) {
					continue
				}
				mended := label[:at] + w + label[at+n:]
				if found != "" && found != mended {
					return domain, false
				}
				found = mended
			}
		}
	}
	if found == "" {
		return domain, false
	}
	return found + "." + rest, true
}

// orgWords are the words of an organisation's name as they appear in its
// domain: lower case, plain letters, five letters or more, and each two
// neighbours joined (Göteborg Hisingen → goteborg, hisingen,
// goteborghisingen).
func orgWords(name string) []string {
	ws := strings.FieldsFunc(addressLetters.Replace(strings.ToLower(name)), func(r rune) bool { return r < 'a' || r > 'z' })
	var out []string
	for i, w := range ws {
		if len(w) >= 5 {
			out = append(out, w)
		}
		if i > 0 {
			out = append(out, ws[i-1]+w)
		}
	}
	return out
}

// nameScore is how many letters of domain's first label are words of the
// organisation's name.
func nameScore(domain string, words []string) int {
	label, _, _ := strings.Cut(domain, ".")
	n := 0
	for _, w := range words {
		if strings.Contains(label, w) {
			n = max(n, len(w))
		}
	}
	return n
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
