package extract

import (
	"image"
	"math"
	"testing"

	"blankett/form"
)

// TestWritingPast draws a framed zone with "letters" (strokes of ink a
// letter's height, a letter's gap apart) and finds how far they run past
// its right side: across the frame and on, or not at all when the
// writing ends inside or only a speck stands beyond.
func TestWritingPast(t *testing.T) {
	k := 200 / 72.0
	zone := form.Field{Name: "e", Type: form.TypeEmail, Zone: form.Box{X: 100, Y: 100, W: 100, H: 22}}
	page := func(from, to float64, speck float64) *image.Gray {
		img := paper(int(300*k), int(200*k))
		ink := pen(img, k)
		z := zone.Zone
		ink(z.X, z.Y, z.X+z.W, z.Y+0.5)         // the frame
		ink(z.X, z.Y+z.H-0.5, z.X+z.W, z.Y+z.H) //
		ink(z.X, z.Y, z.X+0.5, z.Y+z.H)         //
		ink(z.X+z.W-0.5, z.Y, z.X+z.W, z.Y+z.H) //
		for x := from; x+2 <= to; x += 4 {      // letters 2 pt wide, 7 pt tall
			ink(x, 108, x+2, 115)
		}
		if speck > 0 {
			ink(speck, 113, speck+0.8, 113.8)
		}
		return img
	}
	tf := affine{A: k, E: k}
	for _, c := range []struct {
		name          string
		from, to      float64
		speck         float64
		wantPast, tol float64
	}{
		{"runs past", 104, 230, 0, 230 - 198.8 + 3, 1.5},
		{"ends inside", 104, 180, 0, 0, 0},
		{"a speck beyond", 104, 199, 210, 0, 0},
	} {
		got := writingPast(page(c.from, c.to, c.speck), tf, zone, k, 40)
		if math.Abs(got-c.wantPast) > c.tol {
			t.Errorf("%s: writing runs %.1f points past, want %.1f", c.name, got, c.wantPast)
		}
	}
}

// TestRoomRight: the room past a zone ends at the next field's zone or
// printed word level with it, short of the page's edge, and at 40 % of
// the zone's width.
func TestRoomRight(t *testing.T) {
	f := form.Field{Name: "a", Page: 1, Zone: form.Box{X: 100, Y: 100, W: 100, H: 22}}
	tpl := &form.Template{PageWidth: 595, Fields: []form.Field{f}}
	if got := roomRight(tpl, f); got != 40 {
		t.Errorf("alone: room %.1f, want 40 (40 %% of the width)", got)
	}
	tpl.Fields = append(tpl.Fields, form.Field{Name: "b", Page: 1, Zone: form.Box{X: 215, Y: 105, W: 50, H: 22}})
	if got := roomRight(tpl, f); got != 14 {
		t.Errorf("a field beside it: room %.1f, want 14", got)
	}
	tpl.Fields[1].Page = 2
	tpl.Pages = []form.Page{{Number: 1, Words: []form.PrintedWord{{Text: "kr", Box: form.Box{X: 205, Y: 110, W: 10, H: 8}}}}}
	if got := roomRight(tpl, f); got != 4 {
		t.Errorf("a printed word beside it: room %.1f, want 4", got)
	}
	wide := form.Field{Name: "c", Page: 1, Zone: form.Box{X: 450, Y: 300, W: 140, H: 22}}
	if got := roomRight(tpl, wide); got != 0 {
		t.Errorf("at the page's edge: room %.1f, want 0", got)
	}
}

// TestInkBeside finds a last digit the scan broke into pieces each too
// small to be one, which textBox leaves out of the reading, and not a
// speck beside the number; the box it gives takes the pieces in.
func TestInkBeside(t *testing.T) {
	k := 300 / 72.0
	for _, c := range []struct {
		name   string
		beside func(ink func(x0, y0, x1, y1 float64))
		want   bool
	}{
		{"whole digits", func(func(x0, y0, x1, y1 float64)) {}, false},
		{"a broken last digit", func(ink func(x0, y0, x1, y1 float64)) {
			ink(50, 8, 52, 9)       // its bar
			ink(51.6, 11.8, 52, 15) // its bowl
		}, true},
		{"a speck beside", func(ink func(x0, y0, x1, y1 float64)) { ink(50, 13, 51, 14) }, false},
		{"a broken digit far away", func(ink func(x0, y0, x1, y1 float64)) {
			ink(80, 8, 82, 9)
			ink(81.6, 11.8, 82, 15)
		}, false},
	} {
		zone := paper(int(100*k), int(22*k))
		ink := pen(zone, k)
		for x := 10.0; x+2 <= 48; x += 4 { // digits 2 pt wide, 7 pt tall
			ink(x, 8, x+2, 15)
		}
		c.beside(ink)
		text, _ := textBox(zone, k)
		box, got := inkBeside(zone, k)
		if got != c.want {
			t.Errorf("%s: inkBeside = %v, want %v", c.name, got, c.want)
		}
		switch {
		case got && float64(box.Max.X) < 52*k:
			t.Errorf("%s: the box %v leaves the pieces out (they end at %.0f)", c.name, box, 52*k)
		case got && (box.Min.X != text.Min.X || box.Min.Y > text.Min.Y || box.Max.Y < text.Max.Y):
			t.Errorf("%s: the box %v does not hold the text's %v", c.name, box, text)
		case !got && box != text:
			t.Errorf("%s: box %v, want the text's %v", c.name, box, text)
		}
	}
}

// TestTextBoxFaintLine: small faint type leaves a few letters over the
// ink threshold, shorter than the line; the box takes the whole line of
// faint writing (its second word too), not a taller mark beside it.
func TestTextBoxFaintLine(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 600, 80))
	fill := func(r image.Rectangle, v uint8) {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				img.Pix[img.PixOffset(x, y)] = v
			}
		}
	}
	fill(img.Bounds(), 255)
	fill(image.Rect(20, 24, 200, 50), 170)  // the first word, faint
	fill(image.Rect(30, 30, 40, 48), 40)    // two of its letters dark
	fill(image.Rect(150, 30, 160, 48), 40)  //
	fill(image.Rect(215, 24, 400, 50), 170) // the second word, faint
	fill(image.Rect(500, 5, 506, 75), 170)  // a faint upright, taller than the line
	k := 300.0 / 72
	box, ok := textBox(img, k)
	if !ok || box.Min.X > 20 || box.Max.X < 400 || box.Max.X >= 500 {
		t.Errorf("textBox = %v, %v; want from x 20 or before to x 400 or after, short of 500", box, ok)
	}
}

// TestTextBoxRuleRemnant: a thin upright standing on the zone's bottom
// edge below the writing (a cell's rule a registration a little off
// leaves in) is left out of the box; one reaching into the writing's rows
// (a tall letter touching the edge) and one that is all there is are not.
func TestTextBoxRuleRemnant(t *testing.T) {
	k := 300.0 / 72
	for _, c := range []struct {
		name       string
		marks      []image.Rectangle
		wantBefore bool // the box ends before x 560, the upright's
	}{
		{"a remnant under the line", []image.Rectangle{image.Rect(20, 20, 200, 48), image.Rect(560, 54, 564, 67)}, true},
		{"a letter on the line's rows", []image.Rectangle{image.Rect(20, 20, 200, 48), image.Rect(560, 30, 564, 67)}, false},
		{"nothing else", []image.Rectangle{image.Rect(560, 54, 564, 67)}, false},
	} {
		img := image.NewGray(image.Rect(0, 0, 600, 67))
		for i := range img.Pix {
			img.Pix[i] = 255
		}
		for _, r := range c.marks {
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					img.Pix[img.PixOffset(x, y)] = 0
				}
			}
		}
		box, ok := textBox(img, k)
		if !ok || (box.Max.X < 560) != c.wantBefore {
			t.Errorf("%s: textBox = %v, %v; want the box ending before x 560: %v", c.name, box, ok, c.wantBefore)
		}
	}
}

// TestTextBoxPenStroke: a wavy pen line drawn under the writing (a case
// worker's underline) is left out of the box, where it was taken for the
// writing and the type above it cut off; alone, it is no writing. A long
// run of letters joined into one mark (their uprights) is writing.
func TestTextBoxPenStroke(t *testing.T) {
	k := 300.0 / 72
	blank := func() *image.Gray {
		img := image.NewGray(image.Rect(0, 0, 360, 90))
		for i := range img.Pix {
			img.Pix[i] = 255
		}
		return img
	}
	fill := func(img *image.Gray, r image.Rectangle) {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				img.Pix[img.PixOffset(x, y)] = 0
			}
		}
	}
	wave := func(img *image.Gray) { // 5 pixels thick, 16 high, 300 long
		for x := 20; x < 320; x++ {
			y := 66 + int(6*math.Sin(float64(x)/25))
			fill(img, image.Rect(x, y, x+1, y+5))
		}
	}
	letters := func(img *image.Gray) { // twelve digits' uprights
		for i := range 12 {
			fill(img, image.Rect(24+22*i, 28, 30+22*i, 52))
		}
	}

	img := blank()
	letters(img)
	wave(img)
	if box, ok := textBox(img, k); !ok || box.Max.Y > 52+textMargin(k) {
		t.Errorf("writing over a pen line: textBox = %v, %v; want the writing's rows, from 28 to 52, and the margin", box, ok)
	}
	img = blank()
	wave(img)
	if box, ok := textBox(img, k); ok {
		t.Errorf("a pen line alone: textBox = %v, true; want nothing written", box)
	}
	img = blank()
	letters(img)
	fill(img, image.Rect(24, 48, 290, 52)) // joined along their foot
	if box, ok := textBox(img, k); !ok || box.Min.Y > 28 {
		t.Errorf("letters joined into one mark: textBox = %v, %v; want it, from row 28", box, ok)
	}
}
