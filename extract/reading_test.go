package extract

import (
	"context"
	"fmt"
	"image"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"blankett/corpus"
	"blankett/form"
)

func TestChoose(t *testing.T) {
	c := func(value string, wellFormed bool, conf float64) candidate {
		return candidate{value: value, wellFormed: wellFormed, confidence: conf}
	}
	for _, tc := range []struct {
		name  string
		cands []candidate
		want  string
	}{
		{"well formed beats sure", []candidate{c("221704-8548", false, 0.9), c("227704-8548", true, 0.5)}, "227704-8548"},
		{"agreement beats sure", []candidate{c("a", true, 0.9), c("b", true, 0.6), c("b", true, 0.5)}, "b"},
		{"sure wins alone", []candidate{c("a", true, 0.6), c("b", true, 0.7)}, "b"},
		{"first wins ties", []candidate{c("a", true, 0.7), c("b", true, 0.7)}, "a"},
	} {
		if got, _ := choose(tc.cands); got.value != tc.want {
			t.Errorf("%s: chose %q, want %q", tc.name, got.value, tc.want)
		}
	}
	// Agreement: the best confidence of those that agree (0.9 and 0.7).
	if _, conf := choose([]candidate{c("a", true, 0.7), c("b", true, 0.6), c("a", true, 0.9)}); conf != 0.9 {
		t.Errorf("agreed confidence %v, want 0.9", conf)
	}
	// A lone reading: loneFactor times the weakest of all.
	if _, conf := choose([]candidate{c("a", true, 0.6), c("b", true, 0.8)}); math.Abs(conf-0.6*loneFactor) > 1e-9 {
		t.Errorf("lone confidence %v, want %v", conf, 0.6*loneFactor)
	}
	// One reading keeps its own.
	if _, conf := choose([]candidate{c("a", false, 0.5)}); conf != 0.5 {
		t.Errorf("single confidence %v, want 0.5", conf)
	}
}

// TestOtherwiseAlike: a number is disputed where both models read the
// same other digits (seen on evaluation seed 20281128: +469091)726 taken,
// read so by one model, where each model read +46909)726), not where only
// one model read them, or the other readings differ among themselves.
func TestOtherwiseAlike(t *testing.T) {
	c := func(lang, raw string) candidate { return candidate{lang: lang, raw: raw} }
	best := c("eng", "+469091)726")
	for _, tc := range []struct {
		name  string
		cands []candidate
		want  bool
	}{
		{"both models otherwise", []candidate{c("eng", "+46909)726"), best, c("swe", "+46909)726")}, true},
		{"one model otherwise", []candidate{c("eng", "+46909)726"), best, c("eng", "+46909)726")}, false},
		{"others differ", []candidate{c("eng", "+46909)726"), best, c("swe", "+469097726")}, false},
		{"others as chosen", []candidate{c("eng", "+46 909 17 26"), best, c("swe", "469091726")}, false},
	} {
		if got := otherwiseAlike(tc.cands, best); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestUnanimousNumberIsSure: a JPEG scan of a 9463 whose phone number
// and personnummer Tesseract reads right, both models alike, on the zone
// as scanned and smoothed, but with a word at confidence 0 (a space it
// doubted: 072-60963 for 072-609 63). The numbers are shown as read, not
// as unread at 0.
func TestUnanimousNumberIsSure(t *testing.T) {
	const path = "../testdata/corpus/scan/9463-valid-add-four-initials"
	data, err := os.ReadFile(path + ".pdf")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path + ".truth.json")
	if err != nil {
		t.Fatal(err)
	}
	var tr corpus.Truth
	if err := jsonUnmarshal(raw, &tr); err != nil {
		t.Fatal(err)
	}
	res, err := newTestExtractor(t).Extract(context.Background(), MediaPDF, data)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 1 {
		t.Fatalf("read as %v", summary(res))
	}
	numbers := 0
	for name, want := range tr.Documents[0].Fields {
		if want.Type != form.TypePersonnummer && want.Type != form.TypePhone && want.Type != form.TypeOrgnr {
			continue
		}
		numbers++
		got := res.Documents[0].Fields[name]
		if got.Value != want.Value || got.Flagged() {
			t.Errorf("%s: %q at %.2f, want %q, not flagged", name, got.Value, got.Confidence, want.Value)
		}
	}
	if numbers < 8 {
		t.Errorf("%d numbers in the truth, want 9", numbers)
	}
}

// TestClearSpecks draws a line of "letters" with a dot above one (an i),
// a full stop on the baseline and a speck between words; only the speck
// goes.
func TestClearSpecks(t *testing.T) {
	const k = 4.0
	img := paper(300, 80)
	fill := func(x0, y0, x1, y1 int) { shade(img, x0, y0, x1, y1, 0) }
	for _, x := range []int{20, 50, 80, 170, 200, 230} {
		fill(x, 30, x+20, 60) // letters 30 px high, baseline at 60
	}
	fill(110, 30, 116, 60) // the stem of an i
	fill(111, 20, 115, 24) // its dot
	fill(255, 55, 260, 60) // a full stop
	fill(140, 42, 144, 46) // a speck between words, at mid height
	clearSpecks(img, img, components(img), k)
	ink := func(x, y int) bool { return img.Pix[y*img.Stride+x] < 128 }
	if !ink(112, 22) {
		t.Error("the dot of the i was cleared")
	}
	if !ink(257, 57) {
		t.Error("the full stop was cleared")
	}
	if ink(142, 44) {
		t.Error("the speck between words was kept")
	}
	if !ink(30, 45) {
		t.Error("a letter was cleared")
	}
}

// TestClearSpecksJoins draws two words three letters each with a mark
// between them: a speck wider than tall at the middle of the x-height in a
// narrow gap is where a hyphen goes (cleared, and counted: a person looks);
// a square one, one high in the gap, a full stop and one in a wide space
// are not.
func TestClearSpecksJoins(t *testing.T) {
	const k = 4.0
	cases := []struct {
		name           string
		x0, y0, x1, y1 int
		joins          int
	}{
		{"a thinned hyphen", 83, 43, 88, 46, 1},
		{"a square speck", 84, 42, 88, 46, 0},
		{"a speck high in the gap", 83, 31, 88, 34, 0},
		{"a full stop", 83, 56, 88, 60, 0},
	}
	for _, tc := range cases {
		img := paper(220, 80)
		for _, x := range []int{20, 45, 60, 95, 120, 145} {
			shade(img, x, 30, x+20, 60, 0) // letters 30 px high, baseline at 60; a gap 80-95
		}
		shade(img, tc.x0, tc.y0, tc.x1, tc.y1, 0)
		loose := clearSpecks(img, img, components(img), k)
		if loose.joins != tc.joins {
			t.Errorf("%s: %d joins, want %d", tc.name, loose.joins, tc.joins)
		}
	}
	// A hyphen far from both words: no gap between two letters.
	img := paper(300, 80)
	for _, x := range []int{20, 45, 200, 225} {
		shade(img, x, 30, x+20, 60, 0)
	}
	shade(img, 120, 43, 125, 46, 0)
	if loose := clearSpecks(img, img, components(img), k); loose.joins != 0 {
		t.Errorf("a speck in a wide space: %d joins, want 0", loose.joins)
	}
}

// TestDiacritics draws wide "letters" 20 px wide and 30 high with marks
// above them: a dot off the centre of one goes (a speck over the stem of an
// n); two level dots (ä), a dot whose twin has faded to grey, and a centred
// dot (an accent) stay.
func TestDiacritics(t *testing.T) {
	const k = 4.0
	img := paper(300, 80)
	fill := func(x0, y0, x1, y1 int, v uint8) { shade(img, x0, y0, x1, y1, v) }
	for _, x := range []int{20, 50, 80, 170, 200, 230} {
		fill(x, 30, x+20, 60, 0)
	}
	fill(34, 22, 38, 26, 0)   // a speck over the right stem of the first
	fill(53, 22, 57, 26, 0)   // ä
	fill(63, 22, 67, 26, 0)   //
	fill(83, 22, 87, 26, 0)   // ä with a faded dot
	fill(93, 22, 97, 26, 180) //
	fill(178, 22, 182, 26, 0) // a centred accent
	scan := image.NewGray(img.Bounds())
	copy(scan.Pix, img.Pix)
	clearSpecks(img, scan, components(img), k)
	ink := func(x, y int) bool { return img.Pix[y*img.Stride+x] < 128 }
	if ink(36, 24) {
		t.Error("the speck off the centre of a letter was kept")
	}
	for _, p := range []image.Point{{55, 24}, {65, 24}, {85, 24}, {180, 24}} {
		if !ink(p.X, p.Y) {
			t.Errorf("the mark at %v was cleared", p)
		}
	}
}

// TestSpaceDigits draws "12 34 5" as bars of digit height with a speck
// and checks the spaces come back where the gaps are wide.
func TestSpaceDigits(t *testing.T) {
	img := paper(200, 60)
	fill := func(x0, y0, x1, y1 int) { shade(img, x0, y0, x1, y1, 0) }
	for _, x := range []int{10, 25, 55, 70, 100} { // gaps of 5 px, or 20
		fill(x, 15, x+10, 45)
	}
	fill(48, 42, 51, 45) // a speck on the baseline
	for text, want := range map[string]string{
		"12345":  "12 34 5",
		"1234 5": "12 34 5",
		"1234":   "1234",   // a digit missing: as read
		"12-345": "12-345", // not digits only: as read
	} {
		if got := spaceDigits(img, text); got != want {
			t.Errorf("spaceDigits(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestTakeLetters(t *testing.T) {
	for _, c := range []struct{ base, other, want string }{
		{"anna.dberg(at)gotene.se", "anna.öberg(at)gotene.se", "anna.öberg(at)gotene.se"},
		{"anna.dberg(at)gotene.se", "anna.öberq(at)gotene.se", "anna.dberg(at)gotene.se"}, // g/q too: no
		{"anna.berg@gotene.se", "anna.öberg@gotene.se", "anna.berg@gotene.se"},            // lengths differ
	} {
		if got := takeLetters(c.base, c.other, swedishLetters); got != c.want {
			t.Errorf("takeLetters(%q, %q) = %q, want %q", c.base, c.other, got, c.want)
		}
	}
}

func TestDropDots(t *testing.T) {
	for _, c := range []struct{ read, plain, want string }{
		{"Storgatän 13", "Storgatan 13", "Storgatan 13"},
		{"Åsa Sändén", "Asa Sanden", "Åsa Sandén"}, // accents on e and rings stay
		{"Karlstäd", "Karlstad", "Karlstad"},
		{"Kömmundirektör", "Kommundirektor", "Kommundirektor"},
		{"Björn Nördén", "Björn Nordén", "Björn Nordén"},
		{"Östen Lövgren", "Osten Lövgren", "Osten Lövgren"},
		{"Storgatän 13", "Storgatari 13", "Storgatän 13"}, // other letters differ: as read
		{"Storgatän 13", "Storgatan", "Storgatän 13"},     // words differ: as read
	} {
		if got := dropDots(c.read, c.plain); got != c.want {
			t.Errorf("dropDots(%q, %q) = %q, want %q", c.read, c.plain, got, c.want)
		}
	}
}

// TestGlyphMends draws "ooooil.l_o@o.o" as glyphs: letters of x-height,
// an i with its dot, a tall l, a stop, a tall stroke without a dot, an
// underscore under the baseline; readings that swap the two letters, or
// read the underscore as a stop or a hyphen, are mended.
func TestGlyphMends(t *testing.T) {
	const k = 4.0
	img := paper(360, 80)
	fill := func(x0, y0, x1, y1 int) { shade(img, x0, y0, x1, y1, 0) }
	for _, x := range []int{10, 40, 70, 100, 215, 245, 285} { // letters of x-height; the last three o@o
		fill(x, 40, x+16, 60)
	}
	fill(130, 40, 134, 60) // i
	fill(130, 32, 134, 36) // its dot
	fill(145, 28, 149, 60) // l
	fill(160, 56, 164, 60) // .
	fill(175, 28, 179, 60) // l
	fill(190, 61, 206, 64) // _
	fill(270, 56, 274, 60) // .
	fill(310, 40, 326, 60) // o
	for read, want := range map[string]string{
		"ooooli.i.o@o.o": "ooooil.l_o@o.o",
		"ooooil.l_o@o.o": "ooooil.l_o@o.o",
		"ooooil.l-o@o.o": "ooooil.l_o@o.o",
		"ooooil.l.o@o.o": "ooooil.l_o@o.o",
		"ooooil.lo@o.o":  "ooooil.lo@o.o", // the underscore lost, not placed: as read
		"ooooil":         "ooooil",        // no address: as read
	} {
		if got := glyphMends(read, img, k); got != want {
			t.Errorf("glyphMends(%q) = %q, want %q", read, got, want)
		}
	}
	// Specks about change nothing: the underscore is still seen.
	fill(85, 20, 87, 22)
	fill(167, 44, 169, 46)
	fill(210, 64, 212, 66)
	if got := glyphMends("ooooil.l.o@o.o", img, k); got != "ooooil.l_o@o.o" {
		t.Errorf("with specks: glyphMends = %q, want ooooil.l_o@o.o", got)
	}
}

// TestMendGlyphsKeepsReading: where glyphMends makes an address's i an
// l (a dot the scan merged with its stem), the model's reading stays
// among the candidates, for the name beside it to choose (mendAddresses).
func TestMendGlyphsKeepsReading(t *testing.T) {
	e := newTestExtractor(t)
	const k = 4.0
	img := paper(320, 80)
	x := 10
	for _, r := range "ooooi@oo.se" {
		switch r {
		case 'i':
			shade(img, x, 28, x+4, 60, 0) // as tall as an l: its dot merged
			x += 12
		case '.':
			shade(img, x, 56, x+4, 60, 0)
			x += 12
		default:
			shade(img, x, 40, x+16, 60, 0)
			x += 22
		}
	}
	f := form.Field{Name: "user_email", Type: form.TypeEmail}
	c := candidate{raw: "ooooi@oo.se"}
	e.retext(&c, f, c.raw)
	if !c.wellFormed {
		t.Fatalf("%q is not well formed: the test shows nothing", c.raw)
	}
	e.mendGlyphs(&c, f, img, k)
	if c.value != "ooool@oo.se" || !slices.Contains(c.others, "ooooi@oo.se") {
		t.Errorf("mended to %q with others %q; want ooool@oo.se, the reading ooooi@oo.se among the others", c.value, c.others)
	}
}

// paper is a white image w by h pixels for drawing test writing on.
func paper(w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	return img
}

// shade fills the rectangle x0,y0–x1,y1 of img with grey v.
func shade(img *image.Gray, x0, y0, x1, y1 int, v uint8) {
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			img.Pix[y*img.Stride+x] = v
		}
	}
}

func TestMergeForeign(t *testing.T) {
	for _, tt := range []struct{ swe, fra, want string }{
		{"Jürgen Mäller", "Jürgen Müller", "Jürgen Müller"},                    // ü read as ä
		{"Märta Naess", "Märta Næss", "Märta Næss"},                            // æ read as ae
		{"Amina Ness", "Amina Næss", "Amina Næss"},                             // æ read as e
		{"Esa Moreau", "Æsa Moreau", "Æsa Moreau"},                             // Æ read as E
		{"ZEsa Dubois-Ängström", "Æsa Dubois-Angstrüm", "Æsa Dubois-Ängström"}, // Æ read as ZE; å and ö stay Swedish
		{"Agnés Lefévre", "Agnès Lefèvre", "Agnès Lefèvre"},                    // è for é
		{"Mikael Sjöberg", "Mikaèl Sjöberg", "Mikael Sjöberg"},
		{"Hélene Håkansson", "Hélène Hakansson", "Hélène Håkansson"}, // a word with an accent takes them all                 // no accent over a plain e
		{"Linnea Pena", "Linnea Peña", "Linnea Peña"},                // ñ
		{"Björn Öberg", "Bjürn Oberg", "Björn Öberg"},                // the French model has no ö: never taken for ü
		{"Åsa Ek", "Asa Ek", "Åsa Ek"},                               // nor å
		{"Karl Berg", "Kari Berg", "Karl Berg"},                      // other letters stay the Swedish model's
		{"Anna Berg", "Anna Bergström", "Anna Berg"},                 // words of another length stay
		{"Agnés Gongalves", "Agnès Gonçaives", "Agnès Gonçalves"},    // ç taken where one other letter is in dispute
		{"Elin Pena", "Elin Peña", "Elin Peña"},
		{"Elin Pcna", "Elin Peña", "Elin Pcna"},                   // not in a short word
		{"Agnés Gongalvas", "Agnès Gonçaives", "Agnès Gongalvas"}, // nor where two are
	} {
		if got := mergeForeign(tt.swe, tt.fra); got != tt.want {
			t.Errorf("mergeForeign(%q, %q) = %q, want %q", tt.swe, tt.fra, got, tt.want)
		}
	}
}

func TestRepairDate(t *testing.T) {
	for in, want := range map[string]string{
		"3 novernber 2026": "3 november 2026",
		"3 nov. 2026":      "3 nov. 2026",
		"2o26-11-03":       "2026-11-03",
		"3 Oktober 2O26":   "3 oktober 2026",
		"3 sept. 2026":     "3 sept. 2026",
		"3 mars 2026":      "3 mars 2026",
		"3 igår 2026":      "3 igår 2026", // no month: left for the rules
		// A serif b and i read as digits in a month's name.
		"17.fe6. 2026":     "17.feb. 2026",
		"19 fe6ruar1.2026": "19 februari.2026",
		"3 apr1l 2026":     "3 april 2026",
		"2o26-o1-03":       "2026-01-03", // a group of digits stays digits
		"3.6.2026":         "3.6.2026",
		"18 tepruari 2026": "18 februari 2026", // two letters off a long name
		"26 fe6ruar1-2026": "26 februari-2026", // a hyphen joins it to the year
		"3-nov-2026":       "3-nov-2026",
		"3 juni 2026":      "3 juni 2026",
		"3 jull 2026":      "3 juli 2026",
		"3 mojs 2026":      "3 mojs 2026", // no month within a letter
	} {
		if got := repairDate(in); got != want {
			t.Errorf("repairDate(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestRepairEmail: a dot lost before the top-level domain is put back,
// under a department's domain too; a top-level domain is left as it is.
func TestRepairEmail(t *testing.T) {
	for in, want := range map[string]string{
		"anna.berg@kommunse":      "anna.berg@kommun.se",
		"anna.berg@soc.gotenese":  "anna.berg@soc.gotene.se",
		"anna.berg@soc.gotene.se": "anna.berg@soc.gotene.se",
		"anna.berg@gotene.org":    "anna.berg@gotene.org",
		"Anna Berg@Gotene:nu":     "anna.berg@gotene.nu",
		"info@gotene.info":        "info@gotene.info",
	} {
		if got := repair(form.TypeEmail, in); got != want {
			t.Errorf("repair(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRepairNameApostrophe(t *testing.T) {
	for in, want := range map[string]string{
		"Siobhán O'Sullivan": "Siobhán O'Sullivan",
		"Noël D’Angelo":      "Noël D'Angelo",
		"Anna ' Berg":        "Anna Berg",
		"Anna' Berg":         "Anna Berg",
		// A prefix read apart from its name.
		"Jérôme O ' Connor": "Jérôme O'Connor",
		"Jérôme 0'Connor":   "Jérôme O'Connor",
		"Noël D' Angelo":    "Noël D'Angelo",
		"O 'Brien Anna":     "O'Brien Anna",
		"Anna B ' berg":     "Anna B berg", // no capital after it
	} {
		if got := repairName(in); got != want {
			t.Errorf("repairName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMergeForeignSplit mends a letter the Swedish model lacks and read as
// two, where the French model read it.
func TestMergeForeignSplit(t *testing.T) {
	for _, tt := range []struct{ swe, fra, want string }{
		{"Elin Nufiez", "Elin Nuñez", "Elin Nuñez"},
		{"Begonia Peña", "Begoña Peña", "Begoña Peña"},
		{"Möäge Sjöberg", "Müge Sjoberg", "Müge Sjöberg"},
		{"Sigrån Schiöler", "Sigran Schüler", "Sigrån Schüler"},
		{"Noéäl Holmér", "Noël Holmér", "Noël Holmér"},
		{"Anna Lindqvist", "Anna Lindqvist", "Anna Lindqvist"},
		{"Kristina Berg", "Krüstna Berg", "Kristina Berg"}, // other letters around differ: kept
	} {
		if got := mergeForeign(tt.swe, tt.fra); got != tt.want {
			t.Errorf("mergeForeign(%q, %q) = %q, want %q", tt.swe, tt.fra, got, tt.want)
		}
	}
}

// TestMergeNordicSpanish votes in the letters only the Norwegian and the
// Spanish models have, and keeps the Swedish letters they do not read.
func TestMergeNordicSpanish(t *testing.T) {
	for _, tt := range []struct{ swe, nor, spa, want string }{
		{"Bjorn Sorensen", "Bjørn Sørensen", "Bjorn Sorensen", "Bjørn Sørensen"},
		{"Noël Leovås", "Noël Løvås", "Noel Leovas", "Noël Løvås"},
		{"Åsa Hernåndez-Åkerlund", "Åsa Hernandez-Åkerlund", "Ása Hernández-Ákerlund", "Åsa Hernández-Åkerlund"}, // Å the Norwegian model read stays
		{"Sigrån Ängquist", "Sigran Ängquist", "Sigrún Angquist", "Sigrún Ängquist"},
		{"Karl-Åke Forsén", "Karl-Äke Forsén", "Karl-Áke Forsén", "Karl-Åke Forsén"}, // a ring the Norwegian model read as dots is no accent
		{"Elin Nufiez", "Elin Nufiez", "Elin Nuñez", "Elin Nuñez"},
		{"Björn Öberg", "Björn Öberg", "Bjórn Óberg", "Björn Öberg"}, // ö read by the Norwegian model too
		{"Karl Berg", "Kari Berg", "Karl Berg", "Karl Berg"},
	} {
		if got := mergeSpanish(mergeNordic(tt.swe, tt.nor), tt.nor, tt.spa, ""); got != tt.want {
			t.Errorf("merge(%q, %q, %q) = %q, want %q", tt.swe, tt.nor, tt.spa, got, tt.want)
		}
	}
}

// TestMergeSpanishDots keeps two dots the Spanish model reads as an accent.
func TestMergeSpanishDots(t *testing.T) {
	if got := mergeSpanish("Jürgen Mäkinen", "Jurgen Makinen", "Júrgen Mákinen", ""); got != "Jürgen Mäkinen" {
		t.Errorf("mergeSpanish = %q, want Jürgen Mäkinen", got)
	}
}

// TestMergeSpanishFrench takes an accent over a letter read plain only
// where the French model saw a mark too.
func TestMergeSpanishFrench(t *testing.T) {
	for _, tt := range []struct{ swe, spa, fra, want string }{
		{"Elin Berg", "Elín Berg", "Elin Berg", "Elin Berg"},
		{"Sigrun Berg", "Sigrún Berg", "Sigrün Berg", "Sigrún Berg"},
		{"Ann Hernandez", "Ann Hernández", "Ann Hernàndez", "Ann Hernández"},
	} {
		if got := mergeSpanish(tt.swe, "", tt.spa, tt.fra); got != tt.want {
			t.Errorf("mergeSpanish(%q, %q, %q) = %q, want %q", tt.swe, tt.spa, tt.fra, got, tt.want)
		}
	}
}

func TestDotsDisputed(t *testing.T) {
	for _, tt := range []struct {
		read, fra string
		want      bool
	}{
		{"Björg Muller", "Bjérg Müller", true},
		{"Björg Müller", "Bjérg Müller", false},
		{"Anna Berg", "Änna Berg", true},
		{"Anna Berg", "Anna Berg", false},
		{"Anna Berg", "Anna Bergström", false}, // words of another length are not compared
	} {
		if got := dotsDisputed(tt.read, tt.fra); got != tt.want {
			t.Errorf("dotsDisputed(%q, %q) = %v, want %v", tt.read, tt.fra, got, tt.want)
		}
	}
}

// TestMarksDiffer: two readings that differ only in the marks over
// letters, and not in the letters themselves or their case.
func TestMarksDiffer(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"Svartuddsvagen 1", "Svartuddsvägen 1", true},
		{"Östersund", "Ostersund", true},
		{"Åsa Berg", "Äsa Berg", true},
		{"Östersund", "Östersund", false},                // no difference
		{"Östersund", "ostersund", false},                // case differs
		{"Svartuddsvagen 1", "Svartuddsvagen 7", false},  // a letter differs
		{"Svartuddsvagen 1", "Svartuddsvägen 11", false}, // lengths differ
		{"Malmö stad", "Malmo städ", true},               // in two words
	} {
		if got := marksDiffer(tt.a, tt.b); got != tt.want {
			t.Errorf("marksDiffer(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestRepairTextCapital gives a name, title or place its capital, and a
// street's name.
func TestRepairTextCapital(t *testing.T) {
	for _, tt := range []struct {
		role     form.FieldRole
		in, want string
	}{
		{form.FieldSignPlace, "umeå", "Umeå"},
		{form.FieldUserName, "åsa Berg", "Åsa Berg"},
		{form.FieldOrgAddress, "storgatan 1", "Storgatan 1"},
		{form.FieldOrgAddress, "c/o Berg, Box 12", "c/o Berg, Box 12"}, // written small
		{form.FieldOrgAddress, "s:t Eriksgatan 5", "s:t Eriksgatan 5"}, // not a word: as read
	} {
		if got := repairText(form.Field{Name: "any", Role: tt.role, Type: form.TypeText}, tt.in); got != tt.want {
			t.Errorf("repairText(%s, %q) = %q, want %q", tt.role, tt.in, got, tt.want)
		}
	}
}

func TestConfirmed(t *testing.T) {
	for _, tc := range []struct{ text, swe, fra, want string }{
		{"Ann-Charlotte Gonçalves", "Ann-Charlotte Gongalves", "Ann-Charlotte Gonçalves", "Ann Charlotte"}, // the list knows these
		{"Märta Lefèvre", "Märta Lefévre", "Marta Lefèvre", "Märta"},                                       // the dots are the Swedish model's word alone
		{"Sigrún Schüler", "Sigrån Schäler", "Sigrün Schüler", "Sigrún"},                                   // ú is the Spanish model's word alone
		{"Agnès Gongalves", "Agnés Gongalves", "Agnès Gonçaives", "Gongalves"},
		{"Elin Gonçalves", "Elin Gongalves", "Elin", "Elin Gonçalves"}, // words missing: nothing confirmed
	} {
		if got := confirmed(tc.text, tc.swe, tc.fra); got != tc.want {
			t.Errorf("confirmed(%q, %q, %q) = %q, want %q", tc.text, tc.swe, tc.fra, got, tc.want)
		}
	}
}

// TestSmallSecond mends a name's second letter read set large.
func TestSmallSecond(t *testing.T) {
	for in, want := range map[string]string{
		"BJörg Holm":      "Björg Holm",
		"Karl-JOhan Berg": "Karl-Johan Berg",
		"OBrien":          "OBrien", // no lookalike: an apostrophe lost, perhaps
		"BJÖRG":           "BJÖRG",
		"McDonald":        "McDonald",
	} {
		if got := repairName(in); got != want {
			t.Errorf("repairName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMarkLettersByShape draws a name as "letters" 20 px wide and 30 high
// with marks over some of them, and checks what the marks' shapes make of
// the readings: a stroke rising to the right is an acute accent, one
// falling to the right a grave accent, a wedge a circumflex, a round dot
// and a flat bar (two dots run together) none of them; two grey dots
// too faint for the ink threshold are an umlaut, one grey speck is
// nothing.
func TestMarkLettersByShape(t *testing.T) {
	const k = 4.0
	type mark struct {
		letter int
		kind   string // "acute", "grave", "circumflex", "solid circumflex", "bar", "dot", "faint dots", "faint speck", "cedilla" (under), "slash", "ear and tail"
	}
	draw := func(n int, marks ...mark) *image.Gray {
		img := paper(40+30*n, 80)
		for i := range n {
			shade(img, 20+30*i, 30, 40+30*i, 60, 0)
		}
		for _, m := range marks {
			x := 20 + 30*m.letter
			switch m.kind {
			case "acute", "grave":
				for s := range 8 {
					y := 18 + 7 - s
					if m.kind == "grave" {
						y = 18 + s
					}
					shade(img, x+6+s, y, x+8+s, y+2, 0)
				}
			case "circumflex":
				for s := range 9 {
					y := 18 + max(4-s, s-4)
					shade(img, x+5+s, y, x+7+s, y+2, 0)
				}
			case "solid circumflex": // a small wedge a coarse bilevel scan filled in, as one came
				for row, ink := range []string{"....##.....", "...####....", "..######...", ".########..", "##########.", "###....####"} {
					for col, c := range ink {
						if c == '#' {
							shade(img, x+4+col, 18+row, x+5+col, 19+row, 0)
						}
					}
				}
			case "cedilla":
				shade(img, x+8, 63, x+12, 72, 0)
			case "bar": // two dots run together
				shade(img, x+4, 20, x+16, 23, 0)
			case "dot":
				shade(img, x+8, 20, x+12, 24, 0)
			case "faint dots":
				shade(img, x+3, 22, x+7, 26, 180)
				shade(img, x+13, 22, x+17, 26, 180)
			case "faint speck":
				shade(img, x+8, 22, x+12, 26, 180)
			case "slash": // through the letter, over the x-height, a little under the baseline
				shade(img, x+9, 20, x+11, 64, 0)
			case "ear and tail": // a serif g's: over the x-height, far under the baseline
				shade(img, x+16, 20, x+19, 31, 0)
				shade(img, x+2, 59, x+19, 76, 0)
			}
		}
		return img
	}
	for _, c := range []struct {
		text, fra, spa string
		img            *image.Gray
		want           string
	}{
		{"Maria", "", "María", draw(5, mark{3, "acute"}), "María"},
		{"Cördoba", "", "Córdoba", draw(7, mark{1, "acute"}), "Córdoba"},
		{"Lefevre", "Lefèvre", "", draw(7, mark{3, "grave"}), "Lefèvre"},
		{"Lefévre", "Lefèvre", "", draw(7, mark{3, "grave"}), "Lefèvre"},
		{"Jeröme", "Jerôme", "", draw(6, mark{3, "circumflex"}), "Jerôme"},
		{"Benoit", "Benoît", "", draw(6, mark{4, "circumflex"}), "Benoît"},
		// Over an i, where no model saw it: the accent is proposed.
		{"Benoit", "", "", draw(6, mark{4, "solid circumflex"}), "Benoît"},
		// A c with a hook under the baseline.
		{"Francois", "", "", draw(8, mark{4, "cedilla"}), "François"},
		{"Francois", "", "", draw(8), "Francois"},
		// An i's dot is no accent; a stroke in its place is.
		{"Joaquin", "", "", draw(7, mark{5, "acute"}), "Joaquín"},
		{"Joaquin", "", "", draw(7, mark{5, "dot"}), "Joaquin"},
		// A dotted letter gives way only to a letter another model read.
		{"Jeröme", "Jerome", "", draw(6, mark{3, "circumflex"}), "Jeröme"},
		// Two dots run together are no circumflex, whatever a model read.
		{"Björn", "Bjôrn", "", draw(5, mark{2, "bar"}), "Björn"},
		{"Bjorn", "Bjôrn", "", draw(5, mark{2, "bar"}), "Bjorn"},
		// No reading saw a mark: over an i, the stroke may be an accent
		// or its dot smeared (proposed in doubt, see below).
		{"Maria", "", "Maria", draw(5, mark{3, "acute"}), "María"},
		{"Maria", "", "María", draw(5, mark{3, "dot"}), "Maria"},
		{"Omer", "", "", draw(4, mark{0, "faint dots"}), "Ömer"},
		{"Omer", "", "", draw(4, mark{0, "faint speck"}), "Omer"},
		// A stroke through an o is ø; a g's ear and tail are not.
		{"Bjorn", "", "", draw(5, mark{2, "slash"}), "Bjørn"},
		{"Region", "", "", draw(6, mark{2, "ear and tail"}), "Region"},
	} {
		got, unmarked, _ := markLetters(c.text, c.fra, c.spa, lineOf(c.img, k))
		if got != c.want {
			t.Errorf("markLetters(%q, fra %q, spa %q) = %q, want %q", c.text, c.fra, c.spa, got, c.want)
		}
		// An í no model read is proposed in doubt.
		if wantDoubt := !strings.ContainsRune(c.spa+c.fra, 'í'); strings.ContainsRune(c.want, 'í') && (len(unmarked) > 0) != wantDoubt {
			t.Errorf("markLetters(%q, fra %q, spa %q): in doubt %v, want %v", c.text, c.fra, c.spa, len(unmarked) > 0, wantDoubt)
		}
	}
	// Marks matched to their letters: one over a letter that may take
	// one and has none in the reading is a lost accent or tilde, in
	// doubt; one over a letter that takes none is a speck.
	for _, c := range []struct {
		text  string
		img   *image.Gray
		doubt bool
	}{
		{"Nunez", draw(5, mark{2, "dot"}), true},
		{"Holm", draw(4, mark{2, "dot"}), false},
		{"Holm", draw(4), false},
		// A faint mark over a vowel: an accent a pale scan faded, or a
		// speck; over a consonant, a speck.
		{"Omer", draw(4, mark{0, "faint speck"}), true},
		{"Holm", draw(4, mark{0, "faint speck"}), false},
	} {
		got, unmarked, aligned := markLetters(c.text, "", "", lineOf(c.img, k))
		if !aligned || (len(unmarked) > 0) != c.doubt || got != c.text && !c.doubt {
			t.Errorf("markLetters(%q) = %q: in doubt %v, aligned %v; want in doubt %v, aligned", c.text, got, len(unmarked) > 0, aligned, c.doubt)
		}
	}
}

// TestAccentsInOrder draws a name's letters as blocks, the last two run
// together into one (as a scan joins them, so that markLetters cannot
// match glyphs to letters), and a speck beside the line, and checks that
// the marks over the letters, in order, judge the reading's marked
// letters: an accent where it read an i's dot or two dots.
func TestAccentsInOrder(t *testing.T) {
	const k = 4.0
	draw := func(n int, marks map[int]string) *image.Gray {
		img := paper(60+30*n, 80)
		for i := range n {
			right := 40 + 30*i
			if i == n-2 {
				right += 10 // run into the next letter
			}
			shade(img, 20+30*i, 30, right, 60, 0)
		}
		shade(img, 30+30*n, 10, 34+30*n, 14, 0) // a speck beside the line
		for i, kind := range marks {
			x := 20 + 30*i
			switch kind {
			case "acute", "circumflex":
				for s := range 9 {
					y := 18 + 7 - s
					if kind == "circumflex" {
						y = 18 + max(4-s, s-4)
					}
					shade(img, x+5+s, y, x+7+s, y+2, 0)
				}
			case "dot":
				shade(img, x+8, 20, x+12, 24, 0)
			case "dots":
				shade(img, x+3, 20, x+7, 24, 0)
				shade(img, x+13, 20, x+17, 24, 0)
			}
		}
		return img
	}
	for _, c := range []struct {
		text  string
		img   *image.Gray
		want  string
		mends bool
	}{
		{"Diaz", draw(4, map[int]string{1: "acute"}), "Díaz", true},
		{"Diaz", draw(4, map[int]string{1: "dot"}), "Diaz", false},
		{"Böra Kaya", draw(8, map[int]string{1: "acute"}), "Bóra Kaya", true},
		{"Böra Kaya", draw(8, map[int]string{1: "dots"}), "Böra Kaya", false},
		{"Benoit", draw(6, map[int]string{4: "circumflex"}), "Benoît", true},
		// Marks not as many as the reading's marked letters: nothing is
		// matched.
		{"Diaz", draw(4, map[int]string{0: "dot", 1: "acute"}), "Diaz", false},
		{"Diaz", draw(4, nil), "Diaz", false},
	} {
		got, mends := accentsInOrder(c.text, lineOf(c.img, k))
		if got != c.want || mends != c.mends {
			t.Errorf("accentsInOrder(%q) = %q, %v; want %q, %v", c.text, got, mends, c.want, c.mends)
		}
	}
}

// TestOpenUnderDots draws a name's letters as rings (closed) and as a
// cup open at the top, with two dots over two of them, and checks that an
// ö the French model reads as ü becomes ü only over the open letter.
func TestOpenUnderDots(t *testing.T) {
	const k = 4.0
	img := paper(300, 80)
	ring := func(x int, open bool) {
		shade(img, x, 30, x+20, 60, 0)
		shade(img, x+5, 35, x+15, 55, 255)
		if open {
			shade(img, x+5, 30, x+15, 35, 255)
		}
	}
	dots := func(x int) {
		shade(img, x+3, 20, x+7, 24, 0)
		shade(img, x+13, 20, x+17, 24, 0)
	}
	for i, x := range []int{20, 50, 80, 110, 140} {
		ring(x, i == 1)
	}
	dots(50)  // over the open letter
	dots(110) // over a closed one
	for _, c := range []struct{ text, fra, want string }{
		{"Mölöe", "Mülüe", "Mülöe"}, // ü over the open letter only
		{"Mölöe", "Mölöe", "Mölöe"}, // no dispute: left alone
		{"Möloe", "Müloe", "Möloe"}, // two pairs of dots, one dotted letter: left alone
	} {
		if got := openUnderDots(c.text, c.fra, lineOf(img, k)); got != c.want {
			t.Errorf("openUnderDots(%q, %q) = %q, want %q", c.text, c.fra, got, c.want)
		}
	}
}

func TestMarksOverCountsFaintPiecesOnce(t *testing.T) {
	const k = 4.0
	img := paper(300, 80)
	for _, x := range []int{20, 50, 80, 110} {
		shade(img, x, 30, x+20, 60, 0)
	}
	shade(img, 23, 20, 27, 24, 0) // a dot
	shade(img, 53, 20, 57, 24, 0) // a dot
	// A faded dot broken in two pieces, one over the other.
	shade(img, 83, 18, 87, 21, 150)
	shade(img, 83, 23, 87, 26, 150)
	if got := marksOver(lineOf(img, k)); got != 3 {
		t.Errorf("marksOver = %d, want 3 (two dots and one faded dot in two pieces)", got)
	}
}

// TestFirstModel: digits and e-mail addresses are read first with the
// English model, names and text with the Swedish one, and a digit field
// whose readings all fail is read again with the model not yet asked.
func TestFirstModel(t *testing.T) {
	for ft, want := range map[form.FieldType]string{
		form.TypePersonnummer: "eng",
		form.TypeOrgnr:        "eng",
		form.TypePhone:        "eng",
		form.TypeDate:         "eng",
		form.TypeEmail:        "eng",
		form.TypeText:         "swe",
	} {
		first := firstModel(ft)
		if first != want {
			t.Errorf("%s is read first with %s, want %s", ft, first, want)
		}
		if second := secondModel(first); second == first || !slices.Contains(Languages, second) {
			t.Errorf("%s is read again with %s after %s", ft, second, first)
		}
		if digitField(ft) && (voteModel == first || !slices.Contains(Languages, voteModel)) {
			t.Errorf("%s read with %s is voted on by %s", ft, first, voteModel)
		}
	}
}

// TestPlainlySure: a name the Latin-script model could only confirm is not
// read with it; one in doubt, in words the list does not know, or with
// marks its letters leave unexplained is.
func TestPlainlySure(t *testing.T) {
	const k = 4.0
	img := paper(300, 80)
	for _, x := range []int{20, 50, 80, 110} {
		shade(img, x, 30, x+20, 60, 0)
	}
	shade(img, 53, 20, 57, 24, 0) // one dot over the line
	ln := lineOf(img, k)
	for _, c := range []struct {
		raw  string
		conf float64
		want bool
	}{
		{"Anna Lind", 0.97, true},   // sure, plain, its i explains the dot
		{"Anna Lind", 0.9, false},   // not sure enough
		{"Anna Berg", 0.97, false},  // the dot unexplained
		{"Xqzw Lind", 0.97, false},  // words the list does not know
		{"Anna Lindén", 0.97, true}, // é explains a mark too: more marks than seen are fine
	} {
		if got := plainlySure(candidate{raw: c.raw, confidence: c.conf}, marksOver(ln), ln); got != c.want {
			t.Errorf("plainlySure(%q, %.2f) = %v, want %v", c.raw, c.conf, got, c.want)
		}
	}
	// Eight glyphs, one for each letter of Olle Berg, and a mark over
	// one of them: more marks than the letters have, judged with the
	// letter each stands over.
	for _, c := range []struct {
		over int // the glyph the mark stands over
		want bool
	}{
		{1, true},  // over an l: a speck or a broken serif, no lost mark
		{3, false}, // over an e: an accent the reading lost (Ollé)
		{7, true},  // over the g
	} {
		img := paper(300, 80)
		for i := range 8 {
			shade(img, 10+30*i, 30, 30+30*i, 60, 0)
		}
		x := 18 + 30*c.over
		shade(img, x, 20, x+4, 24, 0)
		ln := lineOf(img, k)
		if over := marksOver(ln); over != 1 {
			t.Fatalf("mark over glyph %d: %d marks counted, want 1", c.over, over)
		}
		if got := plainlySure(candidate{raw: "Olle Berg", confidence: 0.97}, 1, ln); got != c.want {
			t.Errorf("a mark over glyph %d of Olle Berg: plainlySure = %v, want %v", c.over, got, c.want)
		}
	}
	// One mark over the line and one i in the reading: a dot is the i's,
	// a circumflex (or an accent) is not, whatever the count says
	// (Benoit for Benoît).
	for _, c := range []struct {
		kind string
		want bool
	}{
		{"dot", true},
		{"round dot", true},   // a big dot, its corners cut
		{"circumflex", false}, // a wedge, wider than high, half empty
		{"flat", false},       // a short stroke, twice as wide as high
	} {
		img := paper(300, 80)
		for _, x := range []int{20, 50, 80, 110} {
			shade(img, x, 30, x+20, 60, 0)
		}
		switch c.kind {
		case "dot":
			shade(img, 53, 20, 57, 24, 0)
		case "round dot":
			shade(img, 52, 19, 58, 25, 0)
			for _, p := range [][2]int{{52, 19}, {57, 19}, {52, 24}, {57, 24}} {
				shade(img, p[0], p[1], p[0]+1, p[1]+1, 255)
			}
		case "circumflex":
			for s := range 9 {
				y := 17 + max(4-s, s-4)
				shade(img, 51+s, y, 53+s, y+2, 0)
			}
		case "flat":
			shade(img, 51, 20, 59, 24, 0)
		}
		ln := lineOf(img, k)
		if over := marksOver(ln); over != 1 {
			t.Fatalf("%s over the line: %d marks counted, want 1", c.kind, over)
		}
		if got := plainlySure(candidate{raw: "Anna Lind", confidence: 0.97}, 1, ln); got != c.want {
			t.Errorf("a %s over the i of Anna Lind: plainlySure = %v, want %v", c.kind, got, c.want)
		}
		// With a marked letter besides the i, the marks are not all
		// dots, and the count decides as before.
		if got := plainlySure(candidate{raw: "Anna Lindén", confidence: 0.97}, 1, ln); !got {
			t.Errorf("a %s over Anna Lindén: plainlySure = false, want true", c.kind)
		}
	}
}

// TestMarksUnseen: a name read with marks (an i's dot) over a line that
// shows none has had its marks run into its letters, accents with them;
// a line with its dot, or a name without marks, is no such doubt.
func TestMarksUnseen(t *testing.T) {
	const k = 4.0
	img := paper(300, 80)
	for _, x := range []int{20, 50, 80, 110} {
		shade(img, x, 30, x+20, 60, 0)
	}
	bare := lineOf(img, k)
	shade(img, 53, 20, 57, 24, 0)
	dotted := lineOf(img, k)
	for _, c := range []struct {
		text string
		ln   *line
		want bool
	}{
		{"Wilma Fernandez", bare, true},
		{"Wilma Fernandez", dotted, false},
		{"Anna Berg", bare, false},
	} {
		if got := marksUnseen(c.text, marksOver(c.ln), c.ln); got != c.want {
			t.Errorf("marksUnseen(%q, %d marks over) = %v, want %v", c.text, marksOver(c.ln), got, c.want)
		}
	}
}

// TestApostropheIsAMark: an apostrophe stands over the x-height like an
// accent, and a name that has one (O'Brien) explains the mark it makes.
func TestApostropheIsAMark(t *testing.T) {
	const k = 4.0
	img := paper(220, 80)
	for i := range 5 {
		shade(img, 20+40*i, 30, 40+40*i, 60, 0) // letters
	}
	shade(img, 48, 16, 52, 24, 0) // an apostrophe between the first two
	over := marksOver(lineOf(img, k))
	if over != 1 {
		t.Fatalf("marksOver = %d, want 1 (the apostrophe)", over)
	}
	for text, want := range map[string]int{"O'Brien": 2, "D’Angelo": 1, "Obrien": 1, "Mikaël": 3} {
		if got := marksOf(text); got != want {
			t.Errorf("marksOf(%q) = %d, want %d", text, got, want)
		}
	}
	if marksOf("D'Ange") < over {
		t.Errorf("the apostrophe of D'Ange leaves the mark over it unexplained")
	}
}

// TestStreetSpaced puts a space for a colon between a street's name and
// its number, and for a stop or an apostrophe after a whole word there,
// and nowhere else.
func TestStreetSpaced(t *testing.T) {
	for in, want := range map[string]string{
		"Storgatan:23":      "Storgatan 23",
		"Industrigatan. 12": "Industrigatan 12",
		"Storgatan.17":      "Storgatan 17",
		"Kyrkogatan'4":      "Kyrkogatan 4",
		"Storg. 12":         "Storg. 12", // an abbreviation's stop
		"Ringv.3":           "Ringv.3",
		"Svartuddsvägen. 1": "Svartuddsvägen 1",
		"Box 12. Storgatan": "Box 12. Storgatan",
		"Ängsvägen:4B":      "Ängsvägen 4B",
		"S:t Eriksgatan 5":  "S:t Eriksgatan 5",
		"Storgatan 23":      "Storgatan 23",
		"Box 12, S:ta Gata": "Box 12, S:ta Gata",
	} {
		if got := streetSpaced(in); got != want {
			t.Errorf("streetSpaced(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestStrayMark puts in doubt a full stop after a whole word inside a
// value, not an abbreviation's, and a stop, an apostrophe or a colon joining a
// whole word to the next, not a name's apostrophe.
func TestStrayMark(t *testing.T) {
	for text, want := range map[string]bool{
		"August Palms. plats 1": true,
		"Gamla Torget. 1":       true,
		"August Palms plats 1":  false,
		"S:t Eriks g. 5":        false,
		"Box 12.":               false,
		"Regiondirektör":        false,
		"Ytterbyvägen.2":        true,
		"Region'Gävleborg":      true,
		"Storgatan:23":          true,
		"S:t Larsgatan 4":       false,
		"Jérôme O'Connor":       false,
	} {
		if got := strayMark.MatchString(text); got != want {
			t.Errorf("strayMark(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestColonsBack puts back the colon of a Swedish contraction read with a
// full stop, and nothing else.
func TestColonsBack(t *testing.T) {
	for text, want := range map[string]string{
		"S.t Larsgatan 49B":     "S:t Larsgatan 49B",
		"S.ta Gertruds väg 3":   "S:ta Gertruds väg 3",
		"Kyrkvägen 2, S.t Olof": "Kyrkvägen 2, S:t Olof",
		"S:t Eriks g. 5":        "S:t Eriks g. 5",
		"Anna M. Berg":          "Anna M. Berg",
		"Box 12.":               "Box 12.",
		"t.ex. Storgatan":       "t.ex. Storgatan",
	} {
		if got := colonsBack(text); got != want {
			t.Errorf("colonsBack(%q) = %q, want %q", text, got, want)
		}
	}
}

// TestJoinsDiffer tells readings that differ only in the hyphens and
// spaces between words.
func TestJoinsDiffer(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"Ann Charlotte Al Hassan", "Ann-Charlotte Al Hassan", true},
		{"Ann Charlotte Al-Hassan", "Ann Charlotte AlHassan", true},
		{"Ann-Charlotte", "Ann-Charlotte", false},
		{"Ann Charlotte", "Ann Charlott", false},
		{"Omer O Connor", "Omer O'Connor", true},
		{"Omer OConnor", "Omer O’Connor", true},
		{"Omer O'Connor", "Omer O'Connar", false},
	} {
		if got := joinsDiffer(c.a, c.b); got != c.want {
			t.Errorf("joinsDiffer(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// TestWrittenOption matches the text read from a choice field's zone to
// its options: exactly, a letter off in doubt, or not at all.
func TestWrittenOption(t *testing.T) {
	f := form.Field{Name: "inloggning", Type: form.TypeChoice, Options: []form.Option{
		{Value: "sms", Label: "SMS-kod"}, {Value: "bankid", Label: "BankID"}, {Value: "mbankid", Label: "Mobilt BankID"},
	}}
	for _, c := range []struct {
		raw, want string
		conf      float64
	}{
		{"BankID", "bankid", 0.97},
		{"bankid", "bankid", 0.97},
		{"BanklD", "bankid", secondLook},
		{"Mobilt BanklD", "mbankid", secondLook},
		{"SMS-kad", "sms", secondLook},
		{"Fax", "Fax", secondLook / 2},
		{"", "", 0.97},
	} {
		got, conf := writtenOption(f, c.raw, 0.97)
		if got != c.want || conf != c.conf {
			t.Errorf("writtenOption(%q) = %q, %.2f, want %q, %.2f", c.raw, got, conf, c.want, c.conf)
		}
	}
}

// TestSeparatorMarks counts the bars on a line's baseline shaped as
// underscores and those at half the letters' height shaped as hyphens,
// and neither a dot nor a rule's remnant far wider than a letter.
func TestSeparatorMarks(t *testing.T) {
	k := 300 / 72.0
	img := paper(int(120*k), int(30*k))
	ink := pen(img, k)
	x := 6.0
	letter := func() { ink(x, 10, x+4.5, 17); x += 6 } // a letter 7 points high, on the baseline at 17
	for range 3 {
		letter()
	}
	ink(x, 17.3, x+4.5, 18) // an underscore
	x += 6
	letter()
	ink(x, 13, x+3.5, 13.7) // a hyphen
	x += 5
	letter()
	ink(x, 16, x+0.8, 16.8) // a dot
	x += 2
	letter()
	letter()
	if h, u := separatorMarks(img, k); h != 1 || u != 1 {
		t.Errorf("%d hyphens and %d underscores counted, want 1 and 1", h, u)
	}
	ink(x, 17.3, x+1.4, 17.9) // an underscore a 1-bit scan broke in two
	ink(x+2.6, 17.5, x+4.5, 17.9)
	x += 6
	letter()
	if h, u := separatorMarks(img, k); h != 1 || u != 2 {
		t.Errorf("with a broken underscore: %d hyphens and %d underscores counted, want 1 and 2", h, u)
	}
	ink(6, 19, 110, 19.6) // a rule's remnant under it all
	if h, u := separatorMarks(img, k); h != 1 || u != 2 {
		t.Errorf("with a rule under the line: %d hyphens and %d underscores counted, want 1 and 2", h, u)
	}
}

// TestPostcodeWellFormed takes a postcode of other than five digits for a
// misreading (a sixth digit is a speck, or one read twice), and a text of
// another role for what it says.
func TestPostcodeWellFormed(t *testing.T) {
	e := &Extractor{}
	postcode := form.Field{Type: form.TypeText, Role: form.FieldOrgPostcode}
	town := form.Field{Type: form.TypeText, Role: form.FieldOrgTown}
	for _, c := range []struct {
		f    form.Field
		raw  string
		want bool
	}{
		{postcode, "777 87", true},
		{postcode, "77787", true},
		{postcode, "7177 87", false},
		{postcode, "777 8", false},
		{postcode, "", true},
		{town, "7177 87", true},
	} {
		var cand candidate
		e.retext(&cand, c.f, repairText(c.f, c.raw))
		if cand.wellFormed != c.want {
			t.Errorf("%s %q: well formed %v, want %v (value %q)", c.f.Role, c.raw, cand.wellFormed, c.want, cand.value)
		}
	}
}

// TestDotBeforeNumber finds a dot between an address's name and its
// number, and nowhere else.
func TestDotBeforeNumber(t *testing.T) {
	for address, want := range map[string]bool{
		"jerome.karlsson.1@sjobo.se": true,
		"zj.36@trollhattans.se":      true,
		"jerome.karlsson1@sjobo.se":  false,
		"zj36@trollhattans.se":       false,
		"anna.berg@habo.se":          false,
		"a.1@habo.se":                true,
		".12@habo.se":                false,
		"anna.berg.2":                false, // no address
	} {
		if got := dotBeforeNumber(address); got != want {
			t.Errorf("dotBeforeNumber(%q) = %v, want %v", address, got, want)
		}
	}
}

// TestOneCharacterUnread: an empty place's zone with a lone upright
// stroke in it (a cell's edge the scan left) reads as 1, I or l; one
// character is no place, and the field is unread (confidence 0,
// flagged), not a value.
func TestOneCharacterUnread(t *testing.T) {
	e, tpl := fieldReader(t)
	const k = 300 / 72.0
	img := paper(int(300*k), int(60*k))
	ink := pen(img, k)
	ink(60, 23, 61.6, 30) // the stroke, 7 points high
	f := form.Field{Name: "stroke", Type: form.TypeText, Role: form.FieldSignPlace, Page: 1, Zone: form.Box{X: 20, Y: 18, W: 200, H: 16}}
	v, _, err := e.readField(context.Background(), img, affine{A: k, E: k}, tpl, f, k, 300)
	if err != nil {
		t.Fatal(err)
	}
	if v.Value != "" || v.Confidence != 0 {
		t.Errorf("%q (raw %q) at %.2f, want unread", v.Value, v.Raw, v.Confidence)
	}
	if v.Raw == "" {
		t.Error("the stroke was not read at all; the test draws nothing to read")
	}
}

func TestPlausibleInstead(t *testing.T) {
	now := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	c := func(vs ...string) []candidate {
		var out []candidate
		for _, v := range vs {
			out = append(out, candidate{value: v, wellFormed: true})
		}
		return out
	}
	for _, tc := range []struct {
		value  string
		others []candidate
		want   int
	}{
		{"2926-02-18", c("2026-02-18"), 0},                // the century's digit misread
		{"1026-02-18", c("2020-02-18", "2026-02-18"), -1}, // two plausible: a person chooses
		{"1026-02-18", c("2026-02-18", "2026-02-18"), 0},
		{"2020-02-22", c("2026-02-22"), -1}, // both plausible: kept, in doubt
		{"2926-02-18", c("3026-02-18"), -1}, // neither
		{"1960-05-01", c("2960-05-01"), -1}, // a birth date is plausible
	} {
		if got := plausibleInstead(tc.value, tc.others, now); got != tc.want {
			t.Errorf("plausibleInstead(%s, %v) = %d, want %d", tc.value, tc.others, got, tc.want)
		}
	}
}

// TestMergedMarks counts, over a line of capitals, an accent a blurred
// scan joined to its letter, too faint for the ink threshold: grey over
// the letter's ink, a part of its faint outline. A letter with nothing
// over it, and one whose grey edge is a pixel or two, have none.
func TestMergedMarks(t *testing.T) {
	const k = 4.0
	img := paper(200, 80)
	for i := range 5 {
		shade(img, 20+30*i, 30, 40+30*i, 62, 0) // capitals 32 px tall
	}
	shade(img, 19, 28, 41, 30, 190) // a grey edge over the first
	if n := marksOver(lineOf(img, k)); n != 0 {
		t.Fatalf("capitals with nothing over them: %d marks over, want 0", n)
	}
	shade(img, 84, 21, 94, 25, 170) // an accent over the third, faint
	shade(img, 88, 25, 90, 30, 190) // joined to it by grey
	if n := marksOver(lineOf(img, k)); n != 1 {
		t.Errorf("an accent joined to its capital: %d marks over, want 1", n)
	}
}

// TestFaintWritingUnderLine: faint letters (a light scan of writing in
// colour) crossed by a grey line running the zone's width (a crease) are
// writing: the line joins them into one mark touching the zone's edges,
// which alone is none. The line alone is no writing.
func TestFaintWritingUnderLine(t *testing.T) {
	k := 200 / 72.0
	zone := func(letters bool) *image.Gray {
		img := paper(int(150*k), int(20*k))
		if letters {
			for i := range 8 {
				x := int((10 + 9*float64(i)) * k)
				shade(img, x, int(5*k), x+int(5*k), int(13*k), 180) // a letter 8 points high
			}
		}
		shade(img, 0, int(11*k), int(150*k), int(11*k)+3, 165) // the line, across their feet
		return img
	}
	if !faintWriting(zone(true), k) {
		t.Error("faint letters under a grey line: no writing found")
	}
	if faintWriting(zone(false), k) {
		t.Error("a grey line alone taken for writing")
	}
}

// TestFaintWritingSmallAcross: a long line of small type, grey (an
// address a PDF viewer shrank to fit its field, blurred by JPEG), across
// nearly the zone's width, its rows of faint ink like a grey rule's, is
// writing all the same.
func TestFaintWritingSmallAcross(t *testing.T) {
	k := 300 / 72.0
	img := paper(int(150*k), int(20*k))
	for i := range 7 {
		x := int((4 + 19*float64(i)) * k)
		shade(img, x, int(8*k), x+int(18*k), int(11*k), 180) // a word 3 points high, a point from the next
	}
	if !faintWriting(img, k) {
		t.Error("a line of small grey type across the zone: no writing found")
	}
}

// TestWritingToTheEdge: writing that runs to its zone's right edge may run
// on past it (a PDF viewer clips a field's value at the field's edge), and
// what was read is in doubt, however surely; writing that ends inside the
// zone is not.
func TestWritingToTheEdge(t *testing.T) {
	e, tpl := fieldReader(t)
	const dpi = 300
	k := dpi / 72.0
	img := textLine("Storgatan 12", 4)
	b := img.Bounds()
	for _, tc := range []struct {
		what string
		w    float64 // the zone's width in points
		cut  bool
	}{
		{"ending inside", float64(b.Dx())/k - 2, false},
		{"cut at the edge", float64(b.Dx())/k - 12, true},
	} {
		edgeDoubted(t, e, tpl, img, dpi, tc.w, tc.what, tc.cut)
	}
}

// edgeDoubted reads img (at dpi) as a text field whose zone starts a
// point in and is w points wide, and wants it doubted as cut off at the
// zone's edge when cut.
func edgeDoubted(t *testing.T, e *Extractor, tpl *form.Template, img *image.Gray, dpi int, w float64, what string, cut bool) {
	t.Helper()
	k := float64(dpi) / 72
	f := form.Field{Name: "street", Type: form.TypeText, Page: 1, Zone: form.Box{X: 1, Y: 1, W: w, H: float64(img.Bounds().Dy())/k - 2}}
	v, s, err := e.readField(context.Background(), img, affine{A: k, E: k}, tpl, f, k, dpi)
	if err != nil {
		t.Fatal(err)
	}
	if v.Raw == "" {
		t.Fatalf("%s: nothing read; the test draws nothing to read", what)
	}
	if doubted := s.ceiling > 0 && s.ceiling <= edgeCeiling; doubted != cut {
		t.Errorf("%s: %q, ceiling %.2f; want it doubted: %v", what, v.Raw, s.ceiling, cut)
	}
}

// TestWritingToTheEdgeFinely: at 600 DPI an address a viewer clipped
// ended 1.7 points short of its zone's edge (where the viewer clips is
// its own), its box with the margin around the writing two pixels short:
// cut off all the same. Writing ending three and a half points short is
// not.
func TestWritingToTheEdgeFinely(t *testing.T) {
	e, tpl := fieldReader(t)
	const dpi = 600
	k := dpi / 72.0
	img := textLine("Storgatan 12", 8)
	inkEnd := 0 // the last inked column, exclusive
	for y := range img.Bounds().Dy() {
		for x := range img.Bounds().Dx() {
			if img.GrayAt(x, y).Y < 128 {
				inkEnd = max(inkEnd, x+1)
			}
		}
	}
	for _, tc := range []struct {
		what  string
		short float64 // how far the zone's edge is past the ink, in points
		cut   bool
	}{
		{"ending three and a half points short", 3.5, false},
		{"ending two points short", 2, true}, // the letters' grey edge 0.2 more
	} {
		// The zone is read inset by 1.2 points each side (zoneText),
		// and starts a point in.
		edgeDoubted(t, e, tpl, img, dpi, float64(inkEnd)/k+tc.short+1.2-1, tc.what, tc.cut)
	}
}

// fieldReader starts a test that reads one field with readField (OCR, in
// parallel): the extractor, and the template the field is read for.
func fieldReader(t *testing.T) (*Extractor, *form.Template) {
	t.Helper()
	t.Parallel() // the test OCR pool has an engine for each of two readers
	if testing.Short() {
		t.Skip("OCR")
	}
	e := newTestExtractor(t)
	return e, e.Set().Editions(form.Kind9445)[0]
}

// TestCoarseWritingSmoothed: a fax's writing is read from the page blurred
// by coarseSmoothing of its pixels (a stroke's edge becomes a ramp); a
// page rasterised finer than its scan, or scanned fine, is read as it is.
func TestCoarseWritingSmoothed(t *testing.T) {
	stroke := func(w, h int) *image.Gray {
		img := paper(w, h)
		inkRect(img, image.Rect(w/2, 0, w, h), 0)
		return img
	}
	for _, c := range []struct {
		what      string
		dpi, scan float64 // the image's resolution, and the scan's (0: the image's)
		ramp      int     // pixels left of the edge that the blur darkens
	}{
		{"a fax at its own 150 DPI", 150, 0, 1},
		{"a fax rasterised at 200 DPI", 200, 100, 0},
		{"a page scanned at 200 DPI", 200, 0, 0},
	} {
		img := stroke(40, 8)
		k := c.dpi / 72
		pi := &pageInfo{img: img, t: affine{A: k, E: k}, scanDPI: c.scan}
		got := pi.writing()
		if c.ramp == 0 {
			if got != img {
				t.Errorf("%s: read from another image than the scan's", c.what)
			}
			continue
		}
		row := got.Pix[4*got.Stride:]
		darkened := 0
		for x := 0; x < 20; x++ {
			if row[x] < 240 {
				darkened++
			}
		}
		if darkened != c.ramp {
			t.Errorf("%s: %d pixels before the edge darkened, want %d (row %v)", c.what, darkened, c.ramp, row[14:24])
		}
		if pi.writing() != got {
			t.Errorf("%s: smoothed again", c.what)
		}
	}
}

func TestPlusLost(t *testing.T) {
	for _, c := range []struct {
		raw, value string
		want       bool
	}{
		{"467692901 28", "+46769290128", true},
		{"46 70 123 45 67", "+46701234567", true},
		{"+46 70 123 45 67", "+46701234567", false},
		{"0046 70 123 45 67", "+46701234567", false},
		{"070-123 45 67", "+46701234567", false},
		{"08-123 456 78", "+46812345678", false},
	} {
		if got := plusLost(c.raw, c.value); got != c.want {
			t.Errorf("plusLost(%q, %q) = %v, want %v", c.raw, c.value, got, c.want)
		}
	}
}

// TestHouseNumber mends a house number read as letters like its digits,
// and leaves alone words, a building's letter and addresses with a number.
func TestHouseNumber(t *testing.T) {
	for raw, want := range map[string]string{
		"Svartuddsvägen I":      "Svartuddsvägen 1",
		"Storgatan l":           "Storgatan 1",
		"Storgatan 1":           "",
		"Storgatan 12 B":        "",
		"Gustav II Adolfs torg": "",
		"Box I":                 "Box 1",
		"I":                     "",
		"Tage Erlandergatan BA": "Tage Erlandergatan 8A",
		"Storgatan lO":          "Storgatan 10",
		"Kungsgatan IS":         "Kungsgatan 15",
		"Regionhuset, hus B":    "", // a building's letter alone
		"Fastighets AB":         "",
		"Stora torget":          "",
		"Storgatan SBA":         "Storgatan 58A",
		"Storgatan BAA":         "",
	} {
		got, ok := houseNumber(raw)
		if !ok {
			got = ""
		}
		if got != want {
			t.Errorf("houseNumber(%q) = %q, want %q", raw, got, want)
		}
	}
}

// TestUnreadInk finds two letters or more that no word read stands over,
// before, between or after the words, and not a lone upright beside them;
// and letters struck through with a pen that no word stands over.
func TestUnreadInk(t *testing.T) {
	k := 300 / 72.0
	img := paper(int(120*k), int(30*k))
	ink := pen(img, k)
	x := 6.0
	for range 8 { // letters 7 points high, 4.5 wide, 1.5 apart
		ink(x, 10, x+4.5, 17)
		x += 6
	}
	ink(110, 8, 111, 19) // a frame's upright left of the line's end
	ink(114, 0, 115, 25) // a rule's, far taller than the letters
	box := func(x0, x1 float64) Word {
		return Word{Box: image.Rect(int(x0*k), int(10*k), int(x1*k), int(17*k))}
	}
	for _, c := range []struct {
		words []Word
		want  bool
	}{
		{[]Word{box(6, 52.5)}, false},                // all read; the upright alone
		{[]Word{box(18, 52.5)}, true},                // the first two letters dropped
		{[]Word{box(6, 28.5), box(42, 52.5)}, true},  // two between the words
		{[]Word{box(6, 40.5)}, true},                 // the last two
		{[]Word{box(6, 28.5), box(36, 52.5)}, false}, // one letter alone: may be an upright
		{nil, false}, // nothing read: another check's
	} {
		if got := unreadInk(img, c.words, k); got != c.want {
			t.Errorf("words %v: unreadInk = %v, want %v", c.words, got, c.want)
		}
	}
	// Two digits after the letters with a pen's stroke down through
	// them, one blot taller than the letters, that no word stands over:
	// unread ink. Read, they are not.
	ink(60, 10, 64.5, 17)
	ink(66, 10, 70.5, 17)
	ink(62, 4, 68, 10.5)   // the stroke above the line
	ink(63, 16.5, 69, 24)  // and below it
	ink(118, 2, 118.6, 28) // a rule's remnant too, taller still and thin
	for _, c := range []struct {
		words []Word
		want  bool
	}{
		{[]Word{box(6, 52.5)}, true},
		{[]Word{box(6, 52.5), box(60, 70.5)}, false},
	} {
		if got := unreadInk(img, c.words, k); got != c.want {
			t.Errorf("struck through, words %v: unreadInk = %v, want %v", c.words, got, c.want)
		}
	}
}

// TestLivingCentury proposes, for a personnummer of a century no one
// living was born in, the one century a living person was, and leaves a
// living person's alone.
func TestLivingCentury(t *testing.T) {
	now := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"196912213995", "196912213995", true},
		{"186912213995", "196912213995", true}, // 1869: 19 the one living century
		{"296912213995", "196912213995", true},
		{"191512213995", "191512213995", true},
		{"180512213995", "200512213995", true}, // 1805 and 1905 gone; 2005
		{"190512213995", "200512213995", true},
		{"201212733995", "201212733995", true}, // a samordningsnummer: day 73
		{"181212733995", "", false},            // 1912 and 2012 both living: no telling
		{"1969122139", "", false},
	} {
		got, ok := livingCentury(c.in, now)
		if got != c.want || ok != c.ok {
			t.Errorf("livingCentury(%s) = %s, %v, want %s, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestRisenMark: a capital whose ring or dots ran into it (a typewriter
// face's Å) rises over the line's other capitals; markLetters proposes
// the marked letter, in doubt. With no other capital to measure against,
// or no rise (ink under a letter makes it taller, not higher), nothing
// changes.
func TestRisenMark(t *testing.T) {
	const k = 4.0
	draw := func(mark string, withF bool) *image.Gray {
		img := paper(200, 80)
		shade(img, 20, 30, 40, 60, 0) // A
		switch mark {
		case "ring": // sitting on the apex
			shade(img, 26, 21, 34, 30, 0)
			shade(img, 28, 23, 32, 27, 255)
		case "dots": // run into the top
			shade(img, 22, 22, 27, 30, 0)
			shade(img, 33, 22, 38, 30, 0)
		case "stroke under": // a pen stroke touching its foot: taller, not risen
			shade(img, 22, 60, 38, 69, 0)
		}
		shade(img, 50, 28, 68, 60, 0) // k, an ascender a little over the capitals
		shade(img, 80, 40, 98, 60, 0) // e
		if withF {
			shade(img, 110, 30, 128, 60, 0) // F
		} else {
			shade(img, 110, 40, 128, 60, 0) // o
		}
		shade(img, 140, 40, 158, 60, 0) // o
		return img
	}
	for _, c := range []struct {
		mark       string
		withF      bool
		text, want string
		doubt      bool
	}{
		{"ring", true, "Ake Fo", "Åke Fo", true},
		{"dots", true, "Ake Fo", "Äke Fo", true},
		{"", true, "Ake Fo", "Ake Fo", false},
		{"stroke under", true, "Ake Fo", "Ake Fo", false},
		{"ring", false, "Ake oo", "Ake oo", false}, // nothing to measure against
	} {
		got, unmarked, aligned := markLetters(c.text, "", "", lineOf(draw(c.mark, c.withF), k))
		if !aligned || got != c.want || (len(unmarked) > 0) != c.doubt {
			t.Errorf("%s over A: markLetters(%q) = %q, unmarked %v, aligned %v; want %q, in doubt %v", c.mark, c.text, got, unmarked, aligned, c.want, c.doubt)
		}
	}
}

// TestDatesAsWritten: a date written as Swedes write it by hand, an
// ordinal day (3:e november 2026, 1:a mars), day and month before a
// two-digit year (3/11-26) or day first with hyphens (03-11-26), is read
// from a scan of a filled form as that date, with the confidence of a
// reading (without the colon in its whitelist the model read 3:e as 3e,
// at no confidence).
func TestDatesAsWritten(t *testing.T) {
	e := newTestExtractor(t)
	ctx := context.Background()
	samples := truthSamples(t, "9445", 1)
	if len(samples) == 0 {
		t.Fatal("no 9445 in the committed corpus's scans")
	}
	td := samples[0]
	tpl, ok := e.Set().Primary(td.Kind)
	if !ok {
		t.Fatalf("no %s edition", td.Kind)
	}
	var date string
	for _, f := range tpl.Fields {
		if f.Type == form.TypeDate {
			date = f.Name
		}
	}
	blank, err := corpus.BlankPDF(tpl)
	if err != nil {
		t.Fatal(err)
	}
	// Days of the last weeks, so that a two-digit year is this one.
	first, second := time.Now().AddDate(0, 0, -20), time.Now().AddDate(0, 0, -3)
	name := func(d time.Time) string { return form.MonthNames[d.Month()-1] }
	for i, c := range []struct {
		written string
		day     time.Time
	}{
		{fmt.Sprintf("%d:e %s %d", 3, name(first), first.Year()), time.Date(first.Year(), first.Month(), 3, 0, 0, 0, 0, time.UTC)},
		{fmt.Sprintf("%d:a %s %d", 1, name(second), second.Year()), time.Date(second.Year(), second.Month(), 1, 0, 0, 0, 0, time.UTC)},
		{fmt.Sprintf("%d/%d-%02d", first.Day(), first.Month(), first.Year()%100), first},
		// Day 3: read year first, 2003, years from now.
		{fmt.Sprintf("%02d-%02d-%02d", 3, second.Month(), second.Year()%100), time.Date(second.Year(), second.Month(), 3, 0, 0, 0, 0, time.UTC)},
	} {
		values, sigs := rawValues(td)
		values[date] = c.written
		f, err := corpus.FillAndScan(ctx, tpl, blank, values, sigs, 200, uint64(100+i))
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.Extract(ctx, mediaOf(t, f.Scan), f.Scan)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Documents) != 1 {
			t.Fatalf("%q: read as %v", c.written, summary(res))
		}
		v := res.Documents[0].Fields[date]
		if want := c.day.Format(time.DateOnly); v.Value != want || v.Confidence < 0.5 {
			t.Errorf("%q read as %q (raw %q) at %.2f, want %s at 0.5 or more", c.written, v.Value, v.Raw, v.Confidence, want)
		}
	}
}
