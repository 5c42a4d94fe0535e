package corpus

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
)

// TestCoverLetter: a cover letter names the form it comes with by number
// and title, and its organisation, and scans to a page with ink on it.
func TestCoverLetter(t *testing.T) {
	tpls := templates(t)
	g := &generator{opts: Options{Seed: 7}, tpls: tpls, today: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}
	g.world = newWorld(g.rng("world", 0), g.rng("mail", 0), g.today, true)
	tried := 0
	for _, sc := range scenarios() {
		if sc.name != "valid_new" && sc.name != "agreement_new_party" {
			continue
		}
		tried++
		d := sc.make(g.world, g.rng(sc.name, 0))
		tpl := g.tplOf(d)
		org := d.values[tpl.RoleField("org.name", 0)]
		seen := map[string]bool{}
		for i := range 12 {
			text := strings.Join(coverLetter(tpl, org, g.today, g.rng("cover", i)), "\n")
			if !strings.Contains(text, org) {
				t.Errorf("%s cover letter does not name %q:\n%s", sc.kind, org, text)
			}
			seen["number"] = seen["number"] || strings.Contains(text, tpl.FormNumber)
			seen["title"] = seen["title"] || strings.Contains(text, tpl.Title)
		}
		if !seen["number"] || !seen["title"] {
			t.Errorf("%s cover letters never name the form's number and title: %v", sc.kind, seen)
		}
		img, err := g.scanCover(context.Background(), d, ProfileOffice, scanFormat{FormatPDFJPEG, 150, false, false}, g.rng("cover", 0), nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		dark := 0
		grey := greyOf(img)
		for _, p := range grey.Pix {
			if p < 100 {
				dark++
			}
		}
		if dark < 2000 {
			t.Errorf("%s cover letter scanned with %d dark pixels: no text", sc.kind, dark)
		}
	}
	if tried != 2 {
		t.Fatalf("%d scenarios tried, want 2", tried)
	}
}

// TestShowThrough: the other side's print shows through mirrored and
// faint: darker where the back has ink at the mirrored place, the front's
// own ink and bare paper elsewhere as they were.
func TestShowThrough(t *testing.T) {
	front := image.NewGray(image.Rect(0, 0, 100, 40))
	back := image.NewGray(front.Rect)
	for i := range front.Pix {
		front.Pix[i], back.Pix[i] = 255, 255
	}
	for y := 10; y < 30; y++ {
		for x := 10; x < 30; x++ {
			back.Pix[y*back.Stride+x] = 0 // ink near the back's left edge
		}
		front.Pix[y*front.Stride+50] = 0 // a stroke of the front's own
	}
	showThrough(front, seenThrough(back), 0.15)
	at := func(x, y int) uint8 { return front.Pix[y*front.Stride+x] }
	if v := at(80, 20); v > 225 || v < 200 {
		t.Errorf("mirrored place of the back's ink is %d, want faint grey (about 217)", v)
	}
	if v := at(20, 20); v != 255 {
		t.Errorf("the back's ink shows unmirrored: %d at its own place", v)
	}
	if v := at(50, 20); v != 0 {
		t.Errorf("the front's own ink is %d, want 0", v)
	}
}

// TestFaxHeader: a fax machine's line is printed in a band 2 to 6 mm from
// the page's top edge and nowhere else, numbers the page among the pages
// sent, and spells its letters in ASCII; the machines' styles differ.
func TestFaxHeader(t *testing.T) {
	const dpi = 150
	mm := dpi / 25.4
	styles := map[string]bool{}
	for seed := range uint64(12) {
		page := image.NewGray(image.Rect(0, 0, 1240, 1754))
		for i := range page.Pix {
			page.Pix[i] = 255
		}
		out, line := FaxHeader(page, "Sölvesborgs kommun", 3, 4, dpi, seed)
		if !strings.Contains(line, "3") || !strings.Contains(line, "4") {
			t.Errorf("%q does not number the page 3 of 4", line)
		}
		for _, r := range line {
			if r > 0x7e {
				t.Errorf("%q holds %q, which a fax machine's letters lack", line, r)
			}
		}
		styles[strings.Fields(line)[len(strings.Fields(line))-1][:1]] = true
		if page.Pix[0] != 255 || &out.Pix[0] == &page.Pix[0] {
			t.Fatal("the page given was changed in place")
		}
		dark, outside := 0, 0
		for y := 0; y < out.Rect.Dy(); y++ {
			for x := 0; x < out.Rect.Dx(); x++ {
				if out.Pix[y*out.Stride+x] < 128 {
					dark++
					if float64(y) < 2*mm-1 || float64(y) > 6*mm {
						outside++
					}
				}
			}
		}
		if dark < 500 || outside > 0 {
			t.Errorf("%q: %d dark pixels, %d of them outside the band 2 to 6 mm from the top", line, dark, outside)
		}
	}
	if len(styles) < 3 {
		t.Errorf("the page numbers end in %d styles, want 3 or more", len(styles))
	}
}

// TestStandardModeFaxPages: a page faxed in standard mode keeps every
// other row, and is stored as such a fax is: a G4 TIFF whose YResolution
// is half its XResolution, and a PDF whose page is as tall as the paper,
// its image drawn stretched.
func TestStandardModeFaxPages(t *testing.T) {
	page := image.NewGray(image.Rect(0, 0, 1700, 2200)) // 8.5 × 11 inches at 200 DPI
	for i := range page.Pix {
		page.Pix[i] = uint8(255 * (i / page.Stride % 2)) // odd rows white, even rows black
	}
	half := EveryOtherRow(page)
	if half.Rect.Dy() != 1100 || slices.ContainsFunc(half.Pix, func(v uint8) bool { return v != 0 }) {
		t.Fatalf("every other row: %v, not only the even (black) rows", half.Rect)
	}
	tif, pages, err := g4Pages(context.Background(), []*image.Gray{half}, 200, 100, false)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	ifd := int(le.Uint32(tif[4:]))
	res := map[uint16]uint32{}
	for e := range int(le.Uint16(tif[ifd:])) {
		at := ifd + 2 + 12*e
		if tag := le.Uint16(tif[at:]); tag == 282 || tag == 283 {
			p := int(le.Uint32(tif[at+8:]))
			res[tag] = le.Uint32(tif[p:]) / le.Uint32(tif[p+4:])
		}
	}
	if res[282] != 200 || res[283] != 100 {
		t.Errorf("the TIFF's resolution is %d × %d, want 200 × 100", res[282], res[283])
	}
	if pdf := imagePDF(pages); !bytes.Contains(pdf, []byte("/MediaBox [0 0 612.00 792.00]")) {
		t.Error("the PDF's page is not 8.5 × 11 inches")
	}
}

// TestStreaks: a feeder's streak runs down the whole scan in the scanner's
// frame, after the turn, where its truth says, as dark as drawn and no
// wider; beside it the page is as it was.
func TestStreaks(t *testing.T) {
	s := scanSpec{DPI: 254, Scale: 1, Turned: 90, Streaks: []streak{{At: 0.25, Width: 0.3, Grey: 40}}}
	got := scannedWhite(200, 300, s)
	tp := s.truthPage(1, 1, got)
	want := []TruthStreak{{X: 75, Width: 3, Grey: 40}} // a quarter of 300 columns, 0.3 mm at 10 dots a millimetre
	if !slices.Equal(tp.Streaks, want) {
		t.Fatalf("truth %v, want %v", tp.Streaks, want)
	}
	paper := got.Pix[0]
	for y := range got.Bounds().Dy() {
		row := got.Pix[y*got.Stride:]
		for x := 73; x < 80; x++ {
			if streaked := x >= 75 && x < 78; streaked != (row[x] < paper) {
				t.Fatalf("row %d column %d: grey %d, paper %d, in the streak %v", y, x, row[x], paper, streaked)
			}
		}
	}
}

// TestFolds: a crease is drawn across the sheet, skewed with it, where
// its truth says; above and below it the page is as it was.
func TestFolds(t *testing.T) {
	s := scanSpec{DPI: 254, Scale: 1, Skew: 2, Folds: []fold{{At: 0.5, Width: 0.5, Grey: 120}}}
	got := scannedWhite(300, 400, s)
	if tp := s.truthPage(1, 1, got); !slices.Equal(tp.Folds, []TruthFold{{At: 0.5, Width: 0.5, Grey: 120}}) {
		t.Fatalf("truth %v", tp.Folds)
	}
	paper := got.Pix[0]
	// Down the middle column the crease crosses rows 200 to 204 (0.5 mm
	// at 10 dots a millimetre); the skew moves it a few rows at the sides.
	for y := 150; y < 250; y++ {
		v := got.Pix[y*got.Stride+150]
		if creased := y >= 200 && y < 205; creased != (v < paper-50) {
			t.Errorf("row %d: grey %d, paper %d, in the crease %v", y, v, paper, creased)
		}
	}
	left, right := -1, -1
	for y := range got.Bounds().Dy() {
		if got.Pix[y*got.Stride+20] < paper-50 && left < 0 {
			left = y
		}
		if got.Pix[y*got.Stride+280] < paper-50 && right < 0 {
			right = y
		}
	}
	if right-left < 5 {
		t.Errorf("the crease runs from row %d on the left to %d on the right: not skewed with the sheet", left, right)
	}
}

// scannedWhite is a white sheet w by h pixels scanned as s.
func scannedWhite(w, h int, s scanSpec) *image.Gray {
	src := image.NewGray(image.Rect(0, 0, w, h))
	for i := range src.Pix {
		src.Pix[i] = 255
	}
	return degrade(src, s, rand.New(rand.NewPCG(1, 2)))
}

// TestPrintedToFit: a form printed to fit its paper is shrunk to what a
// viewer's fit to the printable area gives (93-97 %) or to A4 on Letter
// (94 %), both drawn; scanned, its page lies shrunk so about the sheet's
// middle.
func TestPrintedToFit(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	letter, viewer := 0, 0
	for range 300 {
		switch f := printedToFit(r); {
		case f == 279.4/297:
			letter++
		case f >= 0.93 && f <= 0.97:
			viewer++
		default:
			t.Fatalf("printed to fit at %.3f", f)
		}
	}
	if letter < 50 || viewer < 150 {
		t.Fatalf("A4 on Letter %d times, fit to the printable area %d times in 300", letter, viewer)
	}
	// A page black to its edges, printed at 94 %: the scan's ink spans
	// 94 % of each side, with as much paper on either side of it.
	src := image.NewGray(image.Rect(0, 0, 400, 600))
	s := scanSpec{DPI: 254, Scale: 0.94}
	got := degrade(src, s, rand.New(rand.NewPCG(1, 2)))
	inked := func(x, y int) bool { return got.Pix[y*got.Stride+x] < 128 }
	left, right := -1, -1
	for x := range 400 {
		if inked(x, 300) {
			if left < 0 {
				left = x
			}
			right = x
		}
	}
	top, bottom := -1, -1
	for y := range 600 {
		if inked(200, y) {
			if top < 0 {
				top = y
			}
			bottom = y
		}
	}
	if w := right - left + 1; w < 374 || w > 378 || left < 11 || left > 13 {
		t.Errorf("ink across columns %d to %d, want 376 wide from column 12", left, right)
	}
	if h := bottom - top + 1; h < 562 || h > 566 || top < 17 || top > 19 {
		t.Errorf("ink down rows %d to %d, want 564 high from row 18", top, bottom)
	}
}

// TestCrookedSkew: a sheet fed crooked is skewed 3 to 6 degrees, either
// way.
func TestCrookedSkew(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	left, right := 0, 0
	for range 200 {
		d := crookedSkew(r)
		if math.Abs(d) < 3 || math.Abs(d) > 6 {
			t.Fatalf("skewed %.2f degrees", d)
		}
		if d < 0 {
			left++
		} else {
			right++
		}
	}
	if left < 60 || right < 60 {
		t.Fatalf("%d skewed one way, %d the other, in 200", left, right)
	}
}

// TestWrittenDates: every way the mailroom world writes a date reads back
// as the date it was written from, each way drawn.
func TestWrittenDates(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	for day := range 400 {
		iso := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, day).Format("2006-01-02")
		for range 6 {
			w := writtenDate(r, iso)
			if got, ok := normDate(w); !ok || got != iso {
				t.Errorf("%s written %q reads back as %q, %v", iso, w, got, ok)
			}
			seen[dateShape(w)] = true
		}
	}
	for _, shape := range []string{"9/9-9", "9:x x 9", "9-9-9", "9 x 9", "9 x. 9", "9.9.9", "9/9 9", "9"} {
		if !seen[shape] {
			t.Errorf("no date written as %s (shapes drawn: %v)", shape, seen)
		}
	}
}

// dateShape writes digits as 9, letters as x and runs of each as one.
func dateShape(s string) string {
	var b strings.Builder
	last := rune(0)
	for _, c := range s {
		switch {
		case unicode.IsDigit(c):
			c = '9'
		case unicode.IsLetter(c):
			c = 'x'
		}
		if c != last || c != 'x' && c != '9' {
			b.WriteRune(c)
		}
		last = c
	}
	return b.String()
}

// TestOfficeDomains: in the mailroom world an organisation's addresses
// share its domain, or a department's under it; domains are made in every
// way drawn (the first word, the town, the whole name, the initials,
// another top-level domain), and some addresses put the last name first.
func TestOfficeDomains(t *testing.T) {
	shapes := map[string]bool{}
	lastFirst := 0
	for seed := range 20 {
		g := &generator{opts: Options{Seed: int64(seed)}, today: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)}
		w := newWorld(g.rng("world", 0), g.rng("mail", 0), g.today, true)
		for _, o := range slices.Concat(orgNames, wideOrgNames) {
			domain := w.domains[o.name]
			base := strings.TrimSuffix(mailDomain(o.name), ".se")
			switch {
			case domain == base+".se":
				shapes["first word"] = true
			case domain == latinFold.Replace(strings.ToLower(o.town))+".se":
				shapes["town"] = true
			case strings.HasSuffix(domain, ".nu") || strings.HasSuffix(domain, ".org"):
				shapes["top-level"] = true
			case len(strings.TrimSuffix(domain, ".se")) == len(strings.Fields(o.name)):
				shapes["initials"] = true
			default:
				shapes["whole name"] = true
			}
			r := g.rng(o.name, 0)
			for range 30 {
				p := widePerson(r, domain, g.today)
				local, at, ok := strings.Cut(p.Email, "@")
				if !ok || at != domain && !strings.HasSuffix(at, "."+domain) {
					t.Fatalf("%s at %s: address %q", p.Name(), o.name, p.Email)
				}
				last := latinFold.Replace(strings.ToLower(p.Last))
				if strings.HasPrefix(local, last+".") {
					lastFirst++
				}
			}
		}
	}
	for _, s := range []string{"first word", "town", "whole name", "initials", "top-level"} {
		if !shapes[s] {
			t.Errorf("no domain made from the %s (made: %v)", s, shapes)
		}
	}
	if lastFirst == 0 {
		t.Error("no address puts the last name first")
	}
}
