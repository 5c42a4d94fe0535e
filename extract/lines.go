package extract

import (
	"image"
	"math"

	"blankett/form"
)

// A page whose other marks the scanner cut off still has its printed
// frames: long horizontal and vertical lines at known places. registerByLines
// finds the page's skew from the ink itself, then the scale that lines the
// template's frame edges up with the page's, around the one mark that was
// found.

// lineScan is the resolution the lines are looked for at.
const lineScanDPI = 75

// loneMark reports whether only one corner has a mark, and which.
func loneMark(found [4]bool) (corner int, ok bool) {
	n := 0
	for i, f := range found {
		if f {
			n, corner = n+1, i
		}
	}
	return corner, n == 1
}

// registerByLines registers an upright page from the mark in one corner
// (found by cornerMarks, at markAt in template points) and the frames
// printed on the template page pg. Without pg it assumes the nominal scale: close
// enough to read the header, which says which page's frames to use.
func registerByLines(img *image.Gray, corner int, markAt [2]float64, pg *form.Page) (affine, bool) {
	dpi := pageDPI(img)
	marks, found := cornerMarks(img, dpi)
	if corner < 0 || corner > 3 || !found[corner] {
		return affine{}, false
	}
	mark := marks[corner]
	tmx, tmy := markAt[0], markAt[1]
	var hlines, vlines []float64
	if pg != nil {
		for _, r := range pg.Rects {
			if r.Stroke == "" || r.Box.W < 40 || r.Box.H < 8 {
				continue // frames of value zones, not bars or tick boxes
			}
			hlines = append(hlines, r.Box.Y, r.Box.Y+r.Box.H)
			vlines = append(vlines, r.Box.X, r.Box.X+r.Box.W)
		}
		if len(hlines) < 6 {
			return affine{}, false
		}
	}

	// Ink points at the scan resolution.
	f := max(1, int(math.Round(dpi/lineScanDPI)))
	b := img.Bounds()
	var pts [][2]float64
	for y := b.Min.Y; y+f <= b.Max.Y; y += f {
		for x := b.Min.X; x+f <= b.Max.X; x += f {
			if img.Pix[img.PixOffset(x+f/2, y+f/2)] < inkThreshold {
				pts = append(pts, [2]float64{float64(x-b.Min.X) / float64(f), float64(y-b.Min.Y) / float64(f)})
			}
		}
	}
	if len(pts) < 500 {
		return affine{}, false
	}
	w, h := b.Dx()/f+2, b.Dy()/f+2
	size := w + h
	hist := func(theta float64, horizontal bool) []float64 {
		c, s := math.Cos(theta), math.Sin(theta)
		out := make([]float64, 2*size)
		for _, pt := range pts {
			var v float64
			if horizontal {
				v = pt[1]*c - pt[0]*s // y'
			} else {
				v = pt[0]*c + pt[1]*s // x'
			}
			i := int(v) + size/2
			if i >= 0 && i < len(out) {
				out[i]++
			}
		}
		return out
	}
	// Skew: the angle whose rows are most sharply peaked.
	best, theta := -1.0, 0.0
	for a := -4.0; a <= 4.0; a += 0.05 {
		var e float64
		for _, v := range hist(a*math.Pi/180, true) {
			e += v * v
		}
		if e > best {
			best, theta = e, a*math.Pi/180
		}
	}
	rows, cols := hist(theta, true), hist(theta, false)
	c, s := math.Cos(theta), math.Sin(theta)
	mx, my := (mark.cx-float64(b.Min.X))/float64(f), (mark.cy-float64(b.Min.Y))/float64(f)
	mxp, myp := mx*c+my*s, my*c-mx*s // the mark in deskewed coordinates
	k := dpi / 72 / float64(f)       // template points to scan pixels at scale 1
	peak := func(hst []float64, at float64) float64 {
		i := int(at) + size/2
		var m float64
		for j := i - 1; j <= i+1; j++ {
			if j >= 0 && j < len(hst) {
				m = math.Max(m, hst[j])
			}
		}
		return m
	}
	bestScore, scale := -1.0, 1.0
	for sc := 0.95; pg != nil && sc <= 1.05; sc += 0.0005 {
		var score float64
		for _, y := range hlines {
			score += peak(rows, myp+sc*k*(y-tmy))
		}
		for _, x := range vlines {
			score += peak(cols, mxp+sc*k*(x-tmx))
		}
		if score > bestScore {
			bestScore, scale = score, sc
		}
	}
	// The frames must really be there: a line is a run of ink as long as
	// the frame is wide, far above what text rows give.
	if pg != nil && bestScore < float64(len(hlines)+len(vlines))*20 {
		return affine{}, false
	}
	// Template (x, y) → deskewed scan (x', y') → scan (x, y) → image.
	g := scale * k
	// x' = mxp + g(x−tmx), y' = myp + g(y−tmy); scan x = x'c − y's, y = x's + y'c.
	t := affine{
		A: g * c, B: -g * s, C: (mxp-g*tmx)*c - (myp-g*tmy)*s,
		D: g * s, E: g * c, F: (mxp-g*tmx)*s + (myp-g*tmy)*c,
	}
	ff := float64(f)
	t = affine{A: t.A * ff, B: t.B * ff, C: t.C*ff + float64(b.Min.X), D: t.D * ff, E: t.E * ff, F: t.F*ff + float64(b.Min.Y)}
	return t, true
}
