package extract

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"blankett/form"
)

// The Swedish model's own word list (its lstm-word-dawg, 229,534 words with
// many names and places; scripts/lexicon.sh regenerates it) arbitrates
// between lookalike letters the model confuses. A word of a text field
// that is not in the list is mended when exactly one lookalike spelling
// is, or is a compound of its words where the word read is not:
// Storgatän → Storgatan, Kömmundirektör → Kommundirektör, Ekströrn →
// Ekström. Names the list lacks and that have no
// such neighbour (Zeynep, Berglöf) stay as read; accents on e are never
// touched, since many names have them and the list lacks some (Hélène).
// A listed word also beats a compound (Karlstäd, as karl|städ, becomes
// Karlstad).

//go:embed swe-words.gz
var sweWordsGz []byte

// A person's name with a word the list lacks is read in doubt, and no
// listed spelling can be chosen for it among the models' readings; the
// Swedish list lacks most names with letters Swedish names seldom have
// (ü, ø, æ, è, ñ, ô …). The French, Spanish and
// Norwegian models' own word lists have many (Jérôme, Müller, Muñoz,
// Bjørn, Jørgensen): their capitalised words with such a letter
// (foreign-names.gz, 11,913 names; scripts/lexicon.sh) count as listed
// names. Only names with such a letter, so that no Swedish word or
// spelling is judged otherwise than by the Swedish list. On the
// development corpora 7111-7114 this mended 8 names (Jérôme read Jéröme,
// Jérômé, Jerôme: the listed spelling chosen among the models' readings)
// and broke none, and 128 fewer right names were flagged.
//
//go:embed foreign-names.gz
var foreignNamesGz []byte

// eachWord calls f with every word of the embedded Swedish list, as it
// spells it.
func eachWord(f func(string)) { eachOf(sweWordsGz, f) }

// foreignNames are foreign-names.gz's names, lower case, loaded on first
// use.
var foreignNames = sync.OnceValue(func() map[string]struct{} {
	names := map[string]struct{}{}
	eachOf(foreignNamesGz, func(w string) { names[strings.ToLower(w)] = struct{}{} })
	return names
})

// eachOf calls f with every word of an embedded gzipped list.
func eachOf(gz []byte, f func(string)) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		panic("extract: embedded word list: " + err.Error()) // built into the binary: cannot happen
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		f(sc.Text())
	}
	if err := sc.Err(); err != nil {
		panic("extract: embedded word list: " + err.Error())
	}
}

// lexicon is the word list, lower case, loaded on first use.
var lexicon = sync.OnceValue(func() map[string]struct{} {
	words := map[string]struct{}{}
	eachWord(func(w string) { words[strings.ToLower(w)] = struct{}{} })
	return words
})

// casedWords are the word list's words as it spells them: names,
// capitalised (Håbo, Göteborgsvägen, Åström), and common words, in lower
// case; both lower case here. Some words are both (Kärl and Städ at the
// start of a sentence). Loaded on first use.
var casedWords = sync.OnceValue(func() (sets struct{ names, common map[string]struct{} }) {
	sets.names, sets.common = map[string]struct{}{}, map[string]struct{}{}
	eachWord(func(w string) {
		switch r, _ := utf8.DecodeRuneInString(w); {
		case unicode.IsLower(r):
			sets.common[w] = struct{}{}
		case unicode.IsUpper(r) && w != strings.ToUpper(w):
			sets.names[strings.ToLower(w)] = struct{}{}
		}
	})
	return sets
})

// Lookalikes are the letters the model takes for one another: shapes of
// strokes, the dots or ring of å, ä, ö and ü added or dropped, and (in
// what is no person's name: places, organisations, titles, which are
// Swedish words) an accent or cedilla a speck made (Píteå,
// Förvaltningsçhef), not on e, which names in such texts have (Lidén);
// and there too, where none of those mends a word, the slips of small or
// faint type (slipLookalikes): a ring for dots (Piteä, Kungålv), an a for
// an o closed by a blur (Örebra), a v's point for a y's tail (Eslöy), an
// open b (Örehro), an m with a stroke too many (kormmun, komrirun); only
// then, so that they make no mend ambiguous that was not (ståd is stad by
// its ring lost, not städ). A name is spelt at will, so they are not for
// names.
var (
	shapeLookalikes = [][2]string{
		{"rn", "m"}, {"m", "rn"}, {"ni", "m"}, {"m", "ni"}, {"ri", "n"}, {"n", "ri"}, {"h", "n"}, {"n", "h"},
		{"t", "f"}, {"f", "t"}, {"t", "l"}, {"l", "t"}, {"i", "l"}, {"l", "i"}, {"cl", "d"},
	}
	allLookalikes = append([][2]string{
		{"ä", "a"}, {"a", "ä"}, {"ö", "o"}, {"o", "ö"}, {"å", "a"}, {"a", "å"}, {"ü", "u"},
		{"á", "a"}, {"à", "a"}, {"í", "i"}, {"ì", "i"}, {"ó", "o"}, {"ò", "o"}, {"ú", "u"}, {"ù", "u"},
		{"ç", "c"}, {"ñ", "n"},
	}, shapeLookalikes...)
	slipLookalikes = [][2]string{
		{"ä", "å"}, {"å", "ä"}, {"a", "o"}, {"o", "a"}, {"y", "v"}, {"v", "y"}, {"h", "b"}, {"b", "h"},
		{"rm", "m"}, {"rir", "m"},
	}
)

// How well the word list knows a word.
const (
	unknown  = iota
	compound // two or three words of the list, the first ones perhaps joined by an s
	listed
)

// known says how well the word list knows w (lower case): listed (or
// one of the foreign names, see foreignNames), a
// compound of words in it (samordnings|förbundet, förbunds|chef,
// region|direktör), or unknown. Parts are four letters or more: the list
// has many short abbreviations.
func known(w string) int {
	if _, ok := lexicon()[w]; ok {
		return listed
	}
	if _, ok := foreignNames()[w]; ok {
		return listed
	}
	if splits(w, 3) {
		return compound
	}
	return unknown
}

// knownName is known for a word a person's name may be mended into:
// listed where the list has it as a name (capitalised, and not in lower
// case too: Elit and Karm start sentences) or it is one of the foreign
// names (see foreignNames), unknown where it has it as a
// common word or not at all. A compound of the list's words is no name:
// Angstrom, a surname the list lacks read without its dots, is not mended
// into angs|from (see strangeWords).
func knownName(w string) int {
	if _, common := casedWords().common[w]; common {
		return unknown
	}
	if _, ok := casedWords().names[w]; ok {
		return listed
	}
	if _, ok := foreignNames()[w]; ok {
		return listed
	}
	return unknown
}

// fewestParts is the fewest words of the list w is made of (see splits),
// up to three; 0 when it is none.
func fewestParts(w string) int {
	for n := 1; n <= 3; n++ {
		if splits(w, n) {
			return n
		}
	}
	return 0
}

// splits reports whether w is a word of the list, or parts of them (see
// compoundOf).
func splits(w string, parts int) bool {
	if _, ok := lexicon()[w]; ok {
		return true
	}
	return compoundOf(w, parts)
}

// compoundOf reports whether w is two to parts words of the list, the
// first ones perhaps joined by an s, of four letters or more. The last
// is a common word (the list has it in lower case): a compound ends in
// its head, förbunds|chef, region|direktör, never in a name (förbunds|Chet,
// a misreading of förbundschef).
func compoundOf(w string, parts int) bool {
	if parts < 2 {
		return false
	}
	words := lexicon()
	// The split points are rune boundaries with four letters or more on
	// either side; the parts are slices of w, so that looking them up
	// makes no strings (mendWord asks of many lookalikes a page).
	n := utf8.RuneCountInString(w)
	i := 0 // runes before off
	for off := range w {
		if i >= 4 && i <= n-4 {
			head, rest := w[:off], w[off:]
			_, ok := words[head]
			if !ok && strings.HasSuffix(head, "s") {
				_, ok = words[head[:len(head)-1]]
			}
			if ok {
				if _, common := casedWords().common[rest]; common || compoundOf(rest, parts-1) {
					return true
				}
			}
		}
		i++
	}
	return false
}

// mendWords mends the unknown words of a text value (see above) and
// reports whether it changed any. A person's name keeps its dots and rings
// (person): first names and surnames are spelt at will (Jönas), and the
// image, not the list, decides those (see dropDots). Nor is a person's
// name mended into a word the list has only as a common word (Elif into
// elit, the Turkish name the list lacks into the Swedish word): in a name,
// only the list's names count as listed.
func mendWords(text string, person bool) (string, bool) {
	lookalikes, knows := allLookalikes, known
	if person {
		lookalikes, knows = shapeLookalikes, knownName
	}
	changed := false
	fields := strings.Fields(text)
	for i, field := range fields {
		parts := strings.Split(field, "-")
		for j, w := range parts {
			// Each step must be better known than the last, so a second
			// one is safe too (Värrntand → Värmtand → Värmland).
			for range 2 {
				m, ok := mendWord(w, lookalikes, knows)
				if !ok && !person {
					m, ok = mendWord(w, slipLookalikes, knows)
				}
				if !ok {
					break
				}
				w, parts[j], changed = m, m, true
			}
		}
		fields[i] = strings.Join(parts, "-")
	}
	return strings.Join(fields, " "), changed
}

// mendWord returns the one lookalike spelling of w that the word list
// knows better than w (a listed word over a compound over an unknown
// word, as knows tells: known, or knownName; and a compound of fewer
// words over one of more, samordnings|förbundet over a misread
// samordning|stör|bundet), if there is one; words of
// under four letters or with other than letters are left alone.
func mendWord(w string, lookalikes [][2]string, knows func(string) int) (string, bool) {
	if utf8.RuneCountInString(w) < 4 || strings.ContainsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) {
		return w, false
	}
	lower := strings.ToLower(w)
	read := known(lower) // a listed word, name or not, is left as it is
	if read == listed {
		return w, false
	}
	read = knows(lower)
	readParts := 0 // of a compound as read: one of fewer words is better known
	if read == compound {
		readParts = fewestParts(lower)
	}
	best, found, ambiguous, parts := read, "", false, readParts
	for _, la := range lookalikes {
		for i := 0; ; {
			k := strings.Index(lower[i:], la[0])
			if k < 0 {
				break
			}
			k += i
			i = k + len(la[0])
			v := lower[:k] + la[1] + lower[k+len(la[0]):]
			score, p := knows(v), 0 // p: of a compound, the fewest words of the list it is made of
			if score == compound {
				p = fewestParts(v)
			}
			switch {
			case score < read || score == read && (read != compound || p >= readParts) || v == found:
			case score > best:
				best, found, ambiguous, parts = score, v, false, p
			case score == best && best == compound:
				// Two compounds: the one of fewer words is the better
				// known (samordnings|förbundet over samordning|stor|bundet).
				switch {
				case p < parts:
					found, ambiguous, parts = v, false, p
				case p == parts:
					ambiguous = true
				}
			case score == best:
				ambiguous = true // two ways to mend it: no telling which
			}
		}
	}
	if found == "" || ambiguous {
		return w, false
	}
	return matchCase(found, w), true
}

// matchCase gives word the capitals of model: the first letter, or all.
func matchCase(word, model string) string {
	first, _ := utf8.DecodeRuneInString(model)
	switch {
	case model == strings.ToUpper(model):
		return strings.ToUpper(word)
	case unicode.IsUpper(first):
		return capitalFirst(word)
	}
	return word
}

// strangeConfidence is the most a text value with a word the list does not
// know may be trusted: most misreadings make such words, and the names
// the list lacks are few.
const strangeConfidence = 0.7

// strangeWords reports whether text has a word of four letters or more
// that the word list does not know, even as a compound, or that has a
// capital after a small letter (VerksamhetscHef: the model's h and H
// differ in height only). In a person's name (person) a word must be
// listed, holds no digit, and only its particles (nameParticles) begin
// with a small letter: surnames are seldom compounds of the list's words,
// while misreadings of foreign names often are (Gongalves as gong|alves
// for Gonçalves).
func strangeWords(text string, person bool) bool {
	for _, w := range strings.Fields(text) {
		// A word of a name in small letters: a letter or a space misread
		// (Ö mer for Ömer). After a hyphen a small letter is a name's
		// own (Ji-woo), and before an apostrophe (d'Angelo).
		if first, _ := utf8.DecodeRuneInString(w); person && unicode.IsLower(first) && !slices.Contains(nameParticles, w) && !strings.ContainsAny(w, "'’") {
			return true
		}
		// A digit in a person's name: a letter misread (Weif3 for Weiß).
		if person && strings.ContainsFunc(w, unicode.IsDigit) {
			return true
		}
	}
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '-' }) {
		if utf8.RuneCountInString(w) < 4 || strings.ContainsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) {
			continue
		}
		if k := known(strings.ToLower(w)); k == unknown || person && k != listed || innerCapital(w) {
			return true
		}
	}
	return false
}

// nameParticles are the words of people's names written in small
// letters (af Klercker, de Córdoba, van der Berg).
var nameParticles = []string{"af", "av", "von", "van", "der", "den", "de", "del", "della", "des", "di", "da", "do", "dos", "das", "du", "la", "le", "ten", "ter", "zu", "y", "e", "bin", "ibn", "al", "el"}

// innerCapital reports whether w has a capital letter after a small one.
func innerCapital(w string) bool {
	small := false
	for _, r := range w {
		if small && unicode.IsUpper(r) {
			return true
		}
		small = small || unicode.IsLower(r)
	}
	return false
}

// dotsConfidence is the most a text value may be trusted when one of its
// words, with dots or a ring added, is a name the word list knows (Habo
// and Håbo, Marta and Märta, Astrom and Åström): dots and rings are a
// pixel or two, lost in a 1-bit or faint scan of small type, and nothing
// then tells the two apart.
const dotsConfidence = 0.8

// dotted1 are the letters that dots or a ring make another letter of.
var dotted1 = map[rune][]rune{'a': {'ä', 'å'}, 'o': {'ö'}, 'u': {'ü'}, 'A': {'Ä', 'Å'}, 'O': {'Ö'}, 'U': {'Ü'}}

// dottedNames returns, for each word of text, the spellings with dots or
// a ring added to one or two of its letters that are names in the word
// list (capitalised there), and reports whether any word has one. Words
// with other than letters, or of under three letters, are left out, and
// so are common words (Karl, stad: Kärl and Städ are listed capitalised
// too, at the start of a sentence).
func dottedNames(text string) (map[string][]string, bool) {
	out := map[string][]string{}
	found := false
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '-' }) {
		rs := []rune(strings.ToLower(w))
		if len(rs) < 3 || len(rs) > 24 || strings.ContainsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) {
			continue
		}
		if _, ok := casedWords().common[string(rs)]; ok {
			continue
		}
		var names []string
		seen := map[string]bool{}
		try := func(v []rune) {
			s := string(v)
			if _, ok := casedWords().names[s]; ok && !seen[s] {
				seen[s] = true
				names = append(names, s)
			}
		}
		for i, a := range rs {
			for _, da := range dotted1[a] {
				v := slices.Clone(rs)
				v[i] = da
				try(v)
				for j := i + 1; j < len(rs); j++ {
					for _, db := range dotted1[rs[j]] {
						v2 := slices.Clone(v)
						v2[j] = db
						try(v2)
					}
				}
			}
		}
		if len(names) > 0 {
			out[w] = names
			found = true
		}
	}
	return out, found
}

// mendDots gives a word of text that the word list does not know, or
// knows only as a compound, the one spelling with dots or a ring added
// that it lists as a name (Goteborgsvagen → Göteborgsvägen), and reports
// whether it changed any. In a text that is no person's name (person
// false: an organisation, a place, an address) a listed word is given it
// too: the list holds places as they are spelt without their letters
// (GOTENE, Umea, Skane, from texts typed in ASCII), while a place whose
// own name is one of its dotted places is rare (of 272 Swedish
// municipalities, towns and streets, Habo and Osby: in doubt either way).
// A person's names are spelt at will (Marta, Märta): there the image
// decides (see markLetters).
func mendDots(text string, person bool) (string, bool) {
	variants, ok := dottedNames(text)
	if !ok {
		return text, false
	}
	changed := false
	words := strings.Split(text, " ")
	for i, field := range words {
		parts := strings.Split(field, "-")
		for j, w := range parts {
			vs := variants[w]
			if len(vs) != 1 || person && known(strings.ToLower(w)) == listed {
				continue
			}
			parts[j], changed = matchCase(vs[0], w), true
		}
		words[i] = strings.Join(parts, "-")
	}
	return strings.Join(words, " "), changed
}

// strangeShort reports whether a name has a word of three letters, one of
// them beyond a to z, that the word list does not have (Zoö for Zoë):
// strangeWords leaves such short words alone.
func strangeShort(name string) bool {
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return r == ' ' || r == '-' }) {
		if utf8.RuneCountInString(w) != 3 || !strings.ContainsFunc(w, func(r rune) bool { return r > 'z' }) {
			continue
		}
		if _, ok := lexicon()[strings.ToLower(w)]; !ok {
			return true
		}
	}
	return false
}

// markedForms are the letters a plain letter becomes with a mark over it.
var markedForms = map[rune]string{'a': "äåáàâ", 'o': "öóòô", 'u': "üúùû", 'e': "éèêë", 'i': "íìîï", 'y': "ýÿ", 'n': "ñ"}

// specksOverWords reports whether the marks over the letters at (their
// places among text's letters, spaces left out; see markLetters) that the
// reading leaves without one are specks by the word list: each letter's
// word is a word the list knows, and with the letter marked in any way
// it is none (a speck over kommun: kömmun is no word; over stad it may
// be dots the scan lost, städ). For a text that is no person's name: a
// name is spelt at will.
func specksOverWords(text string, at []int) bool {
	type place struct{ word, letter int }
	var places []place // of text's letters, as markLetters counts them
	words := strings.Split(strings.ToLower(text), " ")
	for w, word := range words {
		for l := range []rune(word) {
			places = append(places, place{w, l})
		}
	}
	for _, i := range at {
		if i < 0 || i >= len(places) {
			return false
		}
		w := []rune(words[places[i].word])
		l := places[i].letter
		if known(string(w)) == unknown {
			return false
		}
		for _, m := range markedForms[fold(w[l])] {
			if m == w[l] {
				continue
			}
			v := slices.Clone(w)
			v[l] = m
			if known(string(v)) != unknown {
				return false
			}
		}
	}
	return true
}

// mendPlaces proposes, for a place of signing or an organisation's town
// read as a word the list lacks (Moindal, Esløv, Orebto), the town the
// organisation's name is made of (Mölndals stad, Eslövs kommun, Örebro
// kommun), where the two are a letter or two apart, plain letters
// compared: a form is nearly always signed in its organisation's town
// (on the development corpora 593 of 702 places), and a town the list
// knows, read surely in the name, is the likelier spelling of a word it
// does not know. Proposed, in doubt: a person looks.
func mendPlaces(fields form.Fields) {
	var towns []string // the organisation's first word, and it without a genitive s
	if org, ok := orgName(fields); ok && org.Confidence >= secondLook {
		if words := strings.Fields(org.Value); len(words) > 0 {
			for _, w := range []string{words[0], strings.TrimSuffix(words[0], "s")} {
				if utf8.RuneCountInString(w) >= 4 && known(strings.ToLower(w)) == listed && !slices.Contains(towns, w) {
					towns = append(towns, w)
				}
			}
		}
	}
	for name, v := range fields {
		if v.Role != form.FieldSignPlace && v.Role != form.FieldOrgTown || v.Type != form.TypeText {
			continue
		}
		read := strings.TrimSpace(v.Value)
		if utf8.RuneCountInString(read) < 4 || strings.Contains(read, " ") || known(strings.ToLower(read)) != unknown {
			continue
		}
		best, bestD, ties := "", 3, 0
		for _, town := range towns {
			d := editDistance(plainLetters(read), plainLetters(town))
			switch {
			case d > utf8.RuneCountInString(town)/3:
			case d < bestD:
				best, bestD, ties = town, d, 1
			case d == bestD:
				ties++
			}
		}
		if best == "" || ties > 1 {
			continue
		}
		v.Value = best
		v.Confidence = min(v.Confidence, secondLook)
		fields[name] = v
	}
}

// orgKinds are the words that say what kind of organisation a party is
// (Malmö stad, Region Jönköpings län, Samordningsförbundet Värmland).
var orgKinds = []string{"kommun", "stad", "län", "region", "landsting", "samordningsförbundet", "förbund", "kommunalförbund"}

// orgKindWords gives each word of an organisation's name that is one of
// orgKinds but for the marks over its letters (Malmö städ, Jönköpings
// lan) that word's own marks; and, where most is more than 0, one of five
// letters or more read as many letters off one of six or more (kommur,
// korhmun, Regian) that word. A speck read as dots makes another word of
// the list (städ), and the word saying what a party is has one spelling
// and no near neighbour among towns' names. It reports whether it
// changed a word.
func orgKindWords(name string, most int) (string, bool) {
	words := strings.Fields(name)
	changed := false
	for i, w := range words {
		plain := plainLetters(w)
		for _, kind := range orgKinds {
			d := editDistance(plain, plainLetters(kind))
			if strings.ToLower(w) != kind && (d == 0 || d <= most && utf8.RuneCountInString(kind) >= 6 && utf8.RuneCountInString(w) >= 5) {
				words[i], changed = matchCase(kind, w), true
				break
			}
		}
	}
	if !changed {
		return name, false
	}
	return strings.Join(words, " "), true
}

// plainLetters is s in lower case, each letter without its marks
// (plainOf).
func plainLetters(s string) string {
	return strings.Map(plainOf, strings.ToLower(s))
}
