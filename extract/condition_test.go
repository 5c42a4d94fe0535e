package extract

import (
	"blankett/form"
	"fmt"
	"image"
	"math"
	"slices"
	"testing"
)

// sixFields are the fields of a page of TestColourWriting's, down it.
func sixFields() []form.Field {
	var fields []form.Field
	for i := range 6 {
		fields = append(fields, form.Field{Name: string(rune('a' + i)), Zone: form.Box{X: 40, Y: 40 + 60*float64(i), W: 200, H: 30}})
	}
	return fields
}

// TestColourWriting tells coloured writing from coloured marks on a page
// of six fields: blue ink alone in four of them is the writing, put back
// as dark as it was; a red stamp over two fields written in black, or a
// blue pen's stroke along one, are marks (0 in marks) and stay dropped.
func TestColourWriting(t *testing.T) {
	const k = 3.0 // pixels per point
	fields := sixFields()
	blue, _ := colourCode(40, 60, 175)
	red, _ := colourCode(205, 45, 55)
	// A pen's blue whose pixels straddle three hue bins, a third in each.
	cyan, _ := colourCode(40, 150, 175)
	mid, _ := colourCode(40, 100, 175)
	violet, _ := colourCode(70, 40, 175)
	if hueOfCode(mid) != hueOfCode(cyan)+1 || hueOfCode(violet) != hueOfCode(mid)+1 {
		t.Fatalf("hues %d, %d, %d: want three bins side by side", hueOfCode(cyan), hueOfCode(mid), hueOfCode(violet))
	}
	spread := []uint8{cyan, mid, violet}
	// cores: fields whose coloured writing has dark cores too little
	// coloured to be told from black (a dark pen, a JPEG's colour at half
	// resolution), every third column.
	page := func(ink map[int][]uint8, black, empty, cores []int) (img, marks *image.Gray) {
		img, marks = paper(300*k, 420*k), paper(300*k, 420*k) // white: no colour
		for i, f := range fields {
			if slices.Contains(empty, i) {
				// Empty: specks, three in a thousand pixels, and the
				// field's rule inside its zone (a fit a little off).
				for y := int(f.Zone.Y * k); y < int((f.Zone.Y+f.Zone.H)*k); y++ {
					for x := int(f.Zone.X * k); x < int((f.Zone.X+f.Zone.W)*k); x++ {
						if (x*7+y*13)%333 == 0 || y == int((f.Zone.Y+f.Zone.H-3)*k) {
							img.Pix[img.PixOffset(x, y)] = 0
						}
					}
				}
				continue
			}
			x0, y0 := int((f.Zone.X+10)*k), int((f.Zone.Y+10)*k)
			for y := y0; y < y0+int(10*k); y++ {
				for x := x0; x < x0+int(60*k); x++ {
					if codes, ok := ink[i]; ok {
						marks.Pix[marks.PixOffset(x, y)] = codes[x%len(codes)]
						if slices.Contains(cores, i) && x%3 == 2 {
							marks.Pix[marks.PixOffset(x, y)] = noColour
							img.Pix[img.PixOffset(x, y)] = 30
						}
					}
					if slices.Contains(black, i) {
						img.Pix[img.PixOffset(x+int(70*k), y)] = 0 // the black writing, beside
					}
				}
			}
		}
		return img, marks
	}
	scale := affine{A: k, E: k}
	one := func(c uint8) []uint8 { return []uint8{c} }
	for _, c := range []struct {
		what    string
		ink     map[int][]uint8
		black   []int
		writing bool
		empty   []int // fields with specks and their rule in them, no writing
		cores   []int // fields whose coloured writing has dark cores
	}{
		{"blue writing in four fields", map[int][]uint8{0: one(blue), 1: one(blue), 3: one(blue), 5: one(blue)}, nil, true, nil, nil},
		{"a red stamp over two fields written in black", map[int][]uint8{1: one(red), 2: one(red)}, []int{0, 1, 2, 3, 4, 5}, false, nil, nil},
		{"a blue stroke along one field written in black", map[int][]uint8{4: one(blue)}, []int{0, 1, 2, 3, 4, 5}, false, nil, nil},
		{"blue writing in two fields, a red stamp over a third", map[int][]uint8{0: one(blue), 2: one(blue), 4: one(red)}, nil, true, nil, nil},
		{"blue writing over three hues in five fields", map[int][]uint8{0: spread, 1: spread, 2: spread, 3: spread, 4: spread}, nil, true, nil, nil},
		{"blue writing in two fields, four empty ones speckled and ruled", map[int][]uint8{0: one(blue), 3: one(blue)}, nil, true, []int{1, 2, 4, 5}, nil},
		{"blue writing in four fields, its cores dark", map[int][]uint8{0: one(blue), 1: one(blue), 3: one(blue), 5: one(blue)}, nil, true, nil, []int{0, 1, 3, 5}},
		{"blue writing with black ink beside it in every written field", map[int][]uint8{0: one(blue), 1: one(blue), 3: one(blue), 5: one(blue)}, []int{0, 1, 3, 5}, true, nil, nil},
		{"a red stamp over two of three fields written in black", map[int][]uint8{1: one(red), 2: one(red)}, []int{0, 1, 2}, false, nil, nil},
	} {
		img, marks := page(c.ink, c.black, c.empty, c.cores)
		colourWriting(img, marks, scale, fields)
		for i, codes := range c.ink {
			written := c.writing && codes[0] != red
			y := int((fields[i].Zone.Y + 12) * k)
			for x := int((fields[i].Zone.X + 20) * k); x < int((fields[i].Zone.X+20)*k)+len(codes); x++ {
				restored := img.GrayAt(x, y).Y < inkThreshold
				if restored != written || (marks.GrayAt(x, y).Y == 0) == written {
					t.Errorf("%s: field %d's ink (hue %d) restored %v, marked %v; want writing %v", c.what, i, hueOfCode(codes[x%len(codes)]), restored, marks.GrayAt(x, y).Y == 0, written)
				}
			}
		}
	}
}

// TestStampOverTable: a page written in a blue pen whose letters show
// their colour only at the edges (black ink beside the blue in every
// field), and a red stamp over four rows of its table of orderers, where
// the red is the only ink. The stamp covers more fields than the blue is
// alone in, but they lie in one place: the blue is the writing, the red
// a mark.
func TestStampOverTable(t *testing.T) {
	const k = 3.0
	var fields []form.Field
	for i := range 6 { // the table: rows 20 pt apart
		fields = append(fields, form.Field{Name: fmt.Sprintf("row%d", i), Zone: form.Box{X: 40, Y: 40 + 20*float64(i), W: 200, H: 16}})
	}
	for i := range 4 { // and fields down the page
		fields = append(fields, form.Field{Name: fmt.Sprintf("field%d", i), Zone: form.Box{X: 40, Y: 240 + 80*float64(i), W: 200, H: 20}})
	}
	blue, _ := colourCode(40, 60, 175)
	red, _ := colourCode(205, 45, 55)
	img, marks := paper(300*k, 600*k), paper(300*k, 600*k)
	for i, f := range fields {
		y0 := int((f.Zone.Y + 4) * k)
		for y := y0; y < y0+int(8*k); y++ {
			for x := int((f.Zone.X + 10) * k); x < int((f.Zone.X+70)*k); x++ {
				if i >= 1 && i <= 4 {
					marks.Pix[marks.PixOffset(x, y)] = red // the stamp, alone
					continue
				}
				marks.Pix[marks.PixOffset(x, y)] = blue
				img.Pix[img.PixOffset(x+int(80*k), y)] = 0 // black ink beside, as much
				x++
			}
		}
	}
	colourWriting(img, marks, affine{A: k, E: k}, fields)
	at := func(f form.Field) image.Point { return image.Pt(int((f.Zone.X+20)*k), int((f.Zone.Y+6)*k)) }
	for i, f := range fields {
		p := at(f)
		restored := img.GrayAt(p.X, p.Y).Y < inkThreshold
		if stamp := i >= 1 && i <= 4; restored == stamp {
			t.Errorf("%s: restored %v; want the blue back and the red stamp left out", f.Name, restored)
		}
	}
}

// TestStreakUnderColourWriting: a streak down a page written in blue is
// dropped out with the writing where it crosses it (its pixels there are
// the pen's colour), and is too broken to be found as a streak; with the
// writing put back (colourWriting), it shows whole and is found, as
// extract looks for it again.
func TestStreakUnderColourWriting(t *testing.T) {
	const k = 3.0 // pixels per point
	fields := sixFields()
	blue, _ := colourCode(40, 60, 175)
	img, marks := paper(300*k, 420*k), paper(300*k, 420*k)
	const streakX = 400
	for y := range img.Rect.Dy() {
		img.Pix[img.PixOffset(streakX, y)] = 90
	}
	for _, f := range fields {
		for y := int((f.Zone.Y + 5) * k); y < int((f.Zone.Y+25)*k); y++ {
			for x := int((f.Zone.X + 10) * k); x < int((f.Zone.X+150)*k); x++ {
				if x%4 != 0 || x == streakX {
					img.Pix[img.PixOffset(x, y)] = 245 // dropped out
					marks.Pix[marks.PixOffset(x, y)] = blue
				}
			}
		}
	}
	before := image.NewGray(img.Rect)
	copy(before.Pix, img.Pix)
	if got := clearStreaks(before); len(got) != 0 {
		t.Fatalf("streaks found through the dropped-out writing: %v, want none (the test's premise)", got)
	}
	colourWriting(img, marks, affine{A: k, E: k}, fields)
	got := clearStreaks(img)
	if len(got) != 1 || got[0].Min.X > streakX || got[0].Max.X <= streakX {
		t.Errorf("streaks after the writing is put back: %v, want the one at x = %d", got, streakX)
	}
}

// TestClearStreaks: on a page at 200 DPI, a grey streak down the whole
// page and a paler one across it are found and painted over, paper where
// they crossed paper and ink where they crossed a stroke across them; a
// printed rule standing straight down most of the page, and a thin line
// from the top edge down four fifths of it with letters on it, are no
// streaks, and neither they nor the letters on them are taken for a
// scanner lid's band (the line's are as much ink as one); the band along
// the right edge is.
func TestClearStreaks(t *testing.T) {
	const w, h = 1654, 2339 // A4 at 200 DPI
	img := paper(w, h)
	fill := func(r image.Rectangle, grey uint8) { inkRect(img, r, grey) }
	fill(image.Rect(300, 500, 500, 510), 20)  // a stroke across the streak
	fill(image.Rect(800, 100, 802, 2200), 30) // a printed rule, straight
	fill(image.Rect(1100, 0, 1102, 1870), 40) // a thin line from the top edge, broken off
	// Letters on it, as much ink as a band's.
	for i := range 10 {
		fill(image.Rect(1070, 100+170*i, 1130, 160+170*i), 10)
	}
	fill(image.Rect(1610, 0, w, h), 25)     // the lid's band, 5.5 mm
	fill(image.Rect(400, 0, 403, h), 90)    // the streak down the page
	fill(image.Rect(0, 1500, w, 1502), 150) // and across it
	_, streaks, _ := condition(img)
	want := []image.Rectangle{image.Rect(400, 0, 403, h), image.Rect(0, 1500, w, 1502)}
	if !slices.Equal(streaks, want) {
		t.Fatalf("streaks %v, want %v", streaks, want)
	}
	inkAt(t, img, []inkWant{
		{"the streak over paper", 401, 200, false},
		{"the streak across the stroke", 401, 505, true},
		{"the stroke beside the streak", 350, 505, true},
		{"the streak across the page", 1000, 1501, false},
		{"the printed rule", 800, 1000, true},
		{"the line from the top edge", 1100, 300, true},
		{"a letter on it", 1105, 960, true},
		{"the lid's band", 1630, 1000, false},
	})
}

// TestCreaseKept: a dark crease across the sheet, from side to side, is
// not a band along an edge: it and the writing it crosses stay, while the
// lid's band along the top edge is whitened.
func TestCreaseKept(t *testing.T) {
	const w, h = 1654, 2339 // A4 at 200 DPI
	img := paper(w, h)
	fill := func(r image.Rectangle, grey uint8) { inkRect(img, r, grey) }
	fill(image.Rect(0, 0, w, 40), 25)       // the lid's band, 5 mm
	fill(image.Rect(0, 1500, w, 1510), 100) // the crease, 1.3 mm
	for i := range 10 {                     // digits written across it
		fill(image.Rect(200+30*i, 1490, 220+30*i, 1530), 40)
	}
	condition(img)
	inkAt(t, img, []inkWant{
		{"the lid's band", 800, 20, false},
		{"the crease", 1000, 1505, true},
		{"a digit above the crease", 205, 1495, true},
		{"a digit below the crease", 205, 1525, true},
	})
}

// TestCreaseFromBand: a crease across the sheet joined to the lid's bands
// along its sides is whitened with them, and the writing along it; where,
// inside the page, is said, for the values read there to be doubted (an
// address the crease ran along was read as empty, surely). A band alone
// leaves nothing said.
func TestCreaseFromBand(t *testing.T) {
	const w, h = 1654, 2339 // A4 at 200 DPI
	var img *image.Gray
	fill := func(r image.Rectangle, grey uint8) { inkRect(img, r, grey) }
	bands := func() {
		img = paper(w, h)
		fill(image.Rect(w-35, 0, w, h), 25) // the lid's band along the right edge, 4.5 mm
		fill(image.Rect(0, h-25, w, h), 30) // and along the bottom
	}
	bands()
	_, _, cleared := condition(img)
	if len(cleared) != 0 {
		t.Errorf("bands alone: %v said whitened inside the page", cleared)
	}
	bands()
	fill(image.Rect(0, 1500, w, 1510), 100) // the crease, edge to edge
	for i := range 30 {                     // letters written along it
		fill(image.Rect(400+24*i, 1488, 416+24*i, 1514), 40)
	}
	_, _, cleared = condition(img)
	inkAt(t, img, []inkWant{
		{"the band along the right edge", w - 10, 800, false},
		{"the band along the bottom", 300, h - 10, false},
	})
	for _, p := range []image.Point{{1000, 1505}, {405, 1490}, {1100, 1512}} {
		if !slices.ContainsFunc(cleared, func(r image.Rectangle) bool { return p.In(r) }) {
			t.Errorf("%v, on the crease, not among the areas whitened inside the page %v", p, cleared)
		}
	}
}

// inkWant is whether a point of a page should be ink, and what it is.
type inkWant struct {
	what string
	x, y int
	ink  bool
}

// inkAt checks each point of img against what it should be.
func inkAt(t *testing.T, img *image.Gray, want []inkWant) {
	t.Helper()
	for _, c := range want {
		if ink := img.GrayAt(c.x, c.y).Y < inkThreshold; ink != c.ink {
			t.Errorf("%s: ink %v, want %v (grey %d)", c.what, ink, c.ink, img.GrayAt(c.x, c.y).Y)
		}
	}
}

// inkRect darkens r on img to grey, where it is lighter.
func inkRect(img *image.Gray, r image.Rectangle, grey uint8) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.Pix[img.PixOffset(x, y)] = min(img.Pix[img.PixOffset(x, y)], grey)
		}
	}
}

// TestTurnRect: a rectangle turned with its image lies where rotate puts
// its pixels.
func TestTurnRect(t *testing.T) {
	const w, h = 40, 70
	r := image.Rect(5, 10, 9, 60)
	img := paper(w, h)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.Pix[img.PixOffset(x, y)] = 0
		}
	}
	for q := range 4 {
		turned := rotate(img, q)
		var got image.Rectangle
		for y := range turned.Bounds().Dy() {
			for x := range turned.Bounds().Dx() {
				if turned.GrayAt(x, y).Y == 0 {
					got = got.Union(image.Rect(x, y, x+1, y+1))
				}
			}
		}
		if tr := turnRect(r, w, h, q); tr != got {
			t.Errorf("turned %d quarters: %v, want %v", q, tr, got)
		}
	}
}

// TestStreakCrossed: a field's value is in doubt where a streak painted
// over crossed its writing, not where it crossed the field's empty paper
// or writing beside the field.
func TestStreakCrossed(t *testing.T) {
	const k = 2.0
	img := paper(600, 400)
	streaks := []image.Rectangle{image.Rect(200, 0, 203, 400)}
	for y := 50; y < 70; y++ { // writing across the streak in the first field
		for x := 180; x < 220; x++ {
			img.Pix[img.PixOffset(x, y)] = 30
		}
	}
	for y := 250; y < 270; y++ { // writing beside the streak, outside any field
		img.Pix[img.PixOffset(198, y)] = 30
	}
	scale := affine{A: k, E: k}
	for _, c := range []struct {
		what string
		box  form.Box
		want bool
	}{
		{"writing crossed", form.Box{X: 50, Y: 20, W: 100, H: 20}, true},
		{"empty paper crossed", form.Box{X: 50, Y: 70, W: 100, H: 20}, false},
		{"writing away from the streak", form.Box{X: 150, Y: 20, W: 100, H: 20}, false},
		{"writing outside the field", form.Box{X: 50, Y: 100, W: 100, H: 20}, false},
	} {
		if got := streakCrossed(img, scale, c.box, streaks); got != c.want {
			t.Errorf("%s: %v, want %v", c.what, got, c.want)
		}
	}
}

// TestWhitenLinesKeepsDenseType: a zone's printed rule is whitened; a
// row through small type that fills the zone, as dark as a rule over its
// width but broken at every letter (an address auto-sized to fit its
// field, blurred), is writing and stays.
func TestWhitenLinesKeepsDenseType(t *testing.T) {
	const w, h = 600, 60
	img := paper(w, h)
	inkRect(img, image.Rect(0, 55, w, 57), 30) // the frame's foot
	for x := 4; x+9 <= w-4; x += 12 {          // letters 9 pixels wide, 3 apart
		inkRect(img, image.Rect(x, 20, x+9, 40), 40)
	}
	whitenLines(img, inkThreshold, 0)
	inkAt(t, img, []inkWant{
		{"the frame's foot", 300, 56, false},
		{"a letter", 10, 30, true},
		{"another", 585, 30, true},
	})
}

// TestStampOverLetterEdges: a stamp's ink passes a share of the light in
// each channel, and grey writing under it darkens every channel alike
// (subtractive ink, as on paper). Dropped out, the stamp's own strokes go
// to paper and the writing under them keeps its darkness, at a letter's
// grey edge as in its core (where the mix is too little coloured to be
// told from grey ink, it may come out darker, never lighter), for red
// stamps and a dark blue one alike.
func TestStampOverLetterEdges(t *testing.T) {
	for _, stamp := range [][3]float64{{205, 45, 55}, {225, 70, 60}, {60, 70, 160}} {
		img := image.NewRGBA(image.Rect(0, 0, 100, 100))
		grey := func(i int) uint8 { // the writing under the stamp, left to right
			switch {
			case i < 70:
				return 255 // the stamp alone: most of its strokes
			case i < 90:
				return uint8(60 + 5*(i-70)) // #nosec G115 -- a letter's core to its edge, 60 to 155
			}
			return 30
		}
		for y := range 100 {
			for x := range 100 {
				v := float64(grey(x)) / 255
				o := img.PixOffset(x, y)
				img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = uint8(stamp[0]*v), uint8(stamp[1]*v), uint8(stamp[2]*v), 255
			}
		}
		g, marks := toGray(img)
		if marks == nil {
			t.Fatalf("stamp %v: no marks", stamp)
		}
		for x := range 100 {
			got, want := int(g.GrayAt(x, 50).Y), int(grey(x))
			if got > want+8 || want == 255 && got < 247 {
				t.Errorf("stamp %v, writing %d under it: dropped out to %d", stamp, want, got)
			}
		}
	}
}

// TestTickBoxUnderMarks: a tick box or a signature read empty where
// coloured ink was dropped out inside it is in doubt (the ink may have
// been the tick, in a colour the page's writing was not); read ticked, or
// with nothing dropped in it, it is not. A text field is in doubt under
// marks whether it holds a value or was read empty (a pale pen's writing
// may have gone with the marks).
func TestTickBoxUnderMarks(t *testing.T) {
	const k = 3.0
	box := form.Field{Name: "tick", Type: form.TypeCheckbox, Zone: form.Box{X: 40, Y: 40, W: 12, H: 12}}
	sig := form.Field{Name: "sig", Type: form.TypeSignature, Zone: form.Box{X: 40, Y: 100, W: 200, H: 40}}
	text := form.Field{Name: "name", Type: form.TypeText, Zone: form.Box{X: 40, Y: 200, W: 200, H: 20}}
	scale := affine{A: k, E: k}
	marks := paper(300*k, 300*k)
	mark := func(f form.Field) { // a stroke across the field's middle, 1 pt thick
		y0 := int((f.Zone.Y + f.Zone.H/2) * k)
		for y := y0; y < y0+int(k); y++ {
			for x := int((f.Zone.X + 2) * k); x < int((f.Zone.X+f.Zone.W-2)*k); x++ {
				marks.Pix[marks.PixOffset(x, y)] = 0
			}
		}
	}
	value := func(f form.Field, v string) form.Value {
		return form.Value{Name: f.Name, Type: f.Type, Value: v, Raw: v}
	}
	for _, f := range []form.Field{box, sig, text} {
		empty := "false"
		if f.Type == form.TypeText {
			empty = ""
		}
		if underMarks(marks, scale, f, k, value(f, empty)) || underMarks(marks, scale, f, k, value(f, "true")) {
			t.Errorf("%s: in doubt with no marks", f.Name)
		}
		mark(f)
		if f.Type != form.TypeText && !underMarks(marks, scale, f, k, value(f, "false")) {
			t.Errorf("%s: read empty under marks, not in doubt", f.Name)
		}
		if f.Type != form.TypeText && underMarks(marks, scale, f, k, value(f, "true")) {
			t.Errorf("%s: read ticked or signed under marks, in doubt", f.Name)
		}
		if f.Type == form.TypeText && (!underMarks(marks, scale, f, k, value(f, "Anna")) || !underMarks(marks, scale, f, k, value(f, ""))) {
			t.Errorf("%s: under marks, a value or nothing read not in doubt", f.Name)
		}
	}
}

// TestPaleInkNotEmpty: a 9463 filled in with a pale blue pen (small
// type, blurred, a colour JPEG on a Legal canvas, with a stamp) lost its
// letters where the grey was taken from each pixel's brightest channel:
// too faint to be a coloured mark, (150, 160, 200) became paper, and
// seven fields with writing were "empty" at up to 0.99. Every field with
// a value is read right or flagged, and none of them is empty and sure.
func TestPaleInkNotEmpty(t *testing.T) {
	t.Parallel()
	e := corpusExtractor(t)
	tr, res := extractTruth(t, e, "testdata/pale-ink/9463-signatory-unknown-pale-blue.truth.json")
	d, td := res.Documents[0], tr.Documents[0]
	read := 0
	for name, f := range td.Fields {
		v := d.Fields[name]
		if f.Value == "" || f.Value == "false" {
			continue
		}
		if v.Value != "" {
			read++
		}
		if v.Value != f.Value && !v.Flagged() {
			t.Errorf("%s read %q at %.3f, want %q or a flag", name, v.Value, v.Confidence, f.Value)
		}
	}
	if read < 8 {
		t.Errorf("%d fields with writing read, want 8 at least", read)
	}
}

// TestClearCreases: a fold's crease across a placed page, aslant with the
// page, is painted over where it crosses paper; the strokes of the digits
// written across it stay, and a printed rule that stops short of the
// sheet's edges is no crease. Where the crease was is said, for the
// values read there to be doubted. A crease as dark as ink (a 1-bit
// scan's) is painted over too.
func TestClearCreases(t *testing.T) {
	const w, h = 1654, 2339 // A4 at 200 DPI
	k := 200.0 / 72
	a := 0.8 * math.Pi / 180 // the page skewed 0.8°
	tr := affine{A: k * math.Cos(a), B: -k * math.Sin(a), C: 30, D: k * math.Sin(a), E: k * math.Cos(a), F: 10}
	for _, grey := range []uint8{130, 0} {
		img := paper(w, h)
		// line draws the template's row y from x0 to x1, thick pixels.
		line := func(y, x0, x1 float64, thick int, g uint8) {
			for x := x0; x < x1; x += 0.1 {
				px, py := tr.apply(x, y)
				inkRect(img, image.Rect(int(px), int(py), int(px)+1, int(py)+thick), g)
			}
		}
		line(300, 0, form.A4Width, 6, grey) // the crease
		line(500, 40, 555, 2, 30)           // a printed rule
		var strokes []image.Point           // digits' strokes across the crease
		for i := range 10 {
			x, y := tr.apply(200+12*float64(i), 300)
			inkRect(img, image.Rect(int(x), int(y)-15, int(x)+4, int(y)+20), 20)
			strokes = append(strokes, image.Point{int(x) + 2, int(y) + 3})
		}
		cx, cy := tr.apply(400, 300)
		rx, ry := tr.apply(300, 500)
		creases := clearCreases(img, tr, form.A4Width, form.A4Height)
		if len(creases) == 0 {
			t.Fatalf("grey %d: no crease found", grey)
		}
		want := []inkWant{
			{"the crease over paper", int(cx), int(cy) + 3, false},
			{"the printed rule", int(rx), int(ry) + 1, true},
		}
		for _, s := range strokes {
			want = append(want, inkWant{"a stroke across the crease", s.X, s.Y, true})
		}
		inkAt(t, img, want)
		zone := form.Box{X: 190, Y: 290, W: 150, H: 20}
		if !streakCrossed(img, tr, zone, creases) {
			t.Errorf("grey %d: the digits across the crease are not said to be crossed", grey)
		}
		if streakCrossed(img, tr, form.Box{X: 190, Y: 200, W: 150, H: 20}, creases) {
			t.Errorf("grey %d: a zone away from the crease is said to be crossed", grey)
		}
	}
}

// TestClearMarkRims: what a dropped stamp left along its strokes, thin
// grey outlines within a few pixels of them, is whitened; a letter's dark
// stroke crossing the stamp's, and a grey mark standing clear of the
// stamp, stay.
func TestClearMarkRims(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 120, 60))
	marks := image.NewGray(img.Rect)
	for i := range img.Pix {
		img.Pix[i], marks.Pix[i] = 255, noColour
	}
	// The stamp's stroke, dropped out: rows 20 to 25, columns 10 to 100.
	for y := 20; y < 26; y++ {
		for x := 10; x < 100; x++ {
			marks.Pix[y*marks.Stride+x] = 0
		}
	}
	// Its rim, a grey line a pixel above and below it, but where the
	// letter below crosses (a rim touching writing is kept with it).
	for x := 10; x < 100; x++ {
		if x >= 47 && x < 56 {
			continue
		}
		img.Pix[19*img.Stride+x] = 150
		img.Pix[26*img.Stride+x] = 130
	}
	// A letter's stroke down across it, dark at its core.
	for y := 5; y < 45; y++ {
		for x := 50; x < 53; x++ {
			img.Pix[y*img.Stride+x] = 40
		}
	}
	// A grey mark of the same grey as the rim, well clear of the stamp.
	for x := 20; x < 40; x++ {
		img.Pix[45*img.Stride+x] = 150
	}
	clearMarkRims(img, marks)
	if v := img.GrayAt(30, 19).Y; v != 255 {
		t.Errorf("the rim above the stroke kept (%d)", v)
	}
	if v := img.GrayAt(80, 26).Y; v != 255 {
		t.Errorf("the rim below the stroke kept (%d)", v)
	}
	for _, y := range []int{5, 19, 30, 44} {
		if v := img.GrayAt(51, y).Y; v != 40 {
			t.Errorf("the letter's stroke at row %d whitened (%d)", y, v)
		}
	}
	if v := img.GrayAt(30, 45).Y; v != 150 {
		t.Errorf("a mark clear of the stamp whitened (%d)", v)
	}
}
