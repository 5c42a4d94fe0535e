package letter

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// The page is A4 in PDF points (1/72 inch); positions are measured from
// the top left, y growing downwards, as fpdf measures them with unit "pt".
// The layout follows the Swedish letter standard: letterhead top left,
// date and reference number top right, the recipient in the window of the
// envelope, then heading and body at the left margin.
const (
	pageWidth  = 595.28
	pageHeight = 841.89

	marginLeft  = 25 * mm
	marginRight = pageWidth - 20*mm
	bodyWidth   = marginRight - marginLeft

	rightColumn = 113 * mm // date and the address window
	refColumn   = 152 * mm // "Vårt diarienummer"

	headingTop      = 96 * mm
	continuationTop = 43 * mm  // body start on later pages
	bodyBottom      = 268 * mm // last baseline a body line may take
	footerRule      = 272 * mm
	footerTop       = 277 * mm

	bodySize     = 11
	bodyLeading  = 15.0
	paraSpacing  = 8.0
	itemSpacing  = 3.0
	itemIndent   = 16.0
	headingSize  = 14
	headLeading  = 18.0
	labelSize    = 8
	valueSize    = 10
	footerSize   = 8
	footerLead   = 10.5
	letterheadSz = 15
)

// mm is a millimetre in points.
const mm = 72 / 25.4

// The address window. Swedish window envelopes for an A4 letter, C5
// (162 × 229 mm, the sheet folded once) and E65 (110 × 220 mm, folded
// twice), come with the window on the left (V2) or on the right (H2); the
// standard fixes the window's place, the same on every size. These letters
// use the right-hand window (the letterhead takes the top left), about
// 90 × 40 mm with its top some 50 mm below the envelope's top edge and
// 20 mm in from its right edge. With the play a folded sheet has in either
// envelope (up to about 5 mm every way), the address block must stay
// within 113–193 mm from the page's left edge and 52–80 mm from its top:
// six lines of 11 pt at 13 pt leading, the first baseline at 56 mm.
// The envelope sizes are ISO 269's; the window's place is the usual H2
// one as envelope makers state it. The SIS standard's own text was not at
// hand to confirm the figures: change windowLeft/windowTop if it differs.
const (
	windowLeft  = rightColumn
	windowTop   = 56 * mm // first baseline
	windowWidth = 80 * mm
	addressMax  = 6 // lines that fit the window
)

const (
	fontFamily = "Sans"
	styleBold  = "B"
)

// run is one line of text at a position.
type run struct {
	x, y  float64
	bold  bool
	size  float64
	gray  int // 0 black … 255 white
	text  string
	right bool // x is the right edge
}

type rule struct{ x1, y1, x2, y2 float64 }

type page struct {
	runs  []run
	rules []rule
}

// doc is one PDF being made: fpdf with the fonts loaded, used first to
// measure text while laying it out and then to draw the pages.
type doc struct {
	r *Renderer
	f *fpdf.Fpdf
}

func (r *Renderer) newDoc(date time.Time) *doc {
	f := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", Size: fpdf.SizeType{Wd: pageWidth, Ht: pageHeight}, OrientationStr: "P"})
	f.SetCompression(true)
	f.SetCatalogSort(true) // objects in a stable order: the same input, the same bytes
	f.SetCreationDate(date)
	f.SetModificationDate(date)
	f.SetAutoPageBreak(false, 0)
	f.SetMargins(0, 0, 0)
	// fpdf appends to slices of the font bytes it is given while it
	// subsets a font (getMetrics), writing into them: each document gets
	// its own copy, so letters render concurrently and never from a font
	// an earlier letter changed (seen as a data race between two letters
	// jobs under -race).
	f.AddUTF8FontFromBytes(fontFamily, "", bytes.Clone(r.regular))
	f.AddUTF8FontFromBytes(fontFamily, styleBold, bytes.Clone(r.bold))
	return &doc{r: r, f: f}
}

func (d *doc) setFont(bold bool, size float64) {
	style := ""
	if bold {
		style = styleBold
	}
	d.f.SetFont(fontFamily, style, size)
}

// width measures text (already cleaned).
func (d *doc) width(text string, bold bool, size float64) float64 {
	d.setFont(bold, size)
	return d.f.GetStringWidth(text)
}

// fallback replaces characters a font may lack with ones it has.
var fallback = map[rune]string{
	'\u2010': "-", '\u2011': "-", '\u2012': "–", '\u2212': "-",
	'\u2007': " ", '\u2009': " ", '\u202F': "\u00A0",
	'\u2018': "'", '\u2019': "'", '\u201C': "\"", '\u201D': "\"",
}

// clean prepares text for the font: combining marks are folded into the
// precomposed letters (a + ring above = å, as some scanners write it),
// control characters dropped, and a character the font has no glyph for
// becomes its fallback or "?", never the font's empty .notdef glyph
// (PDF/A forbids showing it).
func (r *Renderer) clean(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	var buf sfnt.Buffer
	for _, c := range s {
		switch {
		case c == '\t':
			b.WriteByte(' ')
			continue
		case c < 0x20 || (c >= 0x7F && c < 0xA0):
			continue
		}
		if gi, err := r.glyphs.GlyphIndex(&buf, c); err == nil && gi != 0 {
			b.WriteRune(c)
			continue
		}
		if f, ok := fallback[c]; ok {
			b.WriteString(r.clean(f))
			continue
		}
		b.WriteByte('?')
	}
	return b.String()
}

// isBreak says where a line may break: at a plain space. A no-break space
// (U+00A0, as in "070-123 45 67" written with one) holds.
func isBreak(r rune) bool { return r == ' ' }

// wrap breaks s into lines no wider than max. "\n" forces a break; a word
// wider than a line is broken where it must be. s is cleaned first.
func (d *doc) wrap(s string, bold bool, size, max float64) []string {
	var lines []string
	for _, hard := range strings.Split(s, "\n") {
		words := strings.FieldsFunc(d.r.clean(hard), isBreak)
		if len(words) == 0 {
			lines = append(lines, "")
			continue
		}
		line := ""
		for _, w := range words {
			for d.width(w, bold, size) > max {
				// Break an overlong word at the last character that fits.
				if line != "" {
					lines = append(lines, line)
					line = ""
				}
				rs := []rune(w)
				n := len(rs) - 1
				for n > 1 && d.width(string(rs[:n]), bold, size) > max {
					n--
				}
				lines = append(lines, string(rs[:n]))
				w = string(rs[n:])
			}
			if line == "" {
				line = w
				continue
			}
			if candidate := line + " " + w; d.width(candidate, bold, size) <= max {
				line = candidate
				continue
			}
			lines = append(lines, line)
			line = w
		}
		lines = append(lines, line)
	}
	return lines
}

// block is a unit of body text: its lines stay on one page when keep is
// set, and with the next block's when keepNext is; space is the gap
// before it.
type block struct {
	lines    []string
	bold     bool
	indent   float64
	bullet   bool
	space    float64
	keep     bool
	keepNext bool
}

func (b block) height() float64 { return float64(len(b.lines)) * bodyLeading }

// bodyBlocks turns the letter's body, contact line, closing and
// enclosures into blocks. The last paragraph, the contact line and the
// closing stay together, so the closing is never alone on a page.
func (d *doc) bodyBlocks(l Letter, s Sender) []block {
	var blocks []block
	prevItem := false
	paras := append(append([]string(nil), l.Paragraphs...), contactLine(s))
	for i, p := range paras {
		item := strings.HasPrefix(p, "• ")
		b := block{space: paraSpacing}
		if i == 0 {
			b.space = 0
		}
		if item {
			b.bullet, b.indent = true, itemIndent
			b.lines = d.wrap(strings.TrimPrefix(p, "• "), false, bodySize, bodyWidth-itemIndent)
			if prevItem {
				b.space = itemSpacing
			}
			b.keep = true // an item is short: keep it whole
		} else {
			b.lines = d.wrap(p, false, bodySize, bodyWidth)
			// A paragraph with a hard line break is an address: keep it whole.
			b.keep = strings.Contains(p, "\n")
		}
		if i >= len(paras)-2 {
			b.keep, b.keepNext = true, true
		}
		prevItem = item
		blocks = append(blocks, b)
	}
	closing := []string{"Med vänliga hälsningar", "", d.r.clean(s.Name)}
	if s.Unit != "" {
		closing = append(closing, d.r.clean(s.Unit))
	}
	blocks = append(blocks, block{lines: closing, space: 2 * paraSpacing, keep: true})
	if len(l.Enclosures) > 0 {
		blocks = append(blocks, block{lines: []string{"Bilaga"}, bold: true, space: 2 * paraSpacing, keep: true, keepNext: true})
		for _, e := range l.Enclosures {
			blocks = append(blocks, block{lines: d.wrap(e, false, bodySize, bodyWidth), keep: true})
		}
	}
	return blocks
}

// need is the height block i and the blocks it is kept with take, from
// its first baseline to below its last line.
func need(blocks []block, i int) float64 {
	h := blocks[i].height()
	for j := i; blocks[j].keepNext && j+1 < len(blocks); j++ {
		h += blocks[j+1].space + blocks[j+1].height()
	}
	return h
}

// layout places the letter on pages.
func (d *doc) layout(l Letter, s Sender) ([]page, error) {
	heading := d.wrap(l.Heading, true, headingSize, bodyWidth)
	if len(heading) == 0 || heading[0] == "" {
		return nil, errors.New("letter has no heading")
	}
	pages := []page{{}}
	cur := &pages[0]
	y := headingTop
	for _, line := range heading {
		cur.runs = append(cur.runs, run{x: marginLeft, y: y, bold: true, size: headingSize, text: line})
		y += headLeading
	}
	y += bodyLeading - headLeading + 10

	newPage := func() {
		pages = append(pages, page{})
		cur = &pages[len(pages)-1]
		y = continuationTop
	}
	room := bodyBottom - continuationTop + bodyLeading // what a whole later page holds
	blocks := d.bodyBlocks(l, s)
	for i, b := range blocks {
		if y > continuationTop {
			y += b.space // no gap at the top of a later page
		}
		n := bodyLeading // at least two lines of a paragraph here, not one left alone
		if b.keep || b.keepNext {
			n = need(blocks, i)
			if n > room {
				n = b.height()
			}
		}
		if y+n-bodyLeading > bodyBottom && y > continuationTop {
			newPage()
		}
		for j, line := range b.lines {
			if y > bodyBottom {
				newPage()
			}
			if b.bullet && j == 0 {
				cur.runs = append(cur.runs, run{x: marginLeft + 4, y: y, size: bodySize, text: "•"})
			}
			if line != "" {
				cur.runs = append(cur.runs, run{x: marginLeft + b.indent, y: y, bold: b.bold, size: bodySize, text: line})
			}
			y += bodyLeading
		}
	}
	for i := range pages {
		d.chrome(&pages[i], i, len(pages), l.Date, l.Reference, l.ReturnAddress, s)
	}
	d.addressBlock(&pages[0], l.Recipient)
	return pages, nil
}

// chrome adds the letterhead, date, reference, page number and footer.
func (d *doc) chrome(p *page, i, n int, date time.Time, reference string, from []string, s Sender) {
	const gray = 90
	add := func(r run) { p.runs = append(p.runs, r) }
	if len(from) == 0 {
		from = s.Address
	}
	if i == 0 {
		add(run{x: marginLeft, y: 20 * mm, bold: true, size: letterheadSz, text: d.r.clean(s.Name)})
		y := 26 * mm
		for _, line := range officeLines(s, from) {
			add(run{x: marginLeft, y: y, size: 9, text: d.r.clean(line)})
			y += 11
		}
	} else {
		add(run{x: marginLeft, y: 20 * mm, bold: true, size: 11, text: d.r.clean(s.Name)})
	}
	add(run{x: marginRight, y: 12.5 * mm, size: labelSize, gray: gray, right: true, text: fmt.Sprintf("sida %d av %d", i+1, n)})
	if !date.IsZero() {
		add(run{x: rightColumn, y: 19.5 * mm, size: labelSize, gray: gray, text: "Datum"})
		add(run{x: rightColumn, y: 24 * mm, size: valueSize, text: isoDate(date)})
	}
	if reference != "" {
		add(run{x: refColumn, y: 19.5 * mm, size: labelSize, gray: gray, text: "Vårt diarienummer"})
		add(run{x: refColumn, y: 24 * mm, size: valueSize, text: d.r.clean(reference)})
	}
	p.rules = append(p.rules, rule{marginLeft, footerRule, marginRight, footerRule})
	y := footerTop
	for _, line := range d.wrap(footerLine(s, from), false, footerSize, bodyWidth) {
		add(run{x: marginLeft, y: y, size: footerSize, gray: gray, text: line})
		y += footerLead
	}
}

// officeLines are the letterhead's address lines: the office's postal
// address without the authority's name, which the letterhead prints big.
func officeLines(s Sender, from []string) []string {
	var lines []string
	if s.Unit != "" {
		lines = append(lines, s.Unit)
	}
	for i, line := range from {
		if line = strings.TrimSpace(line); line == "" || (i == 0 && line == s.Name) {
			continue
		}
		lines = append(lines, line)
	}
	return lines
}

// addressBlock puts the recipient in the envelope's window. A long line
// wraps within the window, in a smaller size (down to 9 pt) when the block
// would otherwise have more than six lines; if it still has, the
// organisation's name is cut short ("…"): the person, street, postcode and
// town are never left out.
func (d *doc) addressBlock(p *page, a Address) {
	all := a.Lines()
	var (
		lines []string
		size  float64
	)
	for size = bodySize; size >= 9; size-- {
		lines = nil
		for _, line := range all {
			lines = append(lines, d.wrap(line, false, size, windowWidth)...)
		}
		if len(lines) <= addressMax {
			break
		}
	}
	if len(lines) > addressMax {
		size = 9
		var rest []string // everything after the organisation
		for _, line := range all[1:] {
			rest = append(rest, d.wrap(line, false, size, windowWidth)...)
		}
		org := d.wrap(all[0], false, size, windowWidth)
		keep := max(addressMax-len(rest), 1)
		if keep < len(org) {
			org = org[:keep]
			last := org[keep-1]
			for d.width(last+" …", false, size) > windowWidth {
				i := strings.LastIndexByte(last, ' ')
				if i <= 0 {
					break
				}
				last = last[:i]
			}
			org[keep-1] = last + " …"
		}
		lines = append(org, rest...)
	}
	leading := math.Round(size*1.18*2) / 2
	for j, line := range lines {
		p.runs = append(p.runs, run{x: windowLeft, y: windowTop + float64(j)*leading, size: size, text: line})
	}
}

// contactLine is the body's last paragraph: who answers questions.
func contactLine(s Sender) string {
	var b strings.Builder
	b.WriteString("Har du frågor är du välkommen att kontakta ")
	if s.Contact != "" {
		b.WriteString(s.Contact)
	} else {
		b.WriteString(s.Name)
	}
	if s.Phone != "" {
		b.WriteString(" på telefon " + s.Phone)
	}
	b.WriteString(".")
	if s.Web != "" {
		b.WriteString(" Mer information om SUS finns på " + s.Web + ".")
	}
	return b.String()
}

// footerLine is the footer of every page: the office's postal address,
// telephone and web site.
func footerLine(s Sender, from []string) string {
	parts := []string{s.Name}
	parts = append(parts, officeLines(s, from)...)
	if s.Phone != "" {
		parts = append(parts, "Telefon "+s.Phone)
	}
	if s.Web != "" {
		parts = append(parts, s.Web)
	}
	return strings.Join(parts, " · ")
}

// draw writes the pages with fpdf and makes the result PDF/A-2b.
func (d *doc) draw(pages []page, info docInfo) ([]byte, error) {
	f := d.f
	for _, p := range pages {
		f.AddPage()
		f.SetDrawColor(150, 150, 150)
		f.SetLineWidth(0.5)
		for _, r := range p.rules {
			f.Line(r.x1, r.y1, r.x2, r.y2)
		}
		for _, r := range p.runs {
			d.setFont(r.bold, r.size)
			f.SetTextColor(r.gray, r.gray, r.gray)
			x := r.x
			if r.right {
				x -= f.GetStringWidth(r.text)
			}
			f.Text(x, r.y, r.text)
		}
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("%w: fpdf: %w", ErrPDF, err)
	}
	out, err := archival(buf.Bytes(), info, d.r.icc)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPDF, err)
	}
	return out, nil
}

// Render lays l out as a PDF/A-2b letter from sender. The same letter and
// sender give the same bytes. A letter without a complete postal address
// is refused with ErrNoAddress.
func (r *Renderer) Render(l Letter, sender Sender) ([]byte, error) {
	if !l.Recipient.Complete() {
		return nil, fmt.Errorf("%w: %s letter to %s", ErrNoAddress, l.Kind, l.RecipientKey)
	}
	d := r.newDoc(l.Date)
	pages, err := d.layout(l, sender)
	if err != nil {
		return nil, fmt.Errorf("%w: render %s: %w", ErrPDF, l.Kind, err)
	}
	return d.draw(pages, docInfo{Title: r.clean(l.Heading), Author: sender.Name, Producer: "Blankett", Date: l.Date})
}
