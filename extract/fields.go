package extract

import (
	"bytes"
	"context"
	"image"
	"math"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"blankett/form"
)

// Normaliser turns a field's raw text into its normalised value and says
// whether the value is well formed (checksums, formats). The validate
// package provides the real one; extraction only uses the verdict to lower
// the confidence of values that cannot be right.
type Normaliser func(t form.FieldType, raw string) (value string, ok bool)

// whitelists limit the characters Tesseract may read per field type.
var whitelists = map[form.FieldType]string{
	form.TypePersonnummer: "0123456789-+",
	form.TypeOrgnr:        "0123456789-",
	form.TypePhone:        "0123456789-+ ()/", // +46 (0)70-…, 08/123 45 67
	form.TypeDate:         "0123456789-./: " + monthLetters,
	// E-mail: capitals too (Anna.Svensson@kommun.se, as mail programs
	// show addresses); the value is the address in lower case. And the
	// space: without it the model joins two words it saw apart into one
	// at confidence 0, and where the gap was is lost (a stop or an
	// underscore thinned by the scan: see addressText).
	form.TypeEmail: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@.-_+() ",
	// Text: the letters of names written with Latin letters, beyond
	// Swedish: every letter of Latin-1 and WinAnsi, the sets forms are
	// printed in (Icelandic ð and Þ, German ß too: left out, the
	// Latin-script model could not give them, and Guðrún was read Guörún
	// by every model).
	// Each model reads those of them it has (see reading.go).
	form.TypeText: "abcdefghijklmnopqrstuvwxyzåäöéüèáàæøçñëïíóúâêîôûãõìòùýÿðþßABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖÉÜÈÁÀÆØÇÑËÏÍÓÚÂÊÎÔÛÃÕÌÒÙÝŸÐÞ" +
		"0123456789 -.,'&/():",
}

// inkStats counts ink pixels in img and their bounding box.
func inkStats(img *image.Gray) (count int, box image.Rectangle) {
	return inkStatsUnder(img, inkThreshold)
}

// inkStatsUnder counts the pixels darker than threshold in img and their
// bounding box.
func inkStatsUnder(img *image.Gray, threshold uint8) (count int, box image.Rectangle) {
	b := img.Bounds()
	minX, minY, maxX, maxY := b.Max.X, b.Max.Y, b.Min.X-1, b.Min.Y-1
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[img.PixOffset(b.Min.X, y):]
		for x := 0; x < b.Dx(); x++ {
			if row[x] < threshold {
				count++
				minX, maxX = min(minX, b.Min.X+x), max(maxX, b.Min.X+x)
				minY, maxY = min(minY, y), max(maxY, y)
			}
		}
	}
	if count == 0 {
		return 0, image.Rectangle{}
	}
	return count, image.Rect(minX, minY, maxX+1, maxY+1)
}

// clearRules whitens rows and columns that are mostly ink: remnants of the
// printed frame after registration.
func clearRules(img *image.Gray) {
	paper := paperGrey(img)
	clearTicks(img, paper) // before the frame's foot is cleared: they rise from it
	whitenLines(img, inkThreshold, 0)
	clearUprights(img, paper)
}

// whitenLines whitens the rows and columns of img more than six in ten of
// whose pixels are darker than below, a tenth of them or more unbroken,
// and reach pixels either side of them. A rule is a stroke across; a row
// through small type that fills the zone (an address auto-sized to fit
// its field, blurred) may be as dark, but broken at every letter: it is
// writing, and whitening it left the zone "empty", surely.
func whitenLines(img *image.Gray, below uint8, reach int) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	// Ink per row and per column, and the longest unbroken run of it,
	// counted row by row (the pixels in the order they lie in memory).
	inRow, inCol := make([]int, h), make([]int, w)
	rowRun, colRun := make([]int, h), make([]int, w)
	colCur := make([]int, w)
	for y := range h {
		cur := 0
		for x, v := range img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y):][:w] {
			if v < below {
				inRow[y]++
				inCol[x]++
				cur++
				colCur[x]++
				rowRun[y] = max(rowRun[y], cur)
				colRun[x] = max(colRun[x], colCur[x])
			} else {
				cur, colCur[x] = 0, 0
			}
		}
	}
	lines := func(counts, runs []int, across int) []bool {
		out := make([]bool, len(counts))
		for i, n := range counts {
			if n > across*6/10 && runs[i] >= across/10 {
				for j := max(0, i-reach); j <= min(len(counts)-1, i+reach); j++ {
					out[j] = true
				}
			}
		}
		return out
	}
	rows, cols := lines(inRow, rowRun, w), lines(inCol, colRun, h)
	for y := range h {
		row := img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y):][:w]
		for x := range row {
			if rows[y] || cols[x] {
				row[x] = 255
			}
		}
	}
}

// clearUprights whitens the upright rules across a zone, whose paper is
// the grey paper (see paperGrey): the printed
// cells of a comb field, one character to a cell. A rule runs straight
// from the zone's top to its bottom, drifting by two pixels at most,
// darker than the paper on nine rows in ten (it may be grey, a hair line
// under the ink threshold) and on half of them at least thin: darker
// than the paper a few pixels either side of it ("a few" is a twelfth of
// the zone's height, at least three; a character touching the rule hides
// it on the other rows). A letter, with specks over and under it, is
// never so long unbroken. The rule's pixels are whitened, and the grey of
// its edges two pixels either side; of a character touching it, only
// what is as thin or grey there.
func clearUprights(img *image.Gray, paper int) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w < 8 || h < 8 {
		return
	}
	row := func(y int) []uint8 { return img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y):][:w] }
	// Dark pixels per column: a path drifting two pixels lies in five
	// columns, which must hold its nine dark rows in ten. Most zones
	// have no such columns and end here.
	dark := make([]int, w)
	for y := range h {
		for x, v := range row(y) {
			if paper-int(v) >= uprightContrast {
				dark[x]++
			}
		}
	}
	var candidates []int
	for x0 := range w {
		n := 0
		for x := max(x0-2, 0); x <= min(x0+2, w-1); x++ {
			n += dark[x]
		}
		if 10*n >= 9*h {
			candidates = append(candidates, x0)
		}
	}
	if len(candidates) == 0 {
		return
	}
	d := max(3, h/12)
	at := func(x, y int) int {
		if x < 0 || x >= w {
			return paper // beyond the zone's edge: a frame's side there has paper on one side only
		}
		return int(row(y)[x])
	}
	thin := func(x, y int) bool {
		v := at(x, y)
		return v < faintInk && at(x-d, y)-v >= uprightContrast && at(x+d, y)-v >= uprightContrast
	}
	// Each drift's path, as its columns' offsets from its top row's: the
	// same for every candidate.
	var shifts [5][]int
	for i := range shifts {
		shifts[i] = make([]int, h)
		for y := range h {
			shifts[i][y] = int(math.Round(float64((i-2)*y) / float64(h-1)))
		}
	}
	var clear []int // offsets to whiten
	for _, x0 := range candidates {
		for drift := -2; drift <= 2; drift++ {
			shift := shifts[drift+2]
			path := func(y int) int { return x0 + shift[y] }
			if p := path(h - 1); p < 0 || p >= w {
				continue
			}
			n, dk := 0, 0
			for y := range h {
				if thin(path(y), y) {
					n++
				}
				if paper-at(path(y), y) >= uprightContrast {
					dk++
				}
			}
			if 2*n < h || 10*dk < 9*h {
				continue
			}
			for y := range h {
				x := path(y)
				for dx := -2; dx <= 2; dx++ {
					if xx := x + dx; xx >= 0 && xx < w && (thin(xx, y) || at(xx, y) >= inkThreshold) {
						clear = append(clear, img.PixOffset(b.Min.X+xx, b.Min.Y+y))
					}
				}
			}
		}
	}
	for _, off := range clear {
		img.Pix[off] = 255
	}
}

// uprightContrast is how much darker than the paper beside it a rule's
// pixel is (see clearUprights).
const uprightContrast = 30

// paperGrey is the grey of a zone's paper: its median (most of a zone is
// paper).
func paperGrey(img *image.Gray) int {
	b := img.Bounds()
	var hist [256]int
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for _, v := range img.Pix[img.PixOffset(b.Min.X, y):][:b.Dx()] {
			hist[v]++
		}
	}
	seen := 0
	for v, n := range hist {
		if seen += n; 2*seen >= b.Dx()*b.Dy() {
			return v
		}
	}
	return 255
}

// clearTicks whitens, in a zone whose paper is the grey paper, the ticks
// between a comb field's cells printed at its foot only: three at least, each rising straight from the zone's
// bottom edge a third of its height or so (an eighth to three fifths),
// thin, as long as each other (within a third) and evenly spaced (four
// gaps in five within a fifth of their median). Written characters sit
// on their baseline, above the zone's edge, and are not so alike.
func clearTicks(img *image.Gray, paper int) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w < 8 || h < 8 {
		return
	}
	at := func(x, y int) int { return int(img.Pix[img.PixOffset(b.Min.X+x, b.Min.Y+y)]) }
	dark := func(x, y int) bool { return x >= 0 && x < w && paper-at(x, y) >= uprightContrast }
	// Each column's run of dark pixels up from the bottom edge (starting
	// within its last few rows), as rows from the top: [top, bottom].
	slack := max(3, h/25)
	type tick struct{ x0, x1, top, bottom int }
	var ticks []tick
	d := max(3, h/12)
	for x := range w {
		bottom := -1
		for y := h - 1; y >= h-slack; y-- {
			if dark(x, y) {
				bottom = y
				break
			}
		}
		if bottom < 0 {
			continue
		}
		top := bottom
		for top > 0 && (dark(x, top-1) || top > 1 && dark(x, top-2)) {
			top--
		}
		n := bottom - top + 1
		mid := (top + bottom) / 2
		if 8*n < h || 5*n > 3*h || dark(x-d, mid) || dark(x+d, mid) {
			continue
		}
		if k := len(ticks) - 1; k >= 0 && ticks[k].x1 == x-1 {
			ticks[k].x1, ticks[k].top = x, min(ticks[k].top, top)
			continue
		}
		ticks = append(ticks, tick{x, x, top, bottom})
	}
	if len(ticks) < 3 {
		return
	}
	lengths := make([]int, len(ticks))
	for i, t := range ticks {
		lengths[i] = h - t.top
	}
	medianLen := slices.Sorted(slices.Values(lengths))[len(lengths)/2]
	gaps := make([]int, len(ticks)-1)
	for i := range gaps {
		gaps[i] = ticks[i+1].x0 - ticks[i].x0
	}
	medianGap := slices.Sorted(slices.Values(gaps))[len(gaps)/2]
	even := 0
	for _, g := range gaps {
		if 5*abs(g-medianGap) <= medianGap {
			even++
		}
	}
	for _, l := range lengths {
		if 3*abs(l-medianLen) > medianLen {
			return
		}
	}
	if 5*even < 4*len(gaps) || medianGap < 2*d {
		return
	}
	for _, t := range ticks {
		for y := max(t.top-2, 0); y < h; y++ {
			for x := max(t.x0-1, 0); x <= min(t.x1+1, w-1); x++ {
				if i := img.PixOffset(b.Min.X+x, b.Min.Y+y); img.Pix[i] >= inkThreshold || x >= t.x0 && x <= t.x1 {
					img.Pix[i] = 255
				}
			}
		}
	}
}

// inset shrinks a box by d points on every side.
func inset(b form.Box, d float64) form.Box {
	return form.Box{X: b.X + d, Y: b.Y + d, W: max(1, b.W-2*d), H: max(1, b.H-2*d)}
}

// pad surrounds img with white space: Tesseract reads better with a margin.
func pad(img *image.Gray, r image.Rectangle, margin int) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, r.Dx()+2*margin, r.Dy()+2*margin))
	for i := range out.Pix {
		out.Pix[i] = 255
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		copy(out.Pix[(y-r.Min.Y+margin)*out.Stride+margin:], img.Pix[img.PixOffset(r.Min.X, y):img.PixOffset(r.Max.X, y)])
	}
	return out
}

// checkbox decides a tick box by the share of ink inside it, rendered at
// k pixels per point. A box filled in is ticked, before the frame's
// remnants are cleared (which would clear its rows of ink too). Specks
// (under checkboxSpeck) are no ink of a tick: a scanner's dust inside an
// empty box read it ticked.
func checkbox(zone *image.Gray, k float64) (bool, float64) {
	b := zone.Bounds()
	centre := image.Rect(b.Min.X+b.Dx()/4, b.Min.Y+b.Dy()/4, b.Max.X-b.Dx()/4, b.Max.Y-b.Dy()/4)
	if n, _ := inkStats(zone.SubImage(centre).(*image.Gray)); n*10 > centre.Dx()*centre.Dy()*7 {
		return true, 1
	}
	clearRules(zone)
	area := float64(b.Dx() * b.Dy())
	before, _ := inkStats(zone)
	despeckle(zone, int(checkboxSpeck*k*k))
	n, _ := inkStats(zone)
	ratio := float64(n) / area
	specks := float64(before - n)
	const threshold = 0.06
	ticked := ratio > threshold
	// Confidence grows with the distance from the threshold.
	d := math.Abs(ratio-threshold) / threshold
	conf := 0.5 + 0.5*math.Min(1, d)
	if !ticked && specks/area > threshold {
		// As much ink in specks as a tick has: heavy dust, or a thin
		// tick a 1-bit scan broke into pieces (an X at 150 DPI came out
		// as five bits, none the size of a speck's limit; joining near
		// pieces joined dust in empty boxes too). Not sure either way.
		conf = min(conf, checkboxDoubt)
	}
	return ticked, conf
}

// checkboxDoubt is the most confidence of a tick box read empty where
// the specks cleared from it held as much ink as a tick: under the
// calibration's first point, so it stays in doubt.
const checkboxDoubt = 0.4

// checkboxSpeck is the most ink, in square points, a speck inside a tick
// box has: a stroke of a tick, an X or a ✓ across a box of 10 points,
// has several times as much.
const checkboxSpeck = 2.5

// signature decides whether a signature box holds a signature: enough ink,
// spread in two dimensions (a lone dot or one straight stroke through the
// box is not a signature). k is pixels per point.
func signature(zone *image.Gray, k float64) (bool, float64) {
	clearRules(zone)
	b := zone.Bounds()
	var ink []int             // offsets of the writing's pixels into zone.Pix
	var strokes []int         // of them, those in marks a stroke long (see signatureStroke) that are not straight
	var lines int             // pixels of marks a stroke long that are straight
	straightest := 0.0        // the most any of those spreads (points)
	speck := int(1.5 * k * k) // marks of fewer pixels are specks
	for _, c := range despeckle(zone, speck) {
		edge := c.box.Min.X <= b.Min.X || c.box.Min.Y <= b.Min.Y || c.box.Max.X >= b.Max.X || c.box.Max.Y >= b.Max.Y
		if edge && minorSpread(zone, c.pix) < ruleSpread*k {
			// A straight stroke cut by the zone's edge: the box's
			// printed frame, slanting into the zone on a skewed page,
			// where clearRules found no row or column mostly ink.
			// Beside a straight strike through the box it made the
			// ink spread in two dimensions: signed, at 0.98.
			continue
		}
		ink = append(ink, c.pix...)
		if float64(max(c.box.Dx(), c.box.Dy())) >= signatureStroke*k {
			// A straight line is no stroke of a signature: a strike
			// through the box, or what a scan left of the box's
			// frame. Two of them apart (the strike and a broken
			// rule under it) spread in two dimensions together.
			if s := minorSpread(zone, c.pix) / k; s < ruleSpread {
				lines += len(c.pix)
				straightest = max(straightest, s)
				continue
			}
			strokes = append(strokes, c.pix...)
		}
	}
	n := len(ink)
	minInk := int(20 * k * k) // about 20 square points of ink
	if n < minInk {
		// Faint strokes that are no ink by the threshold: a pencil, a
		// light hand, a pale scan. Not read either way: a person looks.
		// Specks are no strokes, faint or not: a scanner's grey speckle
		// over an empty box (hundreds of marks of a few pixels) made
		// every unsigned box of a noisy 200 DPI scan unread.
		faint := 0
		for _, c := range componentsUnder(zone, faintInk) {
			if c.area >= speck {
				faint += c.area
			}
		}
		if faint >= minInk {
			return false, 0
		}
		// The less ink, the surer: nothing at all is certain, a dot or
		// a short stroke near the limit much less so.
		return false, 1 - 0.5*float64(n)/float64(minInk)
	}
	const threshold = 1.8
	if len(strokes) == 0 && lines >= minInk {
		// Straight lines and nothing else a stroke long: struck
		// through, not signed.
		d := math.Abs(straightest-threshold) / threshold
		return false, 0.5 + 0.5*math.Min(1, d)
	}
	if len(strokes) < minInk {
		// Ink enough, but in marks too short for strokes: the specks
		// of a dusty fax over an empty box (read as signed at 0.99), or
		// a signature a coarse scan broke into pieces. Not sure either
		// way.
		return minorSpread(zone, ink)/k > threshold && len(strokes) > 0, signatureDoubt
	}
	// The strokes decide, without the specks about them.
	spread := minorSpread(zone, strokes) / k // points
	d := math.Abs(spread-threshold) / threshold
	return spread > threshold, 0.5 + 0.5*math.Min(1, d)
}

// signatureStroke is the least length, in points, of a mark that is a
// stroke of a signature, not a speck.
const signatureStroke = 8

// signatureDoubt is the confidence of a signature read from specks: under
// the calibration's first point, so that a person looks.
const signatureDoubt = 0.4

// ruleSpread is the most spread across its length, in points, that a
// printed rule's remnant in a zone has (see minorSpread): a hairline
// blurred by the scan, some tenths of a point.
const ruleSpread = 1.0

// minorSpread is the spread, in pixels, of img's pixels at offsets pix
// across their main direction: the square root of the smaller eigenvalue
// of their covariance. A straight line has almost none.
func minorSpread(img *image.Gray, pix []int) float64 {
	if len(pix) == 0 {
		return 0
	}
	var sx, sy, sxx, syy, sxy float64
	for _, i := range pix {
		x, y := float64(i%img.Stride), float64(i/img.Stride)
		sx += x
		sy += y
		sxx += x * x
		syy += y * y
		sxy += x * y
	}
	fn := float64(len(pix))
	cxx, cyy, cxy := sxx/fn-(sx/fn)*(sx/fn), syy/fn-(sy/fn)*(sy/fn), sxy/fn-(sx/fn)*(sy/fn)
	tr, det := cxx+cyy, cxx*cyy-cxy*cxy
	return math.Sqrt(math.Max(0, tr/2-math.Sqrt(math.Max(0, tr*tr/4-det))))
}

// radioChoice reads a radio group on paper. Its buttons are printed alike,
// often with more than a ring (a shaded rim, an arc of the button's own
// drawing), so a button is chosen by the ink its centre holds over the
// least-inked button's (radioTicked). One such button is the value, at a
// confidence that grows with its lead over the next; none is no choice,
// at a confidence that falls as the most-inked nears the share; two or
// more cannot be told apart, and the value is unread (confidence 0). ok
// is false when an option has no zone.
func radioChoice(page *image.Gray, t affine, f form.Field, k float64) (value string, confidence float64, ok bool) {
	if len(f.Options) == 0 {
		return "", 0, false
	}
	shares := make([]float64, len(f.Options))
	least := 1.0
	for i, o := range f.Options {
		if o.Zone == nil {
			return "", 0, false
		}
		zone := warp(page, t, inset(*o.Zone, o.Zone.W*0.25), k)
		n, _ := inkStats(zone)
		shares[i] = float64(n) / float64(max(1, zone.Bounds().Dx()*zone.Bounds().Dy()))
		least = min(least, shares[i])
	}
	chosen, top, second := 0, 0.0, 0.0 // over the least
	for i, s := range shares {
		over := s - least
		if over >= radioTicked {
			chosen++
			value = f.Options[i].Value
		}
		if over > top {
			top, second = over, top
		} else {
			second = max(second, over)
		}
	}
	switch {
	case chosen > 1:
		return "", 0, true
	case chosen == 1:
		return value, 0.5 + 0.5*min(1, (top-second)/(2*radioTicked)), true
	}
	return "", 1 - 0.5*top/radioTicked, true
}

// radioTicked is the share of a radio button's centre that a mark over the
// least-inked button's ink takes up for the button to count as chosen: a
// filled dot a third of the button across takes 0.07 to 0.15 of it, the
// scan's noise between buttons printed alike some 0.02.
const radioTicked = 0.05

// textual reports whether a field of type t is written as text, to be
// read; tick boxes, radio buttons and signatures are judged by their ink.
func textual(t form.FieldType) bool {
	return t != form.TypeCheckbox && t != form.TypeSignature && t != form.TypeRadio
}

// readField reads one field from a registered page, and says what backs
// the value besides its confidence.
// tpl is f's template, for the room the writing has past the zone
// (roomRight).
func (e *Extractor) readField(ctx context.Context, page *image.Gray, t affine, tpl *form.Template, f form.Field, k float64, dpi int) (v form.Value, s support, err error) {
	v = form.Value{Name: f.Name, Type: f.Type, Page: f.Page}
	box := f.Zone
	v.Box = &box
	switch f.Type {
	case form.TypeCheckbox:
		zone, framed := boxZone(page, t, f, k, f.Zone.W*0.18)
		ticked, conf := checkbox(zone, k)
		if !framed {
			conf = min(conf, unframed)
		}
		v.Value, v.Raw, v.Confidence = boolString(ticked), boolString(ticked), conf
		return v, support{unframed: !framed, astray: !framed && frameAstray(page, t, f, k)}, nil
	case form.TypeSignature:
		zone := warp(page, t, inset(f.Zone, 2), k)
		present, conf := signature(zone, k)
		v.Value, v.Raw, v.Confidence = boolString(present), boolString(present), conf
		return v, support{}, nil
	case form.TypeRadio:
		if value, conf, ok := radioChoice(page, t, f, k); ok {
			v.Value, v.Raw, v.Confidence = value, value, conf
			return v, support{}, nil
		}
		// Options without zones: the chosen one is read as written.
	}
	lang := firstModel(f.Type)
	// The zone is rendered once: zoneTextOf clears its rules in place,
	// which is how faintWriting looks at it too, while darken wants it as
	// scanned, so a copy is kept (a copy costs far less than a warp).
	zone := warp(page, t, inset(f.Zone, 1.2), k)
	scanned := image.NewGray(zone.Rect)
	copy(scanned.Pix, zone.Pix)
	crop, loose, written := zoneTextOf(zone, f, k)
	faint := false
	if !written {
		v.Confidence = 0.95 // nothing written
		if !faintWriting(zone, k) {
			return v, support{}, nil
		}
		// Something is, too faint for the ink threshold (thin strokes
		// of small type a scan made grey, a light hand): read with the
		// zone's own ink made dark, or else unread.
		v.Confidence = 0
		zone := scanned
		if !darken(zone) {
			return v, support{}, nil
		}
		if crop, loose, written = zoneTextOf(zone, f, k); !written {
			return v, support{}, nil
		}
		faint = true
	}
	best, err := e.readValue(ctx, page, t, f, crop, loose, k, dpi, lang)
	if err != nil {
		return v, support{}, err
	}
	if !best.wellFormed && !faint && f.Type != form.TypeText && reachesRight(scanned, k) {
		// A value that fails its checks where the writing runs on past
		// the zone (an address without its .se): read again with what
		// runs past, and taken when that passes them, in doubt. (The
		// review still draws the template's zone: v.Box.)
		wide := f
		wide.Zone.W += writingPast(page, t, f, k, roomRight(tpl, f))
		if crop, loose, ok := zoneText(page, t, wide, k); ok && wide.Zone.W > f.Zone.W {
			c, err := e.readValue(ctx, page, t, wide, crop, loose, k, dpi, lang)
			if err != nil {
				return v, support{}, err
			}
			if c.wellFormed {
				best = c
				best.reread = true
				best.confidence = min(best.confidence, secondLook)
			}
		}
	}
	if faint {
		best.confidence = min(best.confidence, secondLook)
		best.reread = true
	}
	withPieces, leftOut := image.Rectangle{}, false
	if !faint && digitField(f.Type) && best.value != "" {
		withPieces, leftOut = inkBeside(zone, k)
	}
	if leftOut {
		// A digit the scan broke into pieces each too small to be one
		// is left out of the reading (031-69 68 0 for 031-69 68 05):
		// whatever was read, a person looks. The zone is read again with
		// the pieces, and what that reads is taken when it passes the
		// checks where the first reading failed them (212784-786 for
		// 212784-7867, the 7's stem too thin to scan), or passes them
		// with more digits, its normal form the longer (a phone number
		// of any length passes).
		c, err := e.readValue(ctx, page, t, f, pad(zone, withPieces, int(6*k)), looseMarks{}, k, dpi, lang)
		if err != nil {
			return v, support{}, err
		}
		if c.wellFormed && (!best.wellFormed || len(c.value) > len(best.value)) {
			best = c
			best.reread = true
			trace(f, "pieces read", best)
		}
		best.confidence = min(best.confidence, secondLook/2)
		trace(f, "ink left out", best)
	}
	if best.raw != "" && unreadInk(best.crop, best.words, float64(best.dpi)/72) {
		// Letters no word read stands over (LULEÅ of LULEÅ KOMMUN,
		// read "A KOMMUN" surely over a fold's shadow): what was read
		// is not all that is written. A person looks.
		best.confidence = min(best.confidence, secondLook/2)
		trace(f, "ink unread", best)
	}
	if best.reread {
		trace(f, "reread", best)
	}
	v.Raw, v.Value, v.Confidence = best.raw, best.value, best.confidence
	if v.Raw == "" {
		v.Confidence = 0 // ink that reads as nothing: unread, not empty
	}
	if (f.Type == form.TypeEmail || f.Type == form.TypeText && f.Role != "") && utf8.RuneCountInString(strings.TrimSpace(v.Raw)) == 1 {
		// One character is no name, place, title or address, what a
		// text with a role holds (a text field without one may hold
		// an X): a stroke read as one (a cell's upright the scan left,
		// read as 1 or I in an empty row). Unread, the stroke kept as
		// read.
		v.Value, v.Confidence = "", 0
		trace(f, "one character", best)
	}
	if f.Type == form.TypeChoice || f.Type == form.TypeRadio {
		// A list's choice, or a radio group's whose options have no
		// zones, printed as its label: the option it names.
		v.Value, v.Confidence = writtenOption(f, v.Raw, v.Confidence)
	}
	s = support{agreed: best.wellFormed && best.agreed > 0, reread: best.reread, others: best.others, voted: best.voted, seconded: best.seconded, wellFormed: best.wellFormed}
	if best.disputed || !best.wellFormed || leftOut {
		// Nor is a number two models read two ways, or a value read
		// failing its checks, as sure as the values it shares its
		// calibration bin with, most of them read one way by every
		// reading and passing: a person decides.
		s.ceiling = secondLook / 2
	}
	if best.unlisted {
		s.ceiling = ceil(s.ceiling, unlistedCeiling)
	}
	if tb, ok := textBox(zone, k); ok && tb.Max.X >= zone.Rect.Max.X-int(math.Ceil(edgeSlack*k)) {
		// The writing runs to the zone's right edge: it may run on past
		// it, cut off where a PDF viewer clipped the field
		// (Strömbäck-L for Strömbäck-Lindqvist-Åhlén) or written over
		// the cell's end, and what was read is all but its end. A
		// person looks.
		s.ceiling = ceil(s.ceiling, edgeCeiling)
		trace(f, "reaches the edge", best)
	}
	if f.Type == form.TypeEmail && v.Value != "" {
		hyphens, underscores := separatorMarks(crop, k)
		switch {
		case underscores > strings.Count(v.Value, "_"):
			// A bar on the line's baseline that the reading has no
			// underscore for: every model may read a short underscore
			// as a dot (anh.bakke for anh_bakke), and the address
			// stays well formed. A person looks.
			s.ceiling = ceil(s.ceiling, baselineCeiling)
			trace(f, "underscore unread", best)
		case hyphens < strings.Count(v.Value, "-"):
			// A hyphen read where the line holds no bar at half the
			// letters' height: a dot read as one (hiroshi-kruger for
			// hiroshi.kruger, surely).
			s.ceiling = ceil(s.ceiling, baselineCeiling)
			trace(f, "hyphen unseen", best)
		}
	}
	if f.Type == form.TypePhone && best.wellFormed && plusLost(best.raw, best.value) {
		// Written with its country code but read without the + before
		// it: a sign at the start of the zone was lost, and what was
		// lost with it (a digit read as another beside it: 467692901 28
		// for +46 76 929 61 28, at 0.92) a person sees.
		s.ceiling = ceil(s.ceiling, baselineCeiling)
		trace(f, "plus lost", best)
	}
	if best.stopGuessed {
		// Words joined by a full stop where the gap between them shows
		// no mark to tell: an underscore the scan lost reads so
		// (kristina oconnor for kristina_oconnor). The name beside it
		// confirms the letters, not the stop (addressesConfirmed). A
		// person looks.
		s.ceiling = ceil(s.ceiling, baselineCeiling)
		trace(f, "stop guessed", best)
	}
	if f.Type == form.TypeEmail && dotBeforeNumber(v.Value) {
		// A dot between the name and its number (jerome.karlsson.1,
		// zj.36): a speck on the baseline there reads as one, surely.
		// A person looks.
		s.ceiling = ceil(s.ceiling, baselineCeiling)
		trace(f, "dot before number", best)
	}
	return v, s, nil
}

// edgeCeiling is the most confidence of a value whose writing runs to its
// zone's right edge: of such values the development corpora read 10
// right and 14 wrong, one of them at 0.93.
const edgeCeiling = 0.85

// edgeSlack widens, in points, the margin around the writing (textMargin)
// within which its end counts as reaching the zone's right edge: where a
// viewer clips a field is its own (inside the field's border and
// padding), and the clipped letter's last column a grey ramp under the
// ink threshold. At 600 DPI an address a viewer clipped ended 1.7 points
// short of its zone's edge, past the margin's 1.5, and was read surely.
const edgeSlack = 0.3

// baselineCeiling is the most confidence of an address whose marks on
// the baseline are in doubt: its zone holds more underscores than its
// reading, a dot was read before its number, or a stop was put in a gap
// that shows none; and of a phone number whose + was lost.
const baselineCeiling = 0.7

// dotBeforeNumber reports whether an address's local part ends in a
// number after a dot that follows a letter (anna.berg.2, zj.36).
func dotBeforeNumber(address string) bool {
	local, _, ok := strings.Cut(address, "@")
	bare := strings.TrimRight(local, "0123456789")
	return ok && len(bare) < len(local) && len(bare) >= 2 && bare[len(bare)-1] == '.' && unicode.IsLetter(rune(bare[len(bare)-2]))
}

// separatorMarks counts the marks in a line of writing (crop, k pixels
// per point) shaped as an address's separators: underscores, bars three
// times as wide as thick or more, from two fifths of the letters' height
// to one and a half wide, on the line's baseline or just under it; and
// hyphens, bars twice as wide as thick or more, from a quarter of the
// letters' height to as wide, standing between a fifth and three quarters
// of it over the baseline. A dot is as wide as thick. An underscore a
// 1-bit scan broke into flat pieces (renee._pham, read as a dot at 0.95)
// counts as one: flat pieces on the baseline, each at least twice as wide
// as thick, less than half the letters' height apart and no wider than
// an underscore together, are joined first.
func separatorMarks(crop *image.Gray, k float64) (hyphens, underscores int) {
	var bottoms, heights []float64
	var others []component
	for _, c := range componentBoxes(crop) {
		if !letterSized(c, k) {
			others = append(others, c)
			continue
		}
		bottoms = append(bottoms, float64(c.box.Max.Y))
		heights = append(heights, float64(c.box.Dy()))
	}
	if len(heights) < 3 {
		return 0, 0
	}
	base, h := median(bottoms), median(heights)
	onBase := func(c component) bool {
		top := float64(c.box.Min.Y)
		return top >= base-0.15*h && top <= base+0.4*h
	}
	slices.SortFunc(others, func(a, b component) int { return a.box.Min.X - b.box.Min.X })
	var joined []component
	for _, c := range others {
		if n := len(joined); n > 0 {
			last := joined[n-1]
			gap := float64(c.box.Min.X - last.box.Max.X)
			if flatMark(last) && flatMark(c) && onBase(last) && onBase(c) && gap >= 0 && gap < 0.5*h && float64(c.box.Max.X-last.box.Min.X) <= 1.5*h {
				// Thick as its thickest piece, not as the pieces' heights
				// one over the other.
				thick := max(last.box.Dy(), c.box.Dy())
				last.box = last.box.Union(c.box)
				last.box.Min.Y = max(last.box.Min.Y, last.box.Max.Y-thick)
				joined[n-1] = last
				continue
			}
		}
		joined = append(joined, c)
	}
	for _, c := range joined {
		w, thick, top := float64(c.box.Dx()), float64(c.box.Dy()), float64(c.box.Min.Y)
		centre := (top + float64(c.box.Max.Y)) / 2
		switch {
		case w >= 3*thick && w >= 0.4*h && w <= 1.5*h && top >= base-0.15*h && top <= base+0.4*h:
			underscores++
		case w >= 2*thick && w >= 0.25*h && w <= h && centre >= base-0.75*h && centre <= base-0.2*h:
			hyphens++
		}
	}
	return hyphens, underscores
}

// flatMark reports whether c is at least twice as wide as thick.
func flatMark(c component) bool { return c.box.Dx() >= 2*c.box.Dy() }

// writtenOption is the option of f (a choice, or a radio group read as
// written) that the text read from its zone names, by label or value,
// and the confidence to give it: the option read exactly keeps the
// reading's; the one option a letter or two off it (a fifth of the
// option's letters at most, and nearer than any other) is taken in
// doubt. Text no option is near stays as read, for a person to decide.
func writtenOption(f form.Field, raw string, conf float64) (string, float64) {
	if raw == "" || len(f.Options) == 0 {
		return raw, conf
	}
	if o := option(f, raw); o != "" {
		return o, conf
	}
	best, bestD, tie := "", -1, false
	for _, o := range f.Options {
		for _, name := range []string{o.Label, o.Value} {
			if name == "" {
				continue
			}
			d := editDistance(strings.ToLower(raw), strings.ToLower(name))
			if 5*d > max(5, len([]rune(name))) {
				continue
			}
			switch {
			case bestD < 0 || d < bestD:
				best, bestD, tie = o.Value, d, false
			case d == bestD && o.Value != best:
				tie = true
			}
		}
	}
	if bestD < 0 || tie {
		return raw, min(conf, secondLook/2)
	}
	return best, min(conf, secondLook)
}

// inkBeside reports whether a zone, its rules cleared, has a digit's
// worth of ink just past either end of the text textBox finds that
// textBox left out as too small for a letter or digit: pieces of one the
// scan broke apart (the bar and the bowl of a thin 5), each more than a
// speck, that together stand nearly as tall as the line's letters; and
// the text's box widened to take them in. k is pixels per point.
func inkBeside(zone *image.Gray, k float64) (image.Rectangle, bool) {
	text, ok := textBox(zone, k)
	if !ok {
		return text, false
	}
	m := textMargin(k)
	b, gap, tall := zone.Bounds(), text.Dy()/2, text.Dy()-2*m
	var ends [2]component // the pieces past the left end and the right end
	for _, c := range componentBoxes(zone) {
		if float64(c.area) < 0.8*k*k || c.box.In(text) || c.box.Min.X <= b.Min.X || c.box.Max.X >= b.Max.X ||
			c.box.Min.Y < text.Min.Y || c.box.Max.Y > text.Max.Y {
			continue
		}
		end := -1
		switch {
		case c.box.Min.X < text.Min.X && c.box.Max.X >= text.Min.X-gap:
			end = 0
		case c.box.Max.X > text.Max.X && c.box.Min.X <= text.Max.X+gap:
			end = 1
		default:
			continue
		}
		if ends[end].area == 0 {
			ends[end].box = c.box
		}
		ends[end].box, ends[end].area = ends[end].box.Union(c.box), ends[end].area+c.area
	}
	found := false
	for _, e := range ends {
		if e.area > 0 && 10*e.box.Dy() >= 6*tall && float64(e.area) >= 1.5*k*k {
			text, found = text.Union(e.box.Inset(-m).Intersect(b)), true
		}
	}
	return text, found
}

// unreadInk reports whether a line of writing (crop, k pixels per point)
// has two letters or more that no word Tesseract read stands over (its
// box, widened by textMargin, holds their middle), on one side of the
// words read or in one gap between them: a word it dropped. Letters are
// as tall as those under the words, give or take a half: not a frame's or
// a cell's rule the scan left, taller, or the pieces of one; one alone may
// be a stroke's. Or ink no word stands over, on the letters' line, taller
// than they are and wider than one: letters a pen struck through.
func unreadInk(crop *image.Gray, words []Word, k float64) bool {
	if len(words) == 0 {
		return false
	}
	m := textMargin(k)
	var heights []float64    // of the letters under the words
	var line image.Rectangle // around them
	var unreadOnes []component
	for _, c := range componentBoxes(crop) {
		if !letterSized(c, k) {
			continue
		}
		mid := (c.box.Min.X + c.box.Max.X) / 2
		if slices.ContainsFunc(words, func(w Word) bool { return mid >= w.Box.Min.X-m && mid <= w.Box.Max.X+m }) {
			heights = append(heights, float64(c.box.Dy()))
			line = line.Union(c.box)
		} else {
			unreadOnes = append(unreadOnes, c)
		}
	}
	if len(heights) == 0 {
		return false
	}
	h := median(heights)
	unread := map[int]int{} // by the number of words left of them
	for _, c := range unreadOnes {
		dx, dy := float64(c.box.Dx()), float64(c.box.Dy())
		if dy > 1.6*h && dx >= h && c.box.Min.Y < line.Max.Y && c.box.Max.Y > line.Min.Y {
			// Taller than the letters, and wider than one, on their
			// line: not a rule's remnant but letters with a pen's
			// stroke through them (the 12 of Industrigatan 12 struck
			// through, dropped by the model, the rest read surely).
			return true
		}
		if dy < 0.5*h || dy > 1.6*h {
			continue // not of the line's letters' height
		}
		mid, left := (c.box.Min.X+c.box.Max.X)/2, 0
		for _, w := range words {
			if w.Box.Max.X < mid {
				left++
			}
		}
		unread[left]++
		if unread[left] >= 2 {
			return true
		}
	}
	return false
}

// support is what backs a value read from a scan besides its readings'
// confidence.
type support struct {
	agreed bool     // several readings gave it, and it passes its checks
	reread bool     // the first reading was unsure or failed its checks (candidate.reread)
	others []string // the values other readings of the zone gave that pass the checks
	voted  int      // how many other models read a name as it was chosen (candidate.voted)
	// seconded says another model read the number or date the same
	// (candidate.seconded).
	seconded bool
	// wellFormed says the value passes its checks (candidate.wellFormed).
	wellFormed bool
	// ceiling, when not 0, is the most the value's calibrated confidence
	// may be: calibration pools it with values it is less sure than (a
	// fax's, a number two models read two ways, a value failing its
	// checks).
	ceiling float64
	// unframed says a tick box's printed frame was not found near its
	// zone (boxZone); astray, that it was found farther off
	// (frameAstray).
	unframed, astray bool
}

// ceil is the lower of two ceilings, 0 being none.
func ceil(a, b float64) float64 {
	if a == 0 {
		return b
	}
	return min(a, b)
}

// underMarks reports whether a field's value, read from zone f at k
// pixels per point through t, was written under coloured marks that were
// dropped out of the page (marks, see toGray): over one in a hundred of
// its zone's pixels. Of tick boxes and signatures, judged by ink, only
// those read empty or unsigned are in doubt: the ink dropped may have
// been the tick or the signature, in a colour the writing elsewhere on
// the page was not in (see colourWriting). So are fields read empty: the
// writing dropped with the marks may have been faint, a pale pen's under
// a stamp.
func underMarks(marks *image.Gray, t affine, f form.Field, k float64, v form.Value) bool {
	if (f.Type == form.TypeCheckbox || f.Type == form.TypeSignature) && v.Value != boolString(false) {
		return false
	}
	zone := warp(marks, t, inset(f.Zone, 1.2), k)
	n, _ := inkStatsUnder(zone, 128) // marked pixels
	b := zone.Bounds()
	return 100*n > b.Dx()*b.Dy()
}

// faintWriting reports whether a text field's zone, where no letters are
// dark enough to read, holds writing all the same: letter-sized marks
// merely darker than paper, or a row of marks too small to be letters
// (tiny print, or strokes a 1-bit scan broke into pieces). Specks lie
// about at random; writing lies on a line. zone is the field's zone
// rendered at k pixels per point, its rules cleared (see zoneTextOf).
// Rows and columns of faint ink are cleared first (faintRulesCleared),
// but a long line of small grey type is such a row too (an address a PDF
// viewer shrank to fit the field, blurred by JPEG: cleared, it left
// slivers above and below, on no one line, and was taken for an empty
// field at 0.98), so the zone as it is is looked at as well.
func faintWriting(zone *image.Gray, k float64) bool {
	return faintWritingIn(faintRulesCleared(zone, k), k) || faintWritingIn(zone, k)
}

// faintWritingIn is faintWriting's look at img, the zone or a copy of it.
func faintWritingIn(img *image.Gray, k float64) bool {
	b := img.Bounds()
	var centres []float64
	for _, c := range findComponents(img, faintInk, false) {
		edge := c.box.Min.X <= b.Min.X || c.box.Max.X >= b.Max.X || c.box.Min.Y <= b.Min.Y || c.box.Max.Y >= b.Max.Y
		if edge {
			continue
		}
		if letterSized(c, k) {
			return true
		}
		if float64(c.area) >= 0.25*k*k {
			_, y := centre(c)
			centres = append(centres, y)
		}
	}
	if len(centres) < 6 {
		return false
	}
	// Most of them on one line: within 1.5 points of their median height.
	slices.Sort(centres)
	median, near := centres[len(centres)/2], 0
	for _, y := range centres {
		if math.Abs(y-median) <= 1.5*k {
			near++
		}
	}
	return 10*near >= 6*len(centres)
}

// faintRulesCleared is a copy of zone (at k pixels per point) whose rows
// and columns that are mostly faint ink are paper, with half a point
// either side of them (a thick grey line's blurred edges leave a row of
// slivers): a grey line across the zone (a crease, a frame's remnant
// lighter than clearRules looks for) would join the faint letters it
// crosses into one mark touching the zone's edges, which faintWriting
// takes for no writing.
func faintRulesCleared(zone *image.Gray, k float64) *image.Gray {
	out := image.NewGray(zone.Rect)
	copy(out.Pix, zone.Pix)
	whitenLines(out, faintInk, int(k/2)+1)
	return out
}

// zoneText renders a text field's zone at k pixels per point and cuts out
// the writing in it, with a margin. loose are the small marks on its line
// that may be specks (see clearSpecks). ok is false for an empty zone.
func zoneText(page *image.Gray, t affine, f form.Field, k float64) (crop *image.Gray, loose looseMarks, ok bool) {
	return zoneTextOf(warp(page, t, inset(f.Zone, 1.2), k), f, k)
}

// zoneTextOf is zoneText of a zone already rendered.
func zoneTextOf(zone *image.Gray, f form.Field, k float64) (crop *image.Gray, loose looseMarks, ok bool) {
	clearRules(zone)
	text, ok := textBox(zone, k)
	if !ok {
		return nil, looseMarks{}, false
	}
	crop = pad(zone, text, int(6*k))
	if digitField(f.Type) {
		comps := despeckle(crop, int(0.4*k*k)) // a digit field's hyphens are as small as specks
		if closed, ok := compactComb(crop, comps, k); ok {
			return closed, looseMarks{}, true
		}
		return crop, looseMarks{}, true
	}
	scan := pad(zone, text, int(6*k)) // the crop as scanned, faint dots and all
	comps := despeckle(crop, int(0.4*k*k))
	loose = clearSpecks(crop, scan, comps, k)
	if closed, ok := compactComb(crop, comps, k); ok {
		return closed, looseMarks{}, true // the loose marks' places are the crop's
	}
	return crop, loose, true
}

// compactComb closes up the writing of a comb field, one character to a
// cell a cell's width apart, which a model reads as words of one letter
// each (767 42 as "ESP 4 2"). Where crop's glyphs (the letter-sized of
// its components comps, with whatever stands over or under them) stand
// evenly, four at least, at a pitch of twice the widest glyph's width or
// more (a whole multiple of it where cells were left empty, half of them
// one apart), they are set side by side a fifth of their height apart, an
// empty cell's worth of room as half their height; ok is false for any
// other writing.
func compactComb(crop *image.Gray, comps []component, k float64) (*image.Gray, bool) {
	var letters []component
	for _, c := range comps {
		if letterSized(c, k) {
			letters = append(letters, c)
		}
	}
	slices.SortFunc(letters, func(a, b component) int { return a.box.Min.X - b.box.Min.X })
	var glyphs []image.Rectangle // their columns and the rows they span
	for _, c := range letters {
		if n := len(glyphs); n > 0 && c.box.Min.X < glyphs[n-1].Max.X {
			glyphs[n-1] = glyphs[n-1].Union(c.box)
			continue
		}
		glyphs = append(glyphs, c.box)
	}
	if len(glyphs) < 4 {
		return nil, false
	}
	widest, heights := 0, make([]int, len(glyphs))
	for i, g := range glyphs {
		widest, heights[i] = max(widest, g.Dx()), g.Dy()
	}
	centre := func(g image.Rectangle) float64 { return float64(g.Min.X+g.Max.X) / 2 }
	pitch := math.Inf(1)
	for i := 1; i < len(glyphs); i++ {
		pitch = min(pitch, centre(glyphs[i])-centre(glyphs[i-1]))
	}
	if pitch < 2*float64(widest) {
		return nil, false
	}
	cells := make([]int, len(glyphs)-1) // cells from each glyph to the next
	ones := 0
	for i := range cells {
		m := (centre(glyphs[i+1]) - centre(glyphs[i])) / pitch
		cells[i] = int(math.Round(m))
		if math.Abs(m-float64(cells[i])) > 0.15 {
			return nil, false
		}
		if cells[i] == 1 {
			ones++
		}
	}
	if 2*ones < len(cells) {
		return nil, false
	}
	height := slices.Sorted(slices.Values(heights))[len(heights)/2]
	gap, space := max(1, height/5), max(2, height/2)
	margin := int(6 * k)
	width := 2 * margin
	for i, g := range glyphs {
		width += g.Dx() + 2
		if i < len(cells) {
			width += gap + (cells[i]-1)*space
		}
	}
	b := crop.Bounds()
	out := image.NewGray(image.Rect(0, 0, width, b.Dy()))
	for i := range out.Pix {
		out.Pix[i] = 255
	}
	x := margin
	for i, g := range glyphs {
		x0, x1 := max(g.Min.X-1, b.Min.X), min(g.Max.X+1, b.Max.X)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			copy(out.Pix[(y-b.Min.Y)*out.Stride+x:], crop.Pix[crop.PixOffset(x0, y):crop.PixOffset(x1, y)])
		}
		x += x1 - x0
		if i < len(cells) {
			x += gap + (cells[i]-1)*space
		}
	}
	return out, true
}

// repair undoes the OCR slips that a field's type rules out: an e-mail
// address has no spaces or colons (they were dots) and is lower case; no
// value starts or ends with stray punctuation from specks at the edge, and
// no word of text starts with it.
func repair(t form.FieldType, s string) string {
	s = strings.TrimSpace(s)
	if t == form.TypeEmail {
		s = strings.ToLower(s)
		s = strings.NewReplacer(" ", ".", ":", ".", ",", ".", ";", ".").Replace(s)
		for strings.Contains(s, "..") {
			s = strings.ReplaceAll(s, "..", ".")
		}
		s = strings.NewReplacer(".@", "@", "@.", "@").Replace(s)
		// A dot lost before the top-level domain: "kommunse" is
		// "kommun.se", "soc.gotenese" "soc.gotene.se" (no top-level
		// domain has more than three letters here).
		if local, domain, ok := strings.Cut(s, "@"); ok {
			if last := domain[strings.LastIndexByte(domain, '.')+1:]; len(last) > 3 {
				for _, tld := range []string{"se", "nu", "com", "org"} {
					if strings.HasSuffix(last, tld) && len(last) > len(tld)+1 {
						s = local + "@" + strings.TrimSuffix(domain, tld) + "." + tld
						break
					}
				}
			}
		}
	}
	if t == form.TypeDate {
		s = repairDate(s)
	}
	if t == form.TypeText {
		// Nor does a word of text start with a stop or a comma
		// (Wieselgrensplatsen .2A).
		words := strings.Fields(s)
		for i, w := range words {
			if trimmed := strings.TrimLeft(w, ".,:;"); trimmed != "" {
				words[i] = trimmed
			}
		}
		s = strings.Join(words, " ")
	}
	return strings.Trim(s, " .:,;|'_‘’`´")
}

// monthLetters are the letters of the Swedish month names, which dates
// may be written with (3 november 2026, 3 nov. 2026; the colon of the
// whitelist is an ordinal day's, 3:e november: without it the model read
// 3e, at no confidence).
const monthLetters = "abcdefgijklmnoprstuv"

// repairDate undoes what the letters of month names let the model read
// into a date: in a group with digits, letters that look like digits are
// those digits (2o26 → 2026), unless the group's letters, with its digits
// read as the letters they look like, spell a month (fe6 for feb,
// fe6ruar1 for februari: a serif b and i read as digits); a word is the
// month whose name or abbreviation it is within one letter of (novernber
// → november), or two of a name of seven letters or more (tepruari →
// februari). A word that is no month is left for the rules to reject.
func repairDate(s string) string {
	digitLike := strings.NewReplacer("o", "0", "l", "1", "i", "1", "s", "5", "b", "6", "g", "9")
	letterLike := strings.NewReplacer("0", "o", "1", "i", "5", "s", "6", "b", "9", "g")
	month := func(w string) string {
		stop := strings.HasSuffix(w, ".")
		if m := nearestMonth(strings.Trim(w, ".")); m != "" {
			if stop {
				m += "."
			}
			return m
		}
		return w
	}
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		if !strings.ContainsAny(w, "0123456789") {
			words[i] = month(w)
			continue
		}
		// Dots or hyphens join a month to its day and year (17.fe6.2026,
		// fe6ruar1-2026).
		sep := "."
		if !strings.Contains(w, ".") && strings.ContainsFunc(w, unicode.IsLetter) {
			sep = "-"
		}
		pieces := strings.Split(w, sep)
		for j, p := range pieces {
			letters := len(strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' {
					return r
				}
				return -1
			}, p)) >= 2
			switch {
			case !strings.ContainsAny(p, "0123456789"):
				pieces[j] = month(p)
			case letters && nearestMonth(letterLike.Replace(p)) != "":
				pieces[j] = nearestMonth(letterLike.Replace(p))
			default:
				pieces[j] = digitLike.Replace(p)
			}
		}
		words[i] = strings.Join(pieces, sep)
	}
	return strings.Join(words, " ")
}

// nearestMonth returns the month name or abbreviation (three letters or
// more of its start) w is, or within one letter of, or two of a name of
// seven letters or more, when only one month is that near; otherwise "".
func nearestMonth(w string) string {
	w = strings.ReplaceAll(w, "rn", "m") // the model's lookalike
	if len(w) < 3 {
		return ""
	}
	found := ""
	for _, m := range form.MonthNames {
		cand := m
		if len(w) < len(m) {
			cand = m[:len(w)] // an abbreviation: nov, sept
		}
		if w == cand {
			return cand
		}
		whole := len(w) >= 6 && editDistance(w, m) <= 1 || len(m) >= 7 && len(w) >= 7 && editDistance(w, m) <= 2
		if len(w) >= 4 && editDistance(w, cand) <= 1 || whole {
			if whole {
				cand = m
			}
			if found != "" && found != cand {
				return ""
			}
			found = cand
		}
	}
	return found
}

// repairName drops what specks between words become in a name: stray
// punctuation, and hyphens that touch a space (a hyphen in a name joins
// two parts without spaces: Karl-Åke, Björklund-Öhman).
func repairName(s string) string {
	s = strings.NewReplacer("’", "'", "‘", "'", "`", "'", "´", "'").Replace(s)
	// A one-letter prefix and its apostrophe, in a wide or monospaced
	// face read apart (O ' Connor, 0'Connor): one word again, the O an O.
	s = prefixApostrophe.ReplaceAllStringFunc(s, func(m string) string {
		g := prefixApostrophe.FindStringSubmatch(m)
		return g[1] + strings.ReplaceAll(g[2], "0", "O") + "'" + g[3]
	})
	// An apostrophe between letters is part of the name (O'Brien,
	// D'Angelo); anywhere else it is a speck.
	rs := []rune(s)
	for i, r := range rs {
		switch r {
		case '\'':
			if i > 0 && i+1 < len(rs) && unicode.IsLetter(rs[i-1]) && unicode.IsUpper(rs[i+1]) {
				continue
			}
			rs[i] = ' '
		case '.', ':', ';', ',', '"', '|':
			rs[i] = ' '
		}
	}
	s = string(rs)
	words := strings.Fields(s)
	for i, w := range words {
		words[i] = smallSecond(strings.Trim(w, "-"))
	}
	return strings.Join(strings.Fields(strings.Join(words, " ")), " ")
}

// prefixApostrophe is a one-letter word (or a 0 read for an O) and an
// apostrophe, spaced or not, before a capital: O ' Connor, D' Angelo.
var prefixApostrophe = regexp.MustCompile(`(^|\s)([A-Za-z0])\s*'\s*(\p{Lu})`)

// smallSecond gives each part of a name word (between hyphens) that is a
// capital, a capital and small letters (BJörg, Anna-KArin) its second
// letter small when that capital looks like its small letter set large,
// as no name is spelt so and the model is apt to read those set large.
func smallSecond(w string) string {
	parts := strings.Split(w, "-")
	for i, p := range parts {
		rs := []rune(p)
		if len(rs) < 4 || !unicode.IsUpper(rs[0]) || !strings.ContainsRune("CJKOPSUVWXZ", rs[1]) {
			continue
		}
		lower := true
		for _, r := range rs[2:] {
			lower = lower && unicode.IsLower(r)
		}
		if lower {
			rs[1] = unicode.ToLower(rs[1])
			parts[i] = string(rs)
		}
	}
	return strings.Join(parts, "-")
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// component is a connected group of ink pixels.
type component struct {
	area int
	box  image.Rectangle
	pix  []int // offsets into the image's pixel array
}

// components finds the 8-connected ink components of img.
func components(img *image.Gray) []component { return componentsUnder(img, inkThreshold) }

// componentsUnder finds the 8-connected components of pixels darker than
// threshold. Components come in the order of their first pixel (row by
// row), each one's pixels in the order of a depth-first walk.
func componentsUnder(img *image.Gray, threshold uint8) []component {
	return findComponents(img, threshold, true)
}

// componentBoxes is components without the pixels: their areas and boxes
// only, for callers that look at nothing else.
func componentBoxes(img *image.Gray) []component {
	return findComponents(img, inkThreshold, false)
}

// findComponents is componentsUnder, keeping each component's pixels
// when pix is true.
func findComponents(img *image.Gray, threshold uint8, pix bool) []component {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	// One byte a pixel says what it is: the image is read once, a row at
	// a time, rather than through PixOffset for every look at a
	// neighbour (a page's zones are millions of looks).
	const (
		paper = iota
		ink
		seen
	)
	state := make([]uint8, w*h)
	base := img.PixOffset(b.Min.X, b.Min.Y)
	for y := range h {
		row := img.Pix[base+y*img.Stride : base+y*img.Stride+w]
		st := state[y*w : (y+1)*w]
		for x, v := range row {
			if v < threshold {
				st[x] = ink
			}
		}
	}
	var out []component
	var stack []int
	for i := 0; i < len(state); i++ {
		// Most pixels are paper or taken: on to the next that is neither.
		next := bytes.IndexByte(state[i:], ink)
		if next < 0 {
			break
		}
		i += next
		state[i] = seen
		stack = append(stack[:0], i)
		c := component{box: image.Rectangle{Min: image.Pt(w, h), Max: image.Pt(-1, -1)}}
		for len(stack) > 0 {
			j := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := j%w, j/w
			c.area++
			if pix {
				c.pix = append(c.pix, base+y*img.Stride+x)
			}
			c.box.Min.X, c.box.Min.Y = min(c.box.Min.X, x), min(c.box.Min.Y, y)
			c.box.Max.X, c.box.Max.Y = max(c.box.Max.X, x+1), max(c.box.Max.Y, y+1)
			for dy := -1; dy <= 1; dy++ {
				ny := y + dy
				if ny < 0 || ny >= h {
					continue
				}
				for dx := -1; dx <= 1; dx++ {
					nx := x + dx
					if nx < 0 || nx >= w {
						continue
					}
					if k := ny*w + nx; state[k] == ink {
						state[k] = seen
						stack = append(stack, k)
					}
				}
			}
		}
		c.box = c.box.Add(b.Min)
		out = append(out, c)
	}
	return out
}

// despeckle whitens ink components smaller than minArea pixels: scanner
// speckle that would otherwise be read as characters or as a signature.
// It returns the components that stay.
func despeckle(img *image.Gray, minArea int) []component {
	comps := components(img)
	kept := comps[:0]
	for _, c := range comps {
		if c.area < minArea {
			for _, i := range c.pix {
				img.Pix[i] = 255
			}
			continue
		}
		kept = append(kept, c)
	}
	return kept
}

// letterSized reports whether an ink component is big enough to be a
// letter or digit at k pixels per point.
func letterSized(c component, k float64) bool {
	return float64(c.area) >= 2.5*k*k && float64(c.box.Dy()) >= 2.5*k
}

// textBox finds the written text in a zone: the box around the ink
// components big enough to be letters or digits (k pixels per point),
// widened a little for accents, dots and hyphens. Lone specks outside it
// are left out, and so are thin uprights standing on the zone's top or
// bottom edge in rows the writing does not reach: the remnants of a
// frame's or a cell's rule that a registration a little off leaves in
// (Härnösand read "Härnösand i"). ok is false when nothing is written.
func textBox(img *image.Gray, k float64) (image.Rectangle, bool) {
	b := img.Bounds()
	var box image.Rectangle
	var uprights []image.Rectangle
	for _, c := range componentBoxes(img) {
		if !letterSized(c, k) || penStroke(img, c.box, k) {
			continue
		}
		if (c.box.Min.Y <= b.Min.Y || c.box.Max.Y >= b.Max.Y) && 2*c.box.Dx() <= c.box.Dy() {
			uprights = append(uprights, c.box)
			continue
		}
		box = box.Union(c.box)
	}
	for _, u := range uprights {
		if box.Empty() || u.Min.Y < box.Max.Y && u.Max.Y > box.Min.Y {
			box = box.Union(u) // a letter after all: the writing's only, or on its rows
		}
	}
	if box.Empty() {
		return box, false
	}
	// A blurred or faint scan leaves some letters lighter than the ink
	// threshold: letter-sized marks merely darker than paper on the same
	// line widen the box too, or the ends of the writing are cut off.
	// (Remnants of the frame, at the zone's edges or taller than the
	// line, do not.) The line is as tall as the faint marks that hold
	// the letters found (a half taller at most): faint small type leaves
	// few letters over the ink threshold, and those not the tallest
	// (Härnösands kommun lost kommun).
	faint := findComponents(img, faintInk, false)
	edge := func(c component) bool { return c.box.Min.X <= b.Min.X || c.box.Max.X >= b.Max.X }
	line := box.Dy()
	for _, c := range faint {
		if letterSized(c, k) && !edge(c) && c.box.Overlaps(box) && c.box.Min.Y <= box.Min.Y && c.box.Max.Y >= box.Max.Y {
			line = max(line, min(c.box.Dy(), 3*box.Dy()/2))
		}
	}
	for _, c := range faint {
		overlap := min(c.box.Max.Y, box.Max.Y) - max(c.box.Min.Y, box.Min.Y)
		if letterSized(c, k) && !edge(c) && 10*c.box.Dy() <= 13*line && 2*overlap >= c.box.Dy() {
			box.Min.X, box.Max.X = min(box.Min.X, c.box.Min.X), max(box.Max.X, c.box.Max.X)
		}
	}
	m := textMargin(k)
	return image.Rect(box.Min.X-m, box.Min.Y-m, box.Max.X+m, box.Max.Y+m).Intersect(img.Bounds()), true
}

// penStroke reports whether the ink of img in box (a component's) is a
// stroke of a pen along the line rather than writing (k pixels per
// point): four times as wide as tall or more, and no column of it holding
// more ink than a third of its height or three points (a pen's line,
// slanted where it waves), where a letter's upright would. A wavy line
// drawn under a value (or a rule's remnant) is letter-sized, darker than
// light type, and was taken for the writing, the type above it cut off:
// the value went unread (a personnummer under a case worker's
// underline). Ink of other marks within the box counts too, so writing
// the stroke runs through is not taken for one.
func penStroke(img *image.Gray, box image.Rectangle, k float64) bool {
	w, h := box.Dx(), box.Dy()
	if w < 4*h {
		return false
	}
	most := max(h/3, int(3*k))
	for x := box.Min.X; x < box.Max.X; x++ {
		n := 0
		for y := box.Min.Y; y < box.Max.Y; y++ {
			if img.Pix[img.PixOffset(x, y)] < inkThreshold {
				n++
			}
		}
		if n > most {
			return false
		}
	}
	return true
}

// textMargin is the margin textBox leaves around the writing's ink, in
// pixels at k pixels per point: room for accents, dots and hyphens.
func textMargin(k float64) int { return int(1.5 * k) }

// lineLetters picks the components of a line of writing big enough to be
// letters (k pixels per point) and estimates its x-height from them: the
// lower quartile of their heights, as most letters are lower case.
func lineLetters(comps []component, k float64) (letters []component, xHeight float64) {
	var heights []int
	for _, c := range comps {
		if letterSized(c, k) {
			letters = append(letters, c)
			heights = append(heights, c.box.Dy())
		}
	}
	if len(heights) == 0 {
		return nil, 0
	}
	slices.Sort(heights)
	return letters, float64(heights[len(heights)/4])
}

// baselineOf is the baseline of a line of letters: their middle bottom
// (0 for no letters).
func baselineOf(letters []component) float64 {
	if len(letters) == 0 {
		return 0
	}
	bottoms := make([]int, len(letters))
	for i, l := range letters {
		bottoms[i] = l.box.Max.Y
	}
	slices.Sort(bottoms)
	return float64(bottoms[len(bottoms)/2])
}

// clearSpecks whitens the specks in a line of writing that cannot be part
// of a letter: small, compact marks that are neither on the baseline (full
// stops, commas) nor just above a letter (dots of i and j, umlauts, acute
// accents). Specks between words are what Tesseract reads as hyphens
// ("Gunnel-Ekström"). comps are img's ink components; scan is img before
// any cleaning, where a faded umlaut dot may still show; k is pixels per
// point. It returns the lone marks it kept (see markOn): a reading that
// makes one of them an umlaut or a ring is in doubt; and how many of the
// specks it cleared stood where a hyphen does (see joinMark).
func clearSpecks(img, scan *image.Gray, comps []component, k float64) (loose looseMarks) {
	letters, xh := lineLetters(comps, k)
	if len(letters) < 2 {
		return looseMarks{}
	}
	baseline := baselineOf(letters)
	dot := 0.3 * xh // the largest side of a dot or speck
	var specks []int
	for ci, c := range comps {
		if letterSized(c, k) {
			continue
		}
		if float64(c.box.Max.Y) >= baseline-0.25*xh {
			continue // on the baseline
		}
		best := notMark
		for _, l := range letters {
			best = max(best, markOn(c, l, scan, xh))
		}
		compact := float64(max(c.box.Dx(), c.box.Dy())) <= dot
		switch {
		case best == loneDot && compact:
			loose.lone = append(loose.lone, c)
		case best == notMark && compact:
			specks = append(specks, ci)
			if joinMark(c, letters, baseline, xh) {
				loose.joins++
			}
		}
	}
	for _, ci := range specks {
		for _, i := range comps[ci].pix {
			img.Pix[i] = 255
		}
	}
	return loose
}

// looseMarks are the small marks clearSpecks judged on a line of writing.
type looseMarks struct {
	lone  []component // kept: alone over a letter, an accent or a speck (markOn's loneDot)
	joins int         // cleared where a hyphen goes (joinMark): specks or hyphens
}

// joinMark reports whether c, a mark too small to be a letter on a line
// of letters (its baseline and x-height), stands where a hyphen does: wider
// than tall, about the middle of the x-height, in the gap between two
// letters close on either side. A scan thins a small type's hyphen to a
// speck's few pixels (Per-Olof: a 4 by 3 pixel hyphen at 300 DPI), and
// specks between words are as wide: the two cannot be told apart.
func joinMark(c component, letters []component, baseline, xh float64) bool {
	w, h := c.box.Dx(), c.box.Dy()
	if w <= h || float64(w) > 1.2*xh {
		return false
	}
	if _, cy := centre(c); cy < baseline-0.75*xh || cy > baseline-0.2*xh {
		return false
	}
	near := 0.6 * xh
	var left, right bool
	for _, l := range letters {
		switch {
		case l.box.Min.X < c.box.Max.X && l.box.Max.X > c.box.Min.X:
			return false // over or under a letter: no gap
		case l.box.Max.X <= c.box.Min.X:
			left = left || float64(c.box.Min.X-l.box.Max.X) <= near
		default:
			right = right || float64(l.box.Min.X-c.box.Max.X) <= near
		}
	}
	return left && right
}

// A mark's verdict, from least to most likely a letter's.
type markVerdict int

const (
	notMark  markVerdict = iota // not where a letter's dot or accent goes
	loneDot                     // centred over a wide letter, alone: an accent or a speck
	sureMark                    // the dot of an i or j, or with company
)

// markOn judges whether the small mark c can belong to letter l as its dot
// or accent. It must sit just above l. Over a narrow letter it is the dot
// of i or j. Over a wide one it is sure when it has company at its height
// over the letter: the other dot of ä, ö or ü, or the faded rest of an
// accent, looked for in scan, the zone as scanned, since a dot or a
// stroke may have faded below the ink threshold. Alone, it may be an acute
// accent or a speck when centred; off the centre it is a speck, and
// Tesseract reads n with one over its right stem as "ri".
func markOn(c, l component, scan *image.Gray, xh float64) markVerdict {
	cx, cy := centre(c)
	lx, _ := centre(l)
	top := float64(l.box.Min.Y)
	above := cx >= float64(l.box.Min.X)-0.1*xh && cx <= float64(l.box.Max.X)+0.1*xh &&
		float64(c.box.Max.Y) <= top+0.15*xh && float64(c.box.Max.Y) >= top-0.6*xh
	if !above {
		return notMark
	}
	w := float64(l.box.Dx())
	if w <= 0.45*xh || ring(c, scan) {
		return sureMark // the dot of i or j; the ring of å
	}
	// The rest of the mark: anything clearly darker than paper at its
	// height over l.
	r := 0.15 * xh
	band := image.Rect(l.box.Min.X, int(cy-r), l.box.Max.X, l.box.Min.Y-1).Intersect(scan.Bounds())
	own := c.box.Inset(-2)
	for y := band.Min.Y; y < band.Max.Y; y++ {
		for x := band.Min.X; x < band.Max.X; x++ {
			if !image.Pt(x, y).In(own) && scan.Pix[scan.PixOffset(x, y)] < faintInk {
				return sureMark
			}
		}
	}
	if math.Abs(cx-lx) <= 0.18*w {
		return loneDot
	}
	return notMark
}

// ring reports whether a mark encloses paper: the ring of å and Å, never
// a speck or a dot. img is the image c's pixel offsets index.
func ring(c component, img *image.Gray) bool {
	_, n := hole(c, img)
	return n > 0
}

// hole finds the paper a component encloses: how far down its box the
// enclosed paper's middle lies (0 top, 1 bottom) and how many pixels it
// has (0: none). The eye of an e sits high; the hole of an o in the
// middle. img is the image c's pixel offsets index.
func hole(c component, img *image.Gray) (middle float64, n int) {
	w, h := c.box.Dx(), c.box.Dy()
	if w < 4 || h < 4 {
		return 0, 0
	}
	// Mark the component's pixels in its box, then flood the paper from
	// the box's edge: paper left unreached is a hole.
	grid := make([]byte, w*h) // 0 paper, 1 ink, 2 reached paper
	stride := img.Stride
	for _, off := range c.pix {
		x, y := off%stride-(c.box.Min.X-img.Rect.Min.X), off/stride-(c.box.Min.Y-img.Rect.Min.Y)
		if x >= 0 && y >= 0 && x < w && y < h {
			grid[y*w+x] = 1
		}
	}
	var stack []int
	for x := range w {
		stack = append(stack, x, (h-1)*w+x)
	}
	for y := range h {
		stack = append(stack, y*w, y*w+w-1)
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if grid[i] != 0 {
			continue
		}
		grid[i] = 2
		x, y := i%w, i/w
		if x > 0 {
			stack = append(stack, i-1)
		}
		if x < w-1 {
			stack = append(stack, i+1)
		}
		if y > 0 {
			stack = append(stack, i-w)
		}
		if y < h-1 {
			stack = append(stack, i+w)
		}
	}
	sumY := 0
	for i, g := range grid {
		if g == 0 {
			n++
			sumY += i / w
		}
	}
	if n == 0 {
		return 0, 0
	}
	return (float64(sumY)/float64(n) + 0.5) / float64(h), n
}

// darken stretches a zone's grey so that its darkest marks (the 0.5 %
// darkest pixels) come out black and its paper (the median) white, and
// reports whether there were marks clearly darker than the paper to
// stretch.
func darken(zone *image.Gray) bool {
	var hist [256]int
	b := zone.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for _, v := range zone.Pix[zone.PixOffset(b.Min.X, y):zone.PixOffset(b.Max.X, y)] {
			hist[v]++
		}
	}
	n := b.Dx() * b.Dy()
	ink, paper := percentile(hist[:], n, 0.005), percentile(hist[:], n, 0.5)
	if paper-ink < 40 {
		return false
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := zone.Pix[zone.PixOffset(b.Min.X, y):zone.PixOffset(b.Max.X, y)]
		for i, v := range row {
			row[i] = uint8(min(255, max(0, 255*(int(v)-ink)/(paper-ink)))) // #nosec G115 -- clamped to 0–255
		}
	}
	return true
}

// faintInk is the grey under which a pixel may be a faded mark.
const faintInk = 200

// centre is the middle of a component's box.
func centre(c component) (x, y float64) {
	return float64(c.box.Min.X+c.box.Max.X) / 2, float64(c.box.Min.Y+c.box.Max.Y) / 2
}

// unframed is the most confidence a tick box's reading has where its
// printed frame was not found near its zone: under every calibration
// point, so that a person looks.
const unframed = 0.45

// boxSearch is how far, in points, a tick box's printed frame is looked
// for around its zone: a page turned and skewed may be fitted a few
// points off in a corner, and a zone read there half over the paper
// beside the box (a filled box cut in two reads as an empty one, at full
// confidence). Boxes printed side by side stand further apart.
const boxSearch = 4.0

// boxZone returns the image of tick box f on a page registered by t at k
// pixels per point, inset by d points: where its printed frame is, within
// boxSearch of its zone, when a frame is found there (ink along at least
// three of its four sides), else where the zone says. framed says
// whether the frame was found: where it was not, the zone may lie beside
// the box (a page fitted wrong), and what it holds says little of the
// tick.
func boxZone(page *image.Gray, t affine, f form.Field, k, d float64) (zone *image.Gray, framed bool) {
	area := warp(page, t, inset(f.Zone, -boxSearch), k)
	b := area.Bounds()
	w, h := int(math.Round(f.Zone.W*k)), int(math.Round(f.Zone.H*k))
	s := (b.Dx() - w) / 2
	if w < 4 || h < 4 || s < 1 || b.Dy()-h < 2*s {
		return warp(page, t, inset(f.Zone, d), k), true // too small to look for
	}
	bestX, bestY, framed := findFrame(area, w, h, k)
	if !framed {
		bestX, bestY = s, s
	}
	m := int(math.Round(d * k))
	r := image.Rect(bestX+m, bestY+m, bestX+w-m, bestY+h-m).Add(b.Min)
	if r.Dx() < 1 || r.Dy() < 1 {
		return warp(page, t, inset(f.Zone, d), k), framed
	}
	out := image.NewGray(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := 0; y < r.Dy(); y++ {
		copy(out.Pix[y*out.Stride:], area.Pix[area.PixOffset(r.Min.X, r.Min.Y+y):area.PixOffset(r.Max.X, r.Min.Y+y)])
	}
	return out, framed
}

// frameAstray reports whether the printed frame of tick box f, not found
// within boxSearch of its zone, is found farther off, within astrayReach:
// the page is then fitted wrong there. A frame found nowhere near says
// nothing of the fit: a 150 DPI fax loses a thin grey frame altogether
// (a reportlab 9445's eleven boxes, on a page read right).
func frameAstray(page *image.Gray, t affine, f form.Field, k float64) bool {
	area := warp(page, t, inset(f.Zone, -astrayReach), k)
	w, h := int(math.Round(f.Zone.W*k)), int(math.Round(f.Zone.H*k))
	_, _, ok := findFrame(area, w, h, k)
	return ok
}

// astrayReach is how far, in points, frameAstray looks for a tick box's
// frame: a page fitted a box off (the next box is printed 15 or more
// points on) or some points askew finds it.
const astrayReach = 20.0

// findFrame finds in area the frame of a tick box w by h pixels (k
// pixels per point): the offset where ink runs along three of its four
// sides or more, the most ink and, of equals, the one nearest the middle.
func findFrame(area *image.Gray, w, h int, k float64) (x0, y0 int, ok bool) {
	b := area.Bounds()
	s := (b.Dx() - w) / 2
	if w < 4 || h < 4 || b.Dx() < w || b.Dy() < h {
		return 0, 0, false
	}
	// Ink per row and per column, as prefix sums: a side's ink is then
	// one subtraction.
	rows := make([][]int, b.Dy())
	cols := make([][]int, b.Dx())
	for x := range cols {
		cols[x] = make([]int, b.Dy()+1)
	}
	for y := range rows {
		rows[y] = make([]int, b.Dx()+1)
		for x := 0; x < b.Dx(); x++ {
			ink := 0
			// A frame's thin line comes out grey from a scanner's
			// blur (168 to 178 on a 200 DPI page at JPEG quality 26,
			// where letters stay black): it is ink as a rule's is.
			if area.Pix[area.PixOffset(b.Min.X+x, b.Min.Y+y)] < ruleInk {
				ink = 1
			}
			rows[y][x+1] = rows[y][x] + ink
			cols[x][y+1] = cols[x][y] + ink
		}
	}
	// A side is the best of the lines a pixel either side of it: a
	// frame line is a point or so thick.
	th := max(1, int(k/2))
	hside := func(x, y int) int {
		best := 0
		for j := max(0, y-th); j <= min(b.Dy()-1, y+th); j++ {
			best = max(best, rows[j][x+w]-rows[j][x])
		}
		return best
	}
	vside := func(x, y int) int {
		best := 0
		for i := max(0, x-th); i <= min(b.Dx()-1, x+th); i++ {
			best = max(best, cols[i][y+h]-cols[i][y])
		}
		return best
	}
	sy := (b.Dy() - h) / 2
	bestInk := -1
	for y := 0; y+h <= b.Dy(); y++ {
		for x := 0; x+w <= b.Dx(); x++ {
			top, bottom := hside(x, y), hside(x, y+h-1)
			left, right := vside(x, y), vside(x+w-1, y)
			found := 0
			for _, n := range [4]int{top, bottom, left, right} {
				if 10*n >= 6*max(w, h) {
					found++
				}
			}
			// Nearer the middle wins a tie: a frame seen whole from
			// several offsets a pixel apart.
			ink := 4*(top+bottom+left+right) - abs(x-s) - abs(y-sy)
			if found >= 3 && ink > bestInk {
				x0, y0, bestInk = x, y, ink
			}
		}
	}
	return x0, y0, bestInk >= 0
}
