package letter

import "strings"

// The core fonts are encoded as WinAnsiEncoding (CP1252): Latin-1 plus a
// few typographic characters in 0x80–0x9F. Text is encoded before it is
// measured and written.

var cp1252High = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87,
	'ˆ': 0x88, '‰': 0x89, 'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E,
	'‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97,
	'˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B, 'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
}

// composed folds the combining marks scanned or typed text may carry
// (a + ring above and so on) into the precomposed letters CP1252 has.
var composed = strings.NewReplacer(
	"a\u030a", "å", "A\u030a", "Å", "a\u0308", "ä", "A\u0308", "Ä",
	"o\u0308", "ö", "O\u0308", "Ö", "u\u0308", "ü", "U\u0308", "Ü",
	"e\u0301", "é", "E\u0301", "É", "e\u0300", "è", "E\u0300", "È",
	"a\u0301", "á", "a\u0300", "à", "o\u0301", "ó", "i\u0301", "í",
	"n\u0303", "ñ", "c\u0327", "ç",
)

// substitutes maps a few characters outside CP1252 to the nearest ones
// inside it; anything else becomes '?'.
var substitutes = map[rune]byte{
	'\u2009': ' ', '\u202f': ' ', '\u2010': '-', '\u2011': '-', '\u2212': '-',
	'\u2032': '\'', '\u2033': '"', '\t': ' ',
}

// cp1252 encodes s for a core font.
func cp1252(s string) []byte {
	s = composed.Replace(s)
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r < 0x80 && r >= 0x20:
			b = append(b, byte(r))
		case r >= 0xA0 && r <= 0xFF:
			b = append(b, byte(r))
		case cp1252High[r] != 0:
			b = append(b, cp1252High[r])
		case substitutes[r] != 0:
			b = append(b, substitutes[r])
		case r >= 0x0300 && r <= 0x036F:
			// a combining mark left over: drop it
		default:
			b = append(b, '?')
		}
	}
	return b
}
