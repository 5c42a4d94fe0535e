package extract

import (
	"image"
	"math"
	"math/rand/v2"
	"testing"

	"blankett/form"
)

// TestBoxZone draws a row of tick boxes 11 points wide, 16 apart, the
// second filled in, and reads each from a zone a few points off its
// frame (a page fitted a little off in a corner): each box is found by
// its frame and read as drawn. Read straight from the zone, the filled
// box cut in two read as empty at full confidence.
func TestBoxZone(t *testing.T) {
	k := 200 / 72.0
	for _, off := range [][2]float64{{0, 0}, {3, 0}, {-3, 1}, {0, 3.5}, {2.5, -2.5}} {
		img := paper(int(200*k), int(100*k))
		ink := pen(img, k)
		for i, filled := range []bool{false, true, false, false} {
			x, y := 40+16*float64(i)+off[0], 40+off[1]
			frame(ink, x, y)
			if filled {
				ink(x+2.5, y+2.5, x+8.5, y+8.5)
			}
		}
		for i, want := range []bool{false, true, false, false} {
			f := form.Field{Name: "box", Type: form.TypeCheckbox, Zone: form.Box{X: 40 + 16*float64(i), Y: 40, W: 11, H: 11}}
			zone, framed := boxZone(img, affine{A: k, E: k}, f, k, f.Zone.W*0.18)
			if !framed {
				t.Errorf("frames %.1f, %.1f points off: box %d's frame not found", off[0], off[1], i+1)
			}
			ticked, conf := checkbox(zone, k)
			if ticked != want {
				t.Errorf("frames %.1f, %.1f points off: box %d ticked %v (confidence %.2f), want %v", off[0], off[1], i+1, ticked, conf, want)
			}
		}
	}
}

// TestCheckboxSpeck reads a box holding a speck of dust as empty, and one
// holding a thin X, or a short ✓, as ticked.
func TestCheckboxSpeck(t *testing.T) {
	k := 300 / 72.0
	for _, c := range []struct {
		name string
		draw func(ink func(x0, y0, x1, y1 float64), x, y float64)
		want bool
	}{
		{"speck", func(ink func(x0, y0, x1, y1 float64), x, y float64) { ink(x+3.5, y+4.5, x+4.9, y+5.9) }, false},
		{"two specks", func(ink func(x0, y0, x1, y1 float64), x, y float64) {
			ink(x+3, y+3, x+4.2, y+4.2)
			ink(x+6, y+6.5, x+7.2, y+7.7)
		}, false},
		{"thin X", func(ink func(x0, y0, x1, y1 float64), x, y float64) {
			for s := 2.0; s < 8.5; s += 0.25 {
				ink(x+s, y+s, x+s+0.6, y+s+0.6)
				ink(x+10-s, y+s, x+10.6-s, y+s+0.6)
			}
		}, true},
		// Dust: specks two points apart and more.
		{"dust", func(ink func(x0, y0, x1, y1 float64), x, y float64) {
			for _, p := range [][2]float64{{2.5, 2.5}, {6.5, 3}, {3, 7}, {7, 7.5}} {
				ink(x+p[0], y+p[1], x+p[0]+0.8, y+p[1]+0.8)
			}
		}, false},
		{"short tick", func(ink func(x0, y0, x1, y1 float64), x, y float64) {
			for s := 0.0; s < 2; s += 0.25 {
				ink(x+3+s, y+5.5+s, x+3.7+s, y+6.2+s)
			}
			for s := 0.0; s < 4; s += 0.25 {
				ink(x+5+s, y+7.5-s, x+5.7+s, y+8.2-s)
			}
		}, true},
	} {
		img := paper(int(60*k), int(60*k))
		ink := pen(img, k)
		x, y := 20.0, 20.0
		frame(ink, x, y)
		c.draw(ink, x, y)
		f := form.Field{Name: "box", Type: form.TypeCheckbox, Zone: form.Box{X: x, Y: y, W: 11, H: 11}}
		zone, framed := boxZone(img, affine{A: k, E: k}, f, k, f.Zone.W*0.18)
		if !framed {
			t.Errorf("%s: the box's frame was not found", c.name)
		}
		if ticked, conf := checkbox(zone, k); ticked != c.want {
			t.Errorf("%s: ticked %v (confidence %.2f), want %v", c.name, ticked, conf, c.want)
		}
	}
}

// TestUnframedBox reads tick boxes from zones that lie beside them (a
// page fitted wrong): the paper there holds no frame, and says so, and a
// box half in the zone is no frame either.
func TestUnframedBox(t *testing.T) {
	k := 200 / 72.0
	img := paper(int(200*k), int(100*k))
	ink := pen(img, k)
	x, y := 40.0, 40.0
	frame(ink, x, y)
	for _, off := range [][2]float64{{0, 0}, {14, 0}, {0, -16}, {8, 8}} {
		f := form.Field{Name: "box", Type: form.TypeCheckbox, Zone: form.Box{X: x + off[0], Y: y + off[1], W: 11, H: 11}}
		_, framed := boxZone(img, affine{A: k, E: k}, f, k, f.Zone.W*0.18)
		if want := off == [2]float64{}; framed != want {
			t.Errorf("zone %.0f, %.0f points off the box: framed %v, want %v", off[0], off[1], framed, want)
		}
		// Off the box, its frame is found farther off: the page is
		// fitted wrong there.
		if !framed && !frameAstray(img, affine{A: k, E: k}, f, k) {
			t.Errorf("zone %.0f, %.0f points off the box: the frame not found astray", off[0], off[1])
		}
	}
	// A scan that lost the frames (a thin grey line on a fax) shows none
	// anywhere near: nothing says the page is fitted wrong.
	blank := paper(int(200*k), int(100*k))
	pen(blank, k)(x+3, y+3, x+8, y+8) // the tick alone
	f := form.Field{Name: "box", Type: form.TypeCheckbox, Zone: form.Box{X: x, Y: y, W: 11, H: 11}}
	if _, framed := boxZone(blank, affine{A: k, E: k}, f, k, f.Zone.W*0.18); framed {
		t.Error("no frame on the scan: framed")
	}
	if frameAstray(blank, affine{A: k, E: k}, f, k) {
		t.Error("no frame on the scan: found astray")
	}
}

// TestGreyFrame finds a tick box whose thin frame a scanner's blur made
// grey (170, where letters stay black).
func TestGreyFrame(t *testing.T) {
	k := 200 / 72.0
	img := paper(int(100*k), int(100*k))
	x, y := 40.0, 40.0
	grey := func(x0, y0, x1, y1 float64) {
		for py := int(y0 * k); py < int(math.Ceil(y1*k)); py++ {
			for px := int(x0 * k); px < int(math.Ceil(x1*k)); px++ {
				img.Pix[img.PixOffset(px, py)] = 170
			}
		}
	}
	frame(grey, x, y)
	f := form.Field{Name: "box", Type: form.TypeCheckbox, Zone: form.Box{X: x + 2, Y: y - 1.5, W: 11, H: 11}}
	if _, framed := boxZone(img, affine{A: k, E: k}, f, k, f.Zone.W*0.18); !framed {
		t.Error("a grey frame not found")
	}
}

// frame draws a tick box's frame, 11 points wide with lines 0.7 thick,
// its top left corner at x, y.
func frame(ink func(x0, y0, x1, y1 float64), x, y float64) {
	ink(x, y, x+11, y+0.7)
	ink(x, y+10.3, x+11, y+11)
	ink(x, y, x+0.7, y+11)
	ink(x+10.3, y, x+11, y+11)
}

// pen fills rectangles of img, given in points at k pixels per point,
// with ink.
func pen(img *image.Gray, k float64) func(x0, y0, x1, y1 float64) {
	return func(x0, y0, x1, y1 float64) {
		for y := int(y0 * k); y < int(math.Ceil(y1*k)); y++ {
			for x := int(x0 * k); x < int(math.Ceil(x1*k)); x++ {
				img.Pix[img.PixOffset(x, y)] = 0
			}
		}
	}
}

// TestClearUprights draws a comb field's zone: grey hair-line rules from
// top to bottom, one drifting a pixel, one with a digit's stem touching
// it, and letters' stems that are no rule, one with specks over and
// under it. The rules go; the stems stay, the touching one shaved by two
// pixels at most.
func TestClearUprights(t *testing.T) {
	const w, h = 120, 60
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 245
	}
	set := func(x, y int, v uint8) { img.Pix[y*w+x] = v }
	for y := range h {
		set(0, y, 180)        // a frame's grey side at the zone's edge
		set(20, y, 170)       // a straight grey rule
		set(21, y, 215)       // its blurred edge
		set(60+y*2/h, y, 160) // a rule drifting a pixel
		set(90, y, 150)       // a rule with a stem touching it
	}
	stem := func(x0 int) {
		for y := 15; y < 42; y++ { // nearly half the zone's height
			for x := x0; x < x0+4; x++ {
				set(x, y, 30)
			}
		}
	}
	stem(91)
	stem(40)
	// A tall thin letter with specks over and under it (an l in a
	// cramped zone of a noisy scan): no rule.
	for y := 8; y < 46; y++ {
		set(110, y, 40)
	}
	for _, y := range []int{0, 1, 3, 50, 52, 58, 59} {
		set(110, y, 60)
	}
	clearUprights(img, paperGrey(img))
	for y := 8; y < 46; y++ {
		if v := img.Pix[y*w+110]; v != 40 {
			t.Fatalf("the letter's pixel (110,%d) changed to %d", y, v)
		}
	}
	for y := range h {
		for _, x := range []int{0, 20, 21, 60 + y*2/h, 90} {
			if v := img.Pix[y*w+x]; v != 255 {
				t.Fatalf("rule pixel (%d,%d) left at %d", x, y, v)
			}
		}
	}
	for y := 15; y < 42; y++ {
		for _, x := range []int{40, 42, 93, 94} { // the touching stem shaved by two pixels at most
			if v := img.Pix[y*w+x]; v != 30 {
				t.Fatalf("stem pixel (%d,%d) changed to %d", x, y, v)
			}
		}
	}
}

// TestClearTicks draws a comb field whose cells are marked by ticks at
// its foot only, and a written stem that stands on its baseline above
// the foot: the ticks go, the stem stays. Two ticks alone are no comb.
func TestClearTicks(t *testing.T) {
	const w, h = 200, 48
	zone := func(ticks ...int) *image.Gray {
		img := image.NewGray(image.Rect(0, 0, w, h))
		for i := range img.Pix {
			img.Pix[i] = 245
		}
		for _, x := range ticks {
			for y := 32; y < h; y++ {
				img.Pix[y*w+x] = 150
			}
		}
		for y := 10; y < 40; y++ {
			for x := 60; x < 63; x++ {
				img.Pix[y*w+x] = 30
			}
		}
		return img
	}
	img := zone(40, 80, 120, 160)
	clearTicks(img, paperGrey(img))
	for _, x := range []int{40, 80, 120, 160} {
		for y := 32; y < h; y++ {
			if v := img.Pix[y*w+x]; v != 255 {
				t.Fatalf("tick pixel (%d,%d) left at %d", x, y, v)
			}
		}
	}
	for y := 10; y < 40; y++ {
		if v := img.Pix[y*w+61]; v != 30 {
			t.Fatalf("the stem's pixel (61,%d) changed to %d", y, v)
		}
	}
	two := zone(40, 80)
	clearTicks(two, paperGrey(two))
	if v := two.Pix[40*w+40]; v != 150 {
		t.Errorf("one of two ticks cleared (%d): two are no comb", v)
	}
}

// TestCompactComb closes up glyphs written one to a cell, an empty cell
// between the third and the fourth, and leaves writing at a letter's
// pitch alone.
func TestCompactComb(t *testing.T) {
	k := 300 / 72.0
	const h = 60
	draw := func(w int, xs ...int) *image.Gray {
		img := image.NewGray(image.Rect(0, 0, w, h))
		for i := range img.Pix {
			img.Pix[i] = 255
		}
		for _, x0 := range xs {
			for y := 20; y < 40; y++ {
				for x := x0; x < x0+6; x++ {
					img.Pix[y*w+x] = 0
				}
			}
		}
		return img
	}
	comb := draw(260, 30, 60, 90, 150, 180)
	closed, ok := compactComb(comb, components(comb), k)
	if !ok {
		t.Fatal("glyphs one to a cell not closed up")
	}
	// The glyphs' columns, left to right, in what was closed up.
	var starts, ends []int
	in := false
	for x := range closed.Bounds().Dx() {
		ink := closed.Pix[30*closed.Stride+x] < 128
		if ink && !in {
			starts = append(starts, x)
		}
		if !ink && in {
			ends = append(ends, x)
		}
		in = ink
	}
	if len(starts) != 5 || len(ends) != 5 {
		t.Fatalf("%d glyphs after closing up, want 5", len(starts))
	}
	gap := func(i int) int { return starts[i+1] - ends[i] }
	if gap(0) > 6 || gap(1) > 6 || gap(3) > 6 || gap(2) <= gap(1) {
		t.Errorf("gaps %d %d %d %d: want a letter's spacing, and a wider one for the empty cell", gap(0), gap(1), gap(2), gap(3))
	}
	text := draw(100, 10, 18, 26, 34, 42)
	if _, ok := compactComb(text, components(text), k); ok {
		t.Error("writing at a letter's pitch closed up")
	}
}

// TestCheckboxBrokenTick: an X a 1-bit scan broke into pieces, none the
// size of a speck's limit, is never read as surely empty: ticked, or
// empty in doubt.
func TestCheckboxBrokenTick(t *testing.T) {
	k := 300 / 72.0
	img := paper(int(60*k), int(60*k))
	ink := pen(img, k)
	x, y := 20.0, 20.0
	frame(ink, x, y)
	for _, s0 := range []float64{2, 3.4, 4.8, 6.2, 7.6} {
		for s := s0; s < s0+0.6; s += 0.2 {
			ink(x+s, y+s, x+s+0.5, y+s+0.5)
			if s0 != 4.8 {
				ink(x+10-s, y+s, x+10.5-s, y+s+0.5)
			}
		}
	}
	f := form.Field{Name: "box", Type: form.TypeCheckbox, Zone: form.Box{X: x, Y: y, W: 11, H: 11}}
	zone, _ := boxZone(img, affine{A: k, E: k}, f, k, f.Zone.W*0.18)
	if ticked, conf := checkbox(zone, k); !ticked && conf > checkboxDoubt {
		t.Errorf("a broken X read empty at confidence %.2f", conf)
	}
}

// TestSignatureStrikeBesideFrame: a signature box struck through with one
// straight stroke is not signed, though the box's printed frame, on a
// skewed page, slants into the zone's corner as a second straight stroke
// far from it (the two made the ink spread in two dimensions: signed, at
// 0.98); a signature's loops beside the same remnant are signed.
func TestSignatureStrikeBesideFrame(t *testing.T) {
	const k = 200 / 72.0
	zone := func() *image.Gray {
		img := paper(1000, 120)
		strokeLine(img, 500, 118, 999, 112, 2) // the frame's foot, cut by the zone's edges
		return img
	}
	struck := zone()
	strokeLine(struck, 40, 90, 960, 20, 3)
	if signed, conf := signature(struck, k); signed {
		t.Errorf("struck through: signed at %.2f, want not signed", conf)
	}
	signed := zone()
	loops(signed, 150, 120, 60, 45, 35, 3)
	if ok, conf := signature(signed, k); !ok {
		t.Errorf("loops: not signed at %.2f, want signed", conf)
	}
}

// TestSignatureStrikeOverBrokenRule: a box struck through with one
// straight stroke, over the pieces a scan left of the box's ruled foot
// (clear of the zone's edges, each a stroke long, so that clearRules
// found no row mostly ink), is not signed: two straight lines apart
// spread in two dimensions together (signed, at 0.99, on an edition drawn
// outside the project). The same with a signature's loops is signed.
func TestSignatureStrikeOverBrokenRule(t *testing.T) {
	const k = 200 / 72.0
	zone := func() *image.Gray {
		img := paper(1000, 130)
		for x := 30.0; x < 960; x += 200 { // the rule, in pieces
			strokeLine(img, x, 124, x+40, 124, 2)
		}
		return img
	}
	struck := zone()
	strokeLine(struck, 40, 100, 960, 20, 3)
	if signed, conf := signature(struck, k); signed || conf < 0.9 {
		t.Errorf("struck through: signed %v at %.2f, want surely not signed", signed, conf)
	}
	signed := zone()
	loops(signed, 150, 120, 60, 45, 35, 3)
	if ok, conf := signature(signed, k); !ok || conf < 0.9 {
		t.Errorf("loops: signed %v at %.2f, want surely signed", ok, conf)
	}
}

// TestSignatureSpecks: an empty signature box on a dusty fax, its specks
// spread all over it, is not read as signed surely (it was, at 0.99):
// under the calibration's first point, so that a person looks; loops of a
// hand among the same specks are signed as surely as without them.
func TestSignatureSpecks(t *testing.T) {
	const k = 300 / 72.0
	specked := func() *image.Gray {
		img := paper(2000, 200)
		r := rand.New(rand.NewPCG(3, 5))
		for range 400 { // specks of 6 to 8 pixels a side: 2 to 3.7 square points
			x, y := 5+r.IntN(1985), 5+r.IntN(185)
			s := 6 + r.IntN(3)
			shade(img, x, y, x+s, y+s, 0)
		}
		return img
	}
	empty := specked()
	if signed, conf := signature(empty, k); calibrate(form.TypeSignature, false, conf) >= form.FlagBelow {
		t.Errorf("specks: signed %v at %.2f (%.2f calibrated), want in doubt", signed, conf, calibrate(form.TypeSignature, false, conf))
	}
	signed := specked()
	loops(signed, 300, 250, 100, 90, 60, 5)
	if ok, conf := signature(signed, k); !ok || conf < 0.45 {
		t.Errorf("loops among specks: signed %v at %.2f, want signed, surely", ok, conf)
	}
}

// TestSignatureGreySpeckle: an empty signature box under a scanner's grey
// speckle (specks of a few pixels, lighter than ink but darker than the
// paper) is read as not signed, surely (it was unread, at 0: every
// unsigned box of a noisy office scan went to a person); a
// signature in pencil, as light as the speckle, is still unread.
func TestSignatureGreySpeckle(t *testing.T) {
	const k = 300 / 72.0
	speckled := func() *image.Gray {
		img := paper(1400, 130)
		r := rand.New(rand.NewPCG(7, 11))
		for range 900 { // specks of 1 to 3 pixels a side
			x, y := 2+r.IntN(1390), 2+r.IntN(120)
			s := 1 + r.IntN(3)
			shade(img, x, y, x+s, y+s, 175)
		}
		return img
	}
	if signed, conf := signature(speckled(), k); signed || calibrate(form.TypeSignature, false, conf) < form.FlagBelow {
		t.Errorf("grey speckle: signed %v at %.2f, want not signed, surely", signed, conf)
	}
	pencil := speckled()
	for i := range 6 {
		cx := 200 + 150*float64(i)
		for a := 0.0; a < 2*math.Pi; a += 0.005 {
			x, y := cx+60*math.Cos(a), 65+40*math.Sin(a)
			shade(pencil, int(x), int(y), int(x)+3, int(y)+3, 175)
		}
	}
	if signed, conf := signature(pencil, k); signed || conf != 0 {
		t.Errorf("pencil among grey speckle: signed %v at %.2f, want unread (0)", signed, conf)
	}
}

// strokeLine draws a straight stroke width pixels thick from x0, y0 to
// x1, y1 (x1 > x0).
func strokeLine(img *image.Gray, x0, y0, x1, y1 float64, width int) {
	for x := x0; x <= x1; x++ {
		y := y0 + (y1-y0)*(x-x0)/(x1-x0)
		shade(img, int(x), int(y), int(x)+1, int(y)+width, 0)
	}
}

// loops draws six loops of a hand on img, the first centred at x0, cy,
// each step further right, rx by ry pixels, with a pen pen pixels wide.
func loops(img *image.Gray, x0, step, cy, rx, ry float64, pen int) {
	for i := range 6 {
		cx := x0 + step*float64(i)
		for a := 0.0; a < 2*math.Pi; a += 0.005 {
			x, y := cx+rx*math.Cos(a), cy+ry*math.Sin(a)
			shade(img, int(x), int(y), int(x)+pen, int(y)+pen, 0)
		}
	}
}
