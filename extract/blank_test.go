package extract

import (
	"context"
	"image"
	"image/draw"
	"path/filepath"
	"strings"
	"testing"

	"blankett/corpus"
)

// firstPage is page one of a test file, conditioned as classification
// sees it.
func firstPage(t *testing.T, path string) *image.Gray {
	t.Helper()
	src, err := open(context.Background(), MediaPDF, readTestFile(t, path), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	img, err := src.page(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	img, _, _ = condition(img)
	return img
}

// TestBlankPage: a blank sheet scanned as a noisy JPEG (hundreds of
// isolated dots) is blank; the same sheet with one printed line of a form,
// or with a form's signature block, is not.
func TestBlankPage(t *testing.T) {
	noisy := firstPage(t, "../testdata/bad/blank-10-pages.pdf")
	if !blankPage(noisy) {
		t.Fatal("a speckled blank page is not blank")
	}
	var form *image.Gray
	scans, _ := filepath.Glob("../testdata/corpus/scan/*.pdf")
	for _, f := range scans {
		img := firstPage(t, f)
		if blankPage(img) {
			t.Errorf("%s: a form page is blank", f)
		}
		if b := img.Bounds(); form == nil && b.Dy() > b.Dx() {
			form = img // upright, for the strips below
		}
	}
	if form == nil {
		t.Fatal("no upright scan in the committed corpus")
	}
	// Bands of the form page (scaled to the blank page's size) pasted on
	// the speckled page, each one line of print: as much ink as writing
	// needs, too little to pass as a page of ink.
	scaled := scaleToDPI(form, pageDPI(noisy))
	b := noisy.Bounds()
	area := b.Dx() * b.Dy()
	noise, _ := inkStats(noisy)
	tried := 0
	for y := 0; y+b.Dy()/60 <= b.Dy() && tried < 5; y += b.Dy() / 60 {
		band := image.Rect(0, y, b.Dx(), y+b.Dy()/60)
		ink, _ := inkStats(scaled.SubImage(band).(*image.Gray))
		if ink < area/1000 || noise+ink >= area/100 {
			continue
		}
		tried++
		page := image.NewGray(b)
		draw.Draw(page, b, noisy, b.Min, draw.Src)
		draw.Draw(page, band, scaled, band.Min, draw.Src)
		if blankPage(page) {
			t.Errorf("a speckled page with a line of print at %v (%d ink pixels) is blank", band, ink)
		}
	}
	if tried == 0 {
		t.Fatal("no band of the form page holds one line of print")
	}
	// A blank sheet sent by fax: the machine's line over its top leaves it
	// blank; the same line lower down, where a form prints, does not.
	faxed, line := corpus.FaxHeader(noisy, "Sölvesborgs kommun", 2, 3, int(pageDPI(noisy)), 1)
	if !blankPage(faxed) {
		t.Errorf("a blank sheet with a fax machine's line over it (%q) is not blank", line)
	}
	lower := image.NewGray(b)
	draw.Draw(lower, b, noisy, b.Min, draw.Src)
	down := image.Pt(0, int(30*pageDPI(noisy)/25.4))
	draw.Draw(lower, b.Add(down), faxed, b.Min, draw.Src)
	if blankPage(lower) {
		t.Errorf("a blank sheet with the line %q 30 mm down is blank", line)
	}
}

// TestForeignFormNamed: a scanned form of another kind, numbered in the
// style of the set's own, is named by its number in the message.
func TestForeignFormNamed(t *testing.T) {
	e := newTestExtractor(t)
	data := readTestFile(t, "../testdata/bad/fk9999.pdf")
	res, err := e.Extract(context.Background(), mediaOf(t, data), data)
	if err != nil {
		t.Fatal(err)
	}
	if d := res.Documents[0]; d.Kind != "" || !strings.Contains(d.Message, "FK 9999") {
		t.Fatalf("got kind %q, message %q; want no kind and the form named FK 9999", d.Kind, d.Message)
	}
}
