package extract

import (
	"errors"
	"image"
	"math"
	"sort"

	"blankett/form"
)

// affine maps template points (x, y) to image pixels:
// X = A·x + B·y + C, Y = D·x + E·y + F.
type affine struct{ A, B, C, D, E, F float64 }

func (t affine) apply(x, y float64) (float64, float64) {
	return t.A*x + t.B*y + t.C, t.D*x + t.E*y + t.F
}

// scale is the mean pixels per point of the transform.
func (t affine) scale() float64 { return math.Sqrt(math.Abs(t.A*t.E - t.B*t.D)) }

// fitAffine finds the least-squares affine transform taking src to dst
// (at least three points not on a line).
func fitAffine(src, dst [][2]float64) (affine, error) {
	if len(src) < 3 || len(src) != len(dst) {
		return affine{}, errors.New("fit: need three or more point pairs")
	}
	// Normal equations M·p = v for p = (a, b, c), shared M for both rows.
	var m [3][3]float64
	var vx, vy [3]float64
	for i, s := range src {
		row := [3]float64{s[0], s[1], 1}
		for r := range 3 {
			for c := range 3 {
				m[r][c] += row[r] * row[c]
			}
			vx[r] += row[r] * dst[i][0]
			vy[r] += row[r] * dst[i][1]
		}
	}
	px, ok1 := solve3(m, vx)
	py, ok2 := solve3(m, vy)
	if !ok1 || !ok2 {
		return affine{}, errors.New("fit: points on a line")
	}
	return affine{px[0], px[1], px[2], py[0], py[1], py[2]}, nil
}

// fitSimilarity finds the least-squares rotation, uniform scale and shift
// taking src to dst (two or more point pairs).
func fitSimilarity(src, dst [][2]float64) (affine, error) {
	n := float64(len(src))
	if len(src) < 2 || len(src) != len(dst) {
		return affine{}, errors.New("fit: need two or more point pairs")
	}
	var msx, msy, mdx, mdy float64
	for i := range src {
		msx += src[i][0] / n
		msy += src[i][1] / n
		mdx += dst[i][0] / n
		mdy += dst[i][1] / n
	}
	var num1, num2, den float64
	for i := range src {
		sx, sy := src[i][0]-msx, src[i][1]-msy
		dx, dy := dst[i][0]-mdx, dst[i][1]-mdy
		num1 += dx*sx + dy*sy
		num2 += dy*sx - dx*sy
		den += sx*sx + sy*sy
	}
	if den < 1e-9 {
		return affine{}, errors.New("fit: points coincide")
	}
	a, b := num1/den, num2/den
	return affine{A: a, B: -b, C: mdx - (a*msx - b*msy), D: b, E: a, F: mdy - (b*msx + a*msy)}, nil
}

// solve3 solves a 3×3 linear system by Cramer's rule.
func solve3(m [3][3]float64, v [3]float64) ([3]float64, bool) {
	det := func(a [3][3]float64) float64 {
		return a[0][0]*(a[1][1]*a[2][2]-a[1][2]*a[2][1]) -
			a[0][1]*(a[1][0]*a[2][2]-a[1][2]*a[2][0]) +
			a[0][2]*(a[1][0]*a[2][1]-a[1][1]*a[2][0])
	}
	d := det(m)
	if math.Abs(d) < 1e-9 {
		return [3]float64{}, false
	}
	var out [3]float64
	for c := range 3 {
		mc := m
		for r := range 3 {
			mc[r][c] = v[r]
		}
		out[c] = det(mc) / d
	}
	return out, true
}

// blob is a dark connected component.
type blob struct {
	cx, cy float64 // centre of mass, pixels
	w, h   int     // bounding box
	area   int
}

// inkThreshold separates ink from paper in grey images.
const inkThreshold = 140

// markBlobs finds solid, roughly square dark blobs of side minSide..maxSide
// pixels in the rectangle r of img. A blob the edge of the image cuts
// counts as the whole mark it is part of.
func markBlobs(img *image.Gray, r image.Rectangle, minSide, maxSide int) []blob {
	r = r.Intersect(img.Bounds())
	w, h := r.Dx(), r.Dy()
	if w <= 0 || h <= 0 {
		return nil
	}
	seen := make([]bool, w*h)
	var out []blob
	var stack []int
	ib := img.Bounds()
	for y := range h {
		for x := range w {
			i := y*w + x
			if seen[i] || img.Pix[img.PixOffset(r.Min.X+x, r.Min.Y+y)] >= inkThreshold {
				continue
			}
			seen[i] = true
			stack = append(stack[:0], i)
			minX, minY, maxX, maxY := x, y, x, y
			var sx, sy, area int
			for len(stack) > 0 {
				j := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				jx, jy := j%w, j/w
				area++
				sx += jx
				sy += jy
				minX, maxX = min(minX, jx), max(maxX, jx)
				minY, maxY = min(minY, jy), max(maxY, jy)
				for _, d := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
					nx, ny := jx+d[0], jy+d[1]
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					k := ny*w + nx
					if !seen[k] && img.Pix[img.PixOffset(r.Min.X+nx, r.Min.Y+ny)] < inkThreshold {
						seen[k] = true
						stack = append(stack, k)
					}
				}
			}
			left, top := r.Min.X+minX == ib.Min.X, r.Min.Y+minY == ib.Min.Y
			right, bottom := r.Min.X+maxX == ib.Max.X-1, r.Min.Y+maxY == ib.Max.Y-1
			bw, bh := maxX-minX+1, maxY-minY+1
			if float64(area) < 0.7*float64(bw*bh) {
				continue
			}
			b := blob{cx: float64(r.Min.X) + float64(sx)/float64(area), cy: float64(r.Min.Y) + float64(sy)/float64(area), w: bw, h: bh, area: area}
			// A mark the edge of the scan cuts keeps one whole side: the
			// centre is half a side in from the edge it still has.
			switch {
			case (left || right) && (top || bottom):
				continue // cut twice: nothing to go by
			case top || bottom:
				if bh < bw/3 {
					continue
				}
				b.cy = wholeCentre(r.Min.Y+minY, r.Min.Y+maxY, bw, top)
				bh, b.area = bw, bw*bw
			case left || right:
				if bw < bh/3 {
					continue
				}
				b.cx = wholeCentre(r.Min.X+minX, r.Min.X+maxX, bh, left)
				bw, b.area = bh, bh*bh
			}
			if bw < minSide || bh < minSide || bw > maxSide || bh > maxSide {
				continue
			}
			if ratio := float64(bw) / float64(bh); ratio < 0.75 || ratio > 1.33 {
				continue
			}
			out = append(out, b)
		}
	}
	return out
}

// wholeCentre is the centre, along one axis, of a mark side pixels wide
// whose visible ink runs from lo to hi (inclusive), cut by the image's
// edge at its low end (cutLow) or its high end.
func wholeCentre(lo, hi, side int, cutLow bool) float64 {
	if cutLow {
		return float64(hi) + 0.5 - float64(side)/2
	}
	return float64(lo) - 0.5 + float64(side)/2
}

// markNames are the template anchors of the corner marks, by corner.
var markNames = [4]string{"mark_tl", "mark_tr", "mark_br", "mark_bl"}

// corner names, in image coordinates.
const (
	cornerTL = iota
	cornerTR
	cornerBR
	cornerBL
)

// cornerMarks finds the registration mark nearest each corner of img, for
// a page at about dpi. found[i] tells whether corner i has one.
func cornerMarks(img *image.Gray, dpi float64) (marks [4]blob, found [4]bool) {
	b := img.Bounds()
	rw, rh := b.Dx()/5, b.Dy()/6
	px := dpi / 72
	minSide, maxSide := int(9*px), int(24*px)
	regions := [4]image.Rectangle{
		image.Rect(b.Min.X, b.Min.Y, b.Min.X+rw, b.Min.Y+rh),
		image.Rect(b.Max.X-rw, b.Min.Y, b.Max.X, b.Min.Y+rh),
		image.Rect(b.Max.X-rw, b.Max.Y-rh, b.Max.X, b.Max.Y),
		image.Rect(b.Min.X, b.Max.Y-rh, b.Min.X+rw, b.Max.Y),
	}
	corners := [4][2]float64{{float64(b.Min.X), float64(b.Min.Y)}, {float64(b.Max.X), float64(b.Min.Y)},
		{float64(b.Max.X), float64(b.Max.Y)}, {float64(b.Min.X), float64(b.Max.Y)}}
	for i, r := range regions {
		blobs := markBlobs(img, r, minSide, maxSide)
		sort.Slice(blobs, func(a, c int) bool {
			da := math.Hypot(blobs[a].cx-corners[i][0], blobs[a].cy-corners[i][1])
			dc := math.Hypot(blobs[c].cx-corners[i][0], blobs[c].cy-corners[i][1])
			return da < dc
		})
		if len(blobs) > 0 {
			marks[i], found[i] = blobs[0], true
		}
	}
	return marks, found
}

// pageDPI guesses the resolution of an A4 page image from its size.
func pageDPI(img *image.Gray) float64 {
	b := img.Bounds()
	long := max(b.Dx(), b.Dy())
	return float64(long) / (form.A4Height / 72)
}

// orient finds how many quarter turns clockwise the page image must be
// rotated to stand upright, and which corners of the upright page have a
// mark. The template's top-left mark is bigger than the other three: a
// turn is taken when it is the only one that puts every found mark, big or
// small, where the template has such a mark, and keeps a portrait page
// portrait. One mark can be enough when the scanner cut the others off:
// the big one, or a small one in a corner the big mark cannot be in (a
// small mark bottom right on a portrait image: upright, since upside down
// it would be the big one). ok is false when the marks do not tell.
func orient(img *image.Gray) (quarters int, upright [4]bool, ok bool) {
	dpi := pageDPI(img)
	marks, found := cornerMarks(img, dpi)
	k := dpi / 72
	// Between the small (13 pt) and the big (18 pt) mark's area.
	split := (15.5 * k) * (15.5 * k)
	if found == [4]bool{} {
		return 0, upright, false
	}
	b := img.Bounds()
	portrait := b.Dy() >= b.Dx()
	answers := 0
	for q := range 4 {
		if (q%2 == 1) == portrait {
			continue // the form is portrait: odd turns need a landscape image
		}
		consistent := true
		for i := range 4 {
			if !found[i] {
				continue
			}
			// Turning the image clockwise by q quarters moves image
			// corner i to corner (i+q)%4; the template's big mark is at
			// corner 0.
			wantBig := (i+q)%4 == cornerTL
			if isBig := float64(marks[i].area) > split; isBig != wantBig {
				consistent = false
				break
			}
		}
		if consistent {
			quarters = q
			answers++
		}
	}
	for i := range 4 {
		upright[(i+quarters)%4] = found[i]
	}
	return quarters, upright, answers == 1
}

// rotate turns img clockwise by quarters × 90°.
func rotate(img *image.Gray, quarters int) *image.Gray {
	quarters = ((quarters % 4) + 4) % 4
	if quarters == 0 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	var out *image.Gray
	if quarters == 2 {
		out = image.NewGray(image.Rect(0, 0, w, h))
	} else {
		out = image.NewGray(image.Rect(0, 0, h, w))
	}
	for y := range h {
		row := img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y):]
		for x := range w {
			v := row[x]
			switch quarters {
			case 1:
				out.Pix[x*out.Stride+(h-1-y)] = v
			case 2:
				out.Pix[(h-1-y)*out.Stride+(w-1-x)] = v
			case 3:
				out.Pix[(w-1-x)*out.Stride+y] = v
			}
		}
	}
	return out
}

// register fits the template's corner marks to an upright page image.
// It returns the transform and the largest residual in pixels.
func register(img *image.Gray, tpl *form.Template, page int) (affine, float64, error) {
	marks, found := cornerMarks(img, pageDPI(img))
	var src, dst [][2]float64
	p := tpl.Pages[page-1]
	for i, name := range markNames {
		if !found[i] {
			continue
		}
		for _, a := range p.Anchors {
			if a.Name == name {
				src = append(src, [2]float64{a.Box.X + a.Box.W/2, a.Box.Y + a.Box.H/2})
				dst = append(dst, [2]float64{marks[i].cx, marks[i].cy})
			}
		}
	}
	var t affine
	var err error
	if len(src) >= 3 {
		t, err = fitAffine(src, dst)
	} else {
		// Two marks (the others cut off by the scanner): scanners
		// rotate, scale and shift, so a similarity transform is enough.
		t, err = fitSimilarity(src, dst)
	}
	if err != nil {
		return affine{}, 0, err
	}
	var worst float64
	for i := range src {
		x, y := t.apply(src[i][0], src[i][1])
		worst = max(worst, math.Hypot(x-dst[i][0], y-dst[i][1]))
	}
	return t, worst, nil
}

// warp renders the template box (points) of the registered page at k
// pixels per point: the output is aligned with the template.
func warp(img *image.Gray, t affine, box form.Box, k float64) *image.Gray {
	w, h := max(1, int(math.Round(box.W*k))), max(1, int(math.Round(box.H*k)))
	out := image.NewGray(image.Rect(0, 0, w, h))
	b := img.Bounds()
	maxX, maxY := float64(b.Max.X-1), float64(b.Max.Y-1)
	for v := range h {
		y := box.Y + (float64(v)+0.5)/k
		// The source position moves linearly along a row.
		sx, sy := t.apply(box.X+0.5/k, y)
		dx, dy := t.A/k, t.D/k
		row := out.Pix[v*out.Stride:]
		for u := range w {
			row[u] = sample(img, sx-0.5, sy-0.5, maxX, maxY)
			sx += dx
			sy += dy
		}
	}
	return out
}

// sample reads img at (x, y) with bilinear interpolation; outside is paper.
func sample(img *image.Gray, x, y, maxX, maxY float64) uint8 {
	if x < 0 || y < 0 || x >= maxX || y >= maxY {
		return 255
	}
	x0, y0 := int(x), int(y)
	fx, fy := x-float64(x0), y-float64(y0)
	i := img.PixOffset(x0, y0)
	p00, p10 := float64(img.Pix[i]), float64(img.Pix[i+1])
	p01, p11 := float64(img.Pix[i+img.Stride]), float64(img.Pix[i+img.Stride+1])
	top := p00 + (p10-p00)*fx
	bot := p01 + (p11-p01)*fx
	return uint8(top + (bot-top)*fy + 0.5)
}
