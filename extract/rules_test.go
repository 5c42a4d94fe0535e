package extract

import (
	"fmt"
	"image"
	"math"
	"slices"
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

// scannedRules is rulesPage scanned at dpi, turned deg degrees, scaled
// and shifted (pixels), on paper w by h points: the page, its pixels per
// point, the scan's transform and its image.
func scannedRules(dpi, deg, scale, dx, dy, w, h float64) (form.Page, float64, affine, *image.Gray) {
	pg := rulesPage()
	k := dpi / 72
	th := deg * math.Pi / 180
	s := k * scale
	truth := affine{A: s * math.Cos(th), B: -s * math.Sin(th), C: dx, D: s * math.Sin(th), E: s * math.Cos(th), F: dy}
	return pg, k, truth, drawRules(pg, truth, int(w*k), int(h*k))
}

// TestRuleEnds: the ends of ruled cells are found where a scan turned,
// scaled and shifted puts them, from a fit a few points off, and never
// on the next rule.
func TestRuleEnds(t *testing.T) {
	pg, k, truth, img := scannedRules(200, 1.5, 1.02, 30, -12, 600, 850)
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
	pairs := rulePairs(img, pg, off, nil, math.Inf(1))
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

// TestSkewOf: a page's turn is measured from its ruled lines, either way.
func TestSkewOf(t *testing.T) {
	pg := rulesPage()
	k := 150.0 / 72
	for _, deg := range []float64{-2.5, 0, 1.1, 4} {
		th := deg * math.Pi / 180
		tr := affine{A: k * math.Cos(th), B: -k * math.Sin(th), C: 40, D: k * math.Sin(th), E: k * math.Cos(th), F: 10}
		img := drawRules(pg, tr, int(595*k), int(842*k))
		if got := skewOf(img) * 180 / math.Pi; math.Abs(got-deg) > 0.15 {
			t.Errorf("turned %.1f°: measured %.2f°", deg, got)
		}
	}
}

// TestByRulesFromOneLine: words found on one line only, whose fit is
// turned by degrees (their ends a pixel or two off, as Tesseract's boxes
// are), still give a page registered to a pixel or two by the rules,
// started from the page's measured skew.
func TestByRulesFromOneLine(t *testing.T) {
	pg, k, truth, img := scannedRules(150, 1.1, 1.016, 25, -18, 595, 842)
	var words []pair
	for _, x := range []float64{56, 80, 120, 170, 200} {
		tl, tr := [2]float64{x, 800}, [2]float64{x + 20, 800}
		l0, l1 := truth.apply(tl[0], tl[1])
		r0, r1 := truth.apply(tr[0], tr[1])
		words = append(words, pair{tl: tl, tr: tr, il: [2]float64{l0, l1}, ir: [2]float64{r0, r1}, weight: 1.5})
	}
	// The words' fit, turned 6° more about them.
	fit := turnedAbout(truth, 140, 800, 6, 1)
	got, pairs := byRules(img, pg, fit, words, k)
	if len(pairs) <= len(words) {
		t.Fatalf("no rule ends added (%d pairs)", len(pairs))
	}
	for _, p := range [][2]float64{{56, 140}, {539, 140}, {56, 740}, {539, 740}} {
		x0, y0 := got.apply(p[0], p[1])
		x1, y1 := truth.apply(p[0], p[1])
		if d := math.Hypot(x0-x1, y0-y1); d > 2 {
			t.Errorf("%v registered %.1f pixels off", p, d)
		}
	}
}

// TestRuleEndsLeaveDoubles: the ends of a double rule, either of which a
// search a point or two off could take for the other, are not used; the
// ends of a rule another continues are not either.
func TestRuleEndsLeaveDoubles(t *testing.T) {
	rules := []rule{
		{a: [2]float64{56, 60}, b: [2]float64{539, 60}, horizontal: true},
		{a: [2]float64{56, 62.5}, b: [2]float64{539, 62.5}, horizontal: true},
		{a: [2]float64{56, 144}, b: [2]float64{285, 144}, horizontal: true},
		{a: [2]float64{287, 144}, b: [2]float64{539, 144}, horizontal: true},
		{a: [2]float64{56, 184}, b: [2]float64{285, 184}, horizontal: true},
	}
	var got [][2]float64
	for _, e := range ruleEndsOf(rules) {
		got = append(got, e.p)
	}
	want := [][2]float64{{56, 144}, {539, 144}, {56, 184}, {285, 184}}
	if len(got) != len(want) {
		t.Fatalf("ends %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("ends %v, want %v", got, want)
			break
		}
	}
}

// TestTrimEnds: a rule end the fit misses by a few points (another
// rule's, or writing running on from it), kept by the tolerance made for
// words, is dropped and the fit redone without it.
func TestTrimEnds(t *testing.T) {
	k := 200.0 / 72
	truth := affine{A: k, E: k, C: 12, F: -7}
	var in []pair
	for _, p := range [][2]float64{{56, 144}, {539, 144}, {56, 404}, {539, 404}, {56, 704}, {539, 704}} {
		x, y := truth.apply(p[0], p[1])
		in = append(in, pair{tl: p, tr: p, il: [2]float64{x, y}, ir: [2]float64{x, y}, weight: ruleWeight})
	}
	in[2].il[1] += 3 * k // three points off
	in[2].ir = in[2].il
	fit, all := refine(in, k)
	got, kept := trimEnds(fit, all, k)
	if len(kept) != len(in)-1 {
		t.Fatalf("%d of %d ends kept", len(kept), len(in))
	}
	for _, p := range [][2]float64{{0, 0}, {595, 842}} {
		x0, y0 := got.apply(p[0], p[1])
		x1, y1 := truth.apply(p[0], p[1])
		if d := math.Hypot(x0-x1, y0-y1); d > 0.5 {
			t.Errorf("%v registered %.1f pixels off", p, d)
		}
	}
}

// TestTurnedAsPage: a label printed alike before each of four boxes down
// a column, two of them paired a row off, agrees with a few words near
// the top on a fit turned degrees from the page; the fit is sought again
// among those turned as the page's lines are, and found right. A fit
// turned as the page is stays.
func TestTurnedAsPage(t *testing.T) {
	_, k, truth, img := scannedRules(200, 2.5, 0.97, 30, -20, 612, 1008)
	word := func(tx, ty, ix, iy float64) pair {
		l0, l1 := truth.apply(ix, iy)
		r0, r1 := truth.apply(ix+44, iy)
		return pair{tl: [2]float64{tx, ty}, tr: [2]float64{tx + 44, ty}, il: [2]float64{l0, l1}, ir: [2]float64{r0, r1}, weight: 1.5}
	}
	var near, found []pair
	for _, p := range [][2]float64{{113, 88}, {157, 89}, {182, 87}, {134, 104}, {113, 121}} {
		near = append(near, word(p[0], p[1], p[0], p[1]))
	}
	found = append(found, near...)
	labels := []float64{302, 317, 332, 347}
	for _, ty := range labels {
		for _, iy := range labels {
			if math.Abs(ty-iy) <= 15 {
				found = append(found, word(310, ty, 310, iy))
			}
		}
	}
	// The wrong fit: the top words and two labels each a row off, turned
	// 3.5° more than the page about the top words and 5 % larger.
	in := append(slices.Clone(near), word(310, 302, 310, 317), word(310, 317, 310, 332))
	wrong := turnedAbout(truth, 150, 100, 3.5, 1.05)
	got, kept, ok := turnedAsPage(img, wrong, in, found, k)
	if !ok || len(kept) < len(in) {
		t.Fatalf("refitted %t, %d pairs kept", ok, len(kept))
	}
	for _, p := range [][2]float64{{56, 140}, {539, 140}, {56, 740}, {539, 740}} {
		x0, y0 := got.apply(p[0], p[1])
		x1, y1 := truth.apply(p[0], p[1])
		if d := math.Hypot(x0-x1, y0-y1); d > 3 {
			t.Errorf("%v registered %.1f pixels off", p, d)
		}
	}
	if again, _, ok := turnedAsPage(img, got, kept, found, k); ok || again != got {
		t.Errorf("a fit turned as the page is was refitted")
	}
}

// turnedAbout is t turned deg degrees more and scaled by scale about
// where it puts the template point (x, y).
func turnedAbout(t affine, x, y, deg, scale float64) affine {
	cx, cy := t.apply(x, y)
	th := deg * math.Pi / 180
	c, s := scale*math.Cos(th), scale*math.Sin(th)
	r := affine{A: c, B: -s, C: cx - c*cx + s*cy, D: s, E: c, F: cy - s*cx - c*cy}
	return affine{A: r.A*t.A + r.B*t.D, B: r.A*t.B + r.B*t.E, C: r.A*t.C + r.B*t.F + r.C,
		D: r.D*t.A + r.E*t.D, E: r.D*t.B + r.E*t.E, F: r.D*t.C + r.E*t.F + r.F}
}

// TestCheckFit: a page fitted from its words five points off down
// its middle (as a keystoned page fitted from words at two corners was)
// misses its rules there; fitted again to them, it finds them, and its
// words stay where they were found. A page whose rules the scan lost is
// not judged by them.
func TestCheckFit(t *testing.T) {
	pg, k, truth, img := scannedRules(200, 0.8, 0.99, 20, 10, 595, 842)
	var words []pair
	for _, p := range [][2]float64{{100, 100}, {400, 100}, {100, 790}, {400, 790}} {
		tl, tr := p, [2]float64{p[0] + 30, p[1]}
		l0, l1 := truth.apply(tl[0], tl[1])
		r0, r1 := truth.apply(tr[0], tr[1])
		words = append(words, pair{tl: tl, tr: tr, il: [2]float64{l0, l1}, ir: [2]float64{r0, r1}, weight: 1})
	}
	off := truth
	off.F += 5 * k
	if !rulesMissed(img, pg, nil, off) {
		t.Error("five points off: rules not missed")
	}
	fit, _, ok, misfit := checkFit(img, pg, nil, off, words, k)
	if !ok {
		t.Fatal("five points off: not fitted again")
	}
	if misfit || rulesMissed(img, pg, nil, fit) {
		t.Error("fitted again: rules still missed")
	}
	for _, p := range [][2]float64{{56, 300}, {539, 500}} {
		x0, y0 := fit.apply(p[0], p[1])
		x1, y1 := truth.apply(p[0], p[1])
		if d := math.Hypot(x0-x1, y0-y1) / k; d > 1 {
			t.Errorf("%v fitted %.1f points off", p, d)
		}
	}
	if _, _, ok, misfit := checkFit(img, pg, nil, truth, words, k); ok || misfit {
		t.Error("fitted right: fitted again, or missing its rules")
	}
	blank := paper(img.Bounds().Dx(), img.Bounds().Dy())
	if rulesMissed(blank, pg, nil, off) {
		t.Error("rules lost by the scan: missed")
	}
}

// TestRuledLines: on a page at 150 DPI skewed two degrees, three printed
// rules count as three (each in pieces, a row's piece a rule to inkRuns),
// and two creases of a sheet folded in three, edge to edge, faded in
// places, count as none; so does a crease dust broke finely at its ends,
// and dark borders down the edges make no rule a crease; nor do creases
// of a sheet on a wider canvas, ending where the sheet ends.
func TestRuledLines(t *testing.T) {
	const w, h = 1240, 1754
	img := paper(w, h)
	slope := math.Tan(2 * math.Pi / 180)
	line := func(x0, x1 int, y float64, gaps bool) {
		for x := x0; x < x1; x++ {
			if gaps && (x+150)%300 > 230 { // the crease faded
				continue
			}
			yy := int(y + slope*float64(x))
			shade(img, x, yy, x+1, yy+3, 60)
		}
	}
	for _, y := range []float64{300, 700, 1100} {
		line(120, 1100, y, false) // printed, inside the margins
	}
	line(0, w, 580, true) // creases, from edge to edge
	line(0, w, 1160, true)
	k := pageDPI(img) / 72
	if pieces := len(inkRuns(img, k)); pieces < 10 {
		t.Fatalf("%d pieces of rules: the skew should break each into many", pieces)
	}
	if n := ruledLines(img, k); n != 3 {
		t.Errorf("%d ruled lines, want the 3 printed", n)
	}
	// A dark crease that dust broke finely for a sixth of the width at
	// either end: no piece there is long enough for a rule, but the
	// crease runs on to the edges.
	img = paper(w, h)
	for _, y := range []float64{300, 700, 1100} {
		line(120, 1100, y, false)
	}
	for x := 0; x < w; x++ {
		if (x < w/6 || x > w-w/6) && x%40 > 33 {
			continue // dust
		}
		yy := int(900 + slope*float64(x))
		shade(img, x, yy, x+1, yy+3, 60)
	}
	if n := ruledLines(img, k); n != 3 {
		t.Errorf("with a crease broken at its ends: %d ruled lines, want the 3 printed", n)
	}
	// Rules from margin to margin beside dark borders down both edges
	// (a scanner's shadow): printed, however the borders ink their
	// ends.
	img = paper(w, h)
	shade(img, 0, 0, 40, h, 30)
	shade(img, w-40, 0, w, h, 30)
	for _, y := range []float64{300, 700, 1100} {
		line(120, 1100, y, false)
	}
	if n := ruledLines(img, k); n != 3 {
		t.Errorf("beside dark borders: %d ruled lines, want the 3 printed", n)
	}
	// The sheet on a wider canvas, at its left edge: the creases end
	// where the sheet does, a ninth of the width short of the image's
	// edge, and nothing is printed beyond.
	img = paper(w, h)
	shade(img, w-w/9, 0, w, h, 244)
	for _, y := range []float64{300, 700, 1100} {
		line(120, 1100-w/9, y, false)
	}
	line(0, w-w/9, 580, true)
	line(0, w-w/9, 1160, true)
	if n := ruledLines(img, k); n != 3 {
		t.Errorf("on a wider canvas: %d ruled lines, want the 3 printed", n)
	}
}

// TestJudgedEnds: the ends of rules a form field lies on (a cell whose
// field a PDF viewer fills over its background) are not what a fit is
// judged by; the others are. A page fitted five points off is judged by
// the rules left.
func TestJudgedEnds(t *testing.T) {
	pg, k, truth, img := scannedRules(200, 0.8, 0.99, 20, 10, 595, 842)
	all := ruleEndsOf(pageRules(pg))
	var fields []form.Field
	for y := 140.0; y < 760; y += 40 {
		// The left column's cells hold fields sitting on their rules.
		fields = append(fields, form.Field{Name: fmt.Sprintf("f%.0f", y), Type: form.TypeText, Zone: form.Box{X: 56, Y: y - 12, W: 229, H: 12.7}})
	}
	judged := judgedEnds(pg, fields)
	if len(judged) != len(all)/2 {
		t.Fatalf("%d of %d ends judged, want %d", len(judged), len(all), len(all)/2)
	}
	for _, e := range judged {
		if e.p[0] < 300 {
			t.Errorf("end %v under a field is judged", e.p)
		}
	}
	off := truth
	off.F += 5 * k
	if !rulesMissed(img, pg, fields, off) {
		t.Error("five points off: the rules left are not missed")
	}
	if rulesMissed(img, pg, fields, truth) {
		t.Error("fitted right: rules missed")
	}
}
