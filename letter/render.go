package letter

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/font"
)

// The page is A4 in PDF points; positions below are measured from the top
// left, y growing downwards, and flipped when written. The layout follows
// the Swedish letter standard (SIS): letterhead top left, date and
// reference number top right, the recipient in the right-hand window of a
// C5/E65 window envelope, then heading and body at the left margin.
const (
	pageWidth  = 595.28
	pageHeight = 841.89

	marginLeft  = 70.0
	marginRight = pageWidth - 62.0
	bodyWidth   = marginRight - marginLeft

	rightColumn = 318.0 // date, reference and the address window
	refColumn   = 430.0 // "Vårt diarienummer"

	addressTop     = 150.0 // first baseline in the address window
	addressLeading = 14.0
	addressMax     = 6     // lines that fit the window
	addressWidth   = 215.0 // the window is about 90 mm wide

	headingTop      = 272.0
	continuationTop = 122.0 // body start on later pages
	bodyBottom      = 760.0 // last baseline a body line may take
	footerRule      = 772.0
	footerTop       = 786.0

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

const (
	fontRegular = "Helvetica"
	fontBold    = "Helvetica-Bold"
)

// run is one line of text at a position.
type run struct {
	x, y  float64
	font  string
	size  int
	gray  float64 // 0 black
	text  []byte  // CP1252
	right bool    // x is the right edge
}

type rule struct{ x1, y1, x2, y2 float64 }

type page struct {
	runs  []run
	rules []rule
}

// width measures CP1252 text with the core font's metrics.
func width(text []byte, fontName string, size int) float64 {
	return font.TextWidth(string(text), fontName, size)
}

// wrap breaks s into lines no wider than max. "\n" forces a break; a word
// wider than a line is broken where it must be.
func wrap(s string, fontName string, size int, max float64) [][]byte {
	var lines [][]byte
	for _, hard := range strings.Split(s, "\n") {
		words := bytes.Fields(cp1252(hard))
		if len(words) == 0 {
			lines = append(lines, nil)
			continue
		}
		var line []byte
		for _, w := range words {
			for width(w, fontName, size) > max {
				// Break an overlong word at the last byte that fits.
				if len(line) > 0 {
					lines = append(lines, line)
					line = nil
				}
				n := len(w) - 1
				for n > 1 && width(w[:n], fontName, size) > max {
					n--
				}
				lines = append(lines, append([]byte(nil), w[:n]...))
				w = w[n:]
			}
			if len(line) == 0 {
				line = append([]byte(nil), w...)
				continue
			}
			candidate := append(append(append([]byte(nil), line...), ' '), w...)
			if width(candidate, fontName, size) <= max {
				line = candidate
				continue
			}
			lines = append(lines, line)
			line = append([]byte(nil), w...)
		}
		lines = append(lines, line)
	}
	return lines
}

// block is a unit of body text: its lines stay on one page when keep is
// set; space is the gap before it.
type block struct {
	lines  [][]byte
	font   string
	indent float64
	bullet bool
	space  float64
	keep   bool
}

// bodyBlocks turns the letter's body, closing and enclosures into blocks.
func bodyBlocks(l Letter, s Sender) []block {
	var blocks []block
	prevItem := false
	for i, p := range l.Paragraphs {
		item := strings.HasPrefix(p, "• ")
		b := block{font: fontRegular, space: paraSpacing}
		if i == 0 {
			b.space = 0
		}
		if item {
			b.bullet, b.indent = true, itemIndent
			b.lines = wrap(strings.TrimPrefix(p, "• "), fontRegular, bodySize, bodyWidth-itemIndent)
			if prevItem {
				b.space = itemSpacing
			}
			// An item is short: keep it whole.
			b.keep = true
		} else {
			b.lines = wrap(p, fontRegular, bodySize, bodyWidth)
			// A paragraph with a hard line break is an address: keep it whole.
			b.keep = strings.Contains(p, "\n")
		}
		prevItem = item
		blocks = append(blocks, b)
	}
	closing := [][]byte{cp1252("Med vänliga hälsningar"), nil, cp1252(s.Name)}
	if s.Unit != "" {
		closing = append(closing, cp1252(s.Unit))
	}
	blocks = append(blocks, block{lines: closing, font: fontRegular, space: 2 * paraSpacing, keep: true})
	if len(l.Enclosures) > 0 {
		blocks = append(blocks, block{lines: [][]byte{cp1252("Bilaga")}, font: fontBold, space: 2 * paraSpacing, keep: true})
		for _, e := range l.Enclosures {
			blocks = append(blocks, block{lines: wrap(e, fontRegular, bodySize, bodyWidth), font: fontRegular, keep: true})
		}
	}
	return blocks
}

// layout places the letter on pages.
func layout(l Letter, s Sender) ([]page, error) {
	heading := wrap(l.Heading, fontBold, headingSize, bodyWidth)
	if len(heading) == 0 || len(heading[0]) == 0 {
		return nil, errors.New("letter has no heading")
	}
	pages := []page{{}}
	cur := &pages[0]
	y := headingTop
	for _, line := range heading {
		cur.runs = append(cur.runs, run{x: marginLeft, y: y, font: fontBold, size: headingSize, text: line})
		y += headLeading
	}
	y += bodyLeading - headLeading + 10

	newPage := func() {
		pages = append(pages, page{})
		cur = &pages[len(pages)-1]
		y = continuationTop
	}
	for _, b := range bodyBlocks(l, s) {
		if len(pages) == 1 || y > continuationTop {
			y += b.space // no gap at the top of a later page
		}
		need := float64(len(b.lines)-1) * bodyLeading
		if !b.keep {
			// At least two lines of a paragraph on this page, and not one
			// left alone on the next.
			need = min(need, bodyLeading)
		}
		if y+need > bodyBottom && y > continuationTop {
			newPage()
		}
		for i, line := range b.lines {
			if y > bodyBottom {
				newPage()
			}
			if b.bullet && i == 0 {
				cur.runs = append(cur.runs, run{x: marginLeft + 4, y: y, font: fontRegular, size: bodySize, text: cp1252("•")})
			}
			if len(line) > 0 {
				cur.runs = append(cur.runs, run{x: marginLeft + b.indent, y: y, font: b.font, size: bodySize, text: line})
			}
			y += bodyLeading
		}
	}

	n := len(pages)
	for i := range pages {
		p := &pages[i]
		chrome(p, i, n, l, s)
	}
	return pages, nil
}

// chrome adds the letterhead, date, reference, page number, the address
// window (first page) and the footer with the contact line.
func chrome(p *page, i, n int, l Letter, s Sender) {
	gray := 0.35
	add := func(r run) { p.runs = append(p.runs, r) }
	if i == 0 {
		add(run{x: marginLeft, y: 60, font: fontBold, size: letterheadSz, text: cp1252(s.Name)})
		y := 76.0
		for _, line := range append([]string{s.Unit}, s.Address...) {
			if line == "" {
				continue
			}
			add(run{x: marginLeft, y: y, font: fontRegular, size: 9, text: cp1252(line)})
			y += 11
		}
	} else {
		add(run{x: marginLeft, y: 60, font: fontBold, size: 11, text: cp1252(s.Name)})
	}
	add(run{x: marginRight, y: 36, font: fontRegular, size: labelSize, gray: gray, right: true,
		text: cp1252(fmt.Sprintf("sida %d av %d", i+1, n))})
	if !l.Date.IsZero() {
		add(run{x: rightColumn, y: 56, font: fontRegular, size: labelSize, gray: gray, text: cp1252("Datum")})
		add(run{x: rightColumn, y: 69, font: fontRegular, size: valueSize, text: cp1252(date(l.Date))})
	}
	if l.Reference != "" {
		add(run{x: refColumn, y: 56, font: fontRegular, size: labelSize, gray: gray, text: cp1252("Vårt diarienummer")})
		add(run{x: refColumn, y: 69, font: fontRegular, size: valueSize, text: cp1252(l.Reference)})
	}
	if i == 0 {
		// A long line wraps within the window; lines past the window's
		// height are dropped (the sixth line is the town in practice, so
		// the address is kept short in Compose rather than here).
		var lines [][]byte
		for _, line := range l.Recipient.Lines() {
			lines = append(lines, wrap(line, fontRegular, bodySize, addressWidth)...)
		}
		if len(lines) > addressMax {
			lines = append(lines[:addressMax-1], lines[len(lines)-1])
		}
		for j, line := range lines {
			add(run{x: rightColumn, y: addressTop + float64(j)*addressLeading, font: fontRegular, size: bodySize, text: line})
		}
	}
	p.rules = append(p.rules, rule{marginLeft, footerRule, marginRight, footerRule})
	y := footerTop
	for _, line := range wrap(contactLine(s), fontRegular, footerSize, bodyWidth) {
		add(run{x: marginLeft, y: y, font: fontRegular, size: footerSize, gray: gray, text: line})
		y += footerLead
	}
}

// contactLine is the footer's "Har du frågor? …".
func contactLine(s Sender) string {
	var b strings.Builder
	b.WriteString("Har du frågor? Kontakta ")
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

// contentStream writes a page's drawing operators.
func contentStream(p page) []byte {
	var b bytes.Buffer
	for _, r := range p.rules {
		fmt.Fprintf(&b, "q 0.6 G 0.5 w %s %s m %s %s l S Q\n", num(r.x1), num(pageHeight-r.y1), num(r.x2), num(pageHeight-r.y2))
	}
	for _, r := range p.runs {
		res := "F1"
		if r.font == fontBold {
			res = "F2"
		}
		x := r.x
		if r.right {
			x -= width(r.text, r.font, r.size)
		}
		fmt.Fprintf(&b, "BT /%s %d Tf %s g 1 0 0 1 %s %s Tm (", res, r.size, num(r.gray), num(x), num(pageHeight-r.y))
		for _, c := range r.text {
			switch {
			case c == '(' || c == ')' || c == '\\':
				b.WriteByte('\\')
				b.WriteByte(c)
			case c < 0x20 || c >= 0x7F:
				fmt.Fprintf(&b, "\\%03o", c)
			default:
				b.WriteByte(c)
			}
		}
		b.WriteString(") Tj ET\n")
	}
	return b.Bytes()
}

// num formats a coordinate with at most two decimals.
func num(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "" || s == "-0" {
		return "0"
	}
	return s
}
