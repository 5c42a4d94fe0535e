package letter

import (
	"blankett/form"
	"strings"
	"testing"
	"time"
)

func testRenderer(t *testing.T) *Renderer {
	t.Helper()
	r, err := NewRenderer(DefaultAssets())
	if err != nil {
		t.Fatalf("%v (scripts/services.sh installs fonts-liberation and icc-profiles-free)", err)
	}
	return r
}

func TestClean(t *testing.T) {
	t.Parallel()
	r := testRenderer(t)
	for in, want := range map[string]string{
		"Åsa Öberg":                "Åsa Öberg",
		"a\u030as o\u0308 e\u0301": "ås ö é", // decomposed, as some scanners write it
		"– • € ü":                  "– • € ü",
		"日":                        "?",
		"070\u00a0123 45":          "070\u00a0123 45", // no-break space kept
		"a\tb\x01c":                "a bc",
	} {
		if got := r.clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWrapFitsAndKeepsWords(t *testing.T) {
	t.Parallel()
	d := testRenderer(t).newDoc(time.Time{})
	text := "Vi har tagit emot din beställning av behörighet till uppföljningssystemet SUS för Åsa Öberg vid Umeå kommun. " +
		"Ett_mycket_långt_ord_utan_mellanslag_som_inte_ryms_på_en_rad_alls_utan_måste_brytas_någonstans_på_vägen_ändå."
	for _, max := range []float64{120, 250, bodyWidth} {
		lines := d.wrap(text, false, bodySize, max)
		if len(lines) < 2 {
			t.Errorf("max %v: %d line(s)", max, len(lines))
		}
		for _, l := range lines {
			if w := d.width(l, false, bodySize); w > max {
				t.Errorf("max %v: line %q is %v wide", max, l, w)
			}
		}
		if got, want := strings.ReplaceAll(strings.Join(lines, ""), " ", ""), strings.ReplaceAll(text, " ", ""); got != want {
			t.Errorf("max %v: text changed:\n%q\n%q", max, got, want)
		}
	}
	if lines := d.wrap("Box 43\n933 21 Arvidsjaur", false, bodySize, bodyWidth); len(lines) != 2 {
		t.Errorf("hard line break: %q", lines)
	}
	if lines := d.wrap("ring oss på 070\u00a0123\u00a045\u00a067", false, bodySize, 100); len(lines) != 2 || lines[1] != "070\u00a0123\u00a045\u00a067" {
		t.Errorf("broke at a no-break space: %q", lines)
	}
}

func TestDateInWords(t *testing.T) {
	t.Parallel()
	for in, want := range map[time.Time]string{
		time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC):  "2 november 2026",
		time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC):  "31 januari 2027",
		time.Date(2026, 5, 15, 0, 0, 0, 0, time.UTC):  "15 maj 2026",
		time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC): "24 december 2026",
	} {
		if got := form.DayInWords(in); got != want {
			t.Errorf("form.DayInWords(%v) = %q, want %q", in, got, want)
		}
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
