package extract

import (
	"bytes"
	"context"
	"image"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"sync"
	"testing"

	"blankett/form"
)

// randomInk is a w×h image of blobs and specks on paper, with every grey.
func randomInk(r *rand.Rand, w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(200 + r.IntN(56))
	}
	for range w * h / 40 {
		x, y, s := r.IntN(w), r.IntN(h), 1+r.IntN(4)
		v := uint8(r.IntN(256))
		for dy := range s {
			for dx := range s {
				if x+dx < w && y+dy < h && r.IntN(4) > 0 {
					img.Pix[(y+dy)*img.Stride+x+dx] = v
				}
			}
		}
	}
	return img
}

// componentsNaive is the plain form of componentsUnder (every look at a
// pixel through PixOffset): the fast one must find the very same
// components, in the same order, with their pixels in the same order.
func componentsNaive(img *image.Gray, threshold uint8) []component {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	seen := make([]bool, w*h)
	var out []component
	ink := func(i int) bool { return img.Pix[img.PixOffset(b.Min.X+i%w, b.Min.Y+i/w)] < threshold }
	for i := range seen {
		if seen[i] || !ink(i) {
			continue
		}
		seen[i] = true
		stack := []int{i}
		c := component{box: image.Rectangle{Min: image.Pt(w, h), Max: image.Pt(-1, -1)}}
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := j%w, j/w
			c.pix = append(c.pix, img.PixOffset(b.Min.X+x, b.Min.Y+y))
			c.box.Min.X, c.box.Min.Y = min(c.box.Min.X, x), min(c.box.Min.Y, y)
			c.box.Max.X, c.box.Max.Y = max(c.box.Max.X, x+1), max(c.box.Max.Y, y+1)
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					if k := ny*w + nx; !seen[k] && ink(k) {
						seen[k] = true
						stack = append(stack, k)
					}
				}
			}
		}
		c.area = len(c.pix)
		c.box = c.box.Add(b.Min)
		out = append(out, c)
	}
	return out
}

func TestComponentsUnder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 20 {
		img := randomInk(r, 20+r.IntN(120), 10+r.IntN(80))
		var sub *image.Gray = img
		if i%2 == 1 { // a part of a larger image: offsets and stride differ
			b := img.Bounds()
			sub = img.SubImage(image.Rect(3, 2, b.Dx()-5, b.Dy()-4)).(*image.Gray)
		}
		for _, th := range []uint8{inkThreshold, faintInk} {
			got, want := componentsUnder(sub, th), componentsNaive(sub, th)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("image %d, threshold %d: %d components, want %d (or they differ)", i, th, len(got), len(want))
			}
		}
		// Boxes only: the same components, without their pixels.
		boxes, want := componentBoxes(sub), componentsNaive(sub, inkThreshold)
		for j := range want {
			want[j].pix = nil
		}
		if !reflect.DeepEqual(boxes, want) {
			t.Fatalf("image %d: component boxes differ from the components'", i)
		}
	}
}

func TestInkOver(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 20 {
		img := randomInk(r, 20+r.IntN(120), 10+r.IntN(80))
		b := img.Bounds()
		sub := img.SubImage(image.Rect(2, 3, b.Dx()-1, b.Dy()-2)).(*image.Gray)
		n, _ := inkStats(sub)
		for _, limit := range []int{0, n - 1, n, n + 1, n / 2} {
			if got, want := inkOver(sub, limit), n > limit; got != want {
				t.Fatalf("image %d: inkOver(%d) = %v with %d ink pixels", i, limit, got, n)
			}
		}
	}
}

// TestPlainlySureNotReadInFrench: on a scanned page, a person's name the
// Swedish model read plainly and surely is not read with the French model,
// and every other name is.
func TestPlainlySureNotReadInFrench(t *testing.T) {
	e := newTestExtractor(t)
	data, err := os.ReadFile("../testdata/corpus/scan/9445-valid-long-names.pdf")
	if err != nil {
		t.Fatal(err)
	}
	steps := map[string][]string{}
	var mu sync.Mutex
	readTrace = func(field, step, _ string, _ float64) {
		mu.Lock()
		defer mu.Unlock()
		steps[field] = append(steps[field], step)
	}
	defer func() { readTrace = nil }()
	res, err := e.Extract(context.Background(), mediaOf(t, data), data)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 1 {
		t.Fatalf("read as %v", summary(res))
	}
	sure, doubtful := 0, 0
	for name, v := range res.Documents[0].Fields {
		if !v.Role.PersonName() || v.Raw == "" {
			continue
		}
		read := slices.Contains(steps[name], "fra says")
		switch slices.Contains(steps[name], "plainly sure") {
		case true:
			sure++
			if read {
				t.Errorf("%s (%q) was plainly sure and read with the French model too", name, v.Raw)
			}
		case false:
			doubtful++
			if !read {
				t.Errorf("%s (%q) was not plainly sure and not read with the French model", name, v.Raw)
			}
		}
	}
	if sure == 0 || doubtful == 0 {
		t.Errorf("%d names plainly sure, %d not: the page no longer has both", sure, doubtful)
	}
}

// warpPlain is warp a row at a time, left to right: the banded warp must
// give the very same pixels.
func warpPlain(img *image.Gray, t affine, box form.Box, k float64) *image.Gray {
	w, h := max(1, int(math.Round(box.W*k))), max(1, int(math.Round(box.H*k)))
	out := image.NewGray(image.Rect(0, 0, w, h))
	b := img.Bounds()
	maxX, maxY := float64(b.Dx()-1), float64(b.Dy()-1)
	x0 := box.X + 0.5/k
	for v := range h {
		y := box.Y + (float64(v)+0.5)/k
		nx, ny, d := t.A*x0+t.B*y+t.C, t.D*x0+t.E*y+t.F, t.G*x0+t.H*y+1
		for u := range w {
			px, py := nx, ny
			if t.G != 0 || t.H != 0 {
				px, py = nx/d, ny/d
			}
			px, py = px-0.5-float64(b.Min.X), py-0.5-float64(b.Min.Y)
			nx += t.A / k
			ny += t.D / k
			d += t.G / k
			if px < 0 || py < 0 || px >= maxX || py >= maxY {
				out.Pix[v*out.Stride+u] = 255
				continue
			}
			fx, fy := int(px*4096), int(py*4096)
			i := (fy>>12)*img.Stride + fx>>12
			fx, fy = fx&4095, fy&4095
			p00, p10 := int(img.Pix[i]), int(img.Pix[i+1])
			p01, p11 := int(img.Pix[i+img.Stride]), int(img.Pix[i+img.Stride+1])
			top := p00<<12 + (p10-p00)*fx
			bot := p01<<12 + (p11-p01)*fx
			out.Pix[v*out.Stride+u] = uint8((top<<12 + (bot-top)*fy + 1<<23) >> 24)
		}
	}
	return out
}

// TestWarpBanded: warp renders skewed and keystoned pages, upright ones
// and parts of images, whole pages and zones off the page's edge, as a
// row at a time would.
func TestWarpBanded(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	img := randomInk(r, 620, 877)
	sub := img.SubImage(image.Rect(13, 7, 600, 800)).(*image.Gray)
	var ts []affine
	for _, deg := range []float64{0, 0.4, -2.5, 3, 90} {
		th := deg * math.Pi / 180
		k := 75.0 / 72
		a := affine{A: k * math.Cos(th), B: -k * math.Sin(th), C: 30, D: k * math.Sin(th), E: k * math.Cos(th), F: -20}
		ts = append(ts, a)
		a.G, a.H = 1e-5, -2e-5
		ts = append(ts, a)
	}
	boxes := []form.Box{{W: 595.28, H: 841.89}, {X: 60, Y: 200, W: 250, H: 20}, {X: -30, Y: -30, W: 100, H: 100}, {X: 560, Y: 820, W: 100, H: 60}}
	for _, src := range []*image.Gray{img, sub} {
		for _, tr := range ts {
			for _, box := range boxes {
				for _, k := range []float64{75.0 / 72, 150.0 / 72} {
					got, want := warp(src, tr, box, k), warpPlain(src, tr, box, k)
					if got.Rect != want.Rect || !bytes.Equal(got.Pix, want.Pix) {
						t.Fatalf("warp of %+v through %+v at %.2f differs from a row at a time", box, tr, k)
					}
				}
			}
		}
	}
}

// shrinkPlain is the plain form of shrink: each pixel summed from its
// block of big alone.
func shrinkPlain(big *image.Gray, n, w, h int) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, w, h))
	b := big.Bounds()
	for v := range h {
		y0, y1 := b.Min.Y+v*n, min(b.Min.Y+(v+1)*n, b.Max.Y)
		for u := range w {
			x0, x1 := b.Min.X+u*n, min(b.Min.X+(u+1)*n, b.Max.X)
			sum, count := 0, 0
			for y := y0; y < y1; y++ {
				for x := x0; x < x1; x++ {
					sum += int(big.Pix[big.PixOffset(x, y)])
					count++
				}
			}
			if count == 0 {
				out.Pix[v*out.Stride+u] = 255
				continue
			}
			out.Pix[v*out.Stride+u] = uint8((sum + count/2) / count)
		}
	}
	return out
}

// TestShrinkByRows: shrink, summing a row of blocks at a time, gives
// what each block summed alone gives, on whole images and parts of them,
// blocks that do not divide them, and sizes past their edges.
func TestShrinkByRows(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	img := randomInk(r, 301, 247)
	sub := img.SubImage(image.Rect(13, 7, 290, 240)).(*image.Gray)
	for _, src := range []*image.Gray{img, sub} {
		b := src.Bounds()
		for _, n := range []int{2, 3, 4} {
			for _, extra := range []int{0, 1, 5} {
				w, h := (b.Dx()+n-1)/n+extra, (b.Dy()+n-1)/n+extra
				got, want := shrink(src, n, w, h), shrinkPlain(src, n, w, h)
				if !bytes.Equal(got.Pix, want.Pix) {
					t.Fatalf("shrink of %v by %d to %dx%d differs from a block at a time", b, n, w, h)
				}
			}
		}
	}
}

// TestPageView: the page kept for review, rendered from a scan twice as
// fine as it, averaged first and read once a pixel, looks as warp's
// rendering does (read four times a pixel and averaged): on a skewed,
// a keystoned and an upright page, within a grey level or two on the
// mean, and the same where the scan is no finer.
func TestPageView(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	img := gaussian(randomInk(r, 1240, 1754), 1.5)
	box := form.Box{W: 595.28, H: 841.89}
	k := 75.0 / 72
	for _, deg := range []float64{0, 1.5, -3} {
		th := deg * math.Pi / 180
		s := 150.0 / 72
		a := affine{A: s * math.Cos(th), B: -s * math.Sin(th), C: 12, D: s * math.Sin(th), E: s * math.Cos(th), F: -8}
		for _, keystone := range []bool{false, true} {
			if keystone {
				a.G, a.H = 1e-5, -2e-5
			}
			got, want := pageView(img, a, box, k), warp(img, a, box, k)
			if got.Rect != want.Rect {
				t.Fatalf("page view %v, warp %v", got.Rect, want.Rect)
			}
			sum := 0
			for i := range got.Pix {
				d := int(got.Pix[i]) - int(want.Pix[i])
				sum += max(d, -d)
			}
			if mean := float64(sum) / float64(len(got.Pix)); mean > 2 {
				t.Errorf("turned %v°, keystoned %v: page view differs from warp by %.2f grey levels on the mean", deg, keystone, mean)
			}
		}
	}
	same := affine{A: k, E: k}
	if got, want := pageView(img, same, box, k), warp(img, same, box, k); !bytes.Equal(got.Pix, want.Pix) {
		t.Error("page view of a scan no finer than the view differs from warp")
	}
}
