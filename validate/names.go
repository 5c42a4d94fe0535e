package validate

import (
	"sort"
	"strings"
	"unicode"
)

// foldRunes maps letters with diacritics to their base letters for
// comparing names. Lower case only: the input is lowered first.
var foldRunes = map[rune]string{
	'å': "a", 'ä': "a", 'á': "a", 'à': "a", 'â': "a", 'ã': "a", 'ā': "a",
	'ö': "o", 'ó': "o", 'ò': "o", 'ô': "o", 'õ': "o", 'ø': "o",
	'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'í': "i", 'ì': "i", 'î': "i", 'ï': "i",
	'ú': "u", 'ù': "u", 'û': "u", 'ü': "u",
	'ý': "y", 'ÿ': "y", 'ç': "c", 'ñ': "n", 'š': "s", 'ž': "z", 'č': "c",
	'æ': "ae", 'œ': "oe", 'ß': "ss",
}

// NameKey returns a key under which two spellings of the same name are
// equal: case, white space, diacritics, punctuation and word order are
// ignored ("Ann-Sofie  Öberg" = "oberg, ann sofie").
func NameKey(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case foldRunes[r] != "":
			b.WriteString(foldRunes[r])
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteByte(' ')
		}
	}
	words := strings.Fields(b.String())
	sort.Strings(words)
	return strings.Join(words, " ")
}

// SameName reports whether two names are the same person's name as far
// as NameKey can tell. Empty names never match.
func SameName(a, b string) bool {
	ka := NameKey(a)
	return ka != "" && ka == NameKey(b)
}
