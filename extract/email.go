package extract

import (
	"strings"

	"blankett/form"
)

// Office e-mail addresses are nearly always first.last@ of the person's
// own name, which OCR reads far better (Swedish model, dictionary of
// letters) than an address (no words, lookalike l/i/1, lost dots). When an
// address read from a form is within a couple of letters of the one its
// person's name makes, the name's version is taken, at a confidence low
// enough that a reviewer is asked to look.

// nameAddressConfidence is the confidence of an address mended from a name.
const nameAddressConfidence = 0.75

// mendAddresses mends every e-mail field that has a name field beside it
// (orderer_email ↔ orderer_name, user_email ↔ user_name, …).
func mendAddresses(fields form.Fields) {
	for name, v := range fields {
		if v.Type != form.TypeEmail || !strings.HasSuffix(name, "_email") {
			continue
		}
		person, ok := fields[strings.TrimSuffix(name, "_email")+"_name"]
		if !ok || person.Value == "" {
			continue
		}
		local, domain, ok := strings.Cut(v.Value, "@")
		if !ok || local == "" || domain == "" {
			continue // not an address at all: leave it for the rules
		}
		for _, want := range localParts(person.Value) {
			if want == local {
				break
			}
			if d := editDistance(local, want); d > 0 && d <= max(2, len(want)/8) {
				v.Value = want + "@" + domain
				v.Confidence = min(v.Confidence, nameAddressConfidence)
				fields[name] = v
				break
			}
		}
	}
}

// localParts gives the local parts a name makes: first.last, and every
// word joined with dots, folded to plain letters (Karl-Åke Forsén →
// karlake.forsen).
func localParts(name string) []string {
	fold := strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "é", "e", "è", "e", "ü", "u", "-", "", "'", "")
	words := strings.Fields(fold.Replace(strings.ToLower(name)))
	if len(words) < 2 {
		return nil
	}
	out := []string{words[0] + "." + words[len(words)-1]}
	if len(words) > 2 {
		out = append(out, strings.Join(words, "."))
	}
	return out
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
