package extract

import (
	"blankett/form"
	"bytes"
	"image"
	"image/color"
	"math"
	"slices"
)

// Page conditioning: a scanned page is brought to dark ink on white paper
// before anything reads it, whatever the scanner made of it.
//
//   - A 1-bit image of the other polarity (a TIFF or PDF whose white-is-one
//     flag a decoder missed) is mostly black: it is inverted.
//   - The dark bands a scanner's lid leaves along the edges of a page
//     shifted on the glass are paper, not ink.
//   - Light that falls off across the page, and faded or light-handed
//     writing, leave paper grey and ink lighter than the ink threshold:
//     the paper is levelled (each pixel divided by the paper's brightness
//     around it) and the contrast stretched so that the page's ink comes
//     out as dark as a good scan's.
//   - Dust or a scratch on a sheet feeder's glass draws a thin dark line
//     down the whole scan, through whatever it crosses: a line no print
//     makes, since print stops short of a sheet's edges. It is painted
//     over with the paper or ink on either side of it.
//
// Pages a good scanner made are left exactly as they are.

// conditionBlock is the side, in pixels, of the blocks the paper's
// brightness is measured in.
const conditionBlock = 48

// condition returns img with dark ink on level white paper (it may modify
// img and return it), the streaks it painted over (see clearStreaks) and
// where inside the page it whitened what was joined to a band along an
// edge (see clearBorders).
func condition(img *image.Gray) (*image.Gray, []image.Rectangle, []image.Rectangle) {
	if mostlyDark(img) {
		for i, v := range img.Pix {
			img.Pix[i] = 255 - v
		}
	}
	levelPaper(img)
	// Before the borders: a streak joins everything it crosses to the
	// edges, and clearBorders would whiten it all as a lid's band.
	streaks := clearStreaks(img)
	cleared := clearBorders(img)
	return img, streaks, cleared
}

// Streaks: a line of pixels (a column, or a row where a page was turned
// after scanning) that is a short dark run in nearly every row across it
// where it is not inside a longer one (writing, a rule, a filled box), and
// paper in almost none. A printed rule, even one standing straight on the
// scan, leaves paper above and below it; a margin's worth is far more than
// streakPaper.
const (
	streakWidth = 0.6  // mm: the widest streak
	streakPaper = 0.02 // the share of a streak's length that may be paper
	streakShown = 0.5  // the share of a streak's length it must be seen in
	streakLight = 200  // paper is at least this light
)

// clearStreaks paints over the page's streaks (see streakRuns), each row
// across a streak given the grey on either side of it, shaded from one
// side to the other: paper where it crossed paper, ink where it crossed a
// stroke across it. It returns where they were (see streakCrossed).
func clearStreaks(img *image.Gray) []image.Rectangle {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w < 100 || h < 100 {
		return nil
	}
	widest := max(1, int(streakWidth*pageDPI(img)/25.4+0.5))
	// Darkness sampled coarsely, in one pass in memory order: each
	// column on every streakSample-th row, each row on every
	// streakSample-th column. A streak is dark along half its length at
	// least; most pages have no line that is.
	colDark, rowDark := make([]int, w), make([]int, h)
	for y := range h {
		row := img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y):][:w]
		if y%streakSample == 0 {
			for x, v := range row {
				if v < streakLight {
					colDark[x]++
				}
			}
		}
		for x := 0; x < w; x += streakSample {
			if row[x] < streakLight {
				rowDark[y]++
			}
		}
	}
	base := img.PixOffset(b.Min.X, b.Min.Y)
	var streaks []image.Rectangle
	for _, axis := range []struct {
		dark          []int
		across, along int
		lineStep      int // from one line to the next in img.Pix
		placeStep     int // from one place along a line to the next
		rect          func(first, last int) image.Rectangle
	}{
		{colDark, w, h, 1, img.Stride, func(x0, x1 int) image.Rectangle { return image.Rect(x0, 0, x1, h).Add(b.Min) }},
		{rowDark, h, w, img.Stride, 1, func(y0, y1 int) image.Rectangle { return image.Rect(0, y0, w, y1).Add(b.Min) }},
	} {
		at := func(x, y int) *uint8 { return &img.Pix[base+x*axis.lineStep+y*axis.placeStep] }
		sampled := (axis.along + streakSample - 1) / streakSample
		for _, r := range streakRuns(axis.dark, sampled, axis.across, axis.along, widest, at) {
			streaks = append(streaks, axis.rect(r[0], r[1]))
			left, right := max(0, r[0]-2), min(axis.across-1, r[1]+1)
			for y := range axis.along {
				l, rr := float64(*at(left, y)), float64(*at(right, y))
				for x := left + 1; x < right; x++ {
					t := float64(x-left) / float64(right-left)
					*at(x, y) = uint8(l*(1-t) + rr*t + 0.5) // #nosec G115 -- between two greys
				}
			}
		}
	}
	return streaks
}

// streakSample is the step of clearStreaks' coarse sampling.
const streakSample = 8

// streakRuns returns the streaks down lines 0 to across-1 of a grid read
// by at (line x, place y along it), each as the lines [first, last+1): runs
// of neighbouring lines each of which, along its length, is dark in a run
// across it no wider than widest wherever it is not in a wider one, in at
// least streakShown of its length, and paper in at most streakPaper. dark
// is each line's count of dark places among sampled ones, coarsely: lines
// dark in fewer than streakShown of them are not looked at again.
func streakRuns(dark []int, sampled, across, along, widest int, at func(x, y int) *uint8) [][2]int {
	var runs [][2]int
	for x := range across {
		if float64(dark[x]) < streakShown*float64(sampled) {
			continue
		}
		n := (along + 1) / 2
		most := int(streakPaper * float64(n)) // paper
		hits, paper := 0, 0
		for y := 0; y < along && paper <= most; y += 2 {
			if *at(x, y) >= streakLight {
				paper++
				continue
			}
			// The dark run across the line here: narrow, or the line is
			// inside writing or a rule.
			first, last := x, x
			for first > 0 && x-first <= widest && *at(first-1, y) < streakLight {
				first--
			}
			for last < across-1 && last-first < widest && *at(last+1, y) < streakLight {
				last++
			}
			if last-first+1 <= widest {
				hits++
			}
		}
		if paper > most || float64(hits) < streakShown*float64(n) {
			continue
		}
		if len(runs) > 0 && runs[len(runs)-1][1] == x {
			runs[len(runs)-1][1] = x + 1
		} else {
			runs = append(runs, [2]int{x, x + 1})
		}
	}
	return runs
}

// streakCrossed reports whether a streak painted over on img (see
// clearStreaks) crossed writing in box (points on the template's page,
// put on img by t): ink in box beside the streak or across it, where the
// painting joined the two sides.
func streakCrossed(img *image.Gray, t affine, box form.Box, streaks []image.Rectangle) bool {
	if len(streaks) == 0 {
		return false
	}
	quad, bbox := onImage(t, box)
	inside := func(x, y float64) bool {
		var sign float64
		for i := range 4 {
			a, b := quad[i], quad[(i+1)%4]
			c := (b[0]-a[0])*(y-a[1]) - (b[1]-a[1])*(x-a[0])
			if c*sign < 0 {
				return false
			}
			if c != 0 {
				sign = c
			}
		}
		return true
	}
	for _, s := range streaks {
		band := image.Rect(s.Min.X-2, s.Min.Y, s.Max.X+2, s.Max.Y) // a column
		if s.Dx() > s.Dy() {
			band = image.Rect(s.Min.X, s.Min.Y-2, s.Max.X, s.Max.Y+2) // a row
		}
		band = band.Intersect(bbox).Intersect(img.Bounds())
		for y := band.Min.Y; y < band.Max.Y; y++ {
			for x := band.Min.X; x < band.Max.X; x++ {
				if img.GrayAt(x, y).Y < inkThreshold && inside(float64(x)+0.5, float64(y)+0.5) {
					return true
				}
			}
		}
	}
	return false
}

// onImage puts box (points on the template's page) on the page image by
// t: its corners, in order round it, and the pixels that hold them.
func onImage(t affine, box form.Box) (quad [4][2]float64, bbox image.Rectangle) {
	for i, c := range [4][2]float64{{box.X, box.Y}, {box.X + box.W, box.Y}, {box.X + box.W, box.Y + box.H}, {box.X, box.Y + box.H}} {
		x, y := t.apply(c[0], c[1])
		quad[i] = [2]float64{x, y}
		bbox = bbox.Union(image.Rect(int(math.Floor(x)), int(math.Floor(y)), int(math.Ceil(x))+1, int(math.Ceil(y))+1))
	}
	return quad, bbox
}

// zoneCleared reports whether zone (points on the template's page, put on
// the page image by t) overlaps one of the areas conditioning whitened
// inside the page (see clearBorders).
func zoneCleared(t affine, zone form.Box, cleared []image.Rectangle) bool {
	_, r := onImage(t, zone)
	for _, c := range cleared {
		if r.Overlaps(c) {
			return true
		}
	}
	return false
}

// clearBorders whitens the dark bands along a page's edges: ink that
// touches an edge, runs along at least 40 % of it and is at least a
// millimetre thick along half its length (printed rules are thinner,
// corner marks shorter; a streak down the page joined to the letters and
// the signature it crosses is thicker only where they are). A band runs
// along the edge it touches: a dark crease across the sheet, from one
// side to the other, touches the two sides only at its ends, and the
// writing it crosses is joined to it (whitened with it, a phone number
// in its row was read as empty, surely). A band's ink may be joined to
// what lies well inside the page (a crease from a band along one side to
// the other's, and the frames and writing it crosses): that is whitened
// with the band, and where, further than borderReach from every edge, is
// returned, for the values read there to be doubted.
func clearBorders(img *image.Gray) []image.Rectangle {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	mm := pageDPI(img) / 25.4
	seen := make([]bool, w*h)
	reach := int(borderReach * mm)
	var cleared []image.Rectangle
	dark := func(i int) bool { return img.Pix[img.PixOffset(b.Min.X+i%w, b.Min.Y+i/w)] < inkThreshold }
	var stack, pix []int
	flood := func(start int) {
		if seen[start] || !dark(start) {
			return
		}
		seen[start] = true
		stack = append(stack[:0], start)
		pix = pix[:0]
		minX, minY, maxX, maxY := w, h, -1, -1
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			pix = append(pix, i)
			x, y := i%w, i/w
			minX, minY, maxX, maxY = min(minX, x), min(minY, y), max(maxX, x), max(maxY, y)
			for _, n := range [4][2]int{{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}} {
				if n[0] < 0 || n[1] < 0 || n[0] >= w || n[1] >= h {
					continue
				}
				j := n[1]*w + n[0]
				if !seen[j] && dark(j) {
					seen[j] = true
					stack = append(stack, j)
				}
			}
		}
		length := max(maxX-minX+1, maxY-minY+1)
		side, wide := h, maxX-minX > maxY-minY
		if wide {
			side = w
		}
		if 10*length < 4*side {
			return
		}
		if wide && minY > 0 && maxY < h-1 || !wide && minX > 0 && maxX < w-1 {
			return // across the page, not along an edge
		}
		// Its thickness line by line across its length: a band is
		// thick all along; a streak or a rule with the letters it
		// touches is thin but where they are.
		across := make([]int, length)
		for _, i := range pix {
			if wide {
				across[i%w-minX]++
			} else {
				across[i/w-minY]++
			}
		}
		thick := 0
		for _, n := range across {
			if float64(n) >= mm {
				thick++
			}
		}
		if 2*thick < length {
			return
		}
		var inside image.Rectangle
		for _, i := range pix {
			x, y := i%w, i/w
			img.Pix[img.PixOffset(b.Min.X+x, b.Min.Y+y)] = 255
			if x >= reach && y >= reach && w-1-x >= reach && h-1-y >= reach {
				inside = inside.Union(image.Rect(x, y, x+1, y+1))
			}
		}
		if !inside.Empty() {
			cleared = append(cleared, inside.Add(b.Min))
		}
	}
	for x := range w {
		flood(x)
		flood((h-1)*w + x)
	}
	for y := range h {
		flood(y * w)
		flood(y*w + w - 1)
	}
	return cleared
}

// borderReach is how far, in millimetres, a scanner lid's band reaches
// into a page: what clearBorders whitens further in was joined to it.
const borderReach = 20

// mostlyDark reports whether most of a page is dark: paper is never.
func mostlyDark(img *image.Gray) bool {
	b := img.Bounds()
	dark, n := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		row := img.Pix[img.PixOffset(b.Min.X, y):]
		for x := 0; x < b.Dx(); x += 4 {
			n++
			if row[x] < 128 {
				dark++
			}
		}
	}
	return n > 0 && dark*10 > n*6
}

// levelPaper evens out the paper's brightness and stretches faint ink,
// when the page needs it: paper darker than goodPaper somewhere, or ink no
// darker than faintest.
func levelPaper(img *image.Gray) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	bw, bh := (w+conditionBlock-1)/conditionBlock, (h+conditionBlock-1)/conditionBlock
	if bw < 3 || bh < 3 {
		return
	}
	// The paper of a block: its bright end (the 90th percentile).
	paper := make([]float64, bw*bh)
	var hist [256]int
	for by := range bh {
		for bx := range bw {
			clear(hist[:])
			n := 0
			for y := by * conditionBlock; y < min(h, (by+1)*conditionBlock); y += 2 {
				row := img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y):]
				for x := bx * conditionBlock; x < min(w, (bx+1)*conditionBlock); x += 2 {
					hist[row[x]]++
					n++
				}
			}
			paper[by*bw+bx] = float64(percentile(hist[:], n, 0.9))
		}
	}
	// A block covered in ink (a corner mark, a filled box) has no paper
	// of its own: the brightest of its neighbours stands in, twice over.
	for range 2 {
		next := make([]float64, len(paper))
		for by := range bh {
			for bx := range bw {
				m := 0.0
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						x, y := bx+dx, by+dy
						if x >= 0 && y >= 0 && x < bw && y < bh {
							m = max(m, paper[y*bw+x])
						}
					}
				}
				next[by*bw+bx] = m
			}
		}
		paper = next
	}
	// The page's ink: the darkest percent of pixels, against their paper.
	clear(hist[:])
	n := 0
	for y := 0; y < h; y += 2 {
		row := img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y):]
		p := paper[(y/conditionBlock)*bw:]
		for x := 0; x < w; x += 2 {
			v := float64(row[x]) * 255 / max(1, p[x/conditionBlock])
			hist[min(255, int(v))]++
			n++
		}
	}
	ink := float64(percentile(hist[:], n, 0.005))
	minPaper := slices.Min(paper)
	const goodPaper, faintest, inkGoal = 200, 90, 35.0
	if minPaper >= goodPaper && ink <= faintest {
		return // a good scan: leave it be
	}
	// Map paper to 255 and ink to inkGoal, paper interpolated between
	// block centres.
	stretch := (255 - inkGoal) / max(1, 255-ink)
	if ink <= inkGoal {
		stretch = 1
	}
	at := func(x, y int) float64 {
		fx := (float64(x)+0.5)/conditionBlock - 0.5
		fy := (float64(y)+0.5)/conditionBlock - 0.5
		x0, y0 := max(0, min(bw-1, int(fx))), max(0, min(bh-1, int(fy)))
		x1, y1 := min(bw-1, x0+1), min(bh-1, y0+1)
		tx, ty := max(0, min(1, fx-float64(x0))), max(0, min(1, fy-float64(y0)))
		top := paper[y0*bw+x0]*(1-tx) + paper[y0*bw+x1]*tx
		bottom := paper[y1*bw+x0]*(1-tx) + paper[y1*bw+x1]*tx
		return top*(1-ty) + bottom*ty
	}
	for y := range h {
		row := img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y):]
		for x := range w {
			v := float64(row[x]) * 255 / max(1, at(x, y))
			v = 255 - (255-min(255, v))*stretch
			row[x] = uint8(max(0, min(255, v+0.5)))
		}
	}
}

// percentile is the grey under which share of a histogram's n values lie.
func percentile(hist []int, n int, share float64) int {
	want := int(share * float64(n))
	sum := 0
	for v, c := range hist {
		sum += c
		if sum > want {
			return v
		}
	}
	return len(hist) - 1
}

// dropColour writes a colour scan into g with its coloured ink dropped
// out, and what that ink was into marks (its colour code, see
// colourCode; 255 where none; nil: not wanted), and reports whether img
// was colour at all (a JPEG in YCbCr or an RGB image). Black and grey ink
// has all three channels alike; a stamp's red or a pen's blue has one
// channel far brighter than another. A pixel's grey is its brightest
// channel, lifted by as much of its colour as takes the page's own
// coloured ink of that hue to white (see inkLifts): a stamp over a field
// vanishes, and the writing under it, dark in every channel, stays, its
// edges too, where the stamp's colour and the letter's grey mix. Whether
// the coloured ink was a mark over the writing or the writing itself (a
// form filled in with the blue pen it asks for) is told once the page's
// fields are known (see colourWriting).
func dropColour(g, marks *image.Gray, img image.Image) bool {
	each := rgbPixels(img)
	if each == nil {
		return false
	}
	var inks inkLifts
	each(func(x, y int, r, gg, b uint8) {
		inks.add(r, gg, b)
		mark(marks, x, y, r, gg, b)
	})
	inks.settle()
	each(func(x, y int, r, gg, b uint8) {
		g.Pix[y*g.Stride+x] = inks.dropped(r, gg, b)
	})
	return true
}

// rgbPixels calls f with every pixel of img (x, y from the image's
// corner), laid on white paper, when img is colour in a form read here
// directly (a JPEG in YCbCr, RGB with or without premultiplied alpha),
// else returns nil.
func rgbPixels(img image.Image) func(f func(x, y int, r, g, b uint8)) {
	b := img.Bounds()
	switch src := img.(type) {
	case *image.YCbCr:
		return func(f func(x, y int, r, g, b uint8)) {
			for y := range b.Dy() {
				for x := range b.Dx() {
					yi, ci := src.YOffset(b.Min.X+x, b.Min.Y+y), src.COffset(b.Min.X+x, b.Min.Y+y)
					r, gg, bb := color.YCbCrToRGB(src.Y[yi], src.Cb[ci], src.Cr[ci])
					f(x, y, r, gg, bb)
				}
			}
		}
	case *image.RGBA:
		return func(f func(x, y int, r, g, b uint8)) {
			for y := range b.Dy() {
				row := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):]
				for x := range b.Dx() {
					// Premultiplied: what shows through is paper.
					paper := 255 - int(row[4*x+3])
					f(x, y, lift(row[4*x], paper), lift(row[4*x+1], paper), lift(row[4*x+2], paper))
				}
			}
		}
	case *image.NRGBA:
		return func(f func(x, y int, r, g, b uint8)) {
			for y := range b.Dy() {
				row := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):]
				for x := range b.Dx() {
					a := row[4*x+3]
					f(x, y, onPaper(row[4*x], a), onPaper(row[4*x+1], a), onPaper(row[4*x+2], a))
				}
			}
		}
	}
	return nil
}

// inkLifts learns, per hue, how a page's coloured ink is dropped out.
// Ink of one colour passes a share of the light in each channel, its
// brightest channel most; under it, or beside it where a scan's blur
// mixes the two, grey ink darkens every channel alike. Of a pixel's
// brightest channel hi and its colour (the spread of its channels) c, the
// grey ink's darkness is then hi + k·c, k being the paper the coloured
// ink's brightest channel misses over its colour, (255 − hi) / c of the
// ink alone: a stamp's own strokes go white, and a letter's edge under
// them stays as dark as the letter. A stamp's strokes are most of its
// hue's pixels, lighter or darker as the scan saw them; k is the one
// that takes inkShare of them to paper. The pixels of grey ink under it
// have a far greater (255 − hi) / c, being darker for their colour.
type inkLifts struct {
	count [hueBins][maxLift + 1]int // per hue, the pixels of each (255 − hi) / c, in hundredths
	k     [hueBins]float64
}

const (
	// fewInk is the fewest pixels of a hue its lift is learnt from;
	// under it (a speck of colour) defaultLift holds.
	fewInk      = 200
	defaultLift = 0.35 // a red stamp's, (205, 45, 55) and the like
	maxLift     = 300  // hundredths: a dark ink's (navy), under which writing is lost anyway
	inkShare    = 75   // per cent
)

func (l *inkLifts) add(r, g, b uint8) {
	hi, lo := int(max(r, g, b)), int(min(r, g, b))
	if hi-lo <= colourChroma {
		return
	}
	l.count[hueOf(r, g, b)][min(maxLift, 100*(255-hi)/(hi-lo))]++
}

// settle sets each hue's k from the pixels added.
func (l *inkLifts) settle() {
	for h := range hueBins {
		l.k[h] = defaultLift
		total := 0
		for _, n := range l.count[h] {
			total += n
		}
		if total < fewInk {
			continue
		}
		n := 0
		for k, c := range l.count[h] {
			if n += c; n >= total*inkShare/100 {
				l.k[h] = float64(k) / 100
				break
			}
		}
	}
}

// dropped is the grey of one colour pixel with colour dropped out.
func (l *inkLifts) dropped(r, g, b uint8) uint8 {
	hi, lo := max(r, g, b), min(r, g, b)
	c := int(hi) - int(lo)
	if c <= colourChroma {
		return hi // grey ink, or coloured too faintly to be a mark (see colourWriting)
	}
	return uint8(min(255, float64(hi)+l.k[hueOf(r, g, b)]*float64(c))) // #nosec G115 -- between hi and 255
}

// colourChroma is the spread between a pixel's brightest and darkest
// channel over which it is a coloured mark, not grey ink or paper.
const colourChroma = 60

// mark notes in marks (when not nil) the colour code of the pixel at
// x, y, when it is coloured, or its faint code (see faintColour) when it
// is tinted.
func mark(marks *image.Gray, x, y int, r, g, b uint8) {
	if marks == nil {
		return
	}
	if code, ok := colourCode(r, g, b); ok {
		marks.Pix[y*marks.Stride+x] = code
	} else if int(max(r, g, b))-int(min(r, g, b)) > faintChroma {
		marks.Pix[y*marks.Stride+x] = faintColour + uint8(luma(r, g, b)/20) // #nosec G115 -- at most 252
	}
}

// A pixel tinted, but too faintly to be a coloured mark (its channels
// spread over faintChroma, up to colourChroma), has a faint code:
// faintColour + its luminance / 20. dropColour gives it its brightest
// channel, as it gives grey ink, and colourWriting its luminance once
// the page's colours are told apart: the thin, blurred strokes of a pale
// pen, (150, 160, 200), are the writing's edges, and as their brightest
// channel they were paper (a form filled in with a pale blue pen read
// seven fields empty at up to 0.99). Telling the colours apart by the
// brightest channel leaves that decision as it was.
const (
	faintChroma = 24
	faintColour = 240
)

// lumOfFaint undoes a faint code's luminance.
func lumOfFaint(code uint8) uint8 { return (code-faintColour)*20 + 10 }

// luma is a pixel's Rec. 601 luminance: the darkness the eye sees.
func luma(r, g, b uint8) int { return (299*int(r) + 587*int(g) + 114*int(b)) / 1000 }

// A coloured pixel's colour code holds its hue, one of hueBins of 30°
// (red first), and its luminance in twentieths: hue × 20 + luminance /
// 13, under 240. 255 is no colour.
const (
	hueBins       = 12
	noColour      = 255
	writtenColour = 254 // coloured writing put back (colourWriting)
	lumLevels     = 20
)

// colourCode returns a pixel's colour code; ok=false for grey ink and
// paper (see colourChroma).
func colourCode(r, g, b uint8) (uint8, bool) {
	if int(max(r, g, b))-int(min(r, g, b)) <= colourChroma {
		return 0, false
	}
	return uint8(hueOf(r, g, b)*lumLevels + min(lumLevels-1, luma(r, g, b)/13)), true // #nosec G115 -- under 240
}

// hueOf is the hue bin of a pixel whose channels are not all alike.
func hueOf(r, g, b uint8) int {
	hi, lo := max(r, g, b), min(r, g, b)
	chroma := float64(hi) - float64(lo)
	var h float64 // in sixths of the circle
	switch hi {
	case r:
		h = math.Mod((float64(g)-float64(b))/chroma+6, 6)
	case g:
		h = (float64(b)-float64(r))/chroma + 2
	default:
		h = (float64(r)-float64(g))/chroma + 4
	}
	return min(hueBins-1, int(h*hueBins/6))
}

// hueOfCode and lumOfCode undo colourCode.
func hueOfCode(code uint8) int   { return int(code) / lumLevels }
func lumOfCode(code uint8) uint8 { return code%lumLevels*13 + 6 }

// onPaper is a colour channel of value c and opacity a laid on white
// paper: an image saved with transparency (a page exported with an alpha
// channel) shows paper where it is transparent, not black.
func onPaper(c, a uint8) uint8 {
	return uint8(255 - (255-int(c))*int(a)/255) // #nosec G115 -- between c and 255
}

// lift is a premultiplied colour channel c with paper (255 less its
// opacity) showing through.
func lift(c uint8, paper int) uint8 { return uint8(min(255, int(c)+paper)) } // #nosec G115 -- at most 255

// colourWriting tells, on a registered colour page, the coloured ink
// that is the writing from marks over it, and puts the writing back:
// its pixels take their darkness again in img and are no longer marks.
// marks (colour codes, see dropColour) becomes where marks were dropped
// out (0, writtenColour where the writing was put back, elsewhere 255),
// as underMarks and clearMarkRims want it. A hue (with the hues beside
// it: a pen's blue straddles two) is the writing when it is the
// only ink in two of the page's fields or more, and in as many as black
// ink is alone in: a form filled in with a blue pen (dark ink beside the
// colour is the core of a coloured letter, see colourBeside). A stamp or
// a pen's stroke lies over fields in one place (see stampReach), over
// writing in black or over nothing. Tick boxes are left out: their
// printed frames are black ink in every one.
func colourWriting(img, marks *image.Gray, t affine, fields []form.Field) {
	if marks.Rect != img.Rect {
		return // not the page's (cannot be: both are decoded and turned alike)
	}
	k := t.scale()
	least := int(3 * k * k) // a letter's ink, 3 pt²
	b := img.Bounds()
	var alone [hueBins]int           // per hue, the fields whose only ink it is, with the hues beside
	var in [hueBins]int              // per hue, the fields whose ink is at least a third of it, with the hues beside
	var top, bottom [hueBins]float64 // per hue, how far up and down the page the fields of in lie (points)
	black := 0                       // the fields whose only ink is black
	for _, f := range fields {
		if f.Type == form.TypeCheckbox {
			continue
		}
		z := inset(f.Zone, 1.5) // clear of the field's rules
		var hues [hueBins]int
		coloured := 0
		// The black ink, a pixel a sample (0, elsewhere 255): a field's
		// rule that the fit puts inside the inset zone (a page seen a
		// little skewed) is no writing, and an empty field's rules
		// would outnumber a form's blue writing. They are whitened as a
		// zone's are before it is read.
		sample := image.NewGray(image.Rect(0, 0, int(z.W*k), int(z.H*k)))
		tinted := make([]bool, len(sample.Pix)) // dark, with coloured ink beside: a coloured letter's core
		for i := range sample.Pix {
			sample.Pix[i] = 255
			x, y := i%sample.Stride, i/sample.Stride
			px, py := t.apply(z.X+float64(x)/k, z.Y+float64(y)/k)
			p := image.Pt(int(px), int(py))
			if !p.In(b) {
				continue
			}
			if c := marks.Pix[marks.PixOffset(p.X, p.Y)]; c < faintColour && lumOfCode(c) < writingInk {
				hues[hueOfCode(c)]++
				coloured++
			} else if img.Pix[img.PixOffset(p.X, p.Y)] < inkThreshold {
				sample.Pix[i] = 0
				tinted[i] = colourBeside(marks, p)
			}
		}
		whitenLines(sample, inkThreshold, 0)
		dark := 0 // black ink: dark, and no coloured ink beside it
		for i, v := range sample.Pix {
			if v < inkThreshold && !tinted[i] {
				dark++
			}
		}
		// Specks of a noisy scan are dark too, a few in a thousand of
		// an empty zone's pixels; writing is some in a hundred.
		if dark >= max(least, len(sample.Pix)/200) && coloured < least {
			black++
		}
		for h := range hueBins {
			n := hues[(h+hueBins-1)%hueBins] + hues[h] + hues[(h+1)%hueBins]
			if n >= least && dark < n/4 {
				alone[h]++
			}
			if n >= least && dark < 2*n {
				if in[h] == 0 || f.Zone.Y < top[h] {
					top[h] = f.Zone.Y
				}
				bottom[h] = max(bottom[h], f.Zone.Y+f.Zone.H)
				in[h]++
			}
		}
	}
	// A stamp lies over the fields in one place; writing goes down the
	// page. A hue in fields no further apart than a stamp reaches is
	// taken for a mark however many fields it covers (a stamp over a
	// table of orderers covers five).
	for h := range hueBins {
		if bottom[h]-top[h] < stampReach {
			alone[h], in[h] = 0, 0
		}
	}
	// No field in black alone, and no hue alone in two: a hue that is a
	// third of the ink in three fields or more is the writing (a dark
	// pen, its colour seen at the letters' edges only, among specks).
	if black == 0 && slices.Max(alone[:]) < 2 && slices.Max(in[:]) >= 3 {
		alone = in
	}
	// Every hue the writing is alone in most fields in, with the hues
	// beside it: a blue whose pixels straddle two bins is counted alike
	// in three neighbourhoods (the bins 6, 7 and 8 of a pen's blue, 12
	// fields each), and taking the first of them alone would leave the
	// far bin's pixels dropped out, the letters hollow.
	var writing [hueBins]bool
	if most := slices.Max(alone[:]); most >= 2 && most >= black {
		for h := range hueBins {
			if alone[h] < most {
				continue
			}
			for _, d := range []int{hueBins - 1, 0, 1} {
				writing[(h+d)%hueBins] = true
			}
		}
	}
	for i, c := range marks.Pix {
		switch {
		case c == noColour, c >= faintColour:
		case writing[hueOfCode(c)]:
			y, x := i/marks.Stride, i%marks.Stride
			img.Pix[y*img.Stride+x] = min(img.Pix[y*img.Stride+x], lumOfCode(c))
			marks.Pix[i] = writtenColour
		default:
			marks.Pix[i] = 0
		}
	}
	// The faint pixels take their luminance, but for a mark's edge: those
	// beside a mark dropped out (a stamp's, blurred) stay dropped with it.
	for i, c := range marks.Pix {
		if c < faintColour || c >= writtenColour {
			continue
		}
		y, x := i/marks.Stride, i%marks.Stride
		if !droppedBeside(marks, image.Pt(x, y)) {
			img.Pix[y*img.Stride+x] = min(img.Pix[y*img.Stride+x], lumOfFaint(c))
		}
		marks.Pix[i] = noColour
	}
}

// clearMarkRims whitens, on a colour page whose marks colourWriting has
// told from its writing (marks: 0 where a mark was dropped out), what the
// dropped marks left of themselves on img: the rims of their strokes,
// where a scan's blur and a JPEG's colour at half resolution mix the
// mark's colour with paper into a grey no colour tells from ink. A
// received-stamp beside a name left the outlines of its letters and
// frame, and the readings took them for writing (Stéphane Mäkinen LE fe
// eg fån ee ih). Such a rim is thin ink every pixel of which (or nearly)
// lies within faintReach of the dropped strokes, and none as dark as
// writing (rimInk); writing under a mark is dark at its core and runs on
// past the strokes it crosses, and stays, as does coloured writing that
// colourWriting put back however pale (a blue 1 under a stamp's frame).
// It reports whether it cleared any.
func clearMarkRims(img, marks *image.Gray) bool {
	if marks.Rect != img.Rect {
		return false
	}
	var box image.Rectangle
	for y := marks.Rect.Min.Y; y < marks.Rect.Max.Y; y++ {
		row := marks.Pix[marks.PixOffset(marks.Rect.Min.X, y):][:marks.Rect.Dx()]
		first := bytes.IndexByte(row, 0)
		if first < 0 {
			continue
		}
		last := bytes.LastIndexByte(row, 0)
		box = box.Union(image.Rect(marks.Rect.Min.X+first, y, marks.Rect.Min.X+last+1, y+1))
	}
	if box.Empty() {
		return false
	}
	box = box.Inset(-2 * faintReach).Intersect(img.Rect)
	w, h := box.Dx(), box.Dy()
	// near: within faintReach of a dropped pixel, each way (a square's
	// reach), found a row and then a column at a time.
	across := make([]bool, w*h)
	for y := range h {
		row := marks.Pix[marks.PixOffset(box.Min.X, box.Min.Y+y):][:w]
		for x, c := range row {
			if c != 0 {
				continue
			}
			for d := max(0, x-faintReach); d <= min(w-1, x+faintReach); d++ {
				across[y*w+d] = true
			}
		}
	}
	near := make([]bool, w*h)
	for y := range h {
		for x := range w {
			if !across[y*w+x] {
				continue
			}
			for d := max(0, y-faintReach); d <= min(h-1, y+faintReach); d++ {
				near[d*w+x] = true
			}
		}
	}
	sub := img.SubImage(box).(*image.Gray)
	cleared := false
	for _, c := range findComponents(sub, faintInk, true) {
		in, darkest, writing := 0, uint8(255), false
		for _, o := range c.pix {
			y, x := o/sub.Stride, o%sub.Stride
			if near[y*w+x] {
				in++
			}
			darkest = min(darkest, sub.Pix[o])
			writing = writing || marks.Pix[marks.PixOffset(box.Min.X+x, box.Min.Y+y)] == writtenColour
		}
		if 10*in >= 9*len(c.pix) && darkest >= rimInk && !writing {
			for _, o := range c.pix {
				sub.Pix[o] = 255
			}
			cleared = true
		}
	}
	return cleared
}

// rimInk is the darkest grey of a dropped mark's rim (clearMarkRims):
// a stamp's outlines left greys of 105 and lighter; a letter's core is
// darker.
const rimInk = 100

// droppedBeside reports whether a mark colourWriting dropped out (0 in
// marks) lies within faintReach pixels of p.
func droppedBeside(marks *image.Gray, p image.Point) bool {
	r := image.Rect(p.X-faintReach, p.Y-faintReach, p.X+faintReach+1, p.Y+faintReach+1).Intersect(marks.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		if slices.Contains(marks.Pix[marks.PixOffset(r.Min.X, y):marks.PixOffset(r.Max.X, y)], 0) {
			return true
		}
	}
	return false
}

// faintReach is how far (pixels) a mark's faint edge reaches from its
// coloured strokes: a scan's blur, and a JPEG's colour at half resolution.
const faintReach = 3

// colourBeside reports whether coloured ink (in marks, see colourWriting)
// lies within colourReach pixels of p. The core of a letter written in a
// dark blue is nearly as dark in every channel, too little coloured to be
// told from black ink by itself; its edges, where the ink thins, show the
// colour. Black writing is coloured only where a stamp or a pen crosses it.
func colourBeside(marks *image.Gray, p image.Point) bool {
	r := image.Rect(p.X-colourReach, p.Y-colourReach, p.X+colourReach+1, p.Y+colourReach+1).Intersect(marks.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for _, c := range marks.Pix[marks.PixOffset(r.Min.X, y):marks.PixOffset(r.Max.X, y)] {
			if c < faintColour {
				return true
			}
		}
	}
	return false
}

// colourReach is how far (pixels) a coloured letter's core lies from its
// coloured edge: a JPEG holds colour at half resolution, in blocks of two.
const colourReach = 2

// stampReach is how far down a page (points) the fields a received-stamp
// covers lie, from the top of the first to the foot of the last: a stamp
// is some 20 mm tall, and a field it touches at its top or foot adds its
// own height.
const stampReach = 120

// writingInk is the luminance under which coloured ink may be writing.
const writingInk = 160

// Creases: a sheet folded for its envelope comes back with its folds
// across it, a grey line from one edge of the sheet to the other, along
// the sheet's rows (a letter is folded parallel to its short side) and
// so at the page's own skew on the scan. Through a line of writing it
// reads as a stroke through every letter (a personnummer read as
// nothing, Sara Li as Ala). Print stops short of a sheet's edges; a
// crease does not, and it is thin: paper over and under it. (A sheet
// folded in four has a crease down it too: in a zone it is an upright
// line, cleared with the zone's upright rules before the writing is
// read, and read right where it crossed writing on the 9445-folds
// sample; a search down the sheet only flagged the values it crossed.)
const (
	creaseEdge    = 0.05 // the share of the sheet's width at either end a crease must be seen in
	creaseShown   = 0.5  // the share of the samples along a crease, and of those at each end, it must be seen in
	creaseWidest  = 1.2  // mm: the widest crease
	creaseSamples = 160  // samples along a candidate line across the sheet
	creaseInk     = 50   // how much darker than a crease ink it crosses is
	creaseOnScan  = 0.8  // the share of the sheet's width a crease must be seen across on the scan
	creaseAslant  = 3.0  // points: how much higher a crease may cross one side of the sheet than the other
)

// clearCreases paints over the creases across a registered page (t puts
// the template's points, a sheet w by h, on img; see paintCrease) and
// returns where they were, as short runs of columns, for streakCrossed:
// what ran along a crease may be lost with it.
func clearCreases(img *image.Gray, t affine, w, h float64) []image.Rectangle {
	b := img.Bounds()
	lx, ly := t.apply(0, h/2)
	rx, ry := t.apply(w, h/2)
	k := math.Hypot(rx-lx, ry-ly) / w // pixels a point, along the rows
	if k <= 0 || math.IsNaN(k) {
		return nil
	}
	mm := k * 72 / 25.4
	gap := max(3, int(math.Ceil((creaseWidest/2+0.5)*mm))) // from a crease's middle to the paper over and under it
	paper := func(x, y int) bool {
		return !(image.Point{x, y}.In(b)) || img.Pix[img.PixOffset(x, y)] >= streakLight
	}
	// thin reports whether the sheet is darker than paper at (x, y),
	// within a pixel, with paper gap pixels over and under it.
	thin := func(fx, fy float64) bool {
		x, y := int(fx), int(fy)
		if !(image.Point{x, y}.In(b)) {
			return false
		}
		if paper(x, y) && paper(x, y-1) && paper(x, y+1) {
			return false
		}
		return paper(x, y-gap) && paper(x, y+gap)
	}
	edge := int(creaseEdge * creaseSamples)
	// onScan is the first and the last of the samples along the line
	// from (0, y0) to (w, y1) on the template's sheet that are on the
	// scan, (-1, -1) for none.
	onScan := func(y0, y1 float64) (first, last int) {
		first, last = -1, -1
		for i := range creaseSamples {
			u := (float64(i) + 0.5) / creaseSamples
			if x, y := t.apply(u*w, y0+(y1-y0)*u); (image.Point{int(x), int(y)}.In(b)) {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		return first, last
	}
	// seen counts the samples along that line where it is thin and dark:
	// in all, and the least of the two ends'. A scan may cut a sheet's
	// edges off: the ends are those of the part of the line on the scan,
	// which must hold most of it.
	seen := func(y0, y1 float64) (all, edges int) {
		first, last := onScan(y0, y1)
		if first < 0 {
			return 0, 0
		}
		left, right := 0, 0
		for i := first; i <= last; i++ {
			u := (float64(i) + 0.5) / creaseSamples
			if x, y := t.apply(u*w, y0+(y1-y0)*u); !thin(x, y) {
				continue
			}
			all++
			if i < first+edge {
				left++
			} else if i > last-edge {
				right++
			}
		}
		if float64(last-first+1) < creaseOnScan*creaseSamples {
			return all, 0
		}
		return all, min(left, right)
	}
	enough := func(all, edges int) bool {
		return float64(all) >= creaseShown*creaseSamples && float64(edges) >= creaseShown*float64(edge)
	}
	// midSeen counts the samples across the middle of the sheet, a
	// tenth of its width, along the row y where it is thin and dark:
	// most rows are passed over on them. Every line tried through y,
	// aslant or not, crosses the middle there.
	midSeen := func(y float64) int {
		n := 0
		for i := creaseSamples/2 - edge; i < creaseSamples/2+edge; i++ {
			x, yy := t.apply((float64(i)+0.5)/creaseSamples*w, y)
			if thin(x, yy) {
				n++
			}
		}
		return n
	}
	step := 0.7 / k // points: under a pixel
	// endsNear reports whether a line through the row y in the middle,
	// aslant by creaseAslant at most, may be seen at both ends of the
	// sheet: most rows of writing across the middle are passed over on
	// it before the lines aslant are tried.
	endsNear := func(y float64) bool {
		first, last := onScan(y, y)
		if first < 0 || last-first+1 < 2*edge {
			return false
		}
		for _, end := range [2][2]int{{first, first + edge}, {last + 1 - edge, last + 1}} {
			n := 0
			for i := end[0]; i < end[1]; i++ {
				u := (float64(i) + 0.5) / creaseSamples
				for d := -creaseAslant / 2; d <= creaseAslant/2; d += step {
					if x, yy := t.apply(u*w, y+d*(2*u-1)); thin(x, yy) {
						n++
						break
					}
				}
			}
			if float64(n) < creaseShown*float64(edge) {
				return false
			}
		}
		return true
	}
	var creases [][2]float64
	for y := 0.0; y < h; y += step {
		if float64(midSeen(y)) < creaseShown*float64(edge) {
			continue
		}
		all, edges := seen(y, y)
		if float64(all) < creaseShown*creaseSamples/2 || !endsNear(y) {
			continue
		}
		// A fold may be a little aslant on the sheet (a millimetre from
		// one side to the other): the line through the sheet that it is
		// seen along most.
		best, by0, by1 := -1, 0.0, 0.0
		if enough(all, edges) {
			best, by0, by1 = all, y, y
		}
		for d := -creaseAslant; d <= creaseAslant; d += step {
			a, e := seen(y-d/2, y+d/2)
			if enough(a, e) && a > best {
				best, by0, by1 = a, y-d/2, y+d/2
			}
		}
		if best < 0 {
			continue
		}
		if n := len(creases); n > 0 && math.Abs(creases[n-1][0]+creases[n-1][1]-by0-by1) < 2*float64(gap)/k {
			// The same crease, seen from the next row: the line
			// seen along more.
			if a, _ := seen(creases[n-1][0], creases[n-1][1]); a >= best {
				continue
			}
			creases[n-1] = [2]float64{by0, by1}
			continue
		}
		creases = append(creases, [2]float64{by0, by1})
	}
	var out []image.Rectangle
	for _, c := range creases {
		out = append(out, paintCrease(img, t, w, c[0], c[1], gap)...)
	}
	return out
}

// paintCrease paints over the crease along the line from (0, y0) to (w,
// y1) on the template's sheet, put on img by t, column by column across
// the image: from the paper or ink over it to that under it, as thick as
// it is where it crosses paper (gap pixels from its middle, over and
// under, is paper; see clearCreases).
func paintCrease(img *image.Gray, t affine, w, y0, y1 float64, gap int) []image.Rectangle {
	b := img.Bounds()
	ax, ay := t.apply(0, y0)
	bx, by := t.apply(w, y1)
	if bx-ax < 1 {
		return nil
	}
	slope := (by - ay) / (bx - ax)
	dark := func(x, y int) bool {
		return image.Point{x, y}.In(b) && img.Pix[img.PixOffset(x, y)] < streakLight
	}
	// How far the crease reaches over and under its middle line, where
	// it crosses paper: the median of the columns'.
	var ups, downs, greys []int
	for x := b.Min.X; x < b.Max.X; x += 4 {
		y := int(math.Round(ay + slope*(float64(x)-ax)))
		if dark(x, y-gap) || dark(x, y+gap) {
			continue
		}
		c := y
		for d := -1; d <= 1; d++ {
			if dark(x, y+d) {
				c = y + d
				break
			}
		}
		if !dark(x, c) {
			continue
		}
		up, down := c, c
		for up > y-gap && dark(x, up-1) {
			up--
		}
		for down < y+gap && dark(x, down+1) {
			down++
		}
		grey := 255
		for v := up; v <= down; v++ {
			grey = min(grey, int(img.Pix[img.PixOffset(x, v)]))
		}
		ups, downs, greys = append(ups, y-up), append(downs, down-y), append(greys, grey)
	}
	if len(ups) == 0 {
		return nil
	}
	slices.Sort(ups)
	slices.Sort(downs)
	slices.Sort(greys)
	over, under := ups[len(ups)/2]+1, downs[len(downs)/2]+1
	// A grey crease is told from the ink it crosses by its grey: what is
	// clearly darker is kept. One as dark as ink (a 1-bit scan's) cannot
	// be: the column is shaded from over it to under it.
	ink := greys[len(greys)/2] - creaseInk
	const run = 32 // columns to a rectangle returned
	var out []image.Rectangle
	var r image.Rectangle
	for x := b.Min.X; x < b.Max.X; x++ {
		mid := int(math.Round(ay + slope*(float64(x)-ax)))
		top, bot := mid-over, mid+under
		if top-1 < b.Min.Y || bot+1 >= b.Max.Y {
			continue
		}
		above, below := float64(img.Pix[img.PixOffset(x, top-1)]), float64(img.Pix[img.PixOffset(x, bot+1)])
		for y := top; y <= bot; y++ {
			i := img.PixOffset(x, y)
			switch {
			case int(img.Pix[i]) < ink:
			case ink > 0:
				img.Pix[i] = uint8(max(above, below)) // #nosec G115 -- one of two greys
			default:
				s := float64(y-top+1) / float64(bot-top+2)
				img.Pix[i] = uint8(above*(1-s) + below*s + 0.5) // #nosec G115 -- between two greys
			}
		}
		col := image.Rect(x, top, x+1, bot+1)
		if r.Empty() {
			r = col
		} else {
			r = r.Union(col)
		}
		if (x-b.Min.X)%run == run-1 {
			out = append(out, r)
			r = image.Rectangle{}
		}
	}
	if !r.Empty() {
		out = append(out, r)
	}
	return out
}
