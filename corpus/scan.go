package corpus

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"

	"blankett/form"
)

// scanSpec says how a page is degraded, like a real scanner and the hands
// that fed it would.
type scanSpec struct {
	DPI         int
	Turned      int     // 0, 90, 180, 270 (clockwise)
	Skew        float64 // degrees clockwise
	Scale       float64
	ShiftX      float64 // points
	ShiftY      float64 // points
	Blur        bool
	Speckle     float64
	Bilevel     bool
	JPEGQuality int
	Profile     string  // the mailroom world's scan profile; "" in the committed corpus
	Contrast    float64 // low-contrast profile: ink's darkness kept (0 = unchanged)
	Light       float64 // low-contrast profile: light fall-off across the page
	// Keystone is the page seen in perspective (a sheet fed askew past
	// the scanner's line, or photographed): the projective terms across
	// and down the page, in page widths and heights (0 0 = none). The
	// skewed page's point at (u, v) from its centre, in those units, is
	// drawn at (u, v) / (1 - Keystone[0]·u - Keystone[1]·v).
	Keystone [2]float64
	// Streaks are the lines a sheet feeder's dirty glass draws down a
	// scan, in the scanner's frame (after the turn): the same down every
	// page it feeds.
	Streaks []streak
	// Folds are the creases of a sheet folded for its envelope, on the
	// sheet (before the skew and the turn).
	Folds []fold
}

// fold is a crease across a sheet: where down it (a share of its
// height), or where across it for one down the sheet (Down: a share of
// its width), how wide its shadow (millimetres) and how dark (grey).
type fold struct {
	At    float64
	Width float64
	Grey  uint8
	Down  bool
}

// randomFolds draws the creases of a sheet folded in three for a DL
// envelope: a third and two thirds down, give or take a centimetre, their
// shadows a third of a millimetre to a millimetre wide, from mid grey to
// faint.
func randomFolds(r *rand.Rand) []fold {
	var out []fold
	for _, at := range []float64{1.0 / 3, 2.0 / 3} {
		out = append(out, fold{At: at + (r.Float64()*2-1)*0.03, Width: 0.3 + 0.7*r.Float64(), Grey: uint8(110 + r.IntN(120))})
	}
	return out
}

// envelopeFolds is how a sheet is folded for its envelope: in three for
// a DL envelope half the time (dl, randomFolds'), in half across for a C5
// envelope a quarter of the time, and a quarter of the time in four for
// a C6 one (in half across, then in half down).
func envelopeFolds(r *rand.Rand, dl []fold) []fold {
	crease := func(down bool) fold {
		return fold{At: 0.5 + (r.Float64()*2-1)*0.02, Width: 0.3 + 0.7*r.Float64(), Grey: uint8(110 + r.IntN(120)), Down: down}
	}
	switch r.IntN(4) {
	case 0:
		return []fold{crease(false)}
	case 1:
		return []fold{crease(false), crease(true)}
	}
	return dl
}

// foldPixels is where a fold lies on a sheet's raster h pixels high (w
// wide, for a fold down the sheet) at dpi: its first row (column) and its
// height in rows (width in columns).
func foldPixels(f fold, h, dpi int) (y, n int) {
	return int(f.At * float64(h)), max(1, int(f.Width*float64(dpi)/25.4+0.5))
}

// streak is one line down a scan: where across it (a share of the
// image's width), how wide (millimetres) and how dark (grey, 0 black).
type streak struct {
	At    float64
	Width float64
	Grey  uint8
}

// randomStreaks draws the streaks of a feeder with dirt on its glass: one
// to three, a hair to half a millimetre wide, black to pale grey.
func randomStreaks(r *rand.Rand) []streak {
	out := make([]streak, 1+r.IntN(3))
	for i := range out {
		out[i] = streak{At: 0.05 + 0.9*r.Float64(), Width: 0.08 + 0.4*r.Float64(), Grey: uint8(20 + r.IntN(150))}
	}
	return out
}

// streakPixels is where a streak lies on a scan ow pixels wide at dpi:
// its first column and its width in columns.
func streakPixels(st streak, ow, dpi int) (x, w int) {
	return int(st.At * float64(ow)), max(1, int(st.Width*float64(dpi)/25.4+0.5))
}

func (s scanSpec) truthPage(filePage, tplPage int, img *image.Gray) TruthPage {
	b := img.Bounds()
	return TruthPage{
		FilePage: filePage, TemplatePage: tplPage, DPI: s.DPI, Turned: s.Turned,
		Skew: round3(s.Skew), Scale: round3(s.Scale), ShiftX: round3(s.ShiftX), ShiftY: round3(s.ShiftY),
		Blur: s.Blur, Speckle: s.Speckle, Bilevel: s.Bilevel, JPEGQuality: s.JPEGQuality,
		ImageWidth: b.Dx(), ImageHeight: b.Dy(), Profile: s.Profile, Keystone: keystoneTruth(s.Keystone),
		Streaks: streaksTruth(s.Streaks, b.Dx(), s.DPI), Folds: foldsTruth(s.Folds),
	}
}

// foldsTruth is a page's Folds as its truth gives them: absent for none.
func foldsTruth(fs []fold) []TruthFold {
	var out []TruthFold
	for _, f := range fs {
		out = append(out, TruthFold{At: round3(f.At), Width: round3(f.Width), Grey: int(f.Grey), Down: f.Down})
	}
	return out
}

// streaksTruth is a page's Streaks as its truth gives them, in pixels of
// an image w pixels wide: absent for none.
func streaksTruth(ss []streak, w, dpi int) []TruthStreak {
	var out []TruthStreak
	for _, st := range ss {
		x, n := streakPixels(st, w, dpi)
		out = append(out, TruthStreak{X: x, Width: n, Grey: int(st.Grey)})
	}
	return out
}

// keystoneTruth is a page's Keystone as its truth gives it: absent for
// none.
func keystoneTruth(k [2]float64) []float64 {
	if k == [2]float64{} {
		return nil
	}
	return []float64{round3(k[0]), round3(k[1])}
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

// randomSpec draws a plausible scan for a storage format.
func randomSpec(r *rand.Rand, f scanFormat) scanSpec {
	dpi, bilevel := f.dpi, f.bi
	s := scanSpec{
		DPI:     dpi,
		Skew:    (r.Float64()*2 - 1) * 3,
		Scale:   0.97 + r.Float64()*0.06,
		ShiftX:  (r.Float64()*2 - 1) * 12,
		ShiftY:  (r.Float64()*2 - 1) * 12,
		Blur:    r.IntN(3) == 0,
		Speckle: []float64{0, 0.0002, 0.001}[r.IntN(3)],
		Bilevel: bilevel,
	}
	if f.format == FormatPDFJPEG {
		s.JPEGQuality = 40 + r.IntN(51)
		if dpi >= 300 && s.JPEGQuality > 65 {
			s.JPEGQuality -= 25 // keep 300 DPI pages small
		}
	}
	return s
}

// printedToFit draws the scale of a form printed to fit its paper: a PDF
// viewer's "fit to printable area" shrinks an A4 page by its printer's
// margins (93-97 %), and A4 printed on Letter paper is shrunk to its
// height (94 %). The page stays centred on the sheet.
func printedToFit(r *rand.Rand) float64 {
	if r.IntN(3) == 0 {
		return 279.4 / 297
	}
	return 0.93 + r.Float64()*0.04
}

// crookedSkew draws the skew of a sheet fed crooked: 3 to 6 degrees
// either way, past the 3 a feeder's guides allow.
func crookedSkew(r *rand.Rand) float64 {
	d := 3 + 3*r.Float64()
	if r.IntN(2) == 0 {
		return -d
	}
	return d
}

// randomKeystone draws a perspective as a sheet fed askew or photographed
// shows it: each term up to a twentieth, so that a corner moves up to
// 2.5 % of the page's size beyond what an affine fit explains.
func randomKeystone(r *rand.Rand) [2]float64 {
	return [2]float64{(r.Float64()*2 - 1) * 0.05, (r.Float64()*2 - 1) * 0.05}
}

// flatten draws a filled fillable PDF's fields on its pages and drops its
// form, as poppler's pdftocairo writes it again: the values stay text,
// in the fonts their appearances use, cut where their boxes cut them.
func flatten(ctx context.Context, pdf []byte) ([]byte, error) {
	dir, err := os.MkdirTemp("", "blankett-flat-")
	if err != nil {
		return nil, fmt.Errorf("flatten: %w", err)
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		return nil, fmt.Errorf("flatten: %w", err)
	}
	cmd := exec.CommandContext(ctx, "pdftocairo", "-pdf", in, out)
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("flatten: pdftocairo: %w: %s", err, b)
	}
	b, err := os.ReadFile(out) // #nosec G304 -- the file pdftocairo wrote in our own temporary directory
	if err != nil {
		return nil, fmt.Errorf("flatten: %w", err)
	}
	// The time it was written, the one thing that differs from run to
	// run.
	return fixedDates(b), nil
}

// fixedDates gives every creation and modification date in pdf, written
// as now, a fixed one of the same length, so that the same seed makes the
// same bytes (the cross-reference table's offsets stay right).
func fixedDates(pdf []byte) []byte {
	return pdfDate.ReplaceAll(pdf, []byte("/${1}Date (D:20260101000000"))
}

var pdfDate = regexp.MustCompile(`/(Creation|Mod)Date \(D:\d{14}`)

// rasterize renders every page of a PDF to grey images with pdftoppm.
func rasterize(ctx context.Context, pdf []byte, dpi int) ([]*image.Gray, error) {
	dir, err := os.MkdirTemp("", "blankett-raster-")
	if err != nil {
		return nil, fmt.Errorf("rasterize: %w", err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		return nil, fmt.Errorf("rasterize: %w", err)
	}
	cmd := exec.CommandContext(ctx, "pdftoppm", "-r", strconv.Itoa(dpi), "-gray", in, filepath.Join(dir, "p"))
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("rasterize: pdftoppm: %w: %s", err, out)
	}
	names, err := filepath.Glob(filepath.Join(dir, "p-*.pgm"))
	if err != nil {
		return nil, fmt.Errorf("rasterize: %w", err)
	}
	sort.Strings(names) // pdftoppm zero-pads page numbers
	var out []*image.Gray
	for _, n := range names {
		img, err := readPGM(n)
		if err != nil {
			return nil, fmt.Errorf("rasterize: %w", err)
		}
		out = append(out, img)
	}
	return out, nil
}

func readPGM(path string) (*image.Gray, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var magic string
	var w, h, max int
	if _, err := fmt.Fscan(br, &magic, &w, &h, &max); err != nil {
		return nil, fmt.Errorf("pgm header %s: %w", path, err)
	}
	if magic != "P5" || max != 255 {
		return nil, fmt.Errorf("pgm %s: unsupported %s/%d", path, magic, max)
	}
	if _, err := br.ReadByte(); err != nil {
		return nil, err
	}
	img := image.NewGray(image.Rect(0, 0, w, h))
	if _, err := io.ReadFull(br, img.Pix); err != nil {
		return nil, fmt.Errorf("pgm %s: %w", path, err)
	}
	return img, nil
}

// ink is the grey of ballpoint ink on a grey scan.
const ink = 35

// stamp paints a disc of radius rad (pixels) at (x, y).
func stamp(img *image.Gray, x, y, rad float64, v uint8) {
	b := img.Bounds()
	for yy := int(y - rad - 1); yy <= int(y+rad+1); yy++ {
		for xx := int(x - rad - 1); xx <= int(x+rad+1); xx++ {
			if !image.Pt(xx, yy).In(b) {
				continue
			}
			d := math.Hypot(float64(xx)-x, float64(yy)-y)
			if d <= rad {
				i := img.PixOffset(xx, yy)
				if img.Pix[i] > v {
					img.Pix[i] = v
				}
			}
		}
	}
}

// stroke paints a polyline.
func stroke(img *image.Gray, pts [][2]float64, rad float64) {
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		n := int(math.Hypot(b[0]-a[0], b[1]-a[1])/(rad*0.5)) + 1
		for k := 0; k <= n; k++ {
			t := float64(k) / float64(n)
			stamp(img, a[0]+(b[0]-a[0])*t, a[1]+(b[1]-a[1])*t, rad, ink)
		}
	}
}

// drawSignature marks a signature zone in the given style, as a hand with a
// pen would.
func drawSignature(img *image.Gray, zone form.Box, dpi int, style string, r *rand.Rand) {
	k := float64(dpi) / 72
	x0, y0, w, h := zone.X*k, zone.Y*k, zone.W*k, zone.H*k
	pen := 0.75 * k // stroke radius: about 1.5 pt wide
	switch style {
	case SigDot:
		stamp(img, x0+w*(0.2+0.6*r.Float64()), y0+h*(0.4+0.3*r.Float64()), 1.3*k, ink)
	case SigStrike:
		stroke(img, [][2]float64{{x0 + w*0.04, y0 + h*0.8}, {x0 + w*0.96, y0 + h*0.25}}, pen*0.8)
	case SigScribble, SigInitials:
		length := w * (0.45 + 0.3*r.Float64())
		loops := 5 + r.IntN(5)
		if style == SigInitials {
			length = w * (0.12 + 0.06*r.Float64())
			loops = 2
		}
		amp := h * 0.28
		a := length / float64(loops) * 0.55
		phase := r.Float64() * math.Pi
		start := x0 + w*0.06
		yc := y0 + h*0.55
		var pts [][2]float64
		n := loops * 24
		for i := 0; i <= n; i++ {
			t := float64(i) / float64(n)
			th := t * float64(loops) * 2 * math.Pi
			env := 0.55 + 0.45*math.Sin(3*t*math.Pi+phase)
			x := start + length*t - a*math.Cos(th)
			y := yc - amp*math.Sin(th+phase)*env + h*0.1*math.Sin(t*math.Pi*1.3)
			pts = append(pts, [2]float64{x, y})
		}
		stroke(img, pts, pen)
		if style == SigScribble && r.IntN(2) == 0 { // an underline flourish
			ux := start + length*0.1
			stroke(img, [][2]float64{{ux, yc + amp*1.2}, {ux + length*0.5, yc + amp*1.05}, {start + length*1.05, yc + amp*0.8}}, pen*0.8)
		}
	}
}

// degrade turns a clean page raster into a scan: geometry (turn,
// perspective, skew, scale, shift), paper tone, blur, speckle and 1-bit
// threshold.
func degrade(src *image.Gray, s scanSpec, r *rand.Rand) *image.Gray {
	sw, sh := src.Bounds().Dx(), src.Bounds().Dy()
	ow, oh := sw, sh
	if s.Turned == 90 || s.Turned == 270 {
		ow, oh = sh, sw
	}
	if len(s.Folds) > 0 {
		// Creased on the sheet: drawn on the upright raster, skewed
		// and turned with it.
		creased := image.NewGray(src.Bounds())
		copy(creased.Pix, src.Pix)
		for _, f := range s.Folds {
			if f.Down {
				x0, n := foldPixels(f, sw, s.DPI)
				for y := range sh {
					row := creased.Pix[y*creased.Stride:][:sw]
					for x := max(0, x0); x < min(sw, x0+n); x++ {
						row[x] = min(row[x], f.Grey)
					}
				}
				continue
			}
			y0, n := foldPixels(f, sh, s.DPI)
			for y := max(0, y0); y < min(sh, y0+n); y++ {
				row := creased.Pix[y*creased.Stride:][:sw]
				for x := range row {
					row[x] = min(row[x], f.Grey)
				}
			}
		}
		src = creased
	}
	dst := image.NewGray(image.Rect(0, 0, ow, oh))
	k := float64(s.DPI) / 72
	cx, cy := float64(sw)/2, float64(sh)/2
	th := s.Skew * math.Pi / 180
	cos, sin := math.Cos(th), math.Sin(th)
	scale := s.Scale
	if scale == 0 {
		scale = 1
	}
	shx, shy := s.ShiftX*k, s.ShiftY*k
	const paper = 250
	for oy := 0; oy < oh; oy++ {
		for ox := 0; ox < ow; ox++ {
			// Undo the turn: output pixel → upright page frame.
			var x, y float64
			fx, fy := float64(ox)+0.5, float64(oy)+0.5
			switch s.Turned {
			case 90:
				x, y = fy, float64(sh)-fx
			case 180:
				x, y = float64(sw)-fx, float64(sh)-fy
			case 270:
				x, y = float64(sw)-fy, fx
			default:
				x, y = fx, fy
			}
			if s.Keystone != [2]float64{} {
				// Undo the perspective (see scanSpec.Keystone): the
				// page's point drawn at (u, v) is (u, v) / (1 + a·u + b·v).
				u, v := (x-cx)/float64(sw), (y-cy)/float64(sh)
				w := 1 + s.Keystone[0]*u + s.Keystone[1]*v
				x, y = cx+u/w*float64(sw), cy+v/w*float64(sh)
			}
			// Undo the skew (clockwise rotation about the centre).
			dx, dy := x-cx, y-cy
			rx := cos*dx + sin*dy
			ry := -sin*dx + cos*dy
			// Undo scale and shift.
			px := (rx-shx)/scale + cx - 0.5
			py := (ry-shy)/scale + cy - 0.5
			dst.Pix[oy*dst.Stride+ox] = bilinear(src, px, py, paper)
		}
	}
	for _, st := range s.Streaks {
		x0, n := streakPixels(st, ow, s.DPI)
		for y := range oh {
			row := dst.Pix[y*dst.Stride:][:ow]
			for x := x0; x < min(ow, x0+n); x++ {
				row[x] = min(row[x], st.Grey)
			}
		}
	}
	// Paper tone: lift black a little, darken white a little.
	for i, v := range dst.Pix {
		dst.Pix[i] = uint8(18 + float64(v)*0.92)
	}
	if s.Blur {
		dst = boxBlur(dst)
	}
	if s.Speckle > 0 {
		n := int(s.Speckle * float64(ow*oh))
		for i := 0; i < n; i++ {
			x, y := r.IntN(ow), r.IntN(oh)
			rad := 0.6 + r.Float64()*float64(s.DPI)/200
			stamp(dst, float64(x), float64(y), rad, uint8(20+r.IntN(60)))
		}
	}
	if s.Bilevel {
		for i, v := range dst.Pix {
			if v < 150 {
				dst.Pix[i] = 0
			} else {
				dst.Pix[i] = 255
			}
		}
	}
	return dst
}

func bilinear(img *image.Gray, x, y float64, bg uint8) uint8 {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	if x0 < -1 || y0 < -1 || x0 >= w || y0 >= h {
		return bg
	}
	fx, fy := x-float64(x0), y-float64(y0)
	at := func(xx, yy int) float64 {
		if xx < 0 || yy < 0 || xx >= w || yy >= h {
			return float64(bg)
		}
		return float64(img.Pix[yy*img.Stride+xx])
	}
	v := at(x0, y0)*(1-fx)*(1-fy) + at(x0+1, y0)*fx*(1-fy) + at(x0, y0+1)*(1-fx)*fy + at(x0+1, y0+1)*fx*fy
	return uint8(v + 0.5)
}

func boxBlur(src *image.Gray) *image.Gray {
	w, h := src.Bounds().Dx(), src.Bounds().Dy()
	dst := image.NewGray(src.Bounds())
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sum, n := 0, 0
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					xx, yy := x+dx, y+dy
					if xx < 0 || yy < 0 || xx >= w || yy >= h {
						continue
					}
					sum += int(src.Pix[yy*src.Stride+xx])
					n++
				}
			}
			dst.Pix[y*dst.Stride+x] = uint8(sum / n)
		}
	}
	return dst
}

func encodeJPEG(img image.Image, q int) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		return nil, fmt.Errorf("encode jpeg: %w", err)
	}
	return buf.Bytes(), nil
}

// seenThrough is a page as its sheet's other side shows it through the
// paper: mirrored left to right and spread by the paper.
func seenThrough(src *image.Gray) *image.Gray {
	b := src.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	w := b.Dx()
	for y := range b.Dy() {
		row, mirrored := src.Pix[y*src.Stride:], out.Pix[y*out.Stride:]
		for x := range w {
			mirrored[x] = row[w-1-x]
		}
	}
	return boxBlur(boxBlur(out))
}

// showThrough darkens img where back (seenThrough of the other side)
// has ink, by up to dark of black: the print of a two-sided sheet's other
// side, faint and mirrored, under and beside the writing.
func showThrough(img, back *image.Gray, dark float64) {
	w, h := min(img.Bounds().Dx(), back.Bounds().Dx()), min(img.Bounds().Dy(), back.Bounds().Dy())
	for y := range h {
		row, behind := img.Pix[y*img.Stride:], back.Pix[y*back.Stride:]
		for x := range w {
			ink := 1 - float64(behind[x])/255
			row[x] = uint8(float64(row[x])*(1-dark*ink) + 0.5)
		}
	}
}
