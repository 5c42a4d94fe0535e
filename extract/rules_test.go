package extract

import (
	"image"
	"math"
	"testing"

	"blankett/form"
)

// drawRules renders a template page's rules through t onto a white image
// of w×h pixels, with some grey blur left out: thin rules a pixel or two
// wide, as a 200 DPI scan has them.
func drawRules(pg form.Page, t affine, w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 250
	}
	inv := invert(t)
	for y := range h {
		for x := range w {
			px, py := inv.apply(float64(x)+0.5, float64(y)+0.5)
			for _, r := range pg.Rects {
				b := r.Box
				if px >= b.X && px < b.X+b.W && py >= b.Y-0.3 && py < b.Y+b.H+0.3 {
					img.Pix[y*img.Stride+x] = 60
				}
			}
		}
	}
	return img
}

// invert is the inverse of a similarity or affine transform (G = H = 0).
func invert(t affine) affine {
	det := t.A*t.E - t.B*t.D
	a, b, d, e := t.E/det, -t.B/det, -t.D/det, t.A/det
	return affine{A: a, B: b, C: -(a*t.C + b*t.F), D: d, E: e, F: -(d*t.C + e*t.F)}
}

func rulesPage() form.Page {
	var pg form.Page
	// Two columns of ruled cells, labels above them, ticks at the ends:
	// the rules 40 points apart.
	for y := 140.0; y < 760; y += 40 {
		for _, x := range []float64{56, 310} {
			pg.Rects = append(pg.Rects,
				form.Rect{Box: form.Box{X: x, Y: y, W: 229, H: 0.7}, Fill: "#000000"},
				form.Rect{Box: form.Box{X: x, Y: y - 5, W: 0.7, H: 5}, Fill: "#000000"},
				form.Rect{Box: form.Box{X: x + 228.3, Y: y - 5, W: 0.7, H: 5}, Fill: "#000000"})
		}
	}
	return pg
}

// TestRuleEnds: the ends of ruled cells are found where a scan turned,
// scaled and shifted puts them, from a fit a few points off, and never
// on the next rule.
func TestRuleEnds(t *testing.T) {
	pg := rulesPage()
	k := 200.0 / 72
	th := 1.5 * math.Pi / 180
	s := k * 1.02
	truth := affine{A: s * math.Cos(th), B: -s * math.Sin(th), C: 30, D: s * math.Sin(th), E: s * math.Cos(th), F: -12}
	img := drawRules(pg, truth, int(600*k), int(850*k))
	ends := ruleEndsOf(pageRules(pg))
	if len(ends) != 2*2*16 {
		t.Fatalf("%d rule ends, want %d", len(ends), 2*2*16)
	}
	// The fit so far: four points off down the page, two across.
	off := truth
	off.C += 2 * k
	off.F += 4 * k
	found := 0
	for _, e := range ends {
		p, ok := findRuleEnd(img, off, e, 12)
		if !ok {
			continue
		}
		found++
		x, y := truth.apply(e.p[0], e.p[1])
		if d := math.Hypot(p[0]-x, p[1]-y); d > 1.5 {
			t.Errorf("end %v found %.1f pixels off", e.p, d)
		}
	}
	if found < len(ends)*9/10 {
		t.Errorf("%d of %d rule ends found", found, len(ends))
	}
	// Fitted from the ends alone, the page registers to a pixel.
	pairs := rulePairs(img, pg, off, nil)
	fit, in := ransac(pairs, k)
	if len(in) < len(pairs)*9/10 {
		t.Fatalf("%d of %d pairs kept", len(in), len(pairs))
	}
	for _, p := range [][2]float64{{0, 0}, {595, 0}, {0, 842}, {595, 842}} {
		x0, y0 := fit.apply(p[0], p[1])
		x1, y1 := truth.apply(p[0], p[1])
		if d := math.Hypot(x0-x1, y0-y1); d > 1.5 {
			t.Errorf("corner %v registered %.1f pixels off", p, d)
		}
	}
	// A fit off by half the rules' spacing finds nothing rather than the
	// neighbouring rules.
	far := truth
	far.F += 20 * k
	for _, e := range ends {
		if p, ok := findRuleEnd(img, far, e, 12); ok {
			x, y := truth.apply(e.p[0], e.p[1])
			if math.Hypot(p[0]-x, p[1]-y) > 1.5 {
				t.Errorf("end %v: a neighbouring rule taken for it", e.p)
			}
		}
	}
}

// TestPrintedRules: a drafted template's rules are those printed on the
// blank page, each once, where they are printed; ticks too short to use
// are left out.
func TestPrintedRules(t *testing.T) {
	pg := rulesPage()
	pg.Rects = append(pg.Rects, form.Rect{Box: form.Box{X: 297, Y: 120, W: 0.8, H: 400}, Fill: "#000000"})
	k := float64(draftDPI) / 72
	img := drawRules(pg, affine{A: k, E: k}, int(595*k), int(842*k))
	got := printedRules(img)
	want := pageRules(pg)
	if len(got) != len(want) {
		t.Fatalf("%d rules found, want %d", len(got), len(want))
	}
	for _, w := range want {
		found := false
		for _, l := range got {
			if near([2]float64{l.X1, l.Y1}, w.a, 1) && near([2]float64{l.X2, l.Y2}, w.b, 1) {
				found = true
			}
		}
		if !found {
			t.Errorf("rule %v–%v not found", w.a, w.b)
		}
	}
}
