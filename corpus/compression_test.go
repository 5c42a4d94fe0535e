package corpus

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

// testPage is a page of strokes and blocks, 3 × 2 inches at 200 DPI: black
// on white when bilevel, else in greys, or in colour (red blocks).
func testPage(kind string) image.Image {
	r := rand.New(rand.NewPCG(1, 2))
	var img interface {
		image.Image
		Set(x, y int, c color.Color)
	}
	if kind == "colour" {
		img = image.NewRGBA(image.Rect(0, 0, 600, 400))
	} else {
		img = image.NewGray(image.Rect(0, 0, 600, 400))
	}
	for y := range 400 {
		for x := range 600 {
			img.Set(x, y, color.White)
		}
	}
	for range 80 {
		x, y, w, h := r.IntN(560), r.IntN(380), 1+r.IntN(40), 1+r.IntN(20)
		var c color.Color = color.Black
		switch kind {
		case "grey":
			c = color.Gray{Y: uint8(r.IntN(200))}
		case "colour":
			c = color.RGBA{R: 200, G: uint8(r.IntN(80)), B: 30, A: 255}
		}
		for yy := y; yy < y+h && yy < 400; yy++ {
			for xx := x; xx < x+w && xx < 600; xx++ {
				img.Set(xx, yy, c)
			}
		}
	}
	return img
}

// TestScannerFormatsShowAlike checks that a page stored as scanners store
// it shows, in poppler, as the page: a 1-bit page in JBIG2 or Flate pixel
// for pixel as its CCITT G4 twin (which shows near the page), in either
// polarity for JBIG2; a grey or colour page in Flate or JPEG 2000 near
// it. The format is the scanner's choice, not the page's.
func TestScannerFormatsShowAlike(t *testing.T) {
	needTools(t)
	ctx := context.Background()
	bilevel := testPage("bilevel").(*image.Gray)
	show := func(what string, p pdfImage) *image.Gray {
		t.Helper()
		pages, err := rasterize(ctx, imagePDF([]pdfImage{p}), 200)
		if err != nil || len(pages) != 1 {
			t.Fatalf("%s: the page does not show: %v", what, err)
		}
		return pages[0]
	}
	var g4 *image.Gray // the 1-bit page as poppler shows it
	for _, minIsBlack := range []bool{false, true} {
		_, pages, err := g4Pages(ctx, []*image.Gray{bilevel}, 200, 0, minIsBlack)
		if err != nil {
			t.Fatal(err)
		}
		// Poppler smooths a 1-bit image's edges a little.
		want := show("G4", pages[0])
		if d := meanDifference(want, bilevel); d > 5 {
			t.Fatalf("min-is-black %t: the G4 page shows %.1f greys off the page on average", minIsBlack, d)
		}
		g4 = want
		jb := pages[0]
		jb.Data, jb.Filter = jbig2Embedded(jb.Data, jb.W, jb.H, jb.DPI, jb.YDPI), "JBIG2Decode"
		if got := show("JBIG2", jb); !bytes.Equal(got.Pix, want.Pix) {
			t.Errorf("min-is-black %t: the JBIG2 page shows otherwise than its G4 twin", minIsBlack)
		}
	}
	for _, kind := range []string{"bilevel", "grey", "colour"} {
		img := testPage(kind)
		want := greyOf(img)
		if kind == "bilevel" {
			want = g4
		}
		if kind == "colour" {
			// As poppler shows colour in grey.
			rgb, err := rasterize(ctx, imagePDF([]pdfImage{flatePDFImage(t, img, false)}), 200)
			if err != nil {
				t.Fatal(err)
			}
			want = rgb[0]
			if bytes.Equal(want.Pix, greyOf(testPage("grey")).Pix) {
				t.Fatal("the colour page is the grey one")
			}
		}
		got := show("Flate "+kind, flatePDFImage(t, img, kind == "bilevel"))
		if kind == "bilevel" && !bytes.Equal(got.Pix, want.Pix) {
			t.Errorf("the 1-bit Flate page shows otherwise than its G4 twin")
		}
		// Poppler smooths a grey image's edges a little too.
		if d := meanDifference(got, want); kind != "bilevel" && d > 2 {
			t.Errorf("%s: the Flate page is %.1f greys off the page on average, want at most 2", kind, d)
		}
		if kind == "bilevel" {
			continue
		}
		data, colour, err := jpxData(ctx, img, 20)
		if err != nil {
			t.Fatal(err)
		}
		if colour != (kind == "colour") {
			t.Errorf("%s: JPEG 2000 in colour %t", kind, colour)
		}
		got = show("JPEG 2000 "+kind, pdfImage{W: 600, H: 400, DPI: 200, Data: data, Filter: "JPXDecode", Colour: colour})
		if d := meanDifference(got, want); d > 3 {
			t.Errorf("%s: the JPEG 2000 page is %.1f greys off the page on average, want at most 3", kind, d)
		}
	}
}

func flatePDFImage(t *testing.T, img image.Image, bilevel bool) pdfImage {
	t.Helper()
	data, bits, colour, err := flateData(img, bilevel)
	if err != nil {
		t.Fatal(err)
	}
	return pdfImage{W: img.Bounds().Dx(), H: img.Bounds().Dy(), DPI: 200, Data: data, Filter: "FlateDecode", Bits: bits, Colour: colour}
}

func meanDifference(a, b *image.Gray) float64 {
	if a.Bounds() != b.Bounds() {
		return 255
	}
	sum := 0
	for i := range a.Pix {
		d := int(a.Pix[i]) - int(b.Pix[i])
		sum += max(d, -d)
	}
	return float64(sum) / float64(len(a.Pix))
}
