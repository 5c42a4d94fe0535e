package extract

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"blankett/corpus"
	"blankett/form"
)

// TestScanInStrips reads committed scans again as a scanner that cuts
// each page into four strips, each its own image, writes them: the page
// is rasterised whole, not read from its largest strip, and every field
// reads as it does from the one-image scan.
func TestScanInStrips(t *testing.T) {
	same, all := rereadScans(t, "in strips", func(page *image.Gray, dpi int) (string, []byte, error) {
		strips, err := corpus.StripScanPDF(page, dpi, 4)
		return MediaPDF, strips, err
	})
	if 100*same < 97*all {
		t.Errorf("%d of %d fields read as from the one-image scans", same, all)
	}
}

// rereadScans reads two committed scans of a 9445, then each again as as
// stores its page (at dpi) under what, and counts the fields that read
// alike both times, of all.
func rereadScans(t *testing.T, what string, as func(page *image.Gray, dpi int) (media string, data []byte, err error)) (same, all int) {
	t.Helper()
	ctx := context.Background()
	e := newTestExtractor(t)
	paths, _ := filepath.Glob("../testdata/corpus/scan/9445-valid-*.pdf")
	if len(paths) == 0 {
		t.Fatal("no scans in testdata/corpus/scan")
	}
	for _, path := range paths[:min(2, len(paths))] {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := e.Extract(ctx, MediaPDF, data)
		if err != nil {
			t.Fatal(err)
		}
		page := rawPage(t, data)
		media, again, err := as(page, int(pageDPI(page)+0.5))
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.Extract(ctx, media, again)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(path) + " " + what
		if len(got.Documents) != 1 || got.Documents[0].Kind != whole.Documents[0].Kind {
			t.Fatalf("%s read as %v", name, summary(got))
		}
		s, a := sameFields(t, name, got, whole)
		same, all = same+s, all+a
	}
	return same, all
}

// TestLargerCanvas: a page scanned on a canvas larger than the paper (a
// scanner set to Legal, or to its whole glass), at the glass's corner or
// in the middle, fed either way up, reads as the page itself.
func TestLargerCanvas(t *testing.T) {
	e := newTestExtractor(t)
	page := scanPage(t)
	want := extractPNG(t, e, page)
	b := page.Bounds()
	dpi := pageDPI(page)
	legal := image.Rect(0, 0, int(8.5*dpi), int(14*dpi)) // 8.5 × 14 inches
	// The page as fed (this scan is upside down: once turned upright,
	// a page at the glass's corner lies at the canvas's far end) and
	// turned upright.
	upright := rotate(page, 2)
	for _, c := range []struct {
		name string
		page *image.Gray
		at   image.Point
	}{
		{"Legal, upside down at the corner", page, image.Point{}},
		{"Legal, upright at the corner", upright, image.Point{}},
		{"Legal, in the middle", page, image.Pt((legal.Dx()-b.Dx())/2, (legal.Dy()-b.Dy())/2)},
	} {
		canvas := image.NewGray(legal)
		for i := range canvas.Pix {
			canvas.Pix[i] = 248 // the scanner's lid
		}
		draw.Draw(canvas, b.Add(c.at), c.page, b.Min, draw.Src)
		got := extractPNG(t, e, canvas)
		if len(got.Documents) != 1 || got.Documents[0].Kind != want.Documents[0].Kind || !got.Documents[0].Pages[0].Registered {
			t.Fatalf("%s: read as %v", c.name, summary(got))
		}
		if same, all := sameFields(t, c.name, got, want); 100*same < 97*all {
			t.Errorf("%s: %d of %d fields read as from the page itself", c.name, same, all)
		}
	}
}

// extractPNG extracts img saved as a PNG.
func extractPNG(t *testing.T, e *Extractor, img image.Image) *Result {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	res, err := e.Extract(context.Background(), MediaPNG, buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// sameFields counts the fields of want's first document, and how many of
// them got's first document reads alike; it logs the others under name.
func sameFields(t *testing.T, name string, got, want *Result) (same, all int) {
	t.Helper()
	for field, w := range want.Documents[0].Fields {
		all++
		if v := got.Documents[0].Fields[field]; v.Value == w.Value {
			same++
		} else {
			t.Logf("%s: %s = %q, want %q", name, field, v.Value, w.Value)
		}
	}
	return same, all
}

// TestCoverLetterKeptApart: a cover letter fed before a form names the
// form by number and title, the words the form's pages are recognised
// by, but prints none of its labels where the form prints them, nor its
// page mark: it is a document of its own, unclassified, whose message
// says what it is, and the form after it is read as the form alone; so
// too when it was folded for its envelope, its creases no ruled lines.
func TestCoverLetterKeptApart(t *testing.T) {
	set, err := form.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	e := newTestExtractor(t)
	e.UseSet(set)
	for _, c := range []struct {
		kind   form.Kind
		folded bool
	}{{form.Kind9445, false}, {form.KindAgreement, false}, {form.Kind9445, true}} {
		kind := c.kind
		name := string(kind)
		if c.folded {
			name += " folded"
		}
		t.Run(name, func(t *testing.T) {
			tpl, pages, letter := formAndLetter(t, set, kind, 11)
			if c.folded {
				// Folded in three for its envelope: two creases from
				// edge to edge, fed a degree askew. A skewed crease is
				// many rules to inkRuns, each row's piece of it one.
				b := letter.Bounds()
				for _, y0 := range []int{b.Dy() / 3, 2 * b.Dy() / 3} {
					for x := range b.Dx() {
						y := y0 + x*b.Dy()/b.Dx()/57 // a degree
						shade(letter, x, y, x+1, y+3, 90)
					}
				}
			}
			res := extractPages(t, e, append([]*image.Gray{letter}, pages...))
			if len(res.Documents) != 2 {
				t.Fatalf("%v: want 2 documents, the letter and the form", summary(res))
			}
			letterDoc, formDoc := res.Documents[0], res.Documents[1]
			if letterDoc.State != form.StateUnclassified || letterDoc.FirstPage != 1 || letterDoc.LastPage != 1 ||
				!strings.Contains(letterDoc.Message, tpl.FormNumber) || !strings.Contains(letterDoc.Message, "följebrev") {
				t.Errorf("letter: %s pages %d–%d, %q; want unclassified, page 1, naming %s as a cover letter",
					letterDoc.State, letterDoc.FirstPage, letterDoc.LastPage, letterDoc.Message, tpl.FormNumber)
			}
			if formDoc.Kind != kind || formDoc.FirstPage != 2 || formDoc.LastPage != 1+len(tpl.Pages) || formDoc.Message != "" {
				t.Errorf("form: %s pages %d–%d, %q; want %s on pages 2–%d, every page fitted", formDoc.Kind, formDoc.FirstPage, formDoc.LastPage,
					formDoc.Message, kind, 1+len(tpl.Pages))
			}
		})
	}
}

// formAndLetter fills a sample of kind's first edition in set and scans
// it at 200 DPI (seed draws the scan), and prints the cover letter its
// organisation sends with it: the edition, its scanned pages and the
// letter's.
func formAndLetter(t *testing.T, set *form.Set, kind form.Kind, seed uint64) (*form.Template, []*image.Gray, *image.Gray) {
	t.Helper()
	ctx := context.Background()
	tpl, _ := set.Primary(kind)
	td := truthSamples(t, kind, 1)[0]
	values, sigs := rawValues(td)
	blank, err := corpus.BlankPDF(tpl)
	if err != nil {
		t.Fatal(err)
	}
	filled, err := corpus.FillAndScan(ctx, tpl, blank, values, sigs, 200, seed)
	if err != nil {
		t.Fatal(err)
	}
	letter, err := corpus.CoverLetter(ctx, tpl, td.Fields[tpl.RoleField(form.FieldOrgName, 0)].Value, 200, seed)
	if err != nil {
		t.Fatal(err)
	}
	return tpl, filled.Pages, letter
}

// extractPages stores pages as a scanner's PDF at 200 DPI and extracts it.
func extractPages(t *testing.T, e *Extractor, pages []*image.Gray) *Result {
	t.Helper()
	scan, err := corpus.ScanPDF(pages, 200)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Extract(context.Background(), MediaPDF, scan)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestLetterBetweenPagesOfAForm: a cover letter filed between the pages
// of an agreement does not split it: the agreement is read whole, every
// page in its place, and the letter is a document of its own after it.
func TestLetterBetweenPagesOfAForm(t *testing.T) {
	if testing.Short() {
		t.Skip("OCR of five pages")
	}
	set, err := form.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	e := newTestExtractor(t)
	e.UseSet(set)
	tpl, pages, letter := formAndLetter(t, set, form.KindAgreement, 12)
	if len(tpl.Pages) < 3 {
		t.Fatalf("the agreement has %d pages; the test needs three or more", len(tpl.Pages))
	}
	// The letter after the form's first page; the rest follow it.
	res := extractPages(t, e, slices.Concat(pages[:1], []*image.Gray{letter}, pages[1:]))
	if len(res.Documents) != 2 {
		t.Fatalf("%v: want 2 documents, the agreement whole and the letter", summary(res))
	}
	agreement, letterDoc := res.Documents[0], res.Documents[1]
	if agreement.Kind != form.KindAgreement || len(agreement.Pages) != len(tpl.Pages) || agreement.Message != "" {
		t.Fatalf("agreement: %s of %d pages, %q; want every one of its %d pages fitted", agreement.Kind, len(agreement.Pages), agreement.Message, len(tpl.Pages))
	}
	for _, p := range agreement.Pages {
		want := p.FilePage // file page 1 is its page 1, file page n > 2 its page n-1
		if p.FilePage > 2 {
			want--
		}
		if p.FilePage == 2 || p.TemplatePage != want || !p.Registered {
			t.Errorf("agreement: file page %d read as its page %d (registered %v)", p.FilePage, p.TemplatePage, p.Registered)
		}
	}
	if letterDoc.State != form.StateUnclassified || letterDoc.FirstPage != 2 || letterDoc.LastPage != 2 || !strings.Contains(letterDoc.Message, "följebrev") {
		t.Errorf("letter: %s pages %d–%d, %q; want unclassified, file page 2, named a cover letter",
			letterDoc.State, letterDoc.FirstPage, letterDoc.LastPage, letterDoc.Message)
	}
}

// TestNamesOnly: a page that named an edition is a page about it, not of
// it, where hardly any of its printed words were found in place and
// neither of its marks was read (a fax header's page count is none of
// them); a page fitted on enough words, or whose page mark or edition
// mark was read, is the form's.
func TestNamesOnly(t *testing.T) {
	set, err := form.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := set.Primary(form.KindAgreement)
	letter := "Angående behörighet till uppföljningssystemet SUS\nFörsäkringskassan"
	// Pages at 72 DPI: a letter's, bare of rules but a letterhead's, and
	// a form's, ruled.
	bare, ruled := paper(595, 842), paper(595, 842)
	shade(bare, 40, 60, 555, 61, 0)
	for y := 100; y < 800; y += 40 {
		shade(ruled, 40, y, 300, y+1, 0)
	}
	for _, c := range []struct {
		name       string
		registered bool
		words      int
		v          verdict
		text       string
		img        *image.Gray
		want       bool
	}{
		{"not fitted", false, 0, verdict{tpl: tpl}, letter, bare, true},
		{"not fitted, ruled", false, 0, verdict{tpl: tpl}, letter, ruled, false},
		{"fitted on a few words", true, 3, verdict{tpl: tpl}, letter, bare, true},
		{"fitted on enough words", true, fitWordsOfAPage, verdict{tpl: tpl}, letter, bare, false},
		{"page mark read first", false, 0, verdict{tpl: tpl, page: 2, of: 4}, letter, bare, false},
		{"edition mark read", false, 0, verdict{tpl: tpl, edition: true}, letter, bare, false},
		{"page mark read on fitting", true, 3, verdict{tpl: tpl}, letter + "\nsida 2 av 4", bare, false},
		// A fax machine's header counts the pages sent, not the form's.
		{"faxed, not fitted", false, 0, verdict{tpl: tpl}, "2026-02-25 08:11  ESLOVS KOMMUN  SIDA 1 AV 3\n" + letter, bare, true},
	} {
		pi := &pageInfo{tpl: tpl, registered: c.registered, fitWords: c.words, text: c.text, img: c.img}
		if got := namesOnly(pi, c.v); got != c.want {
			t.Errorf("%s: namesOnly = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestStandardModeFax reads committed scans again as a fax sent in
// standard mode delivers them, half as many rows as columns an inch: a
// 1-bit TIFF whose YResolution is half its XResolution, and a PDF whose
// page draws the image stretched to its height (halved, an A4 page's
// proportions are their own inverse, as a scan's turned a quarter are).
// The page is read with square dots (stretched, or rasterised as it
// shows), and its fields read as from the scan (as they were read before,
// every field was lost).
func TestStandardModeFax(t *testing.T) {
	for _, format := range []string{MediaTIFF, MediaPDF} {
		same, all := rereadScans(t, "as a standard-mode fax ("+format+")", func(page *image.Gray, dpi int) (string, []byte, error) {
			half := corpus.EveryOtherRow(page)
			if format == MediaTIFF {
				return format, corpus.BilevelTIFFAt(half, dpi, dpi/2, false), nil
			}
			fax, err := corpus.FaxPDF(half, dpi, dpi/2)
			return format, fax, err
		})
		if 100*same < 90*all {
			t.Errorf("%s: %d of %d fields read as from the scans", format, same, all)
		}
	}
}

// TestPageCutShort: a page the scanner cut short (set to a shorter paper
// than the form's, or the sheet fed askew) lacks its foot. Its fields
// there are unread, at confidence 0, never empty or unsigned as if read;
// the document's message says the page is cut; and what the scan does
// hold reads as from the whole page.
func TestPageCutShort(t *testing.T) {
	e := newTestExtractor(t)
	page := rotate(scanPage(t), 2) // the committed scan is upside down
	want := extractPNG(t, e, page)
	b := page.Bounds()
	cut := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()*4/5))
	draw.Draw(cut, cut.Bounds(), page, b.Min, draw.Src)
	got := extractPNG(t, e, cut)
	if len(got.Documents) != 1 || got.Documents[0].Kind != want.Documents[0].Kind || !got.Documents[0].Pages[0].Registered {
		t.Fatalf("read as %v", summary(got))
	}
	doc := got.Documents[0]
	if !strings.Contains(doc.Message, "avskuren") {
		t.Errorf("message %q does not say the page is cut", doc.Message)
	}
	unread, same := 0, 0
	for name, w := range want.Documents[0].Fields {
		v := doc.Fields[name]
		switch {
		case v.Confidence == 0:
			unread++
		case v.Value == w.Value:
			same++
		case v.Confidence >= form.FlagBelow:
			t.Errorf("%s = %q at %.2f, want %q as on the whole page, or in doubt", name, v.Value, v.Confidence, w.Value)
		}
	}
	if unread == 0 || same < len(want.Documents[0].Fields)/2 {
		t.Errorf("%d fields unread, %d read as on the whole page, of %d: want some unread and most read", unread, same, len(want.Documents[0].Fields))
	}
}

// TestScanDPI: a page made from a scan's image with finer dots (a fax sent
// in standard mode, its dots not square: a PDF rasterised, a TIFF
// stretched) keeps the scan's coarser resolution
// (the coarse ceiling is the scan's, not the raster's); a scan decoded as
// it is has none beside its own, nor has a page without an image.
func TestScanDPI(t *testing.T) {
	ctx := context.Background()
	page := func(w, h int) *image.Gray {
		img := image.NewGray(image.Rect(0, 0, w, h))
		for i := range img.Pix {
			img.Pix[i] = 255
		}
		return img
	}
	fax, err := corpus.FaxPDF(page(1654, 585), 200, 50) // A4 at 200 by 50 dots an inch
	if err != nil {
		t.Fatal(err)
	}
	scan, err := corpus.ScanPDF([]*image.Gray{page(1240, 1754)}, 150)
	if err != nil {
		t.Fatal(err)
	}
	blankForm, err := os.ReadFile("../testdata/forms/9445.pdf")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		file []byte
		want float64
	}{
		{"a fax in standard mode", fax, 50},
		{"a fax in standard mode, a TIFF", corpus.BilevelTIFFAt(page(1654, 585), 200, 50, false), 50},
		{"a scan decoded as it is", scan, 0},
		{"a blank form, all vector", blankForm, 0},
	} {
		src, err := open(ctx, mediaOf(t, c.file), c.file, DefaultLimits())
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if _, err := src.page(ctx, 0); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := src.scanDPIOf(0); math.Abs(got-c.want) > 1 {
			t.Errorf("%s: scan resolution %.1f, want %.0f", c.name, got, c.want)
		}
	}
}

// TestColourScanInAnyEncoding: a colour scan's coloured ink is dropped out
// and kept as marks however the file holds its image. A Flate or JPEG
// 2000 page was rendered by poppler in grey: a red stamp stayed on it as
// dark as writing, and a form written in blue lost what tells it. An
// image with a palette was laid on grey as it stood.
func TestColourScanInAnyEncoding(t *testing.T) {
	ctx := context.Background()
	const dpi = 100
	page := image.NewRGBA(image.Rect(0, 0, 827, 1169)) // A4
	draw.Draw(page, page.Bounds(), image.White, image.Point{}, draw.Src)
	black, red := image.Rect(100, 100, 300, 140), image.Rect(100, 300, 300, 340)
	draw.Draw(page, black, image.Black, image.Point{}, draw.Src)
	draw.Draw(page, red, &image.Uniform{color.RGBA{205, 45, 55, 255}}, image.Point{}, draw.Src)
	// And as an image with a palette, as some scanners save a page of
	// few colours.
	pal := image.NewPaletted(page.Bounds(), color.Palette{color.White, color.Black, color.RGBA{205, 45, 55, 255}})
	draw.Draw(pal, pal.Bounds(), page, image.Point{}, draw.Src)
	var palPNG bytes.Buffer
	if err := png.Encode(&palPNG, pal); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{corpus.FormatPDFJPEG, corpus.FormatPDFFlate, corpus.FormatPDFJPX, "png-palette"} {
		media, data := MediaPDF, palPNG.Bytes()
		if format != "png-palette" {
			var err error
			if data, err = corpus.ImagePDF(ctx, page, dpi, format); err != nil {
				t.Fatal(err)
			}
		} else {
			media = MediaPNG
		}
		src, err := open(ctx, media, data, DefaultLimits())
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		img, err := src.page(ctx, 0)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		marks := src.marksOf(0)
		if marks == nil {
			t.Errorf("%s: no coloured marks", format)
			continue
		}
		k := float64(img.Bounds().Dx()) / float64(page.Bounds().Dx())
		at := func(g *image.Gray, x, y int) uint8 { return g.GrayAt(int(float64(x)*k), int(float64(y)*k)).Y }
		if v := at(img, 200, 320); v < 190 {
			t.Errorf("%s: the red ink is %d grey, want dropped out (190 or lighter)", format, v)
		}
		if v := at(marks, 200, 320); v == noColour {
			t.Errorf("%s: the red ink is not among the marks", format)
		}
		if v := at(img, 200, 120); v > 60 {
			t.Errorf("%s: the black ink is %d grey, want kept", format, v)
		}
	}
}
