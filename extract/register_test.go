package extract

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"

	"blankett/form"
)

// TestWarp: the fixed-point warp reads each pixel as bilinear
// interpolation in floating point does, within a grey level, for affine
// and projective transforms, on a page image that starts anywhere;
// outside the page is paper.
func TestWarp(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	page := image.NewGray(image.Rect(0, 0, 400, 300))
	for i := range page.Pix {
		page.Pix[i] = uint8(r.IntN(256))
	}
	sub := page.SubImage(image.Rect(37, 21, 390, 290)).(*image.Gray)
	reference := func(img *image.Gray, x, y float64) uint8 {
		b := img.Bounds()
		if x < float64(b.Min.X) || y < float64(b.Min.Y) || x >= float64(b.Max.X-1) || y >= float64(b.Max.Y-1) {
			return 255
		}
		x0, y0 := int(x), int(y)
		fx, fy := x-float64(x0), y-float64(y0)
		i := img.PixOffset(x0, y0)
		p00, p10 := float64(img.Pix[i]), float64(img.Pix[i+1])
		p01, p11 := float64(img.Pix[i+img.Stride]), float64(img.Pix[i+img.Stride+1])
		top := p00 + (p10-p00)*fx
		bot := p01 + (p11-p01)*fx
		return uint8(top + (bot-top)*fy + 0.5)
	}
	transforms := []affine{
		{A: 1, E: 1},
		{A: 4.1, B: 0.07, C: 12.5, D: -0.06, E: 4.2, F: 30.25},
		{A: 2.9, B: 0.2, C: -40, D: -0.1, E: 3.1, F: 8, G: 0.0004, H: -0.0003},
	}
	box := form.Box{X: 3, Y: 5, W: 120, H: 90}
	const k = 2.5
	for _, img := range []*image.Gray{page, sub} {
		for n, tr := range transforms {
			got := warp(img, tr, box, k)
			worst := 0
			for v := range got.Bounds().Dy() {
				y := box.Y + (float64(v)+0.5)/k
				for u := range got.Bounds().Dx() {
					x := box.X + (float64(u)+0.5)/k
					px, py := tr.apply(x, y)
					want := reference(img, px-0.5, py-0.5)
					worst = max(worst, int(math.Abs(float64(got.Pix[v*got.Stride+u])-float64(want))))
				}
			}
			if worst > 1 {
				t.Errorf("transform %d on %v: a pixel off by %d grey levels", n, img.Bounds(), worst)
			}
		}
	}
}
