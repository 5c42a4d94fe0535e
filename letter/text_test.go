package letter

import (
	"bytes"
	"strings"
	"testing"
)

func TestCP1252(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][]byte{
		"Åsa Öberg":             {0xC5, 's', 'a', ' ', 0xD6, 'b', 'e', 'r', 'g'},
		"ä é":                   {0xE4, ' ', 0xE9},
		"a\u030as o\u0308":      {0xE5, 's', ' ', 0xF6}, // decomposed, as some scanners write it
		"– • €":                 {0x96, ' ', 0x95, ' ', 0x80},
		"日":                     {'?'},
		"070\u00a0123\u2011456": []byte("070\xa0123-456"), // no-break space is in CP1252
	} {
		if got := cp1252(in); !bytes.Equal(got, want) {
			t.Errorf("cp1252(%q) = %x, want %x", in, got, want)
		}
	}
}

func TestWrapFitsAndKeepsWords(t *testing.T) {
	t.Parallel()
	text := "Vi har tagit emot din beställning av behörighet till uppföljningssystemet SUS för Åsa Öberg vid Umeå kommun. " +
		"Ett_mycket_långt_ord_utan_mellanslag_som_inte_ryms_på_en_rad_alls_utan_måste_brytas_någonstans_på_vägen_ändå."
	for _, max := range []float64{120, 250, bodyWidth} {
		lines := wrap(text, fontRegular, bodySize, max)
		var words []string
		for _, l := range lines {
			if w := width(l, fontRegular, bodySize); w > max {
				t.Errorf("max %v: line %q is %v wide", max, l, w)
			}
			words = append(words, string(l))
		}
		if got, want := strings.ReplaceAll(strings.Join(words, ""), " ", ""), string(cp1252(strings.ReplaceAll(text, " ", ""))); got != want {
			t.Errorf("max %v: text changed:\n%q\n%q", max, got, want)
		}
	}
	if lines := wrap("Box 43\n933 21 Arvidsjaur", fontRegular, bodySize, bodyWidth); len(lines) != 2 {
		t.Errorf("hard line break: %q", lines)
	}
}

func TestMaskText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"pn 19800101-9876 och 800101-9876":  "pn (personnummer) och (personnummer)",
		"samordningsnummer 198001619876":    "samordningsnummer (personnummer)",
		"org 212000-2627, datum 2026-03-02": "org 212000-2627, datum 2026-03-02",
		"telefon 070-123 45 67":             "telefon 070-123 45 67",
	} {
		if got := maskText(in, nil); got != want {
			t.Errorf("maskText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNationalPhone(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"+46701234567": "070-123 45 67", "0701234567": "070-123 45 67", "+4690161000": "+4690161000", "": ""} {
		if got := nationalPhone(in); got != want {
			t.Errorf("nationalPhone(%q) = %q, want %q", in, got, want)
		}
	}
}
