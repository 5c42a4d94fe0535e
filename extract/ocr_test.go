package extract

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"os"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

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
// openmp.go's functions (they are counted there), the images of the lines
// it reads are kept uncompressed through lineimage.go's (counted too), and
// a scanned form read through them comes out as its truth says.
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
	before, linesBefore := openMPRegions(), lineImages()
	res, err := e.Extract(context.Background(), mediaOf(t, data), data)
	if err != nil {
		t.Fatal(err)
	}
	if n := openMPRegions() - before; n == 0 {
		t.Fatal("no OpenMP region ran inline while a page was read: Tesseract's calls go to libgomp")
	}
	if n := lineImages() - linesBefore; n == 0 {
		t.Fatal("no line image was kept uncompressed while a page was read: Tesseract's calls go to Leptonica's pixWriteMem")
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

// TestSingleLineNotInverted: a field's line is read once, as dark writing
// on light paper. The same line light on dark is not read a second time
// inverted, as Tesseract does by default with a line it is unsure of
// (the pass costs as much as the first); a page's strips still are.
func TestSingleLineNotInverted(t *testing.T) {
	e := newTestExtractor(t)
	ctx := context.Background()
	const text = "Karlstad 1234"
	dark := textLine(text, 4)
	light := image.NewGray(dark.Bounds())
	for i, v := range dark.Pix {
		light.Pix[i] = 255 - v
	}
	read := func(img *image.Gray, mode Mode) string {
		t.Helper()
		res, err := e.ocr.Read(ctx, "eng", img, 300, mode, "")
		if err != nil {
			t.Fatal(err)
		}
		return res.Text()
	}
	if got := read(dark, SingleLine); got != text {
		t.Fatalf("dark on light read %q, want %q", got, text)
	}
	if got := read(light, SingleLine); got == text {
		t.Errorf("light on dark read %q in a single line: it was read again inverted", got)
	}
	if got := read(light, Block); got != text {
		t.Errorf("light on dark read %q in a block, want %q (inverted)", got, text)
	}
}

// textLine draws text in a bitmap font, dark on light, scaled up k times
// with a margin and its edges smoothed.
func textLine(text string, k int) *image.Gray {
	face := basicfont.Face7x13
	w := font.MeasureString(face, text).Ceil()
	small := image.NewGray(image.Rect(0, 0, w+20, 33))
	for i := range small.Pix {
		small.Pix[i] = 255
	}
	d := &font.Drawer{Dst: small, Src: image.Black, Face: face, Dot: fixed.P(10, 21)}
	d.DrawString(text)
	b := small.Bounds()
	big := image.NewGray(image.Rect(0, 0, b.Dx()*k, b.Dy()*k))
	for y := range big.Rect.Dy() {
		for x := range big.Rect.Dx() {
			big.Pix[y*big.Stride+x] = small.Pix[(y/k)*small.Stride+x/k]
		}
	}
	return gaussian(big, float64(k)/3) // the pixel steps rounded off, as a scan's
}
