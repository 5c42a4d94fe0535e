package extract

import (
	"slices"
	"strings"
	"unicode"
)

// The Swedish model, shown a letter it lacks (ë, è, ü, ç, æ…), often makes
// more than a lookalike of it: one to three marked vowels in its place
// (Mikaéäl, Lefeévre), or another marked letter (Lefövre), so that the two
// models' readings no longer agree letter for letter and mergeForeign
// cannot take the French model's letter. foreignWords takes the French
// model's whole word instead, where it read the word fairly surely and the
// Swedish reading has the same letters but for such garble in the place of
// the French model's letters the Swedish model lacks.

// foreignSure is the least confidence of the French model's word for it to
// be taken over a garbled Swedish reading.
const foreignSure = 0.8

// swedishLacks are the letters of names that the French model has and the
// Swedish model lacks.
const swedishLacks = "èëêüûùçæïîâàôÈËÊÜÛÙÇÆÏÎÂÀÔ"

// garbleOf reports whether r may be the Swedish model's garble of the
// French model's letter x: a letter with x's base letter, marked or not, a
// Swedish marked vowel, or a shape the model is apt to make of it.
func garbleOf(r, x rune) bool {
	lr, lx := unicode.ToLower(r), unicode.ToLower(x)
	switch {
	case fold(lr) == fold(lx), strings.ContainsRune("äöå&", lr):
		return true
	case lx == 'ç':
		return lr == 'c' || lr == 'g'
	case lx == 'æ':
		return lr == 'a' || lr == 'e'
	case lx == 'ï' || lx == 'î':
		return lr == 'l'
	}
	return false
}

// garbleMatch reports whether swe (the Swedish model's reading of a word,
// or part of one between hyphens) is fra (the French model's) but for
// garble in the place of each of fra's letters the Swedish model lacks,
// and whether any such letter was read otherwise. witness tells whether
// another reading of the word has, at fra's letter j, a letter with the
// same base letter as it, and marked (marked) or with any mark or none.
//
// In the place of one of fra's letters, swe may have: the same letter;
// the Swedish model's é for another e; two or three garble letters or
// vowels, at least one of them marked (Lefeévre, Mikaäaöl); a plain
// letter (Lefevre) only when another reading saw a mark over it; a
// Swedish letter with dots or a ring (Lefövre) only for an e, when another
// reading saw an e there. Dots and rings never give way to a letter of
// their own base (Ä to À, ö to ü): the French model, which lacks ö and å,
// reads them so (the marks over the letter decide those, see
// markLetters). Nor does a letter another model voted in (ú, ø).
func garbleMatch(swe, fra []rune, witness func(j int, marked bool) bool) (ok, changed bool) {
	type state struct{ i, j int }
	memo := map[state]int{} // 0 unknown, 1 no, 2 yes unchanged, 3 yes changed
	var walk func(i, j int) int
	walk = func(i, j int) int {
		if j == len(fra) {
			if i == len(swe) {
				return 2
			}
			return 1
		}
		if i == len(swe) {
			return 1
		}
		s := state{i, j}
		if v, ok := memo[s]; ok {
			return v
		}
		res := 1
		x := fra[j]
		if !strings.ContainsRune(swedishLacks, x) {
			if swe[i] == x {
				res = walk(i+1, j+1)
			}
			memo[s] = res
			return res
		}
		// One letter in x's place.
		c := swe[i]
		single := false
		switch {
		case c == x:
			if r := walk(i+1, j+1); r != 1 {
				res = r
			}
			memo[s] = res
			return res
		case unicode.IsUpper(c) != unicode.IsUpper(x):
		case strings.ContainsRune("äöåÄÖÅ", c):
			single = isE(x) && witness(j, false)
		case c == '&': // a blot
			single = witness(j, false)
		case c < 0x80 && fold(c) == fold(x):
			single = strings.ContainsRune("çÇ", x) || witness(j, true)
		case (c == 'é' || c == 'É') && isE(x):
			single = true
		case strings.ContainsRune("cgCG", c) && strings.ContainsRune("çÇ", x):
			single = true
		}
		if single && walk(i+1, j+1) != 1 {
			res = 3
		}
		// Two or three letters in its place, one of them marked.
		for n := 2; res == 1 && n <= 3 && i+n <= len(swe); n++ {
			run, marked := swe[i:i+n], false
			all := true
			for _, r := range run {
				all = all && (garbleOf(r, x) || strings.ContainsRune("aeiou", fold(r)))
				marked = marked || r >= 0x80 || r == '&'
			}
			pair := (x == 'æ' || x == 'Æ') && strings.EqualFold(string(run), "ae")
			if all && (marked || pair) && walk(i+n, j+1) != 1 {
				res = 3
			}
		}
		memo[s] = res
		return res
	}
	r := walk(0, 0)
	return r != 1, r == 3
}

// foreignWords takes from fra (the French model's reading, its words'
// confidences in fraConf, one per word) each word or hyphenated part that
// read (the reading so far) has garbled (see garbleMatch), where the
// French model read the word at foreignSure or above; others are the
// other readings of the value, for witnesses. It returns the mended
// reading and, per word of it, whether a part was taken, or is the
// French model's already (nil when none is).
func foreignWords(read, fra string, fraConf []float64, others []string) (string, []bool) {
	rw, fw := strings.Fields(read), strings.Fields(fra)
	if len(rw) != len(fw) || len(fw) != len(fraConf) {
		return read, nil
	}
	var ow [][]string
	for _, o := range others {
		if w := strings.Fields(o); len(w) == len(rw) {
			ow = append(ow, w)
		}
	}
	var taken []bool
	for i := range rw {
		if fraConf[i] < foreignSure || !strings.ContainsAny(fw[i], swedishLacks) {
			continue
		}
		rp, fp := strings.Split(rw[i], "-"), strings.Split(fw[i], "-")
		if len(rp) != len(fp) {
			continue
		}
		changed := false
		for p := range rp {
			f := []rune(fp[p])
			witness := func(j int, marked bool) bool {
				for _, o := range ow {
					op := strings.Split(o[i], "-")
					if len(op) != len(rp) {
						continue
					}
					a := []rune(op[p])
					if len(a) == len(f) && fold(a[j]) == fold(f[j]) && (!marked || a[j] >= 0x80) {
						return true
					}
				}
				return false
			}
			ok, ch := garbleMatch([]rune(rp[p]), f, witness)
			if ok && ch {
				rp[p] = fp[p]
			}
			// A part the letter merge already took from the French
			// reading counts as taken too.
			changed = changed || ok && strings.ContainsAny(fp[p], swedishLacks)
		}
		if changed {
			rw[i] = strings.Join(rp, "-")
			if taken == nil {
				taken = make([]bool, len(rw))
			}
			taken[i] = true
		}
	}
	if taken == nil {
		return read, nil
	}
	return strings.Join(rw, " "), taken
}

// foreignTaken is the confidence of best once the words taken marks are
// taken from the French model's reading (its words' confidences fraConf):
// the least of those words' confidence and of the Swedish reading's other
// words', at most foreignConfidence. When best's words cannot be told
// apart, its confidence stays.
func foreignTaken(best candidate, taken []bool, fraConf []float64) float64 {
	if len(best.words) != len(taken) {
		return min(best.confidence, foreignConfidence)
	}
	conf := foreignConfidence
	for i, t := range taken {
		if t {
			conf = min(conf, fraConf[i])
		} else {
			conf = min(conf, best.words[i].Confidence)
		}
	}
	return conf
}

// withoutTaken returns the words of unconfirmed (split at spaces and
// hyphens) that are not parts of the words of text that taken marks.
func withoutTaken(unconfirmed, text string, taken []bool) string {
	words := strings.Fields(text)
	if taken == nil || len(words) != len(taken) {
		return unconfirmed
	}
	drop := map[string]bool{}
	for i, t := range taken {
		if t {
			for _, p := range strings.Split(words[i], "-") {
				drop[p] = true
			}
		}
	}
	var left []string
	for _, w := range strings.FieldsFunc(unconfirmed, func(r rune) bool { return r == ' ' || r == '-' }) {
		if !drop[w] {
			left = append(left, w)
		}
	}
	return strings.Join(left, " ")
}

// The Latin-script model has every letter of names written in Latin
// letters (ë, ü, ø, æ, á, ñ, ç), where each language model lacks some;
// it reads plain Swedish words less well than the Swedish model. So it
// reads a person's name once more, as an independent vote on the Swedish
// chain's choice, unless the chain read it surely in plain words with
// every mark explained (plainlySure), where it could only confirm. A sure reading that agrees confirms the name.
// One that differs where a letter beyond Swedish is concerned replaces
// it (it is the model that has the letters); so does a fair one that is
// also one of the other models' readings or the chain's own before it
// changed a letter by the marks (markLetters, openUnderDots), but in
// doubt. Any other difference, in plain Swedish letters or from a fair
// reading, puts the name in doubt. The model also drops the dots of ë
// and ö at times (Mikael, Omer): agreement never overrides marks over the
// line that the reading does not explain.

// latinModel names the Latin-script model.
const latinModel = "Latin"

// latinSure is the least confidence of the Latin-script model's weakest
// word for its reading to confirm or replace a name; latinFair, for its
// disagreement to put a name in doubt.
const (
	latinSure = 0.9
	latinFair = 0.7
)

// latinGlimpse is the least confidence of the Latin-script model's
// weakest word for a letter of latinOnly that it alone read to be taken
// where the chain read odd signs for it (latinOnlyMerged): the model
// reads such letters unsurely (Weiß at 0.46 to 0.67 on faxes and stamps,
// where the Swedish model read Weif3 at 0.93).
const latinGlimpse = 0.3

// latinAgreed is the confidence of a name that the Swedish chain and a
// sure Latin-script reading give alike; latinTaken, of one taken from the
// Latin-script model over the chain's.
const (
	latinAgreed = 0.88
	latinTaken  = 0.85
)

// voteLatin weighs lat, the Latin-script model's reading of a name (its
// weakest word at latConf), against raw, the chain's choice at conf, and
// readings, the other readings of the name. unexplained tells how many marks over the line a reading leaves
// unexplained. It returns the name, its confidence and whether the model
// confirmed it.
func voteLatin(raw string, conf float64, lat string, latConf float64, readings []string, unexplained func(string) bool) (string, float64, bool) {
	if latConf >= latinGlimpse && latConf < latinSure {
		// Weakly or fairly read, a letter no other model has, where the
		// chain read signs no name has, is the likelier reading (the
		// rest of the name read alike), and in doubt.
		if merged, ok := latinOnlyMerged(raw, lat, latConf < latinFair); ok {
			return merged, min(conf, latinTaken, secondLook), false
		}
	}
	if latConf < latinSure {
		// However weakly read (its word with ð at 0 where it read it
		// right), a name with a letter only it has that the word list
		// has, where the chain read a word it lacks: the list is the
		// witness.
		if merged, ok := latinListedMerged(raw, lat); ok {
			return merged, min(conf, latinTaken, secondLook), false
		}
	}
	switch {
	case lat == "" || latConf < latinFair:
		return raw, conf, false
	case lat == raw:
		if latConf >= latinSure && !unexplained(raw) {
			return raw, max(conf, latinAgreed), true
		}
		return raw, conf, false
	case lostMarks(raw, lat):
		return raw, min(conf, secondLook), false
	case latConf < latinSure:
		if slices.Contains(readings, lat) && beyondSwedish(raw, lat) {
			return lat, min(conf, latinTaken, secondLook), false
		}
		return raw, min(conf, secondLook), false
	case !beyondSwedish(raw, lat):
		// Plain Swedish letters are the Swedish model's to read; but
		// where its reading leaves marks over the line unexplained
		// and the Latin-script model's, a letter or two apart,
		// explains them, the marks tell: an i's dot the Swedish model
		// lost with its i (Elf for Elif), in doubt.
		if unexplained(raw) && !unexplained(lat) && marksOf(lat) > marksOf(raw) && editDistance(raw, lat) <= 2 {
			return lat, min(conf, latinTaken, secondLook), false
		}
		return raw, min(conf, secondLook), false
	case unexplained(lat):
		return lat, min(latinTaken, secondLook), false
	}
	return lat, latinTaken, false
}

// latinLetters gives raw the letters beyond Swedish that the
// Latin-script model (lat, its reading) and another model read where raw
// has a letter of the same base: ô for the ö the Swedish model, which has
// no ô, reads for it (Jéröme for Jérôme), á for its å (Fernåndez for
// Fernández). Each model alone reads such letters for Swedish ones too
// (the French model, which has no ö, ô for ö; the Spanish model, which
// has no å, á for å); the Latin-script model, which has them all, alike
// with one of them seldom. Where raw has a plain letter only the French
// model (fra) counts, not the Spanish model (spa), which sees accents in
// specks and in the dot of an i. Not é, which the Swedish model has:
// there both may take a speck for its accent (Yvonné). Words are matched
// by place: all of them where the readings have as many, else the first
// and the last (a reading may split O'Connor into 0 Connor); letters by
// place within words as long.
func latinLetters(raw, lat, fra, spa string) string {
	words, lw, fw, sw := strings.Fields(raw), strings.Fields(lat), strings.Fields(fra), strings.Fields(spa)
	at := func(ws []string, i int) []rune {
		switch {
		case len(ws) == len(words):
			return []rune(ws[i])
		case len(ws) > 0 && i == 0:
			return []rune(ws[0])
		case len(ws) > 0 && i == len(words)-1:
			return []rune(ws[len(ws)-1])
		}
		return nil
	}
	changed := false
	for i, w := range words {
		r, l, f, s := []rune(w), at(lw, i), at(fw, i), at(sw, i)
		if len(l) != len(r) {
			continue
		}
		for j := range r {
			if l[j] == r[j] || fold(l[j]) != fold(r[j]) || strings.ContainsRune(swedishPlain+"é", unicode.ToLower(l[j])) {
				continue
			}
			if len(f) == len(r) && f[j] == l[j] || r[j] >= 0x80 && len(s) == len(r) && s[j] == l[j] {
				r[j], changed = l[j], true
			}
		}
		words[i] = string(r)
	}
	if !changed {
		return raw
	}
	return strings.Join(words, " ")
}

// latinOnly are the letters of names that, of the models a name is read
// with, only the Latin-script model has: no other reading can confirm
// one (Weiß, Guðmundsdóttir, Wałęsa).
const latinOnly = "ßðþłđ"

// latinOnlyMerged is raw, the chain's reading of a name, with the letters
// of latinOnly that lat, the Latin-script model's reading, has where raw
// has a misreading of them of three characters at most (Weiß read WeiR,
// Weil3, Weif3), word for word (letters compared in either case: the
// model may read the W of Weiß small). Where odd is set (lat read
// weakly), lat must differ from raw there only, and each misreading must
// hold a sign a name does not have there: a capital or a digit or a mark
// (WeiR, Weif3, not Weiss, which is a name of its own). Read fairly, lat
// may differ elsewhere too, as the models differ over marks: a word as
// long as raw's takes lat's letters of latinOnly letter for letter, the
// rest of raw's letters kept (Guämundsdöttir and Guðmundsdóttir give
// Guðmundsdöttir, its ö left to the votes over marks); any other word
// stays raw's.
func latinOnlyMerged(raw, lat string, odd bool) (string, bool) {
	rw, lw := strings.Fields(raw), strings.Fields(lat)
	if len(rw) != len(lw) || raw == lat {
		return "", false
	}
	same := func(a, b rune) bool { return unicode.ToLower(a) == unicode.ToLower(b) }
	merged, changed := make([]string, len(rw)), false
	for i := range rw {
		r, l := []rune(rw[i]), []rune(lw[i])
		p := 0
		for p < len(r) && p < len(l) && same(r[p], l[p]) {
			p++
		}
		q := 0
		for q < len(r)-p && q < len(l)-p && same(r[len(r)-1-q], l[len(l)-1-q]) {
			q++
		}
		theirs, ours := l[p:len(l)-q], r[p:len(r)-q]
		merged[i] = rw[i]
		if len(theirs) == 0 && len(ours) == 0 {
			continue
		}
		if len(theirs) == 0 || len(ours) > 3 || strings.ContainsFunc(string(theirs), func(c rune) bool {
			return !strings.ContainsRune(latinOnly, unicode.ToLower(c))
		}) {
			if odd {
				return "", false
			}
			if w, ok := latinOnlyInPlace(r, l); ok {
				merged[i], changed = w, true
			}
			continue
		}
		if odd && !strings.ContainsFunc(string(ours), func(c rune) bool { return !unicode.IsLower(c) }) {
			return "", false
		}
		merged[i], changed = string(r[:p])+string(theirs)+string(r[len(r)-q:]), true
	}
	return strings.Join(merged, " "), changed
}

// latinListedMerged is raw, the chain's reading of a name, with each
// word that the word list lacks replaced by lat's (the Latin-script
// model's reading) in its place, where lat's has a letter of latinOnly
// and is a name the list has (see foreignNames: Guðmundsdóttir), as long
// as raw's and differing from it only there and in marks (Guämundsdöttir;
// not Forsþerg for Forsberg, which the list has, nor Córdoþba, which it
// lacks); ok when one was replaced. Words are matched by place, where the
// two have as many.
func latinListedMerged(raw, lat string) (string, bool) {
	rw, lw := strings.Fields(raw), strings.Fields(lat)
	if len(rw) != len(lw) {
		return "", false
	}
	changed := false
	for i := range rw {
		r, l := []rune(rw[i]), []rune(lw[i])
		lower := strings.ToLower(lw[i])
		if len(r) != len(l) || !strings.ContainsAny(lower, latinOnly) || knownName(lower) != listed {
			continue
		}
		if own := strings.ToLower(rw[i]); known(own) == listed || knownName(own) == listed {
			continue
		}
		alike := true
		for j := range r {
			if r[j] != l[j] && fold(r[j]) != fold(l[j]) && !strings.ContainsRune(latinOnly, unicode.ToLower(l[j])) {
				alike = false
				break
			}
		}
		if alike {
			rw[i], changed = lw[i], true
		}
	}
	return strings.Join(rw, " "), changed
}

// latinOnlyInPlace is r, a word of the chain's reading, with the letters
// of latinOnly that l, the Latin-script model's reading of it, has in
// their places, where the two are as long and r has a letter there; ok
// when one was taken.
func latinOnlyInPlace(r, l []rune) (string, bool) {
	if len(r) != len(l) {
		return "", false
	}
	out, ok := slices.Clone(r), false
	for j := range r {
		if strings.ContainsRune(latinOnly, unicode.ToLower(l[j])) && unicode.ToLower(l[j]) != unicode.ToLower(r[j]) && unicode.IsLetter(r[j]) {
			out[j], ok = l[j], true
		}
	}
	return string(out), ok
}

// beyondSwedish reports whether the letters one of a and b has more of
// than the other include one that is not a plain Swedish letter: a letter
// with a mark other than å, ä, ö, or a sign (Mikaé&l against Mikaël, Mige
// against Müge), where the two readings differ.
func beyondSwedish(a, b string) bool {
	count := map[rune]int{}
	for _, r := range a {
		count[r]++
	}
	for _, r := range b {
		count[r]--
	}
	for r, n := range count {
		if n != 0 && !strings.ContainsRune(swedishPlain, unicode.ToLower(r)) {
			return true
		}
	}
	return false
}

// swedishPlain are the letters the Swedish model reads as well as any,
// and the space and hyphen between names.
const swedishPlain = "abcdefghijklmnopqrstuvwxyzåäö -"

// lostMarks reports whether lat is raw with some of its marks lost and no
// other change (Sørensen read Sorensen): the Latin-script model drops
// marks more often than the Swedish chain makes them up.
func lostMarks(raw, lat string) bool {
	r, l := []rune(raw), []rune(lat)
	if len(r) != len(l) {
		return false
	}
	lost := false
	for i := range r {
		switch {
		case r[i] == l[i]:
		case plainOf(r[i]) == l[i]:
			lost = true
		default:
			return false
		}
	}
	return lost
}

// plainOf is r without its marks or stroke (ö, ø and ó give o), in r's
// case.
func plainOf(r rune) rune {
	switch unicode.ToLower(r) {
	case 'ø':
		if unicode.IsUpper(r) {
			return 'O'
		}
		return 'o'
	}
	p := fold(r)
	if unicode.IsUpper(r) {
		return unicode.ToUpper(p)
	}
	return p
}

// nameSigns gives a word of a person's name that holds a sign no name
// does (a digit, &, /: the Swedish model, which has no Æ, reads it as &,
// 4 or /E) the word that two other models' readings (votes) agree on in
// its place, where that word is letters only (&sa O'Brien → Æsa
// O'Brien). Words are matched by place, in readings with as many words.
func nameSigns(raw string, votes []string) string {
	words := strings.Fields(raw)
	letters := func(w string) bool {
		return w != "" && !strings.ContainsFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' && r != '\'' })
	}
	changed := false
	for i, w := range words {
		if letters(w) {
			continue
		}
		count := map[string]int{}
		for _, v := range votes {
			if vw := strings.Fields(v); len(vw) == len(words) && letters(vw[i]) {
				count[vw[i]]++
			}
		}
		best, n, tie := "", 0, false
		for c, k := range count {
			switch {
			case k > n:
				best, n, tie = c, k, false
			case k == n:
				tie = true
			}
		}
		if n >= 2 && !tie {
			words[i], changed = best, true
		}
	}
	if !changed {
		return raw
	}
	return strings.Join(words, " ")
}
