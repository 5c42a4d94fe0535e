package extract

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"os"
	"testing"

	"golang.org/x/image/bmp"

	"blankett/corpus"
)

// TestEncodeBMP: the image handed to Tesseract is the zone, pixel for
// pixel, whatever its width (BMP rows are padded to four bytes) and
// wherever the zone lies in a larger image.
func TestEncodeBMP(t *testing.T) {
	big := image.NewGray(image.Rect(0, 0, 40, 30))
	for i := range big.Pix {
		big.Pix[i] = uint8(i * 7)
	}
	for _, r := range []image.Rectangle{big.Bounds(), image.Rect(3, 2, 16, 9), image.Rect(5, 5, 6, 7)} {
		zone := big.SubImage(r).(*image.Gray)
		got, err := bmp.Decode(bytes.NewReader(encodeBMP(zone)))
		if err != nil {
			t.Fatalf("%v: %v", r, err)
		}
		if got.Bounds().Dx() != r.Dx() || got.Bounds().Dy() != r.Dy() {
			t.Fatalf("%v: decoded %v", r, got.Bounds())
		}
		for y := range r.Dy() {
			for x := range r.Dx() {
				want := zone.GrayAt(r.Min.X+x, r.Min.Y+y).Y
				if g := color.GrayModel.Convert(got.At(x, y)).(color.Gray).Y; g != want {
					t.Fatalf("%v: pixel %d,%d is %d, want %d", r, x, y, g, want)
				}
			}
		}
	}
}

// TestOpenMPInline: Tesseract's OpenMP parallel regions run through
// openmp.go's functions (they are counted there), and a scanned form read
// through them comes out as its truth says.
func TestOpenMPInline(t *testing.T) {
	e := newTestExtractor(t)
	const path = "../testdata/corpus/scan/9445-valid-new"
	data, err := os.ReadFile(path + ".pdf")
	if err != nil {
		t.Fatal(err)
	}
	var tr corpus.Truth
	raw, err := os.ReadFile(path + ".truth.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := jsonUnmarshal(raw, &tr); err != nil {
		t.Fatal(err)
	}
	before := openMPRegions()
	res, err := e.Extract(context.Background(), mediaOf(t, data), data)
	if err != nil {
		t.Fatal(err)
	}
	if n := openMPRegions() - before; n == 0 {
		t.Fatal("no OpenMP region ran inline while a page was read: Tesseract's calls go to libgomp")
	}
	if len(res.Documents) != 1 || res.Documents[0].Kind != tr.Documents[0].Kind {
		t.Fatalf("read as %v, want one %s", summary(res), tr.Documents[0].Kind)
	}
	right := 0
	for name, tf := range tr.Documents[0].Fields {
		if res.Documents[0].Fields[name].Value == tf.Value {
			right++
		}
	}
	if want := len(tr.Documents[0].Fields); right*10 < want*9 {
		t.Errorf("%d of %d fields read right", right, want)
	}
}
