package extract

import (
	"image"
	"image/color"
	"testing"
)

// TestColourWriting drops a colour scan's marks and keeps its coloured
// writing: blue ink in a word in each of ten fields down the page is the
// writing, read as dark as it is; a red stamp and a blue pen's stroke in
// one place are marks, lifted towards white and noted in marks.
func TestColourWriting(t *testing.T) {
	const w, h = 800, 1200 // cells of 100 × 100
	page := func(spread bool) *image.RGBA {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for i := range img.Pix {
			img.Pix[i] = 255
		}
		fill := func(x0, y0, x1, y1 int, c color.RGBA) {
			for y := y0; y < y1; y++ {
				for x := x0; x < x1; x++ {
					img.SetRGBA(x, y, c)
				}
			}
		}
		blue, red := color.RGBA{40, 60, 175, 255}, color.RGBA{205, 45, 55, 255}
		fill(420, 120, 580, 200, red)  // a stamp across two cells
		fill(100, 950, 180, 956, blue) // a pen's stroke in one cell
		if spread {
			for row := 1; row < 11; row++ {
				fill(30, row*100+40, 90, row*100+52, blue) // a word in a field
			}
		}
		return img
	}
	for _, spread := range []bool{false, true} {
		img := page(spread)
		g := image.NewGray(img.Bounds())
		marks := image.NewGray(img.Bounds())
		for i := range marks.Pix {
			marks.Pix[i] = 255
		}
		if !dropColour(g, marks, img) {
			t.Fatal("an RGBA page is colour")
		}
		if v := g.GrayAt(500, 150).Y; v < 191 || marks.GrayAt(500, 150).Y != 0 {
			t.Errorf("spread %v: the stamp is %d in the page and %d in marks, want lifted and marked", spread, v, marks.GrayAt(500, 150).Y)
		}
		stroke, word := g.GrayAt(140, 953).Y, g.GrayAt(60, 545).Y
		switch {
		case !spread && stroke < 191:
			t.Errorf("a pen's stroke in one place is %d, want dropped", stroke)
		case spread && (stroke > 100 || word > 100):
			t.Errorf("writing in blue down the page is %d and %d, want dark", stroke, word)
		case spread && marks.GrayAt(60, 545).Y != 255:
			t.Error("writing in blue is marked as a mark over writing")
		}
	}
}
