package corpus

import (
	"bytes"
	"context"
	"image"
	"math/rand/v2"
	"testing"
)

// TestJBIG2PageAsG4 checks that a page stored as JBIG2 (jbig2Embedded)
// shows, in poppler, pixel for pixel as the same page stored as CCITT G4,
// in either polarity: the format is the scanner's choice, not the page's.
func TestJBIG2PageAsG4(t *testing.T) {
	needTools(t)
	ctx := context.Background()
	// A 1-bit page of strokes and blocks, 3 × 2 inches at 200 DPI.
	img := image.NewGray(image.Rect(0, 0, 600, 400))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 80 {
		x, y, w, h := r.IntN(560), r.IntN(380), 1+r.IntN(40), 1+r.IntN(20)
		for yy := y; yy < y+h && yy < 400; yy++ {
			for xx := x; xx < x+w && xx < 600; xx++ {
				img.Pix[yy*600+xx] = 0
			}
		}
	}
	for _, minIsBlack := range []bool{false, true} {
		_, pages, err := g4Pages(ctx, []*image.Gray{img}, 200, 0, minIsBlack)
		if err != nil {
			t.Fatal(err)
		}
		g4 := imagePDF(pages)
		jb := pages[0]
		jb.Data, jb.Filter = jbig2Embedded(jb.Data, jb.W, jb.H, jb.DPI, jb.YDPI), "JBIG2Decode"
		jbig2 := imagePDF([]pdfImage{jb})
		if bytes.Equal(g4, jbig2) {
			t.Fatal("the JBIG2 PDF is the G4 PDF")
		}
		want, err := rasterize(ctx, g4, 200)
		if err != nil {
			t.Fatal(err)
		}
		got, err := rasterize(ctx, jbig2, 200)
		if err != nil {
			t.Fatalf("min-is-black %t: the JBIG2 page does not show: %v", minIsBlack, err)
		}
		if len(got) != 1 || len(want) != 1 || !bytes.Equal(got[0].Pix, want[0].Pix) {
			t.Errorf("min-is-black %t: the JBIG2 page shows otherwise than its G4 twin", minIsBlack)
		}
		// And as drawn: black where the page is black.
		if want[0].Pix[0] != img.Pix[0] || bytes.Count(want[0].Pix, []byte{0}) == 0 {
			t.Errorf("min-is-black %t: the G4 page does not show as drawn", minIsBlack)
		}
	}
}
