package extract

import (
	"blankett/form"
	"image"
	"slices"
	"testing"
)

// TestColourWriting tells coloured writing from coloured marks on a page
// of six fields: blue ink alone in four of them is the writing, put back
// as dark as it was; a red stamp over two fields written in black, or a
// blue pen's stroke along one, are marks (0 in marks) and stay dropped.
func TestColourWriting(t *testing.T) {
	const k = 3.0 // pixels per point
	var fields []form.Field
	for i := range 6 {
		fields = append(fields, form.Field{Name: string(rune('a' + i)), Zone: form.Box{X: 40, Y: 40 + 60*float64(i), W: 200, H: 30}})
	}
	blue, _ := colourCode(40, 60, 175)
	red, _ := colourCode(205, 45, 55)
	page := func(ink map[int]uint8, black []int) (img, marks *image.Gray) {
		img, marks = paper(300*k, 420*k), paper(300*k, 420*k) // white: no colour
		for i, f := range fields {
			x0, y0 := int((f.Zone.X+10)*k), int((f.Zone.Y+10)*k)
			for y := y0; y < y0+int(10*k); y++ {
				for x := x0; x < x0+int(60*k); x++ {
					if c, ok := ink[i]; ok {
						marks.Pix[marks.PixOffset(x, y)] = c
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
	for _, c := range []struct {
		what    string
		ink     map[int]uint8
		black   []int
		writing bool
	}{
		{"blue writing in four fields", map[int]uint8{0: blue, 1: blue, 3: blue, 5: blue}, nil, true},
		{"a red stamp over two fields written in black", map[int]uint8{1: red, 2: red}, []int{0, 1, 2, 3, 4, 5}, false},
		{"a blue stroke along one field written in black", map[int]uint8{4: blue}, []int{0, 1, 2, 3, 4, 5}, false},
		{"blue writing in two fields, a red stamp over a third", map[int]uint8{0: blue, 2: blue, 4: red}, nil, true},
	} {
		img, marks := page(c.ink, c.black)
		colourWriting(img, marks, scale, fields)
		for i, ink := range c.ink {
			x, y := int((fields[i].Zone.X+20)*k), int((fields[i].Zone.Y+12)*k)
			restored := img.GrayAt(x, y).Y < inkThreshold
			if written := c.writing && ink == blue; restored != written || (marks.GrayAt(x, y).Y == 0) == written {
				t.Errorf("%s: field %d's ink restored %v, marked %v; want writing %v", c.what, i, restored, marks.GrayAt(x, y).Y == 0, written)
			}
		}
	}
}
