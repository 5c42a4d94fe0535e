package extract

import (
	"image"
	"math"
	"slices"
	"strconv"
	"strings"

	"blankett/form"
)

// A page's ruled lines register a scan without reading it. Where a rule
// ends is a point as sure as a corner mark's centre: the rule is found
// across its run a little inside the end (a row of ink where the
// template has it, near where the fit so far puts it), then followed
// outward to where its ink stops. Rules of an edition that prints them
// (labels above ruled cells, framed boxes, column dividers) thus give
// points all over the page for the cost of looking at a few thousand
// pixels, where reading printed words there costs Tesseract a call.

// rule is a printed rule of a template page, in points, from a to b
// (left to right, or top to bottom).
type rule struct {
	a, b       [2]float64
	horizontal bool
}

// minRule is the shortest rule used, in points: ticks and the sides of
// tick boxes are too short to be told from letters.
const minRule = 24.0

// ruleWeight is what a rule's end counts for in a fit, against 1 or 1.5
// for a word and markWeight for a corner mark.
const ruleWeight = 2.0

// pageRules returns the rules of a template page: its lines, its thin
// dark filled rectangles, and the sides of its dark framed rectangles,
// each rule once.
func pageRules(pg form.Page) []rule {
	var out []rule
	add := func(x0, y0, x1, y1 float64) {
		dx, dy := math.Abs(x1-x0), math.Abs(y1-y0)
		var r rule
		switch {
		case dy <= 1.5 && dx >= minRule:
			y := (y0 + y1) / 2
			r = rule{a: [2]float64{min(x0, x1), y}, b: [2]float64{max(x0, x1), y}, horizontal: true}
		case dx <= 1.5 && dy >= minRule:
			x := (x0 + x1) / 2
			r = rule{a: [2]float64{x, min(y0, y1)}, b: [2]float64{x, max(y0, y1)}}
		default:
			return
		}
		for _, o := range out {
			if o.horizontal == r.horizontal && near(o.a, r.a, 1.5) && near(o.b, r.b, 1.5) {
				return
			}
		}
		out = append(out, r)
	}
	for _, l := range pg.Lines {
		add(l.X1, l.Y1, l.X2, l.Y2)
	}
	for _, r := range pg.Rects {
		b := r.Box
		switch {
		case darkColour(r.Fill) && b.H <= 2:
			add(b.X, b.Y+b.H/2, b.X+b.W, b.Y+b.H/2)
		case darkColour(r.Fill) && b.W <= 2:
			add(b.X+b.W/2, b.Y, b.X+b.W/2, b.Y+b.H)
		case r.Fill == "" && darkColour(r.Stroke):
			// The stroke runs along the box's edges, half of it outside:
			// a side ends at the outer edge of the sides it meets.
			h := max(r.Width, 0.5) / 2
			add(b.X-h, b.Y, b.X+b.W+h, b.Y)
			add(b.X-h, b.Y+b.H, b.X+b.W+h, b.Y+b.H)
			add(b.X, b.Y-h, b.X, b.Y+b.H+h)
			add(b.X+b.W, b.Y-h, b.X+b.W, b.Y+b.H+h)
		}
	}
	return out
}

func near(p, q [2]float64, d float64) bool { return math.Hypot(p[0]-q[0], p[1]-q[1]) <= d }

// darkColour reports whether a #RRGGBB colour prints dark enough for a
// scan to keep it as ink.
func darkColour(c string) bool {
	c = strings.TrimPrefix(c, "#")
	if len(c) != 6 {
		return false
	}
	v, err := strconv.ParseUint(c, 16, 32)
	if err != nil {
		return false
	}
	r, g, b := float64(v>>16&0xff), float64(v>>8&0xff), float64(v&0xff)
	return 0.3*r+0.59*g+0.11*b < 110
}

// ruleEnds are the rule ends of a page usable as points: an end another
// rule continues (collinear, a gap of a few points on) is left out, as
// following the ink would run on into it, and so is one with a parallel
// rule a few points beside it (a double rule), either of which the search
// could take. Each end comes with the direction into its rule.
type ruleEnd struct {
	p      [2]float64 // template points
	in     [2]float64 // unit vector along the rule, into it
	length float64
}

func ruleEndsOf(rules []rule) []ruleEnd {
	var out []ruleEnd
	for i, r := range rules {
		l := math.Hypot(r.b[0]-r.a[0], r.b[1]-r.a[1])
		u := [2]float64{(r.b[0] - r.a[0]) / l, (r.b[1] - r.a[1]) / l}
		for _, e := range []ruleEnd{{p: r.a, in: u, length: l}, {p: r.b, in: [2]float64{-u[0], -u[1]}, length: l}} {
			// What lies just beyond the end, along the rule; and beside
			// it, a little inside, across the rule.
			beyond := [2]float64{e.p[0] - 4*e.in[0], e.p[1] - 4*e.in[1]}
			inside := [2]float64{e.p[0] + 10*e.in[0], e.p[1] + 10*e.in[1]}
			usable := true
			for j, o := range rules {
				if j == i || o.horizontal != r.horizontal {
					continue
				}
				if onRule(o, beyond, 1.5) || onRule(o, inside, 6) {
					// Ink running on past the end, or a second rule
					// close enough to be taken for this one.
					usable = false
					break
				}
			}
			if usable {
				out = append(out, e)
			}
		}
	}
	return out
}

// onRule reports whether p is within d points of rule r.
func onRule(r rule, p [2]float64, d float64) bool {
	if r.horizontal {
		return math.Abs(p[1]-r.a[1]) <= d && p[0] >= r.a[0]-d && p[0] <= r.b[0]+d
	}
	return math.Abs(p[0]-r.a[0]) <= d && p[1] >= r.a[1]-d && p[1] <= r.b[1]+d
}

// ruleInk is the grey below which a rule's pixel counts as ink: thin
// rules come out grey from a scanner's blur.
const ruleInk = 175

// findRuleEnd finds a rule's end on img near where t puts it, looking up
// to reach points across the rule and along it. It returns the image
// point where the rule's ink ends.
func findRuleEnd(img *image.Gray, t affine, e ruleEnd, reach float64) ([2]float64, bool) {
	k := t.scaleAt(e.p[0], e.p[1])
	if k <= 0 {
		return [2]float64{}, false
	}
	step := 1 / k // a pixel, in points
	n := [2]float64{-e.in[1], e.in[0]}
	b := img.Bounds()
	dark := func(s, d float64) bool {
		x, y := t.apply(e.p[0]+e.in[0]*s+n[0]*d, e.p[1]+e.in[1]*s+n[1]*d)
		xi, yi := int(x), int(y)
		if x < 0 || y < 0 || xi < b.Min.X || yi < b.Min.Y || xi >= b.Max.X || yi >= b.Max.Y {
			return false
		}
		return img.Pix[img.PixOffset(xi, yi)] < ruleInk
	}
	// Across: the share of ink along a run inside the end, at each
	// offset.
	s0, s1 := 3.0, min(30, e.length-3)
	if s1-s0 < 8 {
		return [2]float64{}, false
	}
	steps := int(2*reach/step) + 1
	share := make([]float64, steps)
	for i := range steps {
		d := -reach + float64(i)*step
		ink, all := 0, 0
		for s := s0; s <= s1; s += step {
			all++
			// A rule a pixel thick, slanted by the fit's error, may run
			// between two rows: either counts.
			if dark(s, d) || dark(s, d+step/2) {
				ink++
			}
		}
		share[i] = float64(ink) / float64(max(1, all))
	}
	// The row of ink nearest where the fit puts the rule.
	best := -1
	for i := range steps {
		if share[i] < 0.75 || i > 0 && share[i-1] > share[i] || i+1 < steps && share[i+1] > share[i] {
			continue
		}
		if best < 0 || math.Abs(float64(i-steps/2)) < math.Abs(float64(best-steps/2)) {
			best = i
		}
	}
	if best < 0 {
		return [2]float64{}, false
	}
	lo, hi := best, best
	for lo > 0 && share[lo-1] >= 0.5 {
		lo--
	}
	for hi+1 < steps && share[hi+1] >= 0.5 {
		hi++
	}
	if float64(hi-lo+1)*step > 3 || lo == 0 || hi == steps-1 {
		return [2]float64{}, false // a band, not a rule; or cut by the window
	}
	dc := -reach + float64(lo+hi)/2*step
	half := float64(hi-lo)/2*step + step
	// Along: from inside the end outward until the ink stops for a point
	// and a half.
	inkAt := func(s float64) bool {
		for d := dc - half; d <= dc+half; d += step / 2 {
			if dark(s, d) {
				return true
			}
		}
		return false
	}
	last := s0
	for s := s0; s >= -reach; s -= step / 2 {
		if inkAt(s) {
			last = s
		} else if last-s >= 1.5 {
			// The edge of the ink: half a pixel beyond the last dark one.
			end := last - step/2
			x, y := t.apply(e.p[0]+e.in[0]*end+n[0]*dc, e.p[1]+e.in[1]*end+n[1]*dc)
			return [2]float64{x, y}, true
		}
	}
	return [2]float64{}, false // the ink runs on: not this rule's end
}

// endsFound counts the ends among ends found within reach points of
// where t puts them: on a page fitted right, nearly all within
// fitCheckReach (of 253 pages on two corpora, 238 found nine in ten or
// more). It costs a look at a few thousand pixels.
func endsFound(img *image.Gray, ends []ruleEnd, t affine, reach float64) int {
	found := 0
	for _, e := range ends {
		if _, ok := findRuleEnd(img, t, e, reach); ok {
			found++
		}
	}
	return found
}

// judgedEnds is the ends of a page's rules a fit is judged by: those no
// field's zone (fields, the page's) lies on. A PDF viewer fills a field
// over its background colour and so prints over the page's ink under
// it: filled, the order rows of a 9463 drawn with reportlab lost the
// cells printed where their fields are, and with them most of the rules
// the fit was checked against (15 of 90 ends found, on a page read
// right). Such an end still helps a fit where it is found.
func judgedEnds(pg form.Page, fields []form.Field) []ruleEnd {
	const edge = 2.0 // points: a frame's stroke at a field's edge
	var out []ruleEnd
	for _, e := range ruleEndsOf(pageRules(pg)) {
		on := slices.ContainsFunc(fields, func(f form.Field) bool {
			z := f.Zone
			return e.p[0] >= z.X-edge && e.p[0] <= z.X+z.W+edge && e.p[1] >= z.Y-edge && e.p[1] <= z.Y+z.H+edge
		})
		if !on {
			out = append(out, e)
		}
	}
	return out
}

// rulesMissed reports whether a page registered by t misses most of its
// edition's printed rules (its judgedEnds, fields being the page's):
// fewer than half of their ends (of checkedEnds or more) are where t
// puts them, while half or more are found farther off (within
// ruleReach). On a keystoned page fitted from words at two corners
// alone, 13 of 44 were where the fit put them: its signature zone lay
// ten points off, over the box's frame and its label, and a strike
// through the box was read as signed at 0.98. Rules a poor scan lost
// (JPEG at quality 25 broke them) say nothing of the fit.
func rulesMissed(img *image.Gray, pg form.Page, fields []form.Field, t affine) bool {
	ends := judgedEnds(pg, fields)
	if len(ends) < checkedEnds {
		return false
	}
	found := endsFound(img, ends, t, fitCheckReach)
	if 2*found >= len(ends) {
		return false
	}
	return 2*endsFound(img, ends, t, ruleReach) >= len(ends)
}

// checkFit checks a registered page's fit t (to the pairs in) against its
// edition's printed rules. Where t puts a tenth or more of their ends off
// (a page seen in perspective, fitted from words in a few parts of it),
// the page is fitted again: the ends found near where t puts them, with
// the pairs, fitted anew. The new fit is taken (refitted) when it puts
// more of the ends where they are and three in four of the words t
// rested on near where they were found (wordsNear): rules agreeing among
// themselves a cell off would move every zone to its neighbour. misfit
// says whether the fit returned misses most of the rules (rulesMissed;
// fields are the page's).
func checkFit(img *image.Gray, pg form.Page, fields []form.Field, t affine, in []pair, k float64) (fit affine, pairs []pair, refitted, misfit bool) {
	ends := ruleEndsOf(pageRules(pg))
	found, total := endsFound(img, ends, t, fitCheckReach), len(ends)
	if total < checkedEnds || 10*found >= 9*total {
		return t, in, false, false
	}
	near := rulePairs(img, pg, t, in, math.Inf(1))
	f, again := ransac(append(slices.Clone(in), near...), k)
	f, again = trimEnds(f, again, k)
	words := wordsOf(in)
	kept := within(words, f, func(pair) float64 { return wordsNear * k })
	if n := endsFound(img, ends, f, fitCheckReach); n > found && 4*len(kept) >= 3*len(words) {
		t, in, refitted = f, again, true
	}
	return t, in, refitted, rulesMissed(img, pg, fields, t)
}

// wordsNear is how far, in points, a page's fit to its rules may put the
// words its first fit rested on from where they were found: a fit to the
// rules in the middle of a page seen in perspective put the words at its
// foot four or five points off (they were not among its inliers), where
// rules taken for their neighbours put them a cell off, fifteen or more.
const wordsNear = 6.0

// wordsOf is the pairs of printed words (and corner marks) among pairs,
// without rule ends.
func wordsOf(pairs []pair) []pair {
	var out []pair
	for _, p := range pairs {
		if p.weight != ruleWeight {
			out = append(out, p)
		}
	}
	return out
}

// checkedEnds is the fewest rule ends a page prints for rulesMissed to
// judge its fit by: a few may be lost to a faint scan or a hole punch.
const checkedEnds = 8

// ruleReach is the farthest, in points, a rule's end is looked for from
// where a fit puts it: the next rule is farther.
const ruleReach = 12.0

// fitCheckReach is how far, in points, endsFound looks for a rule's end
// from where the fit puts it: a page fitted right puts its rules within a
// point or two.
const fitCheckReach = 3.0

// rulePairs finds the ends of a template page's rules near where t puts
// them, looking the further the further they are from the pairs t was
// fitted to (have), never so far that the next rule could be taken for
// this one; only ends within the given distance of those pairs.
func rulePairs(img *image.Gray, pg form.Page, t affine, have []pair, within float64) []pair {
	ends := ruleEndsOf(pageRules(pg))
	if len(ends) == 0 {
		return nil
	}
	hx, hy := middle(have)
	var out []pair
	for _, e := range ends {
		if len(have) > 0 && math.Hypot(e.p[0]-hx, e.p[1]-hy) > within {
			continue
		}
		reach := ruleReach
		if len(have) > 0 {
			reach = min(ruleReach, 5+0.015*math.Hypot(e.p[0]-hx, e.p[1]-hy))
		}
		if p, ok := findRuleEnd(img, t, e, reach); ok {
			out = append(out, pair{tl: e.p, tr: e.p, il: p, ir: p, weight: ruleWeight})
		}
	}
	return out
}

// wordsKept reports whether a fit to words and rule ends kept most of the
// words it was given as inliers (and some rule ends with them): rule ends
// that agree among themselves but not with the words are a rule taken
// for its neighbour, all down the page.
func wordsKept(in, words []pair) bool {
	kept, ends := 0, 0
	for _, p := range in {
		if p.weight == ruleWeight {
			ends++
			continue
		}
		kept++
	}
	return ends >= 4 && 4*kept >= 3*len(words)
}

// printedRules finds the rules printed on a blank page rendered at
// draftDPI: runs of ink at least minRule points long and at most two
// points thick, across or down the page.
func printedRules(img *image.Gray) []form.Line {
	k := float64(draftDPI) / 72
	r2 := func(f float64) float64 { return math.Round(f*100) / 100 }
	var out []form.Line
	for _, r := range inkRuns(img, k) {
		y := float64(r.y0+r.y1+1) / 2 / k
		out = append(out, form.Line{X1: r2(float64(r.x0) / k), Y1: r2(y), X2: r2(float64(r.x1+1) / k), Y2: r2(y)})
	}
	h := img.Bounds().Dy()
	for _, r := range inkRuns(rotate(img, 1), k) {
		// Turned a quarter clockwise, a column x of the page is row x,
		// and row y is column h-1-y.
		x := float64(r.y0+r.y1+1) / 2 / k
		out = append(out, form.Line{X1: r2(x), Y1: r2(float64(h-1-r.x1) / k), X2: r2(x), Y2: r2(float64(h-r.x0) / k)})
	}
	return out
}

// inkRun is a run of ink along rows x0..x1 (inclusive) of rows y0..y1.
type inkRun struct{ x0, x1, y0, y1 int }

// inkRuns finds horizontal rules in img (k pixels per point): runs of ink
// minRule points long or more, on rows that follow one another, no more
// than two points thick in all.
func inkRuns(img *image.Gray, k float64) []inkRun {
	b := img.Bounds()
	minLen := int(minRule * k)
	var open, done []inkRun
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[img.PixOffset(b.Min.X, y) : img.PixOffset(b.Min.X, y)+b.Dx()]
		var next []inkRun
		for x := 0; x < len(row); {
			if row[x] >= inkThreshold {
				x++
				continue
			}
			x0 := x
			for x < len(row) && row[x] < inkThreshold {
				x++
			}
			if x-x0 < minLen {
				continue
			}
			r := inkRun{x0: x0, x1: x - 1, y0: y - b.Min.Y, y1: y - b.Min.Y}
			for i, o := range open {
				if abs(o.x0-r.x0) <= 2 && abs(o.x1-r.x1) <= 2 {
					r.y0, r.x0, r.x1 = o.y0, min(o.x0, r.x0), max(o.x1, r.x1)
					open[i].y0 = -1 // taken
					break
				}
			}
			next = append(next, r)
		}
		for _, o := range open {
			if o.y0 >= 0 {
				done = append(done, o)
			}
		}
		open = next
	}
	done = append(done, open...)
	var out []inkRun
	for _, r := range done {
		if float64(r.y1-r.y0+1) <= 2*k {
			out = append(out, r)
		}
	}
	return out
}

// ruledLines is how many of img's horizontal rules (inkRuns) are printed
// ones. A fold's crease, or a line a scanner drew, runs from one edge of
// the sheet to the other, where nothing is printed: in pieces where the
// page is skewed (each row's piece a rule of its own), with gaps where it
// fades. Pieces on a straight line between a piece at the left edge and
// one at the right, covering half the width at least, are not counted;
// nor where the pieces at the edges are too short to be rules (dust on a
// dark crease breaks it finely) but ink follows the line there, a thin
// line with paper over and under it (a dark border down the edge is ink
// all along it). A sheet scanned on a larger canvas (Legal, a flatbed's
// glass) lies at one edge of the image and ends short of the other: a
// crease reaching one edge may end at the other where the sheet does,
// with no ink beyond it anywhere on the page. The rest are counted as
// the lines they make, a skewed rule once.
func ruledLines(img *image.Gray, k float64) int {
	runs := inkRuns(img, k)
	b0 := img.Bounds()
	w := b0.Dx()
	edge := max(2, w/30) // a sheet's margin is wider than a thirtieth of it
	// inkBefore[x] is how many ink pixels the columns left of x hold:
	// bare(x0, x1) reports whether the columns from x0 to x1 hold next
	// to none, a canvas beside the sheet (dust is a speck in a
	// thousand).
	inkBefore := make([]int, w+1)
	for y := range b0.Dy() {
		row := img.Pix[img.PixOffset(b0.Min.X, b0.Min.Y+y):]
		for x := range w {
			if row[x] < inkThreshold {
				inkBefore[x+1]++
			}
		}
	}
	for x := range w {
		inkBefore[x+1] += inkBefore[x]
	}
	bare := func(x0, x1 int) bool {
		x0, x1 = max(0, x0), min(w, x1)
		return x1 > x0 && 1000*(inkBefore[x1]-inkBefore[x0]) <= (x1-x0)*b0.Dy()
	}
	mid := func(r inkRun) (x, y float64) {
		return float64(r.x0+r.x1) / 2, float64(r.y0+r.y1) / 2
	}
	// followed reports whether ink follows the line through (ax, ay) of
	// slope in three columns of ten from x0 to x1, within half a point,
	// and paper two points over and under it.
	near, clear := max(2, int(math.Round(k/2))), max(4, int(math.Round(2*k)))
	followed := func(ax, ay, slope float64, x0, x1 int) bool {
		inked := func(x, y int) bool {
			return y >= 0 && y < b0.Dy() && img.Pix[img.PixOffset(b0.Min.X+x, b0.Min.Y+y)] < inkThreshold
		}
		n, on := 0, 0
		for x := x0; x < x1; x++ {
			y := int(math.Round(ay + slope*(float64(x)-ax)))
			n++
			if inked(x, y-clear) || inked(x, y+clear) {
				continue
			}
			for dy := -near; dy <= near; dy++ {
				if inked(x, y+dy) {
					on++
					break
				}
			}
		}
		return n > 0 && 10*on >= 3*n
	}
	fold := make([]bool, len(runs))
	for _, a := range runs {
		if a.x0 > w/4 {
			continue
		}
		for _, b := range runs {
			if b.x1 < w-1-w/4 {
				continue
			}
			ax, ay := mid(a)
			bx, by := mid(b)
			if bx-ax < float64(w)/2 {
				continue
			}
			slope := (by - ay) / (bx - ax)
			if math.Abs(slope) > 0.1 { // a page turned more than six degrees is not read
				continue
			}
			left := a.x0 <= edge || followed(ax, ay, slope, 0, edge)
			right := b.x1 >= w-1-edge || followed(ax, ay, slope, w-edge, w)
			// The sheet's far edge, short of the image's: the crease
			// ends within a point of where the canvas begins.
			if !(left && right || left && bare(b.x1+int(k)+1, w) || right && bare(0, a.x0-int(k))) {
				continue
			}
			var on []int
			covered := 0
			for i, r := range runs {
				x, y := mid(r)
				if math.Abs(ay+slope*(x-ax)-y) <= max(3, float64(r.y1-r.y0+1)) {
					on = append(on, i)
					covered += r.x1 - r.x0 + 1
				}
			}
			if 2*covered >= w {
				for _, i := range on {
					fold[i] = true
				}
			}
		}
	}
	// The rest, joined into lines: a skewed rule's pieces meet or overlap
	// row to row.
	lines := newGroups(len(runs))
	for i, a := range runs {
		for j, b := range runs {
			if !fold[i] && !fold[j] && b.x0 <= a.x1+3 && a.x0 <= b.x1+3 && b.y0 <= a.y1+3 && a.y0 <= b.y1+3 {
				lines.join(i, j)
			}
		}
	}
	n := 0
	for i := range runs {
		if !fold[i] && lines.find(i) == i {
			n++
		}
	}
	return n
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// skewOf measures how far the lines of an upright page image are turned,
// in radians clockwise: the angle, within six degrees, at which the ink
// (text lines and rules) projected across the page falls into the
// sharpest rows. It works at about 75 DPI.
func skewOf(img *image.Gray) float64 {
	b := img.Bounds()
	f := max(1, int(math.Round(pageDPI(img)/75)))
	var xs, ys []float64
	for y := b.Min.Y; y < b.Max.Y; y += f {
		row := img.Pix[img.PixOffset(b.Min.X, y):]
		for x := 0; x < b.Dx(); x += f {
			if row[x] < inkThreshold {
				xs = append(xs, float64(x/f))
				ys = append(ys, float64((y-b.Min.Y)/f))
			}
		}
	}
	if len(xs) < 100 {
		return 0
	}
	w, h := b.Dx()/f+1, b.Dy()/f+1
	off := int(float64(w)*math.Tan(7*math.Pi/180)) + 1
	bins := make([]float64, h+2*off)
	sharpness := func(th float64) float64 {
		clear(bins)
		tan := math.Tan(th)
		for i := range xs {
			j := int(ys[i]-xs[i]*tan) + off
			if j >= 0 && j < len(bins) {
				bins[j]++
			}
		}
		var s float64
		for _, c := range bins {
			s += c * c
		}
		return s
	}
	best, bestS := 0.0, -1.0
	search := func(from, to, step float64) {
		for a := from; a <= to+step/2; a += step {
			if s := sharpness(a * math.Pi / 180); s > bestS {
				best, bestS = a, s
			}
		}
	}
	search(-6, 6, 0.25)
	search(best-0.25, best+0.25, 0.05)
	return best * math.Pi / 180
}

// levelled refits a transform fitted to words close together (one or two
// lines of them, whose own slant says little of the page's) with the
// page's measured skew: the scale and shift from the words, the turn from
// the page. It returns false when the result is no scan's transform.
func levelled(pairs []pair, skew, k float64) (affine, bool) {
	var src, dst [][2]float64
	for _, p := range pairs {
		src = append(src, p.tl, p.tr)
		dst = append(dst, p.il, p.ir)
	}
	msx, msy, mdx, mdy := means(src, dst)
	c, s := math.Cos(skew), math.Sin(skew)
	var num, den float64
	for i := range src {
		sx, sy := src[i][0]-msx, src[i][1]-msy
		rx, ry := c*sx-s*sy, s*sx+c*sy // turned by the skew
		num += rx*(dst[i][0]-mdx) + ry*(dst[i][1]-mdy)
		den += sx*sx + sy*sy
	}
	if den < 1e-9 {
		return affine{}, false
	}
	sc := num / den
	t := affine{A: sc * c, B: -sc * s, D: sc * s, E: sc * c}
	t.C = mdx - (t.A*msx + t.B*msy)
	t.F = mdy - (t.D*msx + t.E*msy)
	return t, plausible(t, k)
}

// byRules adds the ends of a template page's rules to the word pairs a
// page was fitted to, and fits again: first the ends near the words,
// then, from that fit, all of them. Words close together (a line or two
// of them) say little of the page's turn: the fit starts from the
// page's measured skew instead. The fit and its inliers are returned,
// or t and words when the rules do not agree with the words.
func byRules(img *image.Gray, pg form.Page, t affine, words []pair, k float64) (affine, []pair) {
	var src [][2]float64
	for _, q := range words {
		src = append(src, q.tl, q.tr)
	}
	base := t
	if w, h := spread(src); w < 150 || h < 150 {
		if l, ok := levelled(words, skewOf(img), k); ok {
			base = l
		}
	}
	fit, have, found := base, words, false
	for _, within := range []float64{300, math.Inf(1)} {
		ends := rulePairs(img, pg, fit, have, within)
		if len(ends) < 4 {
			continue
		}
		f, in := ransac(append(slices.Clone(words), ends...), k)
		f, in = trimEnds(f, in, k)
		if !wordsKept(in, words) {
			continue
		}
		fit, have, found = f, in, true
	}
	if !found {
		return t, words // no rule found, or none agreeing
	}
	return fit, have
}

// trimEnds drops the rule ends a fit misses by more than a point and a
// half, and fits again without them: a rule's end is found to a pixel or
// so, so one that far off is another rule's, or writing running on from
// it, though the fit's tolerance, made for words, kept it.
func trimEnds(t affine, in []pair, k float64) (affine, []pair) {
	var kept []pair
	for _, p := range in {
		if p.weight == ruleWeight {
			x, y := t.apply(p.tl[0], p.tl[1])
			if math.Hypot(x-p.il[0], y-p.il[1]) > 1.5*k {
				continue
			}
		}
		kept = append(kept, p)
	}
	if len(kept) == len(in) || len(kept) < 3 {
		return t, in
	}
	if f, again := refine(kept, k); len(again) == len(kept) {
		return f, again
	}
	return t, in
}

// maxTurnError is how far, in radians, a page's fit may be turned from
// the page's lines as measured (skewOf): they agree to a tenth of a
// degree on a page fitted right.
const maxTurnError = 1.5 * math.Pi / 180

// turnedAsPage checks a fit to words against the turn of the page's
// lines. When the two disagree, the words (found, all those paired) are
// fitted again among the transforms turned as the page is; that fit is
// returned when it keeps nearly as many of them as the fit it replaces
// (in), else false: a page whose lines are not measured right (a dark
// border, few lines) keeps its fit.
func turnedAsPage(img *image.Gray, t affine, in, found []pair, k float64) (affine, []pair, bool) {
	skew := skewOf(img)
	if math.Abs(turnOf(t)-skew) <= maxTurnError {
		return t, in, false
	}
	f, again := ransacWhere(found, k, func(c affine) bool { return math.Abs(turnOf(c)-skew) <= maxTurnError })
	if len(again) < 3 || weightOf(again) < 0.8*weightOf(in) {
		return t, in, false
	}
	return f, again, true
}

// turnOf is how far t turns the page, in radians clockwise.
func turnOf(t affine) float64 { return math.Atan2(t.D, t.A) }
