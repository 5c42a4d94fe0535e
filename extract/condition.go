package extract

import (
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
//
// Pages a good scanner made are left exactly as they are.

// conditionBlock is the side, in pixels, of the blocks the paper's
// brightness is measured in.
const conditionBlock = 48

// condition returns img with dark ink on level white paper (it may modify
// img and return it).
func condition(img *image.Gray) *image.Gray {
	if mostlyDark(img) {
		for i, v := range img.Pix {
			img.Pix[i] = 255 - v
		}
	}
	levelPaper(img)
	clearBorders(img)
	return img
}

// clearBorders whitens the dark bands along a page's edges: ink that
// touches an edge, runs along at least 40 % of it and is at least a
// millimetre thick on average (printed rules are thinner, corner marks
// shorter).
func clearBorders(img *image.Gray) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	mm := pageDPI(img) / 25.4
	seen := make([]bool, w*h)
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
		side := h
		if maxX-minX > maxY-minY {
			side = w
		}
		if 10*length < 4*side || float64(len(pix)) < float64(length)*mm {
			return
		}
		for _, i := range pix {
			img.Pix[img.PixOffset(b.Min.X+i%w, b.Min.Y+i/w)] = 255
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
}

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

// dropColour writes a colour scan into g with its coloured marks dropped
// out, and where they were into marks (0; nil: not wanted), and reports
// whether img was colour at all (a JPEG in YCbCr or an RGB image). Black
// and grey ink has all three channels alike; a stamp's red or a pen's
// blue has one channel far brighter than another. A pixel's grey is its
// brightest channel, and a strongly coloured one is lifted most of the
// way to white, so that a stamp over a field leaves the writing under it
// (dark in every channel) and little else.
//
// Coloured ink spread over the page, not a mark in a few places, is the
// writing itself: a form filled in with the blue pen it asks for (see
// writingHues). Pixels of its hue keep their darkness (their luminance)
// and are no marks; marks of other hues (a red stamp over blue writing)
// are still dropped.
func dropColour(g, marks *image.Gray, img image.Image) bool {
	b := img.Bounds()
	var spread hueSpread
	// Every other pixel of every other row tells the spread.
	if !eachColour(img, 2, func(x, y int, r, gg, bb uint8) {
		spread.add(x*spreadCols/b.Dx(), y*spreadRows/b.Dy(), r, gg, bb)
	}) {
		return false
	}
	ink := spread.writingHues()
	eachColour(img, 1, func(x, y int, r, gg, bb uint8) {
		i := y*g.Stride + x
		if h, ok := hueOf(r, gg, bb); ok && ink[h] {
			g.Pix[i] = luminance(r, gg, bb)
			return
		}
		g.Pix[i] = dropped(r, gg, bb)
		mark(marks, x, y, r, gg, bb)
	})
	return true
}

// eachColour calls f with every step-th pixel of every step-th row of a
// colour image, its position from the image's corner and its colour on
// white paper, and reports whether img is one (a JPEG in YCbCr or an RGB
// image).
func eachColour(img image.Image, step int, f func(x, y int, r, g, b uint8)) bool {
	b := img.Bounds()
	switch src := img.(type) {
	case *image.YCbCr:
		for y := 0; y < b.Dy(); y += step {
			for x := 0; x < b.Dx(); x += step {
				yi, ci := src.YOffset(b.Min.X+x, b.Min.Y+y), src.COffset(b.Min.X+x, b.Min.Y+y)
				r, g, bb := color.YCbCrToRGB(src.Y[yi], src.Cb[ci], src.Cr[ci])
				f(x, y, r, g, bb)
			}
		}
		return true
	case *image.RGBA:
		for y := 0; y < b.Dy(); y += step {
			row := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < b.Dx(); x += step {
				// Premultiplied: what shows through is paper.
				paper := 255 - int(row[4*x+3])
				f(x, y, lift(row[4*x], paper), lift(row[4*x+1], paper), lift(row[4*x+2], paper))
			}
		}
		return true
	case *image.NRGBA:
		for y := 0; y < b.Dy(); y += step {
			row := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < b.Dx(); x += step {
				a := row[4*x+3]
				f(x, y, onPaper(row[4*x], a), onPaper(row[4*x+1], a), onPaper(row[4*x+2], a))
			}
		}
		return true
	}
	return false
}

// The page is cut into spreadCols × spreadRows cells (about 26 × 25 mm
// on A4) to tell writing from marks by how far a colour is spread.
const (
	spreadCols = 8
	spreadRows = 12
	hueBins    = 12 // of 30° each, red first
)

// hueSpread notes, per hue, the cells of the page that hold ink of it.
type hueSpread [hueBins][spreadCols * spreadRows]int32

// add notes one pixel in cell (cx, cy) when it is coloured ink: dark
// enough to be ink, not a tint.
func (s *hueSpread) add(cx, cy int, r, g, b uint8) {
	if h, ok := hueOf(r, g, b); ok && luminance(r, g, b) < writingInk {
		s[h][cy*spreadCols+cx]++
	}
}

// writingHues returns the hues that are writing: ink of them (with the
// hues beside, a pen's blue straddling two) in at least writingCells
// cells, each with a letter's worth of pixels, across at least half the
// page's height. A received-stamp covers two or three cells by four at
// most, a pen's mark over a field one row of them.
func (s *hueSpread) writingHues() [hueBins]bool {
	var ink [hueBins]bool
	for h := range hueBins {
		cells, top, bottom := 0, spreadRows, -1
		for c := range spreadCols * spreadRows {
			n := s[h][c] + s[(h+1)%hueBins][c] + s[(h+hueBins-1)%hueBins][c]
			if n < writingPixels {
				continue
			}
			cells++
			top, bottom = min(top, c/spreadCols), max(bottom, c/spreadCols)
		}
		if cells >= writingCells && bottom-top+1 >= spreadRows/2 {
			ink[h] = true
		}
	}
	return ink
}

const (
	writingInk    = 160 // the luminance under which a coloured pixel is ink
	writingPixels = 10  // the coloured ink pixels in a cell, one in four counted, that may be writing (a letter's at 150 DPI)
	writingCells  = 8   // the cells coloured writing spreads over at least
)

// hueOf returns the hue bin of a coloured pixel; ok=false for grey ink
// and paper (see colourChroma).
func hueOf(r, g, b uint8) (int, bool) {
	hi, lo := max(r, g, b), min(r, g, b)
	chroma := float64(hi) - float64(lo)
	if chroma <= colourChroma {
		return 0, false
	}
	var h float64 // in sixths of the circle
	switch hi {
	case r:
		h = math.Mod((float64(g)-float64(b))/chroma+6, 6)
	case g:
		h = (float64(b)-float64(r))/chroma + 2
	default:
		h = (float64(r)-float64(g))/chroma + 4
	}
	return min(hueBins-1, int(h*hueBins/6)), true
}

// luminance is a colour's grey as the eye sees its darkness (Rec. 601).
func luminance(r, g, b uint8) uint8 {
	return uint8((299*int(r) + 587*int(g) + 114*int(b)) / 1000) // #nosec G115 -- at most 255
}

// colourChroma is the spread between a pixel's brightest and darkest
// channel over which it is a coloured mark, not grey ink or paper.
const colourChroma = 60

// mark notes in marks (when not nil) that the pixel at x, y is coloured
// (0), when it is.
func mark(marks *image.Gray, x, y int, r, g, b uint8) {
	if marks != nil && int(max(r, g, b))-int(min(r, g, b)) > colourChroma {
		marks.Pix[y*marks.Stride+x] = 0
	}
}

// onPaper is a colour channel of value c and opacity a laid on white
// paper: an image saved with transparency (a page exported with an alpha
// channel) shows paper where it is transparent, not black.
func onPaper(c, a uint8) uint8 {
	return uint8(255 - (255-int(c))*int(a)/255) // #nosec G115 -- between c and 255
}

// lift is a premultiplied colour channel c with paper (255 less its
// opacity) showing through.
func lift(c uint8, paper int) uint8 { return uint8(min(255, int(c)+paper)) } // #nosec G115 -- at most 255

// dropped is the grey of one colour pixel with colour dropped out.
func dropped(r, g, b uint8) uint8 {
	hi, lo := max(r, g, b), min(r, g, b)
	if chroma := int(hi) - int(lo); chroma > colourChroma {
		return uint8(255 - (255-int(hi))/4) // #nosec G115 -- between 191 and 255
	}
	return hi
}
