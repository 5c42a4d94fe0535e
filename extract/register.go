package extract

import (
	"errors"
	"image"
	"math"

	"blankett/form"
)

// affine maps template points (x, y) to image pixels. Despite its name it
// is a projective transform (a homography), so that a keystoned scan
// registers as well as a shifted, scaled and turned one:
//
//	X = (A·x + B·y + C) / w, Y = (D·x + E·y + F) / w, w = G·x + H·y + 1.
//
// With G = H = 0 it is affine.
type affine struct{ A, B, C, D, E, F, G, H float64 }

func (t affine) apply(x, y float64) (float64, float64) {
	w := t.G*x + t.H*y + 1
	if w == 0 {
		w = 1e-12
	}
	return (t.A*x + t.B*y + t.C) / w, (t.D*x + t.E*y + t.F) / w
}

// projective tells whether t is keystoned, not affine.
func (t affine) projective() bool { return t.G != 0 || t.H != 0 }

// scale is the mean pixels per point of the transform (at the origin).
func (t affine) scale() float64 { return math.Sqrt(math.Abs(t.A*t.E - t.B*t.D)) }

// scaleAt is the mean pixels per point of the transform near (x, y).
func (t affine) scaleAt(x, y float64) float64 {
	x0, y0 := t.apply(x, y)
	x1, y1 := t.apply(x+1, y)
	x2, y2 := t.apply(x, y+1)
	return math.Sqrt(math.Abs((x1-x0)*(y2-y0) - (y1-y0)*(x2-x0)))
}

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
	return affine{A: px[0], B: px[1], C: px[2], D: py[0], E: py[1], F: py[2]}, nil
}

// fitSimilarity finds the least-squares rotation, uniform scale and shift
// taking src to dst (two or more point pairs).
func fitSimilarity(src, dst [][2]float64) (affine, error) {
	if len(src) < 2 || len(src) != len(dst) {
		return affine{}, errors.New("fit: need two or more point pairs")
	}
	msx, msy, mdx, mdy := means(src, dst)
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

// means are the centres of src and of dst.
func means(src, dst [][2]float64) (msx, msy, mdx, mdy float64) {
	n := float64(len(src))
	for i := range src {
		msx += src[i][0] / n
		msy += src[i][1] / n
		mdx += dst[i][0] / n
		mdy += dst[i][1] / n
	}
	return msx, msy, mdx, mdy
}

// fitHomography finds the projective transform taking src to dst that
// minimises the algebraic error (the direct linear transform, on points
// normalised to the unit square for conditioning). It needs four or more
// point pairs, no three of them on a line.
func fitHomography(src, dst [][2]float64) (affine, error) {
	n := len(src)
	if n < 4 || len(dst) != n {
		return affine{}, errors.New("fit: need four or more point pairs")
	}
	ns, ts := normaliser(src)
	nd, td := normaliser(dst)
	// Unknowns h = (a b c d e f g h), with the ninth fixed at 1:
	// a·x + b·y + c − g·x·X − h·y·X = X, and the same for Y.
	var m [8][8]float64
	var v [8]float64
	for i := range n {
		x, y := ns(src[i])
		X, Y := nd(dst[i])
		rows := [2][8]float64{
			{x, y, 1, 0, 0, 0, -x * X, -y * X},
			{0, 0, 0, x, y, 1, -x * Y, -y * Y},
		}
		rhs := [2]float64{X, Y}
		for k, r := range rows {
			for a := range 8 {
				for b := range 8 {
					m[a][b] += r[a] * r[b]
				}
				v[a] += r[a] * rhs[k]
			}
		}
	}
	h, ok := solve8(m, v)
	if !ok {
		return affine{}, errors.New("fit: degenerate points")
	}
	// Undo the normalisations: H = Td⁻¹ · Hn · Ts.
	hn := [3][3]float64{{h[0], h[1], h[2]}, {h[3], h[4], h[5]}, {h[6], h[7], 1}}
	full := mul3(inv3diag(td), mul3(hn, ts))
	if math.Abs(full[2][2]) < 1e-12 {
		return affine{}, errors.New("fit: degenerate transform")
	}
	k := 1 / full[2][2]
	return affine{A: full[0][0] * k, B: full[0][1] * k, C: full[0][2] * k, D: full[1][0] * k, E: full[1][1] * k, F: full[1][2] * k,
		G: full[2][0] * k, H: full[2][1] * k}, nil
}

// normaliser returns a map of the points to about the unit square, and its
// matrix (scale s, shift): p' = s·(p − mean).
func normaliser(pts [][2]float64) (func([2]float64) (float64, float64), [3][3]float64) {
	var mx, my float64
	for _, p := range pts {
		mx += p[0]
		my += p[1]
	}
	mx /= float64(len(pts))
	my /= float64(len(pts))
	var d float64
	for _, p := range pts {
		d += math.Hypot(p[0]-mx, p[1]-my)
	}
	d /= float64(len(pts))
	s := 1.0
	if d > 1e-9 {
		s = math.Sqrt2 / d
	}
	return func(p [2]float64) (float64, float64) { return s * (p[0] - mx), s * (p[1] - my) },
		[3][3]float64{{s, 0, -s * mx}, {0, s, -s * my}, {0, 0, 1}}
}

// inv3diag inverts a normaliser's matrix.
func inv3diag(m [3][3]float64) [3][3]float64 {
	s := m[0][0]
	return [3][3]float64{{1 / s, 0, -m[0][2] / s}, {0, 1 / s, -m[1][2] / s}, {0, 0, 1}}
}

func mul3(a, b [3][3]float64) [3][3]float64 {
	var out [3][3]float64
	for i := range 3 {
		for j := range 3 {
			for k := range 3 {
				out[i][j] += a[i][k] * b[k][j]
			}
		}
	}
	return out
}

// solve8 solves an 8×8 linear system by Gaussian elimination with partial
// pivoting.
func solve8(m [8][8]float64, v [8]float64) ([8]float64, bool) {
	const n = 8
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(m[r][c]) > math.Abs(m[p][c]) {
				p = r
			}
		}
		if math.Abs(m[p][c]) < 1e-12 {
			return [8]float64{}, false
		}
		m[c], m[p] = m[p], m[c]
		v[c], v[p] = v[p], v[c]
		for r := c + 1; r < n; r++ {
			f := m[r][c] / m[c][c]
			for k := c; k < n; k++ {
				m[r][k] -= f * m[c][k]
			}
			v[r] -= f * v[c]
		}
	}
	var x [8]float64
	for r := n - 1; r >= 0; r-- {
		s := v[r]
		for k := r + 1; k < n; k++ {
			s -= m[r][k] * x[k]
		}
		x[r] = s / m[r][r]
	}
	return x, true
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

// pageDPI guesses the resolution of an A4 page image from its size.
func pageDPI(img *image.Gray) float64 {
	b := img.Bounds()
	long := max(b.Dx(), b.Dy())
	return float64(long) / (form.A4Height / 72)
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

// turnRects is turnRect of each of rs (nil for none).
func turnRects(rs []image.Rectangle, w, h, quarters int) []image.Rectangle {
	var out []image.Rectangle
	for _, r := range rs {
		out = append(out, turnRect(r, w, h, quarters))
	}
	return out
}

// turnRect is where r, on an image w by h pixels with its origin at its
// top left, lies once the image is turned clockwise by quarters × 90°
// (see rotate).
func turnRect(r image.Rectangle, w, h, quarters int) image.Rectangle {
	switch ((quarters % 4) + 4) % 4 {
	case 1: // (x, y) to (h-1-y, x)
		return image.Rect(h-r.Max.Y, r.Min.X, h-r.Min.Y, r.Max.X)
	case 2: // (x, y) to (w-1-x, h-1-y)
		return image.Rect(w-r.Max.X, h-r.Max.Y, w-r.Min.X, h-r.Min.Y)
	case 3: // (x, y) to (y, w-1-x)
		return image.Rect(r.Min.Y, w-r.Max.X, r.Max.Y, w-r.Min.X)
	}
	return r
}

// pageView renders box (points, on the template's page) through t at k
// pixels a point, for a person to look at: as warp does, but where the
// scan is n times finer, its pixels are first averaged n by n, then the
// page is read from that at k, one read a pixel, rather than read at n
// times k and averaged after, n² reads a pixel. The grain is smoothed
// alike; a 300 DPI page at 150 takes about a third of the time. (A
// field's zone is read by warp: its pixels are what the readings were
// measured on.)
func pageView(img *image.Gray, t affine, box form.Box, k float64) *image.Gray {
	n := int(t.scaleAt(box.X+box.W/2, box.Y+box.H/2)/k + 0.25)
	if n < 2 {
		return warp(img, t, box, k)
	}
	b := img.Bounds()
	small := shrink(img, n, (b.Dx()+n-1)/n, (b.Dy()+n-1)/n)
	// A point t puts at (X, Y) in img lies at ((X-Min.X)/n, (Y-Min.Y)/n)
	// in small, whose origin is 0.
	mx, my, f := float64(b.Min.X), float64(b.Min.Y), float64(n)
	s := affine{
		A: (t.A - mx*t.G) / f, B: (t.B - mx*t.H) / f, C: (t.C - mx) / f,
		D: (t.D - my*t.G) / f, E: (t.E - my*t.H) / f, F: (t.F - my) / f,
		G: t.G, H: t.H,
	}
	return warp(small, s, box, k)
}

// shrink is w by h pixels, each the mean of the n by n pixels of big
// over it (those of them big has, at its edges).
func shrink(big *image.Gray, n, w, h int) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, w, h))
	b := big.Bounds()
	// The n rows over a row of out are summed column by column first,
	// reading each row of big straight through, then n columns of the
	// sums make a pixel.
	cols := make([]int, w*n)
	x1 := min(b.Min.X+w*n, b.Max.X)
	for v := range h {
		y0, y1 := b.Min.Y+v*n, min(b.Min.Y+(v+1)*n, b.Max.Y)
		clear(cols)
		for y := y0; y < y1; y++ {
			row := big.Pix[big.PixOffset(b.Min.X, y):][:x1-b.Min.X]
			for x, p := range row {
				cols[x] += int(p)
			}
		}
		rows := max(y1-y0, 0)
		dst := out.Pix[v*out.Stride:][:w]
		for u := range w {
			x0, xe := u*n, min((u+1)*n, x1-b.Min.X)
			count := max(xe-x0, 0) * rows
			if count == 0 {
				dst[u] = 255 // beyond big: paper
				continue
			}
			sum := 0
			for _, c := range cols[x0:xe] {
				sum += c
			}
			dst[u] = uint8((sum + count/2) / count) // #nosec G115 -- a mean of bytes, 0–255
		}
	}
	return out
}

// offImage is the share of box (points, on the template's page) that t
// puts beyond img: a page cut short by the scanner (set to a shorter
// paper, or the sheet fed askew) or shifted off its glass. warp makes
// such a part white, which reads as empty.
func offImage(img *image.Gray, t affine, box form.Box) float64 {
	const n = 8 // points along each side of a grid over the box
	b := img.Bounds()
	off := 0
	for i := range n {
		for j := range n {
			x, y := t.apply(box.X+box.W*(float64(i)+0.5)/n, box.Y+box.H*(float64(j)+0.5)/n)
			if x < float64(b.Min.X) || y < float64(b.Min.Y) || x >= float64(b.Max.X) || y >= float64(b.Max.Y) {
				off++
			}
		}
	}
	return float64(off) / (n * n)
}

// warp renders the template box (points) of the registered page at k
// pixels per point: the output is aligned with the template. Each pixel
// is read from the page with bilinear interpolation (outside is paper),
// in fixed point: a page's fields and its image for review are millions
// of pixels. From a page n times finer than k (or nearly), each pixel is
// the mean of n by n such reads.
func warp(img *image.Gray, t affine, box form.Box, k float64) *image.Gray {
	w, h := max(1, int(math.Round(box.W*k))), max(1, int(math.Round(box.H*k)))
	if n := int(t.scaleAt(box.X+box.W/2, box.Y+box.H/2)/k + 0.25); n >= 2 {
		// The image is n times finer than asked, or nearly: each pixel is
		// the mean of the n by n read at n times k. One read alone
		// samples a fine scan's grain as it falls: a 600 DPI scan's
		// writing read at 300 DPI took specks for accents (Åke
		// Mägnusson) where the scan read as it is had none.
		return shrink(warp(img, t, box, k*float64(n)), n, w, h)
	}
	out := image.NewGray(image.Rect(0, 0, w, h))
	b := img.Bounds()
	maxX, maxY := float64(b.Dx()-1), float64(b.Dy()-1)
	x0 := box.X + 0.5/k
	affineOnly := t.G == 0 && t.H == 0
	dnx, dny, dd := t.A/k, t.D/k, t.G/k
	// A row of a skewed page crosses many rows of the image: the rows are
	// rendered a band at a time, a run of columns across the band at a
	// time, so that the image rows they read stay in the cache. Each row
	// is computed as it would be alone, pixel by pixel from its start.
	const band = 16
	run := w
	if a := math.Abs(dny); a*float64(w) > 16 {
		run = max(64, int(16/a)) // about 16 image rows
	}
	var nxs, nys, ds [band]float64
	for v0 := 0; v0 < h; v0 += band {
		n := min(band, h-v0)
		for i := range n {
			y := box.Y + (float64(v0+i)+0.5)/k
			// Along a row the numerators and the denominator of the
			// transform move linearly: one division a pixel, none when
			// the transform is affine.
			nxs[i], nys[i], ds[i] = t.A*x0+t.B*y+t.C, t.D*x0+t.E*y+t.F, t.G*x0+t.H*y+1
		}
		for u0 := 0; u0 < w; u0 += run {
			u1 := min(u0+run, w)
			for i := range n {
				row := out.Pix[(v0+i)*out.Stride:]
				nx, ny, d := nxs[i], nys[i], ds[i]
				for u := u0; u < u1; u++ {
					px, py := nx, ny
					if !affineOnly {
						px, py = nx/d, ny/d
					}
					px, py = px-0.5-float64(b.Min.X), py-0.5-float64(b.Min.Y)
					nx += dnx
					ny += dny
					d += dd
					if px < 0 || py < 0 || px >= maxX || py >= maxY {
						row[u] = 255
						continue
					}
					// 12 bits of fraction.
					fx, fy := int(px*4096), int(py*4096)
					j := (fy>>12)*img.Stride + fx>>12
					fx, fy = fx&4095, fy&4095
					p00, p10 := int(img.Pix[j]), int(img.Pix[j+1])
					p01, p11 := int(img.Pix[j+img.Stride]), int(img.Pix[j+img.Stride+1])
					top := p00<<12 + (p10-p00)*fx
					bot := p01<<12 + (p11-p01)*fx
					row[u] = uint8((top<<12 + (bot-top)*fy + 1<<23) >> 24) // #nosec G115 -- a weighted mean of four bytes, 0–255
				}
				nxs[i], nys[i], ds[i] = nx, ny, d
			}
		}
	}
	return out
}
