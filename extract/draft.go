package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"blankett/form"
)

// DraftOptions say what edition a blank PDF is.
type DraftOptions struct {
	Kind       form.Kind
	Edition    string // as the form prints it: form number and edition mark
	FormNumber string // as the form prints it
	// Title is the printed title; empty: the largest line on page 1.
	Title         string
	ReturnAddress string
}

// Draft drafts the template of one edition from its blank fillable PDF:
// the fields from the widgets (rectangles, names, types, tooltips, radio
// and choice options), the printed words with their ink boxes from the
// page itself, the recognition data (where the form number, edition and
// page mark are printed; the title; distinctive words), and a role for
// each field its label suggests. Notes say what a person must check or
// supply: roles left open, guessed types and zones. The draft is not
// checked: it usually needs a person's role mapping first (see
// ApplyRoles).
func Draft(ctx context.Context, blank []byte, opt DraftOptions) (*form.Template, []string, error) {
	if opt.Kind == "" || opt.Edition == "" || opt.FormNumber == "" {
		return nil, nil, errors.New("draft: kind, edition and form number are needed")
	}
	var pctx *model.Context
	err := safely("read pdf", func() error {
		var err error
		pctx, err = api.ReadValidateAndOptimize(bytes.NewReader(blank), pdfConfig(model.VALIDATE))
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("draft: read the blank PDF: %w", err)
	}
	t := &form.Template{Kind: opt.Kind, Edition: opt.Edition, FormNumber: opt.FormNumber, ReturnAddress: opt.ReturnAddress}
	var notes []string
	words, err := printedWords(ctx, blank)
	if err != nil {
		return nil, nil, err
	}
	widgets, err := pdfWidgets(pctx)
	if err != nil {
		return nil, nil, err
	}
	for p := 1; p <= pctx.PageCount; p++ {
		_, _, inh, err := pctx.PageDict(p, false)
		if err != nil {
			return nil, nil, fmt.Errorf("draft: page %d: %w", p, err)
		}
		if fr := frameOf(inh); p == 1 && fr.w > 0 {
			t.PageWidth, t.PageHeight = fr.shown()
		}
		t.Pages = append(t.Pages, form.Page{Number: p})
	}
	if t.PageWidth == 0 {
		return nil, nil, errors.New("draft: the PDF gives no page size")
	}
	t.Paper = paperOf(t.PageWidth, t.PageHeight)
	// Ink boxes: pdftotext gives each word's font box; the printed ink,
	// which a scan shows, is found on the page rendered.
	rendered := map[int]*image.Gray{}
	for i := range t.Pages {
		pw := words[i+1]
		img, _, err := rasterise(ctx, blank, draftDPI, i+1, false)
		if err == nil {
			inkBoxes(img, pw)
			rendered[i+1] = img
			// The rules a scan is registered by, besides the words.
			t.Pages[i].Lines = printedRules(img)
		}
		t.Pages[i].Words = pw
	}
	// Recognition.
	r := &t.Recognition
	r.FormNumber = phrasePattern(opt.FormNumber)
	r.Edition = phrasePattern(strings.TrimSpace(strings.TrimPrefix(opt.Edition, opt.FormNumber)))
	if r.Edition == "" {
		r.Edition = phrasePattern(opt.Edition)
	}
	lines := map[int][]wordLine{}
	for p := range t.Pages {
		lines[p+1] = wordLines(t.Pages[p].Words)
	}
	t.Title = opt.Title
	if t.Title == "" {
		t.Title = largestLine(lines[1], opt.FormNumber)
		notes = append(notes, fmt.Sprintf("title taken as %q (the largest line on page 1)", t.Title))
	}
	// A scan is recognised by reading first where the form number is
	// printed (the first of Where), upright or turned up or down a
	// margin, as FK prints it on many forms: such a line is read turned
	// upright.
	turned := turnedLines(words[1], t.PageWidth)
	if w, ok := findLine(lines[1], r.FormNumber); ok && upright(w) {
		r.Where = append(r.Where, form.Place{Box: w})
	} else if p, ok := findTurned(turned, r.FormNumber); ok {
		// Read there turned upright. Its words tell nothing of where
		// the page lies: the title's line is read with it, upright,
		// for the words that place the page.
		r.Where = append(r.Where, p)
		notes = append(notes, fmt.Sprintf("the form number %q is printed turned %d degrees on page 1 (%s): it is read there turned upright, and the title's line with it", opt.FormNumber, p.Turned, runningWay(p.Turned)))
		if w, ok := findLine(lines[1], phrasePattern(t.Title)); ok && t.Title != "" && upright(w) {
			r.Where = append(r.Where, form.Place{Box: w})
		}
	} else if w, ok := findLine(lines[1], phrasePattern(t.Title)); ok && t.Title != "" {
		r.Where = append(r.Where, form.Place{Box: w})
		notes = append(notes, fmt.Sprintf("the form number %q was not found printed on page 1: the title's line is read to recognise the page instead; set recognition.where by hand if the number is printed elsewhere", opt.FormNumber))
	} else {
		notes = append(notes, fmt.Sprintf("the form number %q was not found printed on page 1: set recognition.where by hand", opt.FormNumber))
	}
	if w, ok := findLine(lines[1], r.Edition); ok && upright(w) && !overlapsPlace(r.Where, w) {
		r.Where = append(r.Where, form.Place{Box: w})
	} else if p, ok := findTurned(turned, r.Edition); ok && !overlapsPlace(r.Where, p.Box) {
		r.Where = append(r.Where, p)
	}
	if pat, marks, where := pageMarks(lines, len(t.Pages)); pat != "" {
		r.PageMark = pat
		for i := range t.Pages {
			t.Pages[i].Mark = marks[i]
		}
		if !overlapsPlace(r.Where, where) {
			r.Where = append(r.Where, form.Place{Box: where})
		}
	} else if len(t.Pages) > 1 {
		notes = append(notes, "no page mark found: set recognition.page_mark by hand")
	}
	r.Title = t.Title
	r.Words = distinctive(lines[1], t.Title)
	// Fields.
	for _, w := range widgets {
		f := form.Field{Name: w.name, Page: w.page, Label: w.tip, Zone: w.zone(t.PageHeight)}
		if f.Label == "" {
			f.Label = labelNear(lines[w.page], f.Zone, w.ft == "Btn" && !w.radio)
		}
		if f.Label == "" && w.ft == "Btn" && !w.radio {
			// A tick box in a table: its column's head above it.
			f.Label = labelNear(lines[w.page], f.Zone, false)
		}
		if f.Label == "" {
			// A row of a table below the first: the column's head
			// labels the field straight above it.
			f.Label = columnLabel(t.Fields, f)
		}
		if f.Label == "" {
			f.Label = w.name
		}
		switch {
		case w.ft == "Btn" && w.radio:
			f.Type = form.TypeRadio
			for _, o := range w.options {
				z := o.zone(t.PageHeight)
				f.Options = append(f.Options, form.Option{Value: o.value, Label: labelNear(lines[w.page], z, true), Zone: &z})
			}
		case w.ft == "Btn":
			f.Type = form.TypeCheckbox
		case w.ft == "Ch":
			f.Type = form.TypeChoice
			for _, o := range w.choices {
				f.Options = append(f.Options, form.Option{Value: o, Label: o})
			}
		case w.ft == "Sig":
			f.Type = form.TypeSignature
		default:
			f.Type = typeFromLabel(f.Label)
			if img := rendered[w.page]; img != nil {
				f.Zone = cellAround(img, f.Zone)
			}
		}
		t.Fields = append(t.Fields, f)
	}
	// Signatures are signed by hand: unless the PDF has signature fields,
	// each label such as "Namnteckning" gets a zone below it, or above the
	// line it is printed under, to check (a form signed by two parties has
	// two). Where a page has a label printed under a line, a label on it
	// under no line is a heading ("Underskrift" over the section), not
	// where one signs.
	signed, proposed := hasSignature(t), 0
	for p := range t.Pages {
		type proposal struct {
			label  wordLine
			zone   form.Box
			onLine bool
		}
		var ps []proposal
		anyOnLine := false
		for _, l := range lines[p+1] {
			if !signatureLabel(l.text) || signed {
				continue
			}
			z, onLine := signingLine(t.Pages[p].Lines, lines[p+1], t.PageFields(p+1), l.box)
			if !onLine {
				z = form.Box{X: l.box.X, Y: l.box.Y + l.box.H + 3, W: 200, H: 34}
			}
			ps = append(ps, proposal{l, z, onLine})
			anyOnLine = anyOnLine || onLine
		}
		for _, pr := range ps {
			if anyOnLine && !pr.onLine {
				continue
			}
			z := pr.zone
			for _, f := range t.PageFields(p + 1) {
				if f.Zone.Overlaps(z) {
					if f.Zone.X > z.X {
						z.W = f.Zone.X - z.X - 4
					} else {
						z.H = max(12, f.Zone.Y-z.Y-2)
					}
				}
			}
			name := "signature"
			if proposed++; proposed > 1 {
				name = fmt.Sprintf("signature_%d", proposed)
			}
			t.Fields = append(t.Fields, form.Field{Name: name, Type: form.TypeSignature, Label: pr.label.text, Page: p + 1, Zone: z, Required: true})
			where := "below"
			if pr.onLine {
				where = "on the line above"
			}
			notes = append(notes, fmt.Sprintf("signature zone proposed %s %q on page %d: check it", where, pr.label.text, p+1))
		}
	}
	notes = append(notes, proposeRoles(t)...)
	return t, notes, nil
}

// signingLine finds the space a signature is written in when its label
// is printed under a line (a rule just above the label, as long as the
// label is wide or longer): the space above the line, up to the printed
// words, fields or rules above it and signatureHeight at most, and a
// little below it, where a hand's strokes cross it (the line itself is
// cleared before the ink is judged). rules are the page's printed rules,
// words its lines of printed words, fields its fields, label the label's
// box, all in template points. ok is false when no such line is there, or
// the rule is the top of a frame the label is printed in.
func signingLine(rules []form.Line, words []wordLine, fields []form.Field, label form.Box) (form.Box, bool) {
	var line form.Line
	found := false
	for _, r := range rules {
		gap := label.Y - r.Y1
		if r.Y1 != r.Y2 || gap <= 0 || gap > 2*label.H+4 ||
			r.X1 > label.X+3 || r.X2 < label.X+min(label.W, 100) {
			continue
		}
		if !found || r.Y1 > line.Y1 {
			line, found = r, true
		}
	}
	if !found {
		return form.Box{}, false
	}
	for _, r := range rules {
		// A rule down from either end: the top of a frame the label is
		// printed in, and the signature is written in the frame.
		end := math.Abs(r.X1-line.X1) < 3 || math.Abs(r.X1-line.X2) < 3
		if r.X1 == r.X2 && end && r.Y1 < line.Y1+3 && r.Y2 > label.Y+label.H {
			return form.Box{}, false
		}
	}
	top := line.Y1 - signatureHeight
	across := func(x, w float64) bool { return x < line.X2 && x+w > line.X1 }
	for _, w := range words {
		if b := w.box; across(b.X, b.W) && b.Y+b.H < line.Y1-1 {
			top = max(top, b.Y+b.H+2)
		}
	}
	for _, f := range fields {
		if b := f.Zone; across(b.X, b.W) && b.Y+b.H < line.Y1-1 {
			top = max(top, b.Y+b.H+2)
		}
	}
	for _, r := range rules {
		if r.Y1 == r.Y2 && across(r.X1, r.X2-r.X1) && r.Y1 < line.Y1-1 {
			top = max(top, r.Y1+2)
		}
	}
	if line.Y1-top < 16 {
		return form.Box{}, false // no room to sign above it
	}
	return form.Box{X: line.X1, Y: top, W: line.X2 - line.X1, H: line.Y1 + 4 - top}, true
}

// signatureHeight is the most room a signature is given above its line,
// in points.
const signatureHeight = 40

// draftDPI is the resolution blank pages are rendered at to find ink.
const draftDPI = 300

func paperOf(w, h float64) string {
	for name, size := range map[string][2]float64{"A4": {form.A4Width, form.A4Height}, "A4-landscape": {form.A4Height, form.A4Width},
		"Letter": {612, 792}, "Letter-landscape": {792, 612}} {
		if math.Abs(size[0]-w) < 2 && math.Abs(size[1]-h) < 2 {
			return name
		}
	}
	return ""
}

// inkBoxes narrows each word's font box to the ink printed in it.
func inkBoxes(img *image.Gray, words []form.PrintedWord) {
	k := float64(draftDPI) / 72
	b := img.Bounds()
	for i := range words {
		w := &words[i]
		x0, y0 := max(b.Min.X, int(w.Box.X*k)), max(b.Min.Y, int(w.Box.Y*k))
		x1, y1 := min(b.Max.X, int(math.Ceil((w.Box.X+w.Box.W)*k))), min(b.Max.Y, int(math.Ceil((w.Box.Y+w.Box.H)*k)))
		top, bottom := -1, -1
		for y := y0; y < y1; y++ {
			row := img.Pix[img.PixOffset(x0, y):img.PixOffset(x1, y)]
			ink := 0
			for _, v := range row {
				if v < inkThreshold {
					ink++
				}
			}
			// A rule under the word runs its whole width: not its ink.
			if ink > 0 && ink < len(row)*9/10 {
				if top < 0 {
					top = y
				}
				bottom = y
			}
		}
		if top < 0 {
			continue
		}
		ny, nh := float64(top)/k, float64(bottom+1-top)/k
		w.Box.Y, w.Box.H = math.Round(ny*100)/100, math.Round(nh*100)/100
	}
}

// cellAround widens a text field's widget to the cell printed around it:
// down to the rule below it (or a little), up to what is printed above
// (the label, a rule), and out to rules at its ends. Handwriting on paper
// fills the cell, not the widget.
func cellAround(img *image.Gray, z form.Box) form.Box {
	k := float64(draftDPI) / 72
	b := img.Bounds()
	x0, x1 := int(z.X*k), int((z.X+z.W)*k)
	inkIn := func(y, xa, xb int) int {
		if y < b.Min.Y || y >= b.Max.Y {
			return 0
		}
		n := 0
		for x := max(xa, b.Min.X); x < min(xb, b.Max.X); x++ {
			if img.Pix[img.PixOffset(x, y)] < inkThreshold {
				n++
			}
		}
		return n
	}
	if framed(img, z) {
		// The field draws its own frame (its widget's border): that is
		// the cell, and growing it would reach the next field's.
		return z
	}
	top, bottom := z.Y, z.Y+z.H
	reach := int(10 * k)
	bottom += 3
	for d := 1; d <= reach; d++ {
		y := int((z.Y+z.H)*k) + d
		if inkIn(y, x0, x1) > (x1-x0)/2 {
			bottom = float64(y)/k - 0.8
			break
		}
	}
	top -= 3
	for d := 1; d <= reach; d++ {
		y := int(z.Y*k) - d
		if inkIn(y, x0, x1) > 0 {
			top = float64(y)/k + 1.2
			break
		}
	}
	left, right := z.X-2, z.X+z.W+2
	colInk := func(x int) bool {
		if x < b.Min.X || x >= b.Max.X {
			return false
		}
		n := 0
		for y := int(top * k); y < int(bottom*k); y++ {
			if y >= b.Min.Y && y < b.Max.Y && img.Pix[img.PixOffset(x, y)] < inkThreshold {
				n++
			}
		}
		return n > int((bottom-top)*k)/4
	}
	for d := 1; d <= int(4*k); d++ {
		if colInk(x0 - d) {
			left = float64(x0-d)/k + 1
			break
		}
	}
	for d := 1; d <= int(4*k); d++ {
		if colInk(x1 + d) {
			right = float64(x1+d)/k - 1
			break
		}
	}
	r2 := func(f float64) float64 { return math.Round(f*100) / 100 }
	return form.Box{X: r2(left), Y: r2(top), W: r2(right - left), H: r2(bottom - top)}
}

// framed reports whether the blank page shows z's own frame: ink along
// most of its top and bottom edges, within a point of them.
func framed(img *image.Gray, z form.Box) bool {
	k := float64(draftDPI) / 72
	b := img.Bounds()
	x0, x1 := int(z.X*k), int((z.X+z.W)*k)
	edge := func(y float64) bool {
		for d := -int(k); d <= int(k); d++ {
			row := int(y*k) + d
			if row < b.Min.Y || row >= b.Max.Y {
				continue
			}
			n := 0
			for x := max(x0, b.Min.X); x < min(x1, b.Max.X); x++ {
				if img.Pix[img.PixOffset(x, row)] < inkThreshold {
					n++
				}
			}
			if n > (x1-x0)*8/10 {
				return true
			}
		}
		return false
	}
	return x1 > x0 && edge(z.Y) && edge(z.Y+z.H)
}

// wordLine is the words of one printed line.
type wordLine struct {
	text  string
	box   form.Box
	words []form.PrintedWord
}

// wordLines groups words into lines: words of one row (their middles
// level, within a third of their height: the boxes are of ink, so a word
// with a descender reaches lower and one of small letters stands lower
// at the top) that follow each other closely.
func wordLines(words []form.PrintedWord) []wordLine {
	mid := func(w form.PrintedWord) float64 { return w.Box.Y + w.Box.H/2 }
	ws := append([]form.PrintedWord(nil), words...)
	sort.SliceStable(ws, func(i, j int) bool { return mid(ws[i]) < mid(ws[j]) })
	var rows [][]form.PrintedWord
	for _, w := range ws {
		if n := len(rows); n > 0 {
			first := rows[n-1][0]
			if mid(w)-mid(first) <= max(2.5, max(w.Box.H, first.Box.H)/3) {
				rows[n-1] = append(rows[n-1], w)
				continue
			}
		}
		rows = append(rows, []form.PrintedWord{w})
	}
	var out []wordLine
	for _, row := range rows {
		sort.SliceStable(row, func(i, j int) bool { return row[i].Box.X < row[j].Box.X })
		for i, w := range row {
			if i > 0 {
				l := &out[len(out)-1]
				last := row[i-1]
				if gap := w.Box.X - (last.Box.X + last.Box.W); gap >= -1 && gap < 1.2*max(w.Box.H, last.Box.H) {
					l.words = append(l.words, w)
					l.text += " " + w.Text
					l.box = union(l.box, w.Box)
					continue
				}
			}
			out = append(out, wordLine{text: w.Text, box: w.Box, words: []form.PrintedWord{w}})
		}
	}
	return out
}

// phrasePattern makes a recognition pattern of printed text: its words in
// order, any white space between.
func phrasePattern(s string) string {
	var parts []string
	for _, w := range strings.Fields(s) {
		parts = append(parts, regexp.QuoteMeta(w))
	}
	return strings.Join(parts, `\s*`)
}

// findLine returns the box of the first line whose text matches pattern.
func findLine(lines []wordLine, pattern string) (form.Box, bool) {
	if pattern == "" {
		return form.Box{}, false
	}
	re, err := regexp.Compile("(?i)" + pattern)
	if err != nil {
		return form.Box{}, false
	}
	for _, l := range lines {
		if re.MatchString(l.text) {
			return pad2(l.box), true
		}
	}
	return form.Box{}, false
}

// upright reports whether a line of printed text stands upright: a
// line turned up a margin is taller than it is wide.
func upright(b form.Box) bool { return b.W > b.H }

func pad2(b form.Box) form.Box { return form.Box{X: b.X - 2, Y: b.Y - 2, W: b.W + 4, H: b.H + 4} }

// overlapsPlace reports whether b overlaps any of places.
func overlapsPlace(places []form.Place, b form.Box) bool {
	for _, o := range places {
		if o.Overlaps(b) {
			return true
		}
	}
	return false
}

// turnedLines groups the words of a page printed turned a quarter (a
// PDF's text turned 90 or 270 degrees: pdftotext gives each such word a
// box taller than wide, the words of a line stacked in one column) into
// lines, as wordLines does upright ones, with how far each is turned:
// words given one after another up the page run up it (90), down it
// down (270). A line of one word says nothing by its order: up the
// page in its left half, down in its right, as margins are printed.
func turnedLines(words []form.PrintedWord, pageWidth float64) []turnedLine {
	var out []turnedLine
	used := make([]bool, len(words))
	for i, w := range words {
		if used[i] || !(w.Box.H > w.Box.W) {
			continue
		}
		l := turnedLine{box: w.Box, words: []form.PrintedWord{w}}
		used[i] = true
		for j := i + 1; j < len(words); j++ {
			o := words[j]
			last := l.words[len(l.words)-1]
			if used[j] || !(o.Box.H > o.Box.W) || math.Abs(o.Box.X-last.Box.X) > 1.5 || math.Abs(o.Box.W-last.Box.W) > 1.5 {
				continue
			}
			gap := max(o.Box.Y-(last.Box.Y+last.Box.H), last.Box.Y-(o.Box.Y+o.Box.H))
			if gap < -1 || gap > 1.2*max(o.Box.W, last.Box.W) {
				continue
			}
			used[j] = true
			l.words = append(l.words, o)
			l.box = union(l.box, o.Box)
		}
		switch {
		case len(l.words) > 1 && l.words[1].Box.Y < l.words[0].Box.Y:
			l.turned = 90
		case len(l.words) > 1:
			l.turned = 270
		case l.box.X+l.box.W/2 < pageWidth/2:
			l.turned = 90
		default:
			l.turned = 270
		}
		texts := make([]string, len(l.words))
		for k, w := range l.words {
			texts[k] = w.Text
		}
		l.text = strings.Join(texts, " ")
		out = append(out, l)
	}
	return out
}

// turnedLine is a line of text printed turned up or down a margin.
type turnedLine struct {
	text   string
	box    form.Box
	words  []form.PrintedWord
	turned int // degrees anticlockwise: 90 or 270
}

// findTurned returns the place of the first turned line whose text
// matches pattern.
func findTurned(lines []turnedLine, pattern string) (form.Place, bool) {
	re, err := regexp.Compile("(?i)" + pattern)
	if pattern == "" || err != nil {
		return form.Place{}, false
	}
	for _, l := range lines {
		if re.MatchString(l.text) {
			return form.Place{Box: pad2(l.box), Turned: l.turned}, true
		}
	}
	return form.Place{}, false
}

// runningWay says in words which way a turned line runs.
func runningWay(turned int) string {
	if turned == 90 {
		return "running up the page"
	}
	return "running down the page"
}

// markStyles are the page mark styles the drafter tries, as patterns with
// the page and the count, in the ways page marks are commonly printed: in
// words, with the count in brackets, or with a slash.
var markStyles = []string{
	`sida\s*(\d{1,2})\s*av\s*(\d{1,2})`,
	`(\d{1,2})\s*\((\d{1,2})\)`,
	`(\d{1,2})\s*/\s*(\d{1,2})`,
}

// pageMarks finds the style that reads page n of count on every page.
func pageMarks(lines map[int][]wordLine, count int) (pattern string, marks []string, where form.Box) {
	for _, style := range markStyles {
		re := regexp.MustCompile("(?i)" + style)
		var found []string
		var box form.Box
		for p := 1; p <= count; p++ {
			hit := ""
			for _, l := range lines[p] {
				for _, m := range re.FindAllStringSubmatchIndex(l.text, -1) {
					n, _ := strconv.Atoi(l.text[m[2]:m[3]])
					c, _ := strconv.Atoi(l.text[m[4]:m[5]])
					if n == p && c == count {
						hit = l.text[m[0]:m[1]]
						if p == 1 {
							box = markBox(l, hit)
						}
						break
					}
				}
				if hit != "" {
					break
				}
			}
			if hit == "" {
				break
			}
			found = append(found, hit)
		}
		if len(found) == count {
			// Spaces in the pattern as the edition prints them.
			return style, found, box
		}
	}
	return "", nil, form.Box{}
}

// markBox is the box of the words of line l that make up mark.
func markBox(l wordLine, mark string) form.Box {
	var box form.Box
	first := true
	for _, w := range l.words {
		if strings.Contains(mark, w.Text) || strings.Contains(w.Text, mark) {
			if first {
				box, first = w.Box, false
			} else {
				box = union(box, w.Box)
			}
		}
	}
	if first {
		box = l.box
	}
	return pad2(box)
}

// largestLine is the line of the tallest type on the page, other than
// the form number's.
func largestLine(lines []wordLine, formNumber string) string {
	best, h := "", 0.0
	for _, l := range lines {
		if strings.Contains(l.text, formNumber) || len(l.words) < 2 {
			continue
		}
		if lh := l.box.H; lh > h {
			best, h = l.text, lh
		}
	}
	return best
}

// distinctive picks long words of the page's larger type (headings), not
// in the title.
func distinctive(lines []wordLine, title string) []string {
	var hs []float64
	for _, l := range lines {
		hs = append(hs, l.box.H)
	}
	sort.Float64s(hs)
	if len(hs) == 0 {
		return nil
	}
	median := hs[len(hs)/2]
	seen := map[string]bool{}
	for _, w := range strings.Fields(strings.ToLower(title)) {
		seen[w] = true
	}
	var out []string
	for _, l := range lines {
		if l.box.H <= median*1.1 {
			continue
		}
		for _, w := range l.words {
			n := normWord(w.Text)
			if len([]rune(n)) >= 7 && !seen[n] && len(out) < 4 {
				seen[n] = true
				out = append(out, strings.Trim(w.Text, ".,:;()"))
			}
		}
	}
	return out
}

// columnLabel is the label of the field straight above f in a table
// (drafted before it: same page, same column and width), or "".
func columnLabel(fields []form.Field, f form.Field) string {
	label, nearest := "", math.Inf(1)
	for _, o := range fields {
		if o.Page != f.Page || math.Abs(o.Zone.X-f.Zone.X) > 2 || math.Abs(o.Zone.W-f.Zone.W) > 2 || o.Zone.Y >= f.Zone.Y {
			continue
		}
		if d := f.Zone.Y - o.Zone.Y; d < nearest && o.Label != o.Name {
			label, nearest = o.Label, d
		}
	}
	return label
}

// labelNear is the printed line that labels a zone: the nearest line on
// its left and level with it, else the nearest line just above it; for a
// tick box the line beside it.
func labelNear(lines []wordLine, z form.Box, beside bool) string {
	best, bestD := "", math.Inf(1)
	for _, l := range lines {
		b := l.box
		var d float64
		if beside {
			if math.Abs((b.Y+b.H/2)-(z.Y+z.H/2)) > z.H {
				continue
			}
			switch {
			case b.X >= z.X+z.W:
				d = b.X - (z.X + z.W)
			case b.X+b.W <= z.X:
				d = z.X - (b.X + b.W)
			default:
				continue
			}
			if d > 200 {
				continue
			}
		} else if left := z.X - (b.X + b.W); left >= 0 && left <= 150 && math.Abs((b.Y+b.H/2)-(z.Y+z.H/2)) <= z.H/2 {
			// A label on the field's left, level with it (Personnummer
			// [ … ]): a label above the field never stands level.
			d = -1000 + left
		} else {
			below := z.Y - (b.Y + b.H)
			if below < -2 || below > 18 || b.X > z.X+z.W || b.X+b.W < z.X {
				continue
			}
			d = below + math.Abs(b.X-z.X)/10
		}
		if d < bestD {
			best, bestD = l.text, d
		}
	}
	return strings.TrimSpace(strings.TrimRight(strings.TrimSpace(best), "*"))
}

// typeFromLabel guesses a text field's type from its label.
func typeFromLabel(label string) form.FieldType {
	l := strings.ToLower(label)
	switch {
	case strings.Contains(l, "personnummer"):
		return form.TypePersonnummer
	case strings.Contains(l, "organisationsnummer") || strings.Contains(l, "org.nr") || strings.Contains(l, "orgnr"):
		return form.TypeOrgnr
	case strings.Contains(l, "e-post") || strings.Contains(l, "epost") || strings.Contains(l, "e-mail"):
		return form.TypeEmail
	case strings.Contains(l, "telefon") || strings.Contains(l, "mobil"):
		return form.TypePhone
	case strings.Contains(l, "datum"):
		return form.TypeDate
	}
	return form.TypeText
}

// signatureLabel reports whether a printed line labels a signature: it
// begins with a word for one ("Namnteckning", "Underskrift av …"), or is
// a label of two or three words ending with one, unnumbered
// ("Beställarens underskrift"; "3. Firmatecknarens underskrift" heads a
// section).
func signatureLabel(s string) bool {
	words := strings.Fields(strings.ToLower(s))
	if len(words) == 0 {
		return false
	}
	if strings.HasPrefix(words[0], "namnteckning") || strings.HasPrefix(words[0], "underskrift") {
		return true
	}
	last := strings.TrimRight(words[len(words)-1], ":")
	return len(words) <= 3 && !sectionNumber.MatchString(words[0]) && (last == "namnteckning" || last == "underskrift")
}

// sectionNumber is a section's number before its heading (3., §12, B:).
var sectionNumber = regexp.MustCompile(`^(§\s*)?[\dA-Za-z]{1,2}[.:)]$|^§\s*\d+$`)

func hasSignature(t *form.Template) bool {
	for _, f := range t.Fields {
		if f.Type == form.TypeSignature {
			return true
		}
	}
	return false
}

// proposeRoles gives each field the role of the vocabulary whose hint its
// label holds (the longest hint wins; each role once), among the roles its
// kind uses, and says what it did and what it left open.
func proposeRoles(t *form.Template) []string {
	type cand struct {
		field  int
		option int // -1: the field itself
		role   form.FieldRole
		hint   int
		needed bool
	}
	needed, ofKind := map[form.FieldRole]bool{}, map[form.FieldRole]bool{}
	for _, r := range t.Kind.NeededRoles() {
		needed[r] = true
	}
	for _, r := range t.Kind.Roles() {
		ofKind[r] = true
	}
	var cs []cand
	propose := func(field, option int, text string, t form.FieldType) {
		label := strings.Fields(strings.ToLower(text))
		for _, ri := range form.FieldRoles() {
			if _, rep := ri.Role.Repeated(); rep {
				continue // rows are mapped by a person
			}
			if !ofKind[ri.Role] {
				continue // another kind's (a user's name on an agreement)
			}
			if !slices.Contains(ri.Types, t) {
				continue
			}
			for _, h := range ri.Hints {
				if hintIn(label, h) {
					cs = append(cs, cand{field, option, ri.Role, len(h), needed[ri.Role]})
				}
			}
		}
	}
	for i, f := range t.Fields {
		if len(f.Options) > 0 && f.Type == form.TypeRadio {
			// Each option of a radio group may carry a yes/no role
			// (Ny användare among the kinds of order).
			for j, o := range f.Options {
				propose(i, j, o.Label, form.TypeCheckbox)
			}
			continue
		}
		propose(i, -1, f.Label, f.Type)
	}
	// The roles the kind needs first, then the most specific hint.
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].needed != cs[j].needed {
			return cs[i].needed
		}
		return cs[i].hint > cs[j].hint
	})
	taken := map[form.FieldRole]bool{}
	done := map[[2]int]bool{}
	var notes []string
	for _, c := range cs {
		key := [2]int{c.field, c.option}
		if taken[c.role] || done[key] {
			continue
		}
		taken[c.role], done[key] = true, true
		f := &t.Fields[c.field]
		if c.option >= 0 {
			o := &f.Options[c.option]
			o.Role = c.role
			notes = append(notes, fmt.Sprintf("option %q of field %q: role %s proposed from its label %q", o.Value, f.Name, c.role, o.Label))
			continue
		}
		f.Role = c.role
		notes = append(notes, fmt.Sprintf("field %q: role %s proposed from its label %q", f.Name, c.role, f.Label))
	}
	for i, f := range t.Fields {
		if len(f.Options) > 0 && f.Type == form.TypeRadio {
			for j, o := range f.Options {
				if !done[[2]int{i, j}] {
					notes = append(notes, fmt.Sprintf("option %q of field %q (%q): no role proposed", o.Value, f.Name, o.Label))
				}
			}
			continue
		}
		if !done[[2]int{i, -1}] {
			notes = append(notes, fmt.Sprintf("field %q (%q): no role proposed", f.Name, f.Label))
		}
	}
	for _, r := range t.Kind.NeededRoles() {
		if !taken[r] {
			notes = append(notes, fmt.Sprintf("role %s, which a %s needs, has no field yet", r, t.Kind))
		}
	}
	return notes
}

// hintIn reports whether every word of hint begins a word of the label
// ("beställare telefon" in "beställarens telefon").
func hintIn(label []string, hint string) bool {
	for _, h := range strings.Fields(hint) {
		found := false
		for _, w := range label {
			if strings.HasPrefix(strings.Trim(w, "().,:;*"), h) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// typedText reports whether t is written text of some kind: a type draft
// guesses from a label (see typeFromLabel), not one the PDF's field gives.
func typedText(t form.FieldType) bool {
	switch t {
	case form.TypeText, form.TypePersonnummer, form.TypeOrgnr, form.TypePhone, form.TypeEmail, form.TypeDate:
		return true
	}
	return false
}

// RoleMapping is what a person adds to a draft: roles (and rows of
// repeating groups) for fields by name, fields renamed to the names rules
// know, and repeating groups.
type RoleMapping struct {
	Roles   map[string]form.FieldRole `json:"roles"`             // field name, or "field/option value" for a radio option → role
	Rows    map[string]int            `json:"rows,omitempty"`    // field name → row of its group
	Repeats []form.Repeat             `json:"repeats,omitempty"` // the groups
	Rename  map[string]string         `json:"rename,omitempty"`  // field name → new name (the PDF name stays)
}

// ApplyRoles applies a person's mapping to a draft and checks the result.
func ApplyRoles(t *form.Template, m RoleMapping) error {
	names := map[string]bool{}
	for _, f := range t.Fields {
		names[f.Name] = true
		for _, o := range f.Options {
			names[f.Name+"/"+o.Value] = true
		}
	}
	for n := range m.Roles {
		if !names[n] {
			return fmt.Errorf("role mapping: no field or option %q in the draft", n)
		}
	}
	t.Repeats = append(t.Repeats, m.Repeats...)
	// A role the mapping gives an option leaves any field or other option
	// the draft proposed it for (repeated roles are mapped by a person).
	for key, r := range m.Roles {
		if _, rep := r.Repeated(); rep {
			continue
		}
		for i := range t.Fields {
			f := &t.Fields[i]
			if f.Role == r && f.Name != key && strings.Contains(key, "/") {
				f.Role = ""
			}
			for j := range f.Options {
				if o := &f.Options[j]; o.Role == r && f.Name+"/"+o.Value != key {
					o.Role = ""
				}
			}
		}
	}
	for i := range t.Fields {
		f := &t.Fields[i]
		for j := range f.Options {
			if r, ok := m.Roles[f.Name+"/"+f.Options[j].Value]; ok {
				f.Options[j].Role = r
			}
		}
		if r, ok := m.Roles[f.Name]; ok {
			f.Role = r
			if ri, ok := r.Info(); ok && !slices.Contains(ri.Types, f.Type) && typedText(f.Type) && typedText(ri.Types[0]) {
				// The type was guessed from the label; the role
				// says what the field holds.
				f.Type = ri.Types[0]
			}
			if g, rep := r.Repeated(); rep {
				f.Repeat, f.Row = g, m.Rows[f.Name]
			}
		}
		if n, ok := m.Rename[f.Name]; ok {
			if f.PDFName == "" && f.Type != form.TypeSignature {
				f.PDFName = f.Name
			}
			f.Name = n
		}
	}
	// A role the mapping moved to another field leaves the proposal.
	seen := map[string]int{}
	for i, f := range t.Fields {
		if f.Role == "" {
			continue
		}
		key := fmt.Sprintf("%s#%d", f.Role, f.Row)
		if j, dup := seen[key]; dup {
			if _, mapped := m.Roles[nameBefore(m, t.Fields[j].Name)]; mapped {
				t.Fields[i].Role = ""
				continue
			}
			t.Fields[j].Role = ""
		}
		seen[key] = i
	}
	return t.Check()
}

// nameBefore is a field's name before the mapping renamed it.
func nameBefore(m RoleMapping, name string) string {
	for old, n := range m.Rename {
		if n == name {
			return old
		}
	}
	return name
}

// pdfWidget is one form field of a PDF with its widgets.
type pdfWidget struct {
	name, ft, tip string
	radio         bool
	page          int
	rect          types.Rectangle // PDF user space, origin bottom left
	options       []pdfOption     // radio buttons
	choices       []string        // choice options
}

type pdfOption struct {
	value string
	rect  types.Rectangle
}

func (w pdfWidget) zone(pageH float64) form.Box {
	return rectBox(w.rect, pageH)
}

func (o pdfOption) zone(pageH float64) form.Box { return rectBox(o.rect, pageH) }

func rectBox(r types.Rectangle, pageH float64) form.Box {
	return form.Box{X: math.Round(r.LL.X*100) / 100, Y: math.Round((pageH-r.UR.Y)*100) / 100,
		W: math.Round(r.Width()*100) / 100, H: math.Round(r.Height()*100) / 100}
}

// pdfWidgets lists the PDF's form fields, in page order, from the widget
// annotations of each page.
func pdfWidgets(pctx *model.Context) ([]pdfWidget, error) {
	x := pctx.XRefTable
	var out []pdfWidget
	byName := map[string]int{}
	err := eachAnnotation(pctx, func(p int, _ pageFrame, subtype string, ad types.Dict, rect types.Rectangle) {
		if subtype != "Widget" {
			return
		}
		// The field: the widget itself when it has a name, else its
		// parent; names of ancestors joined with dots.
		field := ad
		if _, named := ad.Find("T"); !named {
			if par, ok := ad.Find("Parent"); ok {
				if pd, err := x.DereferenceDict(par); err == nil && pd != nil {
					field = pd
				}
			}
		}
		name := fullName(x, field)
		if name == "" {
			return
		}
		ft := inherited(x, field, "FT")
		flags := 0
		if fo, ok := field.Find("Ff"); ok {
			if i, err := x.DereferenceInteger(fo); err == nil && i != nil {
				flags = i.Value()
			}
		}
		radio := ft == "Btn" && flags&(1<<15) != 0
		if ft == "Btn" && flags&(1<<16) != 0 {
			return // a push button holds no value
		}
		if i, seen := byName[name]; seen {
			if radio {
				out[i].options = append(out[i].options, pdfOption{value: onState(x, ad), rect: rect})
				out[i].rect = unionRect(out[i].rect, rect)
			}
			return
		}
		w := pdfWidget{name: name, ft: ft, radio: radio, page: p, rect: rect}
		if tu, ok := field.Find("TU"); ok {
			if s, err := x.DereferenceStringOrHexLiteral(tu, model.V10, nil); err == nil {
				w.tip = strings.TrimSpace(s)
			}
		}
		if radio {
			w.options = append(w.options, pdfOption{value: onState(x, ad), rect: rect})
		}
		if ft == "Ch" {
			if oo, ok := field.Find("Opt"); ok {
				if arr, err := x.DereferenceArray(oo); err == nil {
					for _, o := range arr {
						if sub, err := x.DereferenceArray(o); err == nil && len(sub) == 2 {
							o = sub[0]
						}
						if s, err := x.DereferenceStringOrHexLiteral(o, model.V10, nil); err == nil {
							w.choices = append(w.choices, s)
						}
					}
				}
			}
		}
		byName[name] = len(out)
		out = append(out, w)
	})
	if err != nil {
		return nil, fmt.Errorf("draft: %w", err)
	}
	return out, nil
}

// eachAnnotation calls f with every annotation of a PDF that has a
// subtype and a rectangle, page by page: its page (from 1), the page's
// frame, its subtype and dictionary, and its rectangle placed on the page
// as shown (see pageFrame.place). It stops at a page it cannot read.
func eachAnnotation(pctx *model.Context, f func(page int, fr pageFrame, subtype string, ad types.Dict, rect types.Rectangle)) error {
	x := pctx.XRefTable
	for p := 1; p <= pctx.PageCount; p++ {
		d, _, inh, err := pctx.PageDict(p, false)
		if err != nil {
			return fmt.Errorf("page %d: %w", p, err)
		}
		fr := frameOf(inh)
		obj, ok := d.Find("Annots")
		if !ok {
			continue
		}
		annots, err := x.DereferenceArray(obj)
		if err != nil {
			continue
		}
		for _, a := range annots {
			ad, err := x.DereferenceDict(a)
			if err != nil || ad == nil {
				continue
			}
			st := ad.NameEntry("Subtype")
			ro, ok := ad.Find("Rect")
			if st == nil || !ok {
				continue
			}
			if ra, err := x.DereferenceArray(ro); err == nil && len(ra) == 4 {
				f(p, fr, *st, ad, fr.place(rectOf(x, ra)))
			}
		}
	}
	return nil
}

// pageFrame is a page as it is shown, printed and rendered: its MediaBox,
// turned by its Rotate. A widget's rectangle is in the page's user space,
// whose origin need not be the page's corner (a MediaBox of
// [-50 -50 595 842], as a tool that adds a margin or a bleed writes it)
// and which a landscape form may turn a quarter (Rotate 90): the rendered
// page and its words are as shown, and so must the zones be.
type pageFrame struct {
	origin types.Point // the MediaBox's lower left corner
	w, h   float64     // the MediaBox's size, unturned
	rotate int         // clockwise: 0, 90, 180 or 270
}

func frameOf(inh *model.InheritedPageAttrs) pageFrame {
	if inh == nil || inh.MediaBox == nil {
		return pageFrame{}
	}
	return pageFrame{origin: inh.MediaBox.LL, w: inh.MediaBox.Width(), h: inh.MediaBox.Height(), rotate: (inh.Rotate%360 + 360) % 360}
}

// shown is the page's width and height as shown.
func (fr pageFrame) shown() (w, h float64) {
	if fr.rotate == 90 || fr.rotate == 270 {
		return fr.h, fr.w
	}
	return fr.w, fr.h
}

// place moves r from the page's user space into the page as shown, its
// lower left corner at 0 0 and y up (as rectBox takes it).
func (fr pageFrame) place(r types.Rectangle) types.Rectangle {
	at := func(x, y float64) (float64, float64) {
		x, y = x-fr.origin.X, y-fr.origin.Y
		switch fr.rotate {
		case 90:
			return y, fr.w - x
		case 180:
			return fr.w - x, fr.h - y
		case 270:
			return fr.h - y, x
		}
		return x, y
	}
	x0, y0 := at(r.LL.X, r.LL.Y)
	x1, y1 := at(r.UR.X, r.UR.Y)
	return *types.NewRectangle(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
}

func rectOf(x *model.XRefTable, a types.Array) types.Rectangle {
	var v [4]float64
	for i := range 4 {
		if f, err := x.DereferenceNumber(a[i]); err == nil {
			v[i] = f
		}
	}
	return *types.NewRectangle(min(v[0], v[2]), min(v[1], v[3]), max(v[0], v[2]), max(v[1], v[3]))
}

func unionRect(a, b types.Rectangle) types.Rectangle {
	return *types.NewRectangle(min(a.LL.X, b.LL.X), min(a.LL.Y, b.LL.Y), max(a.UR.X, b.UR.X), max(a.UR.Y, b.UR.Y))
}

// fullName joins the T entries of a field and its ancestors.
func fullName(x *model.XRefTable, d types.Dict) string {
	var parts []string
	for depth := 0; d != nil && depth < 16; depth++ {
		if to, ok := d.Find("T"); ok {
			if s, err := x.DereferenceStringOrHexLiteral(to, model.V10, nil); err == nil && s != "" {
				parts = append([]string{s}, parts...)
			}
		}
		po, ok := d.Find("Parent")
		if !ok {
			break
		}
		pd, err := x.DereferenceDict(po)
		if err != nil {
			break
		}
		d = pd
	}
	return strings.Join(parts, ".")
}

// inherited returns a name entry of a field or its nearest ancestor.
func inherited(x *model.XRefTable, d types.Dict, key string) string {
	for depth := 0; d != nil && depth < 16; depth++ {
		if n := d.NameEntry(key); n != nil {
			return *n
		}
		po, ok := d.Find("Parent")
		if !ok {
			break
		}
		pd, err := x.DereferenceDict(po)
		if err != nil {
			break
		}
		d = pd
	}
	return ""
}

// onState is a radio button's export value: its appearance state other
// than Off.
func onState(x *model.XRefTable, w types.Dict) string {
	ap, ok := w.Find("AP")
	if !ok {
		return ""
	}
	apd, err := x.DereferenceDict(ap)
	if err != nil || apd == nil {
		return ""
	}
	n, ok := apd.Find("N")
	if !ok {
		return ""
	}
	nd, err := x.DereferenceDict(n)
	if err != nil || nd == nil {
		return ""
	}
	for k := range nd {
		if k != "Off" {
			return k
		}
	}
	return ""
}

// ReadWith reads a file as template t alone (`template check`: a draft or
// a new edition tried on filled samples and scans before it is made
// active).
func (e *Extractor) ReadWith(ctx context.Context, t *form.Template, mediaType string, data []byte) (*Result, error) {
	one, err := form.NewSet(t)
	if err != nil {
		return nil, err
	}
	return e.extract(ctx, mediaType, data, one, true)
}

// WriteFields prints each document of a result and every field of it with
// its confidence, in the template's order (personnummer shown in part
// only).
func WriteFields(w io.Writer, t *form.Template, res *Result) error {
	for i, d := range res.Documents {
		if _, err := fmt.Fprintf(w, "document %d: %s %s %s, pages %d–%d %s\n", i+1, d.State, d.Kind, d.Edition, d.FirstPage, d.LastPage, d.Message); err != nil {
			return err
		}
		for _, p := range d.Pages {
			if !p.Registered && d.State == form.StateExtracted {
				fmt.Fprintf(w, "  page %d (template page %d) not registered\n", p.FilePage, p.TemplatePage)
			}
		}
		for _, f := range t.Fields {
			v, ok := d.Fields[f.Name]
			if !ok {
				continue
			}
			value := v.Value
			if f.Type == form.TypePersonnummer && len(value) > 8 {
				value = value[:8] + "-****" // a person's number stays off screens and logs
			}
			if _, err := fmt.Fprintf(w, "  %-28s %-26s %-40q %.2f\n", f.Name, f.Role, value, v.Confidence); err != nil {
				return err
			}
		}
	}
	return nil
}
