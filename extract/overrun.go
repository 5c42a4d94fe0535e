package extract

import (
	"image"
	"slices"

	"blankett/form"
)

// Writing that runs past its box. People write on past a field's right
// edge when the value is longer than the box (a long e-mail address, a
// double name), and a PDF viewer's text may overflow a fixed-size field;
// read from the zone alone, the value loses its end (…@sfgoteborghisinge
// for …hisingen.se). When a value that has checks to pass (an address, a
// number, a date) fails them and the writing reaches the zone's right
// edge, it is read again from the zone widened to where the writing on
// that line ends, within the room the template leaves (roomRight); see
// readField. Names, which have no such checks, are read from the zone:
// the remnants of a skewed frame and specks beside it look too much like
// writing that goes on.

// roomRight is how far, in points, writing in field f of tpl may run past
// the right of its zone: up to the next field's zone or printed word level
// with it, a tenth of an inch short of the page's edge, and 40 % of the
// zone's width at most, so that the zone's frame still spans most of what
// is read and is cleared as a rule.
func roomRight(tpl *form.Template, f form.Field) float64 {
	right := f.Zone.X + f.Zone.W
	room := min(0.4*f.Zone.W, tpl.PageWidth-7.2-right)
	level := func(b form.Box) bool {
		return b.Y < f.Zone.Y+f.Zone.H && b.Y+b.H > f.Zone.Y && b.X+b.W > right
	}
	for _, o := range tpl.Fields {
		if o.Page == f.Page && o.Name != f.Name && level(o.Zone) {
			room = min(room, o.Zone.X-right-1)
		}
	}
	for _, p := range tpl.Pages {
		if p.Number != f.Page {
			continue
		}
		for _, w := range p.Words {
			if level(w.Box) {
				room = min(room, w.Box.X-right-1)
			}
		}
	}
	return max(0, room)
}

// writingPast returns how many points past the right of f's zone the
// writing in it runs on, within room points (0 when it ends inside): the
// zone as read (inset from the frame) is rendered widened by room through
// t at k pixels per point, its rules cleared (the frame's right side
// among them), and the letters that go on from the zone's last one along
// its line are followed to the last: the first a letter's gap from the
// zone's last letter, the others a word's gap at most from the one before.
func writingPast(page *image.Gray, t affine, f form.Field, k, room float64) float64 {
	if room < 1 {
		return 0
	}
	box := inset(f.Zone, 1.2)
	wide := box
	wide.W += room
	img := warp(page, t, wide, k)
	clearRules(img)
	edge := img.Bounds().Min.X + int(box.W*k) // the zone's right, in img
	var inside, past []component
	for _, c := range componentBoxes(img) {
		if !letterSized(c, k) && c.area < int(0.5*k*k) {
			continue // specks
		}
		if c.box.Min.X < edge {
			if letterSized(c, k) {
				inside = append(inside, c)
			}
		} else {
			past = append(past, c)
		}
	}
	if len(inside) == 0 {
		return 0
	}
	line := image.Rectangle{}
	last := inside[0].box.Max.X
	for _, c := range inside {
		line = line.Union(c.box)
		last = max(last, c.box.Max.X)
	}
	if float64(edge-last) > k {
		return 0 // the writing ends inside its zone
	}
	h := line.Dy()
	slices.SortFunc(past, func(a, b component) int { return a.box.Min.X - b.box.Min.X })
	end := last
	for _, c := range past {
		overlap := min(c.box.Max.Y, line.Max.Y) - max(c.box.Min.Y, line.Min.Y)
		gap := c.box.Min.X - end
		// The first letter past goes on from the word at the edge (a
		// letter's gap, where a speck or the next thing printed stands
		// off); the others may be a word's gap apart.
		if end == last && 10*gap > 4*h || 10*gap > 6*h {
			break
		}
		if 2*overlap > c.box.Dy() && c.box.Dy() <= 2*h {
			end = max(end, c.box.Max.X)
		}
	}
	if end <= edge {
		return 0
	}
	return min(room, float64(end-edge)/k+3)
}

// reachesRight reports whether there is ink in the last two points of a
// zone as rendered (k pixels per point) other than a rule across it: a
// cheap look before writingPast renders more. zone is as warped, its
// rules not yet cleared.
func reachesRight(zone *image.Gray, k float64) bool {
	b := zone.Bounds()
	for x := max(b.Min.X, b.Max.X-int(2*k)); x < b.Max.X; x++ {
		n := 0
		for y := b.Min.Y; y < b.Max.Y; y++ {
			if zone.Pix[zone.PixOffset(x, y)] < inkThreshold {
				n++
			}
		}
		if n > 0 && n <= b.Dy()*6/10 {
			return true
		}
	}
	return false
}
