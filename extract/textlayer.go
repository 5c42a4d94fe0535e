package extract

import (
	"cmp"
	"context"
	"fmt"
	"html"
	"image"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"blankett/form"
)

// A PDF whose pages are drawn, not scanned (a filled form flattened by a
// viewer or another tool, or printed to PDF), shows its values as text:
// what pdftotext gives for a zone is what was typed there, letter for
// letter (where the field's box or the page's edge cut the end off, the
// tool that flattened it may have left that end out: see layerText).
// Such a page is classified, registered and read as any other (it
// is rasterised), and then, where its text can be trusted, each field's
// value is taken from the text it draws in the field's zone.
//
// The text is trusted only where it is the page's own: drawn visibly
// (a scanner's searchable PDF lays its own OCR's text invisibly over the
// scan, see drawnText), and, on the form, agreeing with the readings of
// the scan of it: at least one value read from the page image is the
// text's, and none read surely says otherwise (a font whose glyphs map
// to no letters, or to others, gives text unlike what the page shows).

// textLayerConfidence is the confidence of a value taken from a drawn
// page's text: what was typed, not a reading of it, but a letter drawn
// over by another shape would not show (a fillable PDF's value says 1).
const textLayerConfidence = 0.99

// cutLayerConfidence is the confidence of a value taken from a drawn
// page's text that reaches its zone's right edge (see layerText).
const cutLayerConfidence = 0.4

// sureReading is the least confidence, calibrated, of a reading of the
// page image that the text layer must agree with for it to be trusted:
// the development corpora held no wrong value read at it.
const sureReading = 0.95

// invisibleText finds the operator that draws text invisibly (text
// rendering mode 3), as a searchable scan lays its OCR over the image.
var invisibleText = regexp.MustCompile(`(^|\s)3\s+Tr(\s|$)`)

// drawnText reports whether content, a page's content stream, draws no
// text invisibly: what text it has, it shows.
func drawnText(content []byte) bool {
	return !invisibleText.Match(content)
}

var reWord = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)

// printedWords runs pdftotext -bbox and returns each page's words (by
// page number, from 1), top left origin, in points.
func printedWords(ctx context.Context, pdf []byte) (map[int][]form.PrintedWord, error) {
	out, err := pdfText(ctx, pdf, "-bbox")
	if err != nil {
		return nil, fmt.Errorf("printed words: %w", err)
	}
	pages := map[int][]form.PrintedWord{}
	for i, page := range strings.Split(string(out), "<page ")[1:] {
		for _, m := range reWord.FindAllStringSubmatch(page, -1) {
			x0, _ := strconv.ParseFloat(m[1], 64)
			y0, _ := strconv.ParseFloat(m[2], 64)
			x1, _ := strconv.ParseFloat(m[3], 64)
			y1, _ := strconv.ParseFloat(m[4], 64)
			text := html.UnescapeString(m[5])
			if strings.TrimSpace(text) == "" || x1 <= x0 || y1 <= y0 {
				continue
			}
			pages[i+1] = append(pages[i+1], form.PrintedWord{Text: text, Box: form.Box{X: x0, Y: y0, W: x1 - x0, H: y1 - y0}})
		}
	}
	return pages, nil
}

// layerWord is a word of a drawn page's text, on the page image.
type layerWord struct {
	text string
	box  image.Rectangle
}

// layerOnImage puts words (points, on the page as rasterised at dpi) on
// the page image: the raster w by h pixels, turned clockwise by quarters.
func layerOnImage(words []form.PrintedWord, dpi float64, w, h, quarters int) []layerWord {
	k := dpi / 72
	out := make([]layerWord, 0, len(words))
	for _, pw := range words {
		r := image.Rect(int(math.Floor(pw.Box.X*k)), int(math.Floor(pw.Box.Y*k)), int(math.Ceil((pw.Box.X+pw.Box.W)*k)), int(math.Ceil((pw.Box.Y+pw.Box.H)*k)))
		out = append(out, layerWord{text: pw.Text, box: turnRect(r, w, h, quarters)})
	}
	return out
}

// layerText is the text words draw in zone (points on the template's
// page, put on the image by t): the words whose middle is in it, line by
// line, each line left to right. reaches says a word ends at the zone's
// right edge (within layerEdge before it, a letter's width after it): the
// text may go on beyond what the page draws (a tool that flattens a form
// may leave out the letters its field's box hides), and so may text that
// ends at pageRight, the page's right edge on the image.
func layerText(words []layerWord, t affine, zone form.Box, pageRight float64) (text string, reaches bool) {
	quad, _ := onImage(t, zone)
	edge := layerEdge * t.scaleAt(zone.X+zone.W, zone.Y+zone.H/2)
	var in []layerWord
	for _, w := range words {
		x, y := float64(w.box.Min.X+w.box.Max.X)/2, float64(w.box.Min.Y+w.box.Max.Y)/2
		if !inQuad(quad, x, y) && !inQuad(quad, float64(w.box.Min.X)+1, y) {
			// Neither its middle nor its start in the zone. (A word
			// begun in it is the value's, however far past its edge
			// it runs: a long name's last word drawn to the page's
			// edge, its middle past the box's, was left out, and the
			// rest taken surely as the whole.)
			continue
		}
		in = append(in, w)
		// The zone's right edge at the word's height.
		top, bottom := quad[1], quad[2]
		right := top[0]
		if bottom[1] != top[1] {
			right += (bottom[0] - top[0]) * (y - top[1]) / (bottom[1] - top[1])
		}
		// Ending at the edge, or past it by a letter at most: the
		// letter the box cut through is drawn, and those past it may
		// not be. Text that runs on well past it was drawn whole.
		// So does text that ends at the page's edge.
		letter := float64(w.box.Dy())
		if end := float64(w.box.Max.X); end >= right-edge && end <= right+letter || end >= pageRight-letter {
			reaches = true
		}
	}
	// Lines: words whose middles lie within half a word's height of
	// each other.
	slices.SortFunc(in, func(a, b layerWord) int { return cmp.Compare(a.box.Min.Y+a.box.Max.Y, b.box.Min.Y+b.box.Max.Y) })
	var lines [][]layerWord
	for _, w := range in {
		if n := len(lines); n > 0 {
			last := lines[n-1][len(lines[n-1])-1]
			if abs(w.box.Min.Y+w.box.Max.Y-last.box.Min.Y-last.box.Max.Y) <= last.box.Dy() {
				lines[n-1] = append(lines[n-1], w)
				continue
			}
		}
		lines = append(lines, []layerWord{w})
	}
	var texts []string
	for _, ln := range lines {
		slices.SortFunc(ln, func(a, b layerWord) int { return cmp.Compare(a.box.Min.X, b.box.Min.X) })
		for _, w := range ln {
			texts = append(texts, w.text)
		}
	}
	return strings.Join(texts, " "), reaches
}

// layerEdge is how near, in points, to its zone's right edge a drawn
// value's text may end and not be taken to go on past it: a field's
// text stands two points inside its box.
const layerEdge = 1.0

// inQuad reports whether (x, y) lies in the convex quadrilateral q, its
// corners in order round it.
func inQuad(q [4][2]float64, x, y float64) bool {
	sign := 0.0
	for i := range q {
		a, b := q[i], q[(i+1)%4]
		c := (b[0]-a[0])*(y-a[1]) - (b[1]-a[1])*(x-a[0])
		if c == 0 {
			continue
		}
		if sign == 0 {
			sign = c
		} else if (c > 0) != (sign > 0) {
			return false
		}
	}
	return true
}

// fromTextLayer gives the fields of tpl on its drawn pages (seen, by the
// template's page number) the values their text draws, where it can be
// trusted (see above), at textLayerConfidence. Called with the readings
// of the page images calibrated: it judges the text by them.
func (e *Extractor) fromTextLayer(fields form.Fields, tpl *form.Template, seen map[int]*pageInfo) {
	type taken struct {
		f       form.Field
		raw     string
		reaches bool
	}
	var takes []taken
	agreed := 0
	written := map[int][]layerWord{} // by template page: the words not printed by the form
	for _, f := range tpl.Fields {
		pi := seen[f.Page]
		if !textual(f.Type) || pi == nil || !pi.registered || pi.layer == nil {
			continue
		}
		if written[f.Page] == nil {
			written[f.Page] = unprinted(pi.layer, tpl.Pages[f.Page-1].Words, pi.t)
		}
		raw, reaches := layerText(written[f.Page], pi.t, f.Zone, float64(pi.img.Bounds().Dx()))
		raw = strings.TrimSpace(raw)
		read := fields[f.Name]
		if raw == "" {
			continue // drawn as shapes, or empty: the reading stands
		}
		value, _ := e.normaliseValue(f.Type, raw)
		switch {
		case read.Value != "" && (value == read.Value || shownPart(read.Raw, raw)):
			agreed++
		case read.Confidence >= sureReading:
			// The page shows, surely, another value than its text:
			// the text is not what the page shows.
			return
		}
		takes = append(takes, taken{f, raw, reaches})
	}
	if agreed == 0 {
		return
	}
	for _, tk := range takes {
		v := fields[tk.f.Name]
		v.Raw = tk.raw
		v.Value, _ = e.normaliseValue(tk.f.Type, tk.raw)
		v.Confidence = textLayerConfidence
		if tk.reaches {
			// Its end may be cut off: what was typed past the box
			// may be more than the page draws. A person looks.
			v.Confidence = cutLayerConfidence
		}
		fields[tk.f.Name] = v
		trace(tk.f, "text layer", candidate{raw: tk.raw, confidence: v.Confidence})
	}
}

// unprinted is words less those the edition prints where it prints them
// (printed, points on the template's page, put on the image by t): a
// label inside a field's box is no part of its value.
func unprinted(words []layerWord, printed []form.PrintedWord, t affine) []layerWord {
	out := make([]layerWord, 0, len(words))
	for _, w := range words {
		x, y := float64(w.box.Min.X+w.box.Max.X)/2, float64(w.box.Min.Y+w.box.Max.Y)/2
		near := printedNear * t.scale()
		if !slices.ContainsFunc(printed, func(p form.PrintedWord) bool {
			px, py := t.apply(p.Box.X+p.Box.W/2, p.Box.Y+p.Box.H/2)
			return p.Text == w.text && math.Abs(px-x) <= near && math.Abs(py-y) <= near
		}) {
			out = append(out, w)
		}
	}
	return out
}

// printedNear is how far, in points, a word of a drawn page's text may
// lie from where the edition prints the same word and be that word.
const printedNear = 4.0

// shownPart reports whether read, a reading of a zone, is the start of
// text, the zone's text, spaces aside: its box cut the rest off on the
// page.
func shownPart(read, text string) bool {
	squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
	r := squeeze(read)
	return len([]rune(r)) >= 3 && strings.HasPrefix(squeeze(text), r)
}
