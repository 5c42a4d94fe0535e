package extract

import (
	"context"
	"image"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/otiai10/gosseract/v2"

	"blankett/form"
)

// A scanned page is classified and registered from what is printed on it,
// as the active set of templates describes it:
//
//  1. The areas where the editions print their form number, edition and
//     page mark are read (a few small strips, not the page), with the page
//     upright as its letters say (ascenders outnumber descenders).
//  2. Each edition's page is scored by its recognition patterns and by how
//     many of its printed words are found where it prints them.
//  3. The best edition's printed words found on the page give a first fit;
//     corner marks, when the edition prints them, or else the ends of its
//     ruled lines (rules.go), found without reading, spread the points
//     over the page, and a few more small strips are read only where that
//     edition prints words in parts of the page nothing covers yet; a
//     robust projective fit (RANSAC, then least squares over the inliers)
//     registers the page, keystone and all.
//
// Only when nothing is recognised is the whole page read.

// stripMode is how Tesseract segments stacked strips: as sparse text, so
// that each strip's words are found whatever the others hold.
var stripMode = Mode(gosseract.PSM_SINGLE_COLUMN)

// probeDPI is the resolution the recognition areas are read at, and
// stripDPI the least the registration strips are read at.
const (
	probeDPI = 150
	stripDPI = 150
)

// readWord is a word read from the page: its text and its box in template
// points under the transform it was read through, mapped to image pixels.
type readWord struct {
	text      string // normalised (see normWord)
	raw       string
	left, rgt [2]float64 // image pixels: the bottom left and bottom right corners
	conf      float64
}

// pair is a printed word of the template matched with a word read.
type pair struct {
	tl, tr [2]float64 // template points: the bottom left and bottom right corners
	il, ir [2]float64 // image pixels
	weight float64
}

// normWord makes a word comparable: lower case, without the punctuation
// around it.
func normWord(s string) string {
	s = strings.ToLower(s)
	return strings.TrimFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '§' && r != '@'
	})
}

// readStrips OCRs template boxes of a page registered by t, in one call
// (the boxes stacked one above the other with white between: each call
// costs Tesseract a set-up), and returns the words with their positions in
// the image, and the text.
func (e *Extractor) readStrips(ctx context.Context, img *image.Gray, t affine, boxes []form.Box, dpi int, mode Mode) ([]readWord, string, error) {
	return e.readStripsClean(ctx, img, t, boxes, dpi, mode, 1)
}

// readStripsClean is readStrips removing specks up to speck·k² pixels
// (k pixels per point) first.
func (e *Extractor) readStripsClean(ctx context.Context, img *image.Gray, t affine, boxes []form.Box, dpi int, mode Mode, speck float64) ([]readWord, string, error) {
	places := make([]form.Place, len(boxes))
	for i, b := range boxes {
		places[i] = form.Place{Box: b}
	}
	return e.readPlaces(ctx, img, t, places, dpi, mode, speck)
}

// readPlaces is readStripsClean of places, some of them perhaps turned: a
// turned place's strip is turned upright to be read, and its text is
// read, not its words (they tell the page's placing only where they
// stand upright). Turned places are read apart from the upright ones, so
// that a margin's text, turned, cannot change how Tesseract segments the
// strips stacked with it, which place every page: such a read costs a
// call of its own, and only sets with a turned edition pay it.
func (e *Extractor) readPlaces(ctx context.Context, img *image.Gray, t affine, places []form.Place, dpi int, mode Mode, speck float64) ([]readWord, string, error) {
	var upright, turned []form.Place
	for _, p := range places {
		if p.Turned == 0 {
			upright = append(upright, p)
		} else {
			turned = append(turned, p)
		}
	}
	words, text, err := e.readStack(ctx, img, t, upright, dpi, mode, speck)
	if err != nil || len(turned) == 0 {
		return words, text, err
	}
	_, more, err := e.readStack(ctx, img, t, turned, dpi, mode, speck)
	if text != "" && more != "" {
		text += "\n"
	}
	return words, text + more, err
}

// readStack reads places stacked one above the other in one call.
func (e *Extractor) readStack(ctx context.Context, img *image.Gray, t affine, places []form.Place, dpi int, mode Mode, speck float64) ([]readWord, string, error) {
	if len(places) == 0 {
		return nil, "", nil
	}
	k := float64(dpi) / 72
	gap := int(12 * k)
	strips := make([]*image.Gray, len(places))
	tops := make([]int, len(places))
	w, h := 0, gap
	for i, place := range places {
		strips[i] = warp(img, t, place.Box, k)
		despeckle(strips[i], int(speck*k*k)) // scanner dust reads as letters
		if speck > 1 {
			for j, v := range strips[i].Pix {
				if v >= 170 { // and the grey rims it leaves
					strips[i].Pix[j] = 255
				}
			}
		}
		strips[i] = rotate(strips[i], place.Turned/90) // clockwise, as far as the text is turned anticlockwise
		tops[i] = h
		w = max(w, strips[i].Bounds().Dx())
		h += strips[i].Bounds().Dy() + gap
	}
	all := image.NewGray(image.Rect(0, 0, w+2*gap, h))
	for i := range all.Pix {
		all.Pix[i] = 255
	}
	for i, st := range strips {
		sb := st.Bounds()
		for y := range sb.Dy() {
			copy(all.Pix[(tops[i]+y)*all.Stride+gap:], st.Pix[y*st.Stride:y*st.Stride+sb.Dx()])
		}
	}
	res, err := e.ocr.Read(ctx, "swe", all, dpi, mode, "")
	if err != nil {
		return nil, "", err
	}
	var out []readWord
	for _, wd := range res.Words {
		n := normWord(wd.Text)
		if n == "" {
			continue
		}
		b := trimBox(wd.Box, wd.Text)
		cyPix := (b.Min.Y + b.Max.Y) / 2
		i := sort.Search(len(tops), func(i int) bool { return tops[i] > cyPix }) - 1
		if i < 0 || places[i].Turned != 0 {
			continue
		}
		box := places[i].Box
		// The bottom of the ink: the baseline, or the descenders, alike
		// in print and in the template, where the top varies with
		// capitals and accents.
		cy := box.Y + float64(b.Max.Y-tops[i])/k
		lx, rx := box.X+float64(b.Min.X-gap)/k, box.X+float64(b.Max.X-gap)/k
		l0, l1 := t.apply(lx, cy)
		r0, r1 := t.apply(rx, cy)
		out = append(out, readWord{text: n, raw: wd.Text, left: [2]float64{l0, l1}, rgt: [2]float64{r0, r1}, conf: wd.Confidence})
	}
	return out, res.Text(), nil
}

// trimBox narrows a word's box by the share of its letters that are
// punctuation normWord drops ("SUS--"), so that its edges are the word's.
func trimBox(b image.Rectangle, raw string) image.Rectangle {
	r := []rune(raw)
	if len(r) == 0 {
		return b
	}
	keep := func(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) || c == '§' || c == '@' }
	lead, trail := 0, 0
	for lead < len(r) && !keep(r[lead]) {
		lead++
	}
	for trail < len(r)-lead && !keep(r[len(r)-1-trail]) {
		trail++
	}
	w := float64(b.Dx()) / float64(len(r))
	b.Min.X += int(w * float64(lead))
	b.Max.X -= int(w * float64(trail))
	return b
}

// nominal maps a template of page size w×h onto an upright image as if it
// were scanned exactly: the page filling the image.
func nominal(img *image.Gray, w, h float64) affine {
	b := img.Bounds()
	// The same scale both ways: a scan cut short on one side keeps it on
	// the other.
	k := max(float64(b.Dx())/w, float64(b.Dy())/h)
	return affine{A: k, C: float64(b.Min.X), E: k, F: float64(b.Min.Y)}
}

// canvasSlack is how far, as a share, an image's proportions may differ
// from its paper's before the page is taken to lie on a larger canvas.
const canvasSlack = 0.04

// priors are where the page may lie in an upright image: filling it
// (nominal), and, when the image's proportions are not the paper's, the
// paper's width or height filling the image's and the page at the start,
// in the middle or at the end of the rest (a page fed upside down lies at
// the end once turned upright): a scanner set to a larger paper
// (Legal, a flatbed's whole glass) or whose size detection failed scans
// the page on a canvas longer or wider than it. A scan cut short, where
// nominal is right, has the same proportions as one on a longer canvas;
// recognition tells which.
func priors(img *image.Gray, w, h float64) []affine {
	t := nominal(img, w, h)
	b := img.Bounds()
	iw, ih := float64(b.Dx()), float64(b.Dy())
	if math.Abs((ih/iw)/(h/w)-1) <= canvasSlack {
		return []affine{t}
	}
	k := min(iw/w, ih/h)
	out := []affine{t}
	for _, f := range []float64{0, 0.5, 1} {
		out = append(out, affine{A: k, C: float64(b.Min.X) + f*(iw-k*w), E: k, F: float64(b.Min.Y) + f*(ih-k*h)})
	}
	return out
}

// probeAreas are the places, in points of a page of size w×h, where the
// set's editions of that size print their form number (the first of the
// areas a template's recognition names; where that is turned up or down
// a margin, the first upright one too), widened by margin for the
// scanner's shift, skew and scale, and merged where they overlap; a
// place whose text is turned is read on its own.
func probeAreas(set *form.Set, w, h float64) []form.Place {
	const margin = 30.0
	var boxes []form.Box
	var turned []form.Place
	for _, t := range set.Templates() {
		if !samePaper(t, w, h) {
			continue
		}
		where := t.Recognition.Where
		if len(where) == 0 {
			// Nothing said: the top and the bottom of the page.
			where = []form.Place{{Box: form.Box{X: 0, Y: 0, W: w, H: h * 0.12}}, {Box: form.Box{X: 0, Y: h * 0.9, W: w, H: h * 0.1}}}
		} else if i := slices.IndexFunc(where, func(p form.Place) bool { return p.Turned == 0 }); where[0].Turned != 0 && i > 0 {
			// A turned mark's words do not place the page: the first
			// upright place is read with it for words that do.
			where = []form.Place{where[0], where[i]}
		} else {
			where = where[:1]
		}
		for _, p := range where {
			b := p.Box
			g := form.Box{X: max(0, b.X-margin), Y: max(0, b.Y-margin), W: b.W + 2*margin, H: b.H + 2*margin}
			g.W = min(g.W, w-g.X)
			g.H = min(g.H, h-g.Y)
			if p.Turned != 0 {
				if q := (form.Place{Box: g, Turned: p.Turned}); !slices.Contains(turned, q) {
					turned = append(turned, q)
				}
				continue
			}
			boxes = append(boxes, g)
		}
	}
	var out []form.Place
	for _, b := range mergeBoxes(boxes) {
		out = append(out, form.Place{Box: b})
	}
	return append(out, turned...)
}

// mergeBoxes joins overlapping boxes until none overlap: an area is read
// once, however many strips cover it.
func mergeBoxes(boxes []form.Box) []form.Box {
	boxes = append([]form.Box(nil), boxes...)
	for merged := true; merged; {
		merged = false
		for i := 0; i < len(boxes) && !merged; i++ {
			for j := i + 1; j < len(boxes); j++ {
				if boxes[i].Overlaps(boxes[j]) {
					boxes[i] = union(boxes[i], boxes[j])
					boxes = append(boxes[:j], boxes[j+1:]...)
					merged = true
					break
				}
			}
		}
	}
	sort.Slice(boxes, func(i, j int) bool { return boxes[i].Y < boxes[j].Y })
	return boxes
}

func union(a, b form.Box) form.Box {
	x0, y0 := min(a.X, b.X), min(a.Y, b.Y)
	x1, y1 := max(a.X+a.W, b.X+b.W), max(a.Y+a.H, b.Y+b.H)
	return form.Box{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}
}

// samePaper reports whether t's pages are w×h points.
func samePaper(t *form.Template, w, h float64) bool {
	return math.Abs(t.PageWidth-w) < 1 && math.Abs(t.PageHeight-h) < 1
}

// papers are the page sizes of the set, portrait and landscape apart.
func papers(set *form.Set) [][2]float64 {
	var out [][2]float64
	for _, t := range set.Templates() {
		dup := false
		for _, p := range out {
			if math.Abs(p[0]-t.PageWidth) < 1 && math.Abs(p[1]-t.PageHeight) < 1 {
				dup = true
			}
		}
		if !dup {
			out = append(out, [2]float64{t.PageWidth, t.PageHeight})
		}
	}
	return out
}

// verdict is how well one edition's page fits what was read.
type verdict struct {
	tpl        *form.Template
	page, of   int     // page mark read (0 when none)
	tplPage    int     // the template page the words were matched on
	score      float64 // see score
	named      bool    // the form number, edition mark or title was read
	edition    bool    // the edition mark was read
	pageSure   bool    // tplPage has more of the words than any other page
	rival      float64 // the best score of another edition of the kind (-1: none)
	rivalWords int     // and how many of its printed words were found
	fit        affine
	inliers    []pair
	found      []pair     // the printed words found near where prior puts them, on tplPage
	words      []readWord // what was read
	text       string
	prior      affine // the transform the words were read through
	turn       int    // quarter turns clockwise of the page image read
}

// closeCall reports whether another edition of the kind scored nearly
// as well: its edition mark must then be read to tell them apart.
func (v verdict) closeCall() bool {
	if v.rival < 0 || v.rival <= v.score-2 {
		return false
	}
	// Printed where this edition prints them, and hardly where the
	// other does: the layouts tell them apart.
	return len(v.inliers) < 6 || 3*v.rivalWords > len(v.inliers)
}

// rate rates one edition of set against the text and words read from a
// page.
func rate(set *form.Set, t *form.Template, text string, words []readWord, prior affine, priorTol float64) verdict {
	v := verdict{tpl: t, prior: prior}
	flat := strings.ToLower(strings.Join(strings.Fields(text), " "))
	joined := pairsJoined.Replace(text)
	if t.MatchFormNumber(text) || t.MatchFormNumber(joined) {
		v.score += 3
		v.named = true
	}
	if title := strings.ToLower(t.Recognition.Title); title != "" && (hasPhrase(flat, title) || hasPhrase(pairsJoined.Replace(flat), pairsJoined.Replace(title))) {
		v.score += 2
		v.named = true
	}
	if t.MatchEdition(text) || t.MatchEdition(joined) {
		// The edition mark tells editions of a kind apart. Alone it names
		// the kind only where no edition of another kind prints one like
		// it: the last page of a form of four, its footer's "(001)" read
		// "(003)", was taken on that and one printed word for another
		// kind's edition 003, whose mark is its number in brackets. There
		// it counts as one printed word.
		v.edition = true
		if v.named || set.MarkNamesKind(t) {
			v.score += 2
			v.named = true
		} else {
			v.score += 0.5
		}
	}
	for _, w := range t.Recognition.Words {
		if strings.Contains(flat, strings.ToLower(w)) {
			v.score += 0.5
		}
	}
	if n, m, ok := t.MatchPageMark(text); ok {
		v.page, v.of = n, m
		v.score++
	}
	// The words: on the page the mark names, else on the page that has
	// the most of them where it prints them.
	pages := []int{v.page}
	if v.page == 0 {
		pages = pages[:0]
		for p := range t.Pages {
			pages = append(pages, p+1)
		}
	}
	best, second := -1, -1
	for _, p := range pages {
		pairs := matchWords(t, p, words, prior, priorTol)
		fit, in := ransac(pairs, prior.scale())
		if len(in) > best {
			best, second = len(in), best
			v.tplPage, v.fit, v.inliers, v.found = p, fit, in, pairs
		} else if len(in) > second {
			second = len(in)
		}
	}
	// Pages alike where the words were read (a header, a footer) do not
	// tell which page this is.
	v.pageSure = len(pages) == 1 || best > second
	v.score += 0.25 * float64(min(best, 24))
	return v
}

// pairsJoined reads the two letters that a blurred or broken scan of one
// makes as that one (Övereriskommelse for Överenskommelse: ri for n; see
// shapeLookalikes): the form number, edition mark and title are matched
// against the text so mended too.
var pairsJoined = func() *strings.Replacer {
	var oldnew []string
	for _, l := range shapeLookalikes {
		if utf8.RuneCountInString(l[0]) == 2 && utf8.RuneCountInString(l[1]) == 1 {
			oldnew = append(oldnew, l[0], l[1])
		}
	}
	return strings.NewReplacer(oldnew...)
}()

// hasPhrase reports whether text holds phrase, word for word, with one
// letter in ten misread.
func hasPhrase(text, phrase string) bool {
	want := strings.Fields(phrase)
	words := strings.Fields(text)
	joined := strings.Join(want, " ")
	allowed := max(1, len([]rune(joined))/10)
	for i := 0; i+len(want) <= len(words); i++ {
		if editDistance(strings.Join(words[i:i+len(want)], " "), joined) <= allowed {
			return true
		}
	}
	return false
}

// matchWords pairs the words read with template page p's printed words of
// the same text whose position under prior is within tol points.
func matchWords(t *form.Template, p int, words []readWord, prior affine, tol float64) []pair {
	if p < 1 || p > len(t.Pages) {
		return nil
	}
	k := prior.scale()
	var out []pair
	for _, pw := range t.Pages[p-1].Words {
		n := normWord(pw.Text)
		if len([]rune(n)) < 2 {
			continue
		}
		cy := pw.Box.Y + pw.Box.H
		tl, tr := [2]float64{pw.Box.X, cy}, [2]float64{pw.Box.X + pw.Box.W, cy}
		px, py := prior.apply(pw.Box.X+pw.Box.W/2, cy)
		for _, w := range words {
			if w.text != n && !(len(n) >= 6 && editDistance(w.text, n) <= 1) {
				continue
			}
			mx, my := (w.left[0]+w.rgt[0])/2, (w.left[1]+w.rgt[1])/2
			if math.Hypot(mx-px, my-py) > tol*k {
				continue
			}
			weight := 1.0
			if len([]rune(n)) >= 5 {
				weight = 1.5
			}
			out = append(out, pair{tl: tl, tr: tr, il: w.left, ir: w.rgt, weight: weight})
		}
	}
	return out
}

// ransac finds the largest set of pairs one similarity transform agrees
// with (to 4 points), then fits the best transform the inliers allow:
// projective when they spread over the page, else affine, else the
// similarity. k is the expected pixels per point.
func ransac(pairs []pair, k float64) (affine, []pair) { return ransacWhere(pairs, k, nil) }

// ransacWhere is ransac among the similarity transforms allowed (all when
// allowed is nil).
func ransacWhere(pairs []pair, k float64, allowed func(affine) bool) (affine, []pair) {
	if len(pairs) < 2 {
		return affine{}, nil
	}
	tol := 4 * k
	inliersOf := func(t affine, tol float64) []pair {
		return within(pairs, t, func(pair) float64 { return tol })
	}
	var best []pair
	var bestW float64
	try := func(a, b pair) {
		t, err := fitSimilarity([][2]float64{a.tl, a.tr, b.tl, b.tr}, [][2]float64{a.il, a.ir, b.il, b.ir})
		if err != nil || !plausible(t, k) || allowed != nil && !allowed(t) {
			return
		}
		if in := inliersOf(t, tol); weightOf(in) > bestW {
			best, bestW = in, weightOf(in)
		}
	}
	n := len(pairs)
	if n*(n-1)/2 <= 600 {
		for i := range n {
			for j := i + 1; j < n; j++ {
				try(pairs[i], pairs[j])
			}
		}
	} else {
		r := rand.New(rand.NewPCG(uint64(n), 7)) // #nosec G404 -- which pairs to try, the same each run: no secret
		for range 600 {
			i, j := r.IntN(n), r.IntN(n)
			if i != j {
				try(pairs[i], pairs[j])
			}
		}
	}
	if len(best) < 2 {
		return affine{}, nil
	}
	t, in := refine(best, k)
	// Grow the set over all pairs with the refined transform, which may
	// explain what the similarity could not: a page seen in perspective
	// (keystoned) fits a similarity to 4 points only in one part, and
	// each refit, affine then projective, reaches pairs farther off.
	// Farther from the set, a pair gets more room (the fit extrapolates);
	// the refit keeps only the pairs it explains as closely as the
	// similarity did its own (a word paired with the same word a line
	// off, taken in with the room, is let go again), and the set is
	// taken only while it grows.
	for range 4 {
		again := reached(pairs, t, in, k)
		if weightOf(again) <= weightOf(in) {
			break
		}
		t2, _ := refine(again, k)
		t2, in2 := refine(inliersOf(t2, tol), k)
		if len(in2) < 2 || weightOf(in2) <= weightOf(in) {
			break
		}
		t, in = t2, in2
	}
	return t, in
}

// reached is the pairs t puts within reach of where they were found: a
// word 3 points near the set in (the pairs t was fitted to), and a
// twentieth of the distance from its middle more farther off; a corner
// mark, a square of its size found there and nothing else, as far as it
// was looked for (markReach).
func reached(pairs []pair, t affine, in []pair, k float64) []pair {
	cx, cy := middle(in)
	return within(pairs, t, func(p pair) float64 {
		d := math.Hypot((p.tl[0]+p.tr[0])/2-cx, (p.tl[1]+p.tr[1])/2-cy)
		if p.weight == markWeight {
			return markReach(d) * k
		}
		return (3 + 0.05*d) * k
	})
}

// within is the pairs both of whose ends t puts nearer than tol(pair)
// pixels to where they were found.
func within(pairs []pair, t affine, tol func(pair) float64) []pair {
	var out []pair
	for _, p := range pairs {
		r := tol(p)
		x0, y0 := t.apply(p.tl[0], p.tl[1])
		x1, y1 := t.apply(p.tr[0], p.tr[1])
		if math.Hypot(x0-p.il[0], y0-p.il[1]) < r && math.Hypot(x1-p.ir[0], y1-p.ir[1]) < r {
			out = append(out, p)
		}
	}
	return out
}

// middle is the mean of the middles of pairs' template words, in points
// (0 0 for none).
func middle(pairs []pair) (x, y float64) {
	for _, p := range pairs {
		x += (p.tl[0] + p.tr[0]) / 2 / float64(len(pairs))
		y += (p.tl[1] + p.tr[1]) / 2 / float64(len(pairs))
	}
	return x, y
}

// weightOf is what pairs count for in a fit, all together.
func weightOf(ps []pair) float64 {
	var w float64
	for _, p := range ps {
		w += p.weight
	}
	return w
}

// refine fits the richest transform the inliers support.
func refine(in []pair, k float64) (affine, []pair) {
	var src, dst [][2]float64
	for _, p := range in {
		// A mark's centre is surer than a word's edges: it counts more.
		for range max(1, int(p.weight*p.weight)-1) {
			src = append(src, p.tl, p.tr)
			dst = append(dst, p.il, p.ir)
		}
	}
	t, err := fitSimilarity(src, dst)
	if err != nil {
		return affine{}, nil
	}
	if len(in) < 3 {
		// Two words say little of the scale or the turn (a speck on a
		// word moves its edge): take the expected scale, upright, and
		// only the shift from them.
		t = rescale(affine{A: 1, E: 1, C: t.C, F: t.F}, k, src)
		var cx, cy, X, Y float64
		for i := range src {
			cx += src[i][0] / float64(len(src))
			cy += src[i][1] / float64(len(src))
			X += dst[i][0] / float64(len(src))
			Y += dst[i][1] / float64(len(src))
		}
		t.C, t.F = X-k*cx, Y-k*cy
	}
	w, h := spread(src)
	if len(in) >= 3 && w > 150 && h > 150 {
		if a, err := fitAffine(src, dst); err == nil && plausible(a, k) {
			t = a
		}
	}
	if len(in) >= 8 && w > 300 && h > 400 {
		// Keystone only where it explains the points clearly better:
		// else the perspective terms would fit the words' noise.
		if hm, err := fitHomography(src, dst); err == nil && plausible(hm, k) && residual(hm, src, dst) < 0.8*residual(t, src, dst) {
			t = hm
		}
	}
	return t, in
}

// shiftTo moves t by the median offset of where the pairs' words were
// found from where t puts them: their positions alone, when too few or
// too scattered to fit a transform (words read through dust).
func shiftTo(t affine, pairs []pair) affine {
	if len(pairs) == 0 {
		return t
	}
	var dx, dy []float64
	for _, p := range pairs {
		for _, q := range [][2][2]float64{{p.tl, p.il}, {p.tr, p.ir}} {
			x, y := t.apply(q[0][0], q[0][1])
			dx = append(dx, q[1][0]-x)
			dy = append(dy, q[1][1]-y)
		}
	}
	t.C += median(dx)
	t.F += median(dy)
	return t
}

// median is the middle of xs (the mean of the two middle ones when even),
// xs reordered.
func median(xs []float64) float64 {
	sort.Float64s(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

// rescale gives a similarity transform the scale k, keeping its rotation
// and where it puts the centre of pts.
func rescale(t affine, k float64, pts [][2]float64) affine {
	s := t.scale()
	if s == 0 {
		return t
	}
	var cx, cy float64
	for _, p := range pts {
		cx += p[0] / float64(len(pts))
		cy += p[1] / float64(len(pts))
	}
	X, Y := t.apply(cx, cy)
	f := k / s
	out := affine{A: t.A * f, B: t.B * f, D: t.D * f, E: t.E * f}
	out.C = X - (out.A*cx + out.B*cy)
	out.F = Y - (out.D*cx + out.E*cy)
	return out
}

// spread is the extent of points, in points.
func spread(pts [][2]float64) (w, h float64) {
	if len(pts) == 0 {
		return 0, 0
	}
	x0, y0, x1, y1 := pts[0][0], pts[0][1], pts[0][0], pts[0][1]
	for _, p := range pts {
		x0, x1 = min(x0, p[0]), max(x1, p[0])
		y0, y1 = min(y0, p[1]), max(y1, p[1])
	}
	return x1 - x0, y1 - y0
}

// residual is the root mean square distance, in pixels, between t(src)
// and dst.
func residual(t affine, src, dst [][2]float64) float64 {
	var s float64
	for i := range src {
		x, y := t.apply(src[i][0], src[i][1])
		s += (x-dst[i][0])*(x-dst[i][0]) + (y-dst[i][1])*(y-dst[i][1])
	}
	return math.Sqrt(s / float64(max(1, len(src))))
}

// plausible reports whether t is a scan's transform at about k pixels per
// point: scaled by no more than an eighth at the page's centre, turned by
// no more than ten degrees, hardly sheared, and keystoned a little at
// most, its scale at the corners within an eighth of the centre's. The
// corners are judged against the centre, not k: k is an estimate, often
// from a band of words across the top, and a page seen in perspective is
// larger at its foot than there. Judged against k, the homography of a
// keystoned fax of an outside edition, fitted from its heading's and its
// footer's words, was refused for one corner, and every value between
// was read from the wrong place.
func plausible(t affine, k float64) bool {
	if k <= 0 {
		return false
	}
	centre := t.scaleAt(300, 420)
	if s := centre / k; s < 0.88 || s > 1.12 {
		return false
	}
	for _, p := range [][2]float64{{0, 0}, {600, 0}, {0, 850}, {600, 850}} {
		if s := t.scaleAt(p[0], p[1]) / centre; s < 0.88 || s > 1.12 {
			return false
		}
	}
	if math.Abs(t.G)*850 > 0.1 || math.Abs(t.H)*850 > 0.1 {
		return false
	}
	// Columns of the linear part: nearly orthogonal and of equal length.
	ax, ay := t.A, t.D
	bx, by := t.B, t.E
	la, lb := math.Hypot(ax, ay), math.Hypot(bx, by)
	if la == 0 || lb == 0 || math.Abs(la/lb-1) > 0.1 {
		return false
	}
	cos := (ax*bx + ay*by) / (la * lb)
	turn := math.Atan2(ay, ax) * 180 / math.Pi
	return math.Abs(cos) < 0.1 && math.Abs(turn) < 10
}

// upsideDown tells from the letters whether an image of text stands on its
// head. In Latin script more marks rise above a word's x-height than sink
// below its baseline: capitals and ascenders, and the dots, rings and
// accents over letters (i, ä, å, é), which no letter has under it. Marks
// are compared with their neighbours in the same word, so skew does not
// matter. Each mark is a vote, and scanner specks vote both ways alike, so
// the votes' difference is weighed against its chance spread (the square
// root of their number): ok is false when the page has no vote either
// way; clear is true when the difference is twice its spread or more.
// The middle band of the page (a third of it) has letters enough on a
// form; a page where it says little (a short letter, a sparse form) is
// looked at whole.
func upsideDown(img *image.Gray) (down, ok, clear bool) {
	b := img.Bounds()
	b.Min.Y, b.Max.Y = b.Min.Y+b.Dy()/3, b.Min.Y+2*b.Dy()/3
	up, votes := marksStand(img, b)
	if up*up < votes {
		up, votes = marksStand(img, img.Bounds())
	}
	return up < 0, up != 0, up*up >= 4*votes
}

// marksStand counts the votes of the marks in the part b of img (see
// upsideDown): up is the votes for upright less those for upside down.
func marksStand(img *image.Gray, b image.Rectangle) (up, votes int) {
	// Work at about 150 DPI, keeping thin strokes (the darkest pixel of
	// each block).
	dpi := pageDPI(img)
	f := max(1, int(math.Round(dpi/150)))
	w, h := b.Dx()/f, b.Dy()/f
	small := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		// A row of blocks at a time, each image row read as a slice.
		out := small.Pix[y*small.Stride : y*small.Stride+w]
		for i := range out {
			out[i] = 255
		}
		for dy := range f {
			at := img.PixOffset(b.Min.X, b.Min.Y+y*f+dy)
			row := img.Pix[at : at+w*f]
			for x := range out {
				m := out[x]
				for _, v := range row[x*f : x*f+f] {
					m = min(m, v)
				}
				out[x] = m
			}
		}
	}
	k := dpi / float64(f) / 72 // pixels per point
	var letters, dots []image.Rectangle
	for _, c := range componentBoxes(small) {
		cw, ch := c.box.Dx(), c.box.Dy()
		if cw >= 2 && ch >= 2 && float64(cw) <= 2*k && float64(ch) <= 2*k {
			dots = append(dots, c.box) // a dot, a ring, an accent, or a speck
			continue
		}
		if float64(ch) < 2.5*k || float64(ch) > 16*k || float64(cw) > 16*k || cw > 3*ch {
			continue
		}
		letters = append(letters, c.box)
	}
	// Words: letters side by side, overlapping vertically, joined.
	sort.Slice(letters, func(i, j int) bool { return letters[i].Min.X < letters[j].Min.X })
	group := sideBySide(letters,
		func(a, c image.Rectangle) int { return int(0.6 * float64(max(a.Dy(), c.Dy()))) },
		func(a, c image.Rectangle) bool {
			return 2*(min(a.Max.Y, c.Max.Y)-max(a.Min.Y, c.Min.Y)) >= min(a.Dy(), c.Dy())
		})
	words := map[int][]image.Rectangle{}
	for i, l := range letters {
		words[group[i]] = append(words[group[i]], l)
	}
	vote := func(upright bool) {
		votes++
		if upright {
			up++
		} else {
			up--
		}
	}
	for _, ls := range words {
		if len(ls) < 4 {
			continue
		}
		tops := make([]int, len(ls))
		bottoms := make([]int, len(ls))
		left, right := ls[0].Min.X, ls[0].Max.X
		for i, l := range ls {
			tops[i], bottoms[i] = l.Min.Y, l.Max.Y
			left, right = min(left, l.Min.X), max(right, l.Max.X)
		}
		sort.Ints(tops)
		sort.Ints(bottoms)
		top, bottom := tops[len(tops)/2], bottoms[len(bottoms)/2]
		reach := max(1, (bottom-top)/4)
		for _, l := range ls {
			if l.Min.Y < top-reach {
				vote(true)
			}
			if l.Max.Y > bottom+reach {
				vote(false)
			}
		}
		// Marks right over a letter of x-height, or right under one
		// standing on the baseline.
		near := (bottom - top) * 2 / 3
		for _, d := range dots {
			cx := (d.Min.X + d.Max.X) / 2
			if cx < left || cx > right {
				continue
			}
			for _, l := range ls {
				if cx < l.Min.X || cx >= l.Max.X {
					continue
				}
				if l.Min.Y >= top-reach && l.Min.Y <= top+reach && d.Max.Y <= l.Min.Y && d.Max.Y >= l.Min.Y-near {
					vote(true)
				}
				if l.Max.Y >= bottom-reach && l.Max.Y <= bottom+reach && d.Min.Y >= l.Max.Y && d.Min.Y <= l.Max.Y+near {
					vote(false)
				}
			}
		}
	}
	return up, votes
}

// sideBySide groups boxes that stand side by side on a line, as letters
// in a word do, and returns each box's group (the index of one box of
// it). boxes are sorted by their left edge; a box joins one to its left
// when it starts within gap(a, c) of its right edge and line(a, c) says
// they share the line.
func sideBySide(boxes []image.Rectangle, gap func(a, c image.Rectangle) int, line func(a, c image.Rectangle) bool) []int {
	groups := newGroups(len(boxes))
	for i, a := range boxes {
		for j := i + 1; j < len(boxes); j++ {
			c := boxes[j]
			if c.Min.X > a.Max.X+gap(a, c) {
				break
			}
			if line(a, c) {
				groups.join(i, j)
			}
		}
	}
	for i := range groups {
		groups[i] = groups.find(i)
	}
	return groups
}

// groups are things joined into groups, each thing's entry leading to
// one thing of its group (a union-find).
type groups []int

// newGroups is n things, each a group of its own.
func newGroups(n int) groups {
	g := make(groups, n)
	for i := range g {
		g[i] = i
	}
	return g
}

// find is the one thing that stands for i's group.
func (g groups) find(i int) int {
	for g[i] != i {
		g[i] = g[g[i]]
		i = g[i]
	}
	return i
}

// join puts i's and j's groups together.
func (g groups) join(i, j int) { g[g.find(j)] = g.find(i) }

// byMarks fits the transform to the corner marks among the inliers alone
// when there are three or more: their centres are found to a pixel, where
// words' edges are not. Affine when that fits them to a pixel and a half,
// else projective (a keystoned scan).
func byMarks(in []pair, k float64) (affine, bool) {
	var src, dst [][2]float64
	for _, p := range in {
		if p.weight == markWeight {
			src, dst = append(src, p.tl), append(dst, p.il)
		}
	}
	if len(src) < 3 {
		return affine{}, false
	}
	a, err := fitAffine(src, dst)
	if err != nil || !plausible(a, k) {
		return affine{}, false
	}
	if len(src) >= 4 && residual(a, src, dst) > 1.5 {
		if h, err := fitHomography(src, dst); err == nil && plausible(h, k) {
			return h, true
		}
	}
	return a, true
}

// byCorners places a page from its edition's corner marks alone, looked
// for where each placing of its paper in the image (priors) puts them:
// the first that finds three or more, fitted to them (byMarks), and how
// many it found.
func byCorners(img *image.Gray, tpl *form.Template, pg form.Page) (affine, int, bool) {
	for _, t0 := range priors(img, tpl.PageWidth, tpl.PageHeight) {
		if marks := markPairs(img, pg, t0, nil); len(marks) >= 3 {
			if fit, ok := byMarks(marks, t0.scale()); ok {
				return fit, len(marks), true
			}
		}
	}
	return affine{}, 0, false
}

// marksIn counts the corner marks among pairs.
func marksIn(pairs []pair) int {
	n := 0
	for _, p := range pairs {
		if p.weight == markWeight {
			n++
		}
	}
	return n
}

// printsMarks tells whether a page of an edition prints corner marks.
func printsMarks(pg form.Page) bool {
	return slices.ContainsFunc(pg.Anchors, func(a form.Anchor) bool { return a.Kind == form.AnchorMark })
}

// markReach is how far from where a fit puts a corner mark, in points,
// it is looked for, d points from the pairs the fit rests on.
func markReach(d float64) float64 { return 15 + 0.07*d }

// markWeight is what a corner mark counts for in a fit, against 1 or 1.5
// for a word (a mark's centre is found to a pixel).
const markWeight = 2.5

// clip cuts a box to the template's page.
func clip(b form.Box, tpl *form.Template) form.Box {
	x0, y0 := max(0, b.X), max(0, b.Y)
	x1, y1 := min(tpl.PageWidth, b.X+b.W), min(tpl.PageHeight, b.Y+b.H)
	return form.Box{X: x0, Y: y0, W: max(1, x1-x0), H: max(1, y1-y0)}
}

// maxStrips bounds the strips read to spread the registration points.
const maxStrips = 4

// register fits the page to its edition's template page: the words the
// recognition strips found, then words read from a few more strips where
// the template prints words in parts of the page no point covers yet, then
// the corner marks when the edition prints them.
func (e *Extractor) register(ctx context.Context, pi *pageInfo, v verdict, ambiguous bool) error {
	p := pi.page
	if p < 1 || p > len(v.tpl.Pages) {
		p = v.tplPage
	}
	if p < 1 || p > len(v.tpl.Pages) {
		return nil
	}
	tpl := v.tpl
	pg := tpl.Pages[p-1]
	pairs, t, loose := v.inliers, v.fit, false
	if len(pairs) < 2 {
		// Named, but too few words where the edition prints them: read
		// the strips as from an exact scan, with room for the scanner's
		// shift and skew, shifted to where the printed words near where
		// the prior puts them were found.
		pairs, t, loose = nil, shiftTo(v.prior, v.found), true
	}
	k0 := t.scale()
	dpi := stripDPI // words to find, not values to read: enough
	// Corner marks, when the edition prints them, cost no reading.
	marked := false
	if marks := markPairs(pi.img, pg, t, pairs); len(marks) > 0 {
		if fit, in := ransac(append(pairs, marks...), k0); len(in) >= 2 {
			t, pairs, loose = fit, in, false
			marked = true
		}
	}
	// Where the edition prints its edition mark and page mark, when the
	// recognition areas did not read them and another edition of the kind
	// may share this one's layout, or the form has several pages: first,
	// as the page decides which words to look for. A page mark read in the
	// coarse recognition areas is read again here, finer and without the
	// dust: a speck on a 1 made it a 2, and the batch fell apart. Where
	// the two readings name two pages, the words each page alone prints
	// decide (pageByWords).
	var marks []form.Place
	if !v.edition && ambiguous || len(tpl.Pages) > 1 {
		for _, w := range tpl.Recognition.Where[min(1, len(tpl.Recognition.Where)):] {
			marks = append(marks, form.Place{Box: form.Box{X: w.X - 6, Y: w.Y - 4, W: w.W + 12, H: w.H + 8}, Turned: w.Turned})
		}
	}
	if len(tpl.Pages) > 1 && len(marks) > 0 {
		var cx, cy float64
		for _, q := range pairs {
			cx += q.tl[0] / float64(len(pairs))
			cy += q.tl[1] / float64(len(pairs))
		}
		var places []form.Place
		for _, b := range marks {
			m := 26.0
			if !loose && len(pairs) > 0 {
				m = 6 + 0.04*math.Hypot(b.X+b.W/2-cx, b.Y+b.H/2-cy)
			}
			places = append(places, form.Place{Box: clip(inset(b.Box, -m), tpl), Turned: b.Turned})
		}
		// Page marks are small: read finer, and without the dust a dot
		// of an i would be (nothing else is printed there).
		words, text, err := e.readPlaces(ctx, pi.img, t, places, ocrDPI, stripMode, 3)
		if err != nil {
			return err
		}
		pi.words = append(pi.words, words...)
		pi.text += "\n" + text
		// Both readings of the mark, the recognition areas' and this
		// finer one: a mark read as two pages names none
		// (MatchPageMark), and the words decide.
		pi.page, pi.of = 0, 0
		if n, m, ok := tpl.MatchPageMark(pi.text); ok {
			pi.page, pi.of, p = n, m, n
		}
		marks = nil
	}
	if pi.page == 0 && len(tpl.Pages) > 1 {
		// No page mark read: the words each page alone prints decide.
		if n := e.pageByWords(ctx, pi, tpl, t, pairs, dpi); n > 0 {
			pi.page, p = n, n
		}
	}
	// Else the ends of its ruled lines, when it prints them, cost no
	// reading either: found near where the words put them, they spread
	// the points over the page, and the strips read below are only for
	// the parts of the page they leave bare. Only once the page is known:
	// the pages of a form rule their cells alike, a few points apart.
	if !marked && !loose && len(pairs) >= 3 && (len(tpl.Pages) == 1 || pi.page == p) {
		fit, in := byRules(pi.img, tpl.Pages[p-1], t, pairs, k0)
		if fit == t {
			// No rule agreed with the words. Words printed alike down a
			// column (the same label before each of four boxes), each
			// paired a row off, can agree on a wrong turn and scale
			// that the few words elsewhere do not outvote.
			if f, again, ok := turnedAsPage(pi.img, t, pairs, v.found, k0); ok {
				fit, in = byRules(pi.img, tpl.Pages[p-1], f, again, k0)
			}
		}
		t, pairs = fit, in
	}
	var tried [9]bool // the parts of the page whose strips were read (see spreadStrips)
	todo := spreadStrips(tpl, p, pairs, &tried)
	var turned []form.Place // marks printed up or down a margin: read on their own, turned upright
	for _, m := range marks {
		if m.Turned == 0 {
			todo = append(todo, m.Box)
			continue
		}
		turned = append(turned, form.Place{Box: clip(inset(m.Box, -26), tpl), Turned: m.Turned})
	}
	if len(turned) > 0 {
		_, text, err := e.readPlaces(ctx, pi.img, t, turned, dpi, stripMode, 1)
		if err != nil {
			return err
		}
		pi.text += "\n" + text
	}
	// fitted: pairs are the inliers of the fit t, as the ransac over the
	// words the strips read found them.
	fitted := false
	// A fit from words close together is less sure far from them: the
	// nearer strips are read first and the fit redone, then the rest; a
	// strip gets room, and the words read there leeway, by its distance.
	// A fit from words spread wide is sure enough to read every strip at
	// once.
	rounds := 2
	if len(pairs) >= 4 {
		var src [][2]float64
		for _, q := range pairs {
			src = append(src, q.tl, q.tr)
		}
		if w, _ := spread(src); w >= 150 {
			rounds = 1
		}
	}
	for round := 0; len(todo) > 0 && round < rounds; round++ {
		cx, cy := middle(pairs)
		placedBy := pairs // the words the placing rests on
		if len(pairs) == 0 && len(v.found) > 0 {
			cx, cy = middle(v.found)
			placedBy = v.found
		}
		dist := func(b form.Box) float64 { return math.Hypot(b.X+b.W/2-cx, b.Y+b.H/2-cy) }
		sort.Slice(todo, func(i, j int) bool { return dist(todo[i]) < dist(todo[j]) })
		n := len(todo)
		if round == 0 && rounds > 1 && len(pairs) > 0 {
			n = (n + 1) / 2
		}
		var boxes []form.Box
		tol := 10.0
		for _, b := range todo[:n] {
			m := 0.04 * dist(b)
			if rounds == 1 {
				m = 6 + 0.015*dist(b) // a sure fit: little room, few values read
			}
			switch {
			case len(placedBy) > 0 && len(pairs) < 3:
				// Placed by two words or shifted to a few, at the
				// expected scale: a page printed to fit its paper (a
				// viewer's fit to the printable area, A4 on Letter) is
				// a tenth smaller, and its words a tenth of their
				// distance from those nearer the middle.
				m = max(m, 26+0.1*dist(b))
			case loose || len(pairs) == 0:
				m = 26
			}
			tol = max(tol, 10+1.5*m)
			boxes = append(boxes, clip(inset(b, -m), tpl))
		}
		todo = todo[n:]
		words, text, err := e.readStrips(ctx, pi.img, t, mergeBoxes(boxes), dpi, stripMode)
		if err != nil {
			return err
		}
		pi.words = append(pi.words, words...)
		pi.text += "\n" + text
		pairs = append(pairs, matchWords(tpl, p, words, t, tol)...)
		fitted = false
		if fit, in := ransac(pairs, k0); len(in) >= 2 {
			t, pairs, loose, fitted = fit, in, false, true
		}
	}
	if fitted && cornerBare(tpl, pairs, tried) {
		// A corner's strip found no word where the fit put it (its
		// print too small for a fax, under a stamp, off the scan): the
		// fit rests on the other corners alone, and a keystone between
		// them goes unseen (a fax fed crooked, fitted on its title and
		// its form number, had the values of its lower half read a line
		// off). The middles of the sides, left while the corners were
		// to be read, are read then, with room for the keystone.
		if more := spreadStrips(tpl, p, pairs, &tried); len(more) > 0 {
			cx, cy := middle(pairs)
			var boxes []form.Box
			tol := 10.0
			for _, b := range more {
				m := 6 + 0.04*math.Hypot(b.X+b.W/2-cx, b.Y+b.H/2-cy)
				tol = max(tol, 10+1.5*m)
				boxes = append(boxes, clip(inset(b, -m), tpl))
			}
			words, text, err := e.readStrips(ctx, pi.img, t, mergeBoxes(boxes), dpi, stripMode)
			if err != nil {
				return err
			}
			pi.words = append(pi.words, words...)
			pi.text += "\n" + text
			// pairs stay the inliers of t (see below): the fit with
			// the words found is taken where it explains more.
			if fit, in := ransac(append(slices.Clone(pairs), matchWords(tpl, p, words, t, tol)...), k0); weightOf(in) > weightOf(pairs) {
				t, pairs = fit, in
			}
		}
	}
	fit, in := ransac(pairs, k0)
	if fitted && weightOf(pairs) > weightOf(in) {
		// pairs are t's inliers: a fit again from them alone can start
		// from another pair of words and reach fewer (on a keystoned
		// page, an affine fit of one side where t was projective over
		// the page). The fit that explains more stands.
		fit, in = t, pairs
	}
	if len(in) < fitWordsOfAPage && (len(tpl.Pages) == 1 || pi.page == p) {
		// Only a page placed on few words or none, and known: the
		// pages of a form print words alike, and a refit to the wrong
		// one's would fit; a page no word fits may be none of the
		// form's (a cover letter prints its title and the office's
		// name). None: a page printed to fit, on a Legal canvas, named
		// by two words and placed at the scale of the canvas's height,
		// a fifth too large, where no fit of the strips' words at that
		// scale was plausible.
		fit, in = refit(pi.img, tpl, p, pi.words, fit, in)
	}
	if len(in) < fitWordsOfAPage && marksIn(in) == 0 && printsMarks(tpl.Pages[p-1]) {
		// A handful of words, and none of the corner marks the edition
		// prints where the fit puts them, is no placing: on a page whose
		// labels repeat (the agreement's two signature blocks, Part's
		// and Försäkringskassan's), four faint words paired a block off
		// fitted a page a fifth too large, and Försäkringskassan's
		// signature was read surely as Part's. The marks alone place
		// it, where a placing of the paper finds three of them (a
		// page too faint for its words to be fitted at all too);
		// else it is left unplaced.
		if t, marks, ok := byCorners(pi.img, tpl, tpl.Pages[p-1]); ok {
			pi.t, pi.registered, pi.fitWords = t, true, marks
			pi.misfit = rulesMissed(pi.img, tpl.Pages[p-1], tpl.PageFields(p), t)
		}
		return nil
	}
	if len(in) < 3 {
		return nil
	}
	// Three marks fix an affine transform, not a keystone: where the
	// words and marks together showed one (the fit is projective; a
	// fourth mark was off the scan), that fit stands.
	if t, ok := byMarks(in, k0); ok && (t.projective() || !fit.projective()) {
		fit = t
	}
	fit, in, _, pi.misfit = checkFit(pi.img, tpl.Pages[p-1], tpl.PageFields(p), fit, in, k0)
	pi.t, pi.registered, pi.fitWords = fit, true, len(in)
	return nil
}

// refit fits page p of tpl afresh to the words read from img, where the
// fit t rests on a handful of them (in): the placing they were read
// through may be wrong (a Legal canvas scanned dusty at 600 DPI: three
// words, two of them labels printed alike a row apart, fitted the page a
// fifth too large and turned, and no strip read through it found its
// words where it put them). The words read are where they are whatever
// placing read them: each placing of the paper in the image (priors)
// pairs them afresh, and the fit that explains most stands, where it
// explains twice the words a page is fitted on; else t.
func refit(img *image.Gray, tpl *form.Template, p int, words []readWord, t affine, in []pair) (affine, []pair) {
	best, bestIn := t, in
	for _, t0 := range priors(img, tpl.PageWidth, tpl.PageHeight) {
		f, again := ransac(matchWords(tpl, p, words, t0, priorTolerance), t0.scale())
		if weightOf(again) > weightOf(bestIn) {
			best, bestIn = f, again
		}
	}
	if len(bestIn) < 2*fitWordsOfAPage {
		return t, in // a handful again: no better placing
	}
	return best, bestIn
}

// pageByWords tells which page of tpl an upright page image registered
// by t is from the words the pages print in their corners, read in one
// call: the page with clearly the most of them found, or 0.
func (e *Extractor) pageByWords(ctx context.Context, pi *pageInfo, tpl *form.Template, t affine, have []pair, dpi int) int {
	var boxes []form.Box
	for p := range tpl.Pages {
		for i, b := range spreadStrips(tpl, p+1, have, nil) {
			if i < 2 {
				boxes = append(boxes, clip(inset(b, -20), tpl))
			}
		}
	}
	words, text, err := e.readStrips(ctx, pi.img, t, boxes, dpi, stripMode)
	if err != nil {
		return 0
	}
	pi.words = append(pi.words, words...)
	pi.text += "\n" + text
	best, second, page := 0, 0, 0
	for p := range tpl.Pages {
		_, in := ransac(append(append([]pair(nil), have...), matchWords(tpl, p+1, words, t, 40)...), t.scale())
		switch n := len(in); {
		case n > best:
			best, second, page = n, best, p+1
		case n > second:
			second = n
		}
	}
	if best <= second {
		return 0
	}
	return page
}

// spreadStrips chooses up to maxStrips boxes around printed words of
// template page p in the parts of the page (a 3×3 grid) that no matched
// word covers: a long word printed once on the page, in ordinary type and
// clear of the fields, with its neighbours on the line.
//
// tried, when not nil, holds the parts whose strips were read before:
// none is chosen again, and each chosen is added. A part tried that no
// matched word covers counts as bare for the middles of the sides (see
// register).
func spreadStrips(tpl *form.Template, p int, have []pair, tried *[9]bool) []form.Box {
	pg := tpl.Pages[p-1]
	W, H := tpl.PageWidth, tpl.PageHeight
	covered := coveredCells(tpl, have)
	var skip [9]bool
	if tried != nil {
		skip = *tried
	}
	count := map[string]int{}
	for _, w := range pg.Words {
		count[normWord(w.Text)]++
	}
	// The corners, enough for a projective fit; the middle of a side
	// only for a corner that has no word to read.
	var out []form.Box
	for i, c := range []int{0, 2, 6, 8, 3, 5, 1, 7} {
		corners := covered[0] && covered[2] && covered[6] && covered[8]
		if covered[c] || skip[c] || len(out) >= maxStrips || i >= 4 && corners {
			continue
		}
		best, bestArea := -1, 0.0 // the best word and its worth
		for i, w := range pg.Words {
			n := normWord(w.Text)
			if count[n] != 1 || len([]rune(n)) < 4 || gridCell(tpl, w.Box.X+w.Box.W/2, w.Box.Y+w.Box.H/2) != c {
				continue
			}
			// A long word of ordinary type: big type costs Tesseract more
			// to read and says no more.
			a := float64(len([]rune(n)))
			if w.Box.H > 12 {
				a /= 3
			}
			// A word clear of the fields: reading a strip should not
			// mean reading what was written in it.
			near := form.Box{X: w.Box.X - 12, Y: w.Box.Y - 12, W: w.Box.W + 24, H: w.Box.H + 24}
			for _, f := range tpl.PageFields(p) {
				if f.Zone.Overlaps(near) {
					a /= 4
					break
				}
			}
			if a > bestArea {
				best, bestArea = i, a
			}
		}
		if best < 0 {
			continue
		}
		b := pg.Words[best].Box
		box := form.Box{X: b.X - 8, Y: b.Y - 5, W: b.W + 16, H: b.H + 10}
		// Neighbours on the same line, up to 160 points wide in all.
		for _, w := range pg.Words {
			wb := w.Box
			if math.Abs((wb.Y+wb.H/2)-(b.Y+b.H/2)) < b.H/3 && wb.X+wb.W < b.X+120 && wb.X > b.X-120 {
				if u := union(box, form.Box{X: wb.X - 8, Y: wb.Y - 5, W: wb.W + 16, H: wb.H + 10}); u.W <= 160 {
					box = u
				}
			}
		}
		box.X, box.Y = max(0, box.X), max(0, box.Y)
		box.W, box.H = min(box.W, W-box.X), min(box.H, H-box.Y)
		out = append(out, box)
		covered[c] = true
		if tried != nil {
			tried[c] = true
		}
	}
	return out
}

// gridCell is the part of tpl's page (a 3×3 grid, row by row) the point
// x, y (points) is in.
func gridCell(tpl *form.Template, x, y float64) int {
	cx := min(2, max(0, int(3*x/tpl.PageWidth)))
	cy := min(2, max(0, int(3*y/tpl.PageHeight)))
	return cy*3 + cx
}

// coveredCells is the parts of tpl's page (see gridCell) a printed word
// of have was matched in.
func coveredCells(tpl *form.Template, have []pair) (covered [9]bool) {
	for _, q := range have {
		covered[gridCell(tpl, q.tl[0], q.tl[1])] = true
		covered[gridCell(tpl, q.tr[0], q.tr[1])] = true
	}
	return covered
}

// cornerBare reports whether a corner of the page (see gridCell) whose
// strip was read (tried) has no word of have matched in it.
func cornerBare(tpl *form.Template, have []pair, tried [9]bool) bool {
	covered := coveredCells(tpl, have)
	for _, c := range []int{0, 2, 6, 8} {
		if tried[c] && !covered[c] {
			return true
		}
	}
	return false
}

// markPairs finds the edition's corner marks near where t puts them,
// looking the further the further they are from the pairs t was fitted to.
func markPairs(img *image.Gray, pg form.Page, t affine, have []pair) []pair {
	var out []pair
	var hx, hy float64
	for _, q := range have {
		hx += q.tl[0] / float64(len(have))
		hy += q.tl[1] / float64(len(have))
	}
	for _, a := range pg.Anchors {
		if a.Kind != form.AnchorMark {
			continue
		}
		cx, cy := a.Box.X+a.Box.W/2, a.Box.Y+a.Box.H/2
		x, y := t.apply(cx, cy)
		k := t.scaleAt(cx, cy)
		side := math.Min(a.Box.W, a.Box.H) * k
		far := 40.0
		if len(have) > 0 {
			far = markReach(math.Hypot(cx-hx, cy-hy))
		}
		reach := int(far * k)
		// Room for the whole mark: one the box cuts is no square.
		reach += int(side)
		r := image.Rect(int(x)-reach, int(y)-reach, int(x)+reach, int(y)+reach)
		var found *blob
		for _, b := range markBlobs(img, r, int(side*0.7), int(side*1.4)+1) {
			if found == nil || math.Hypot(b.cx-x, b.cy-y) < math.Hypot(found.cx-x, found.cy-y) {
				found = &b
			}
		}
		if found != nil {
			c := [2]float64{cx, cy}
			out = append(out, pair{tl: c, tr: c, il: [2]float64{found.cx, found.cy}, ir: [2]float64{found.cx, found.cy}, weight: markWeight})
		}
	}
	return out
}
