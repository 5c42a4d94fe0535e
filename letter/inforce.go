package letter

import (
	"blankett/form"
	"errors"
	"fmt"
	"strings"
	"time"
)

// InForceList is the list FK publishes of the organisations with an
// agreement on SUS in force on a day.
type InForceList struct {
	// Date is the day the list is for.
	Date time.Time
	Rows []InForceRow
	// ReturnAddress is the office that keeps the agreements, printed in
	// the letterhead (the agreement's return address).
	ReturnAddress []string
}

// InForceRow is one organisation on the list.
type InForceRow struct {
	Organisation string
	OrgNumber    string // as printed, e.g. "212000-2627"
	Since        time.Time
}

// Column positions of the list.
const (
	colName   = marginLeft
	colNumber = 112 * mm
	colSince  = 152 * mm
	nameWidth = colNumber - colName - 5*mm
	listTop   = 50 * mm // the intro's first baseline on page 1
)

// RenderInForce lays the list out as a PDF/A-2b document: title, the day
// in words, and a table of organisation, org number and the day its
// agreement came into force, the header row repeated on every page.
func (r *Renderer) RenderInForce(list InForceList, sender Sender) ([]byte, error) {
	if list.Date.IsZero() {
		return nil, fmt.Errorf("%w: in-force list: %w", ErrPDF, errors.New("no date"))
	}
	day := list.Date
	d := r.newDoc(day)
	title := "Organisationer med gällande överenskommelse om SUS"

	pages := []page{{}}
	cur := &pages[0]
	y := listTop
	header := func() {
		for _, c := range []struct {
			x    float64
			text string
		}{{colName, "Organisation"}, {colNumber, "Organisationsnummer"}, {colSince, "Gäller från och med"}} {
			cur.runs = append(cur.runs, run{x: c.x, y: y, bold: true, size: labelSize + 1, text: c.text})
		}
		cur.rules = append(cur.rules, rule{marginLeft, y + 4, marginRight, y + 4})
		y += bodyLeading + 2
	}
	cur.runs = append(cur.runs, run{x: marginLeft, y: 42 * mm, bold: true, size: headingSize, text: title})
	intro := fmt.Sprintf("Den %s hade %s en gällande överenskommelse med %s om uppföljningssystemet SUS.",
		form.DayInWords(day), organisations(len(list.Rows)), sender.Name)
	for _, line := range d.wrap(intro, false, bodySize, bodyWidth) {
		cur.runs = append(cur.runs, run{x: marginLeft, y: y, size: bodySize, text: line})
		y += bodyLeading
	}
	y += bodyLeading
	header()
	for _, row := range list.Rows {
		lines := d.wrap(row.Organisation, false, valueSize, nameWidth)
		if y+float64(len(lines)-1)*13 > bodyBottom {
			pages = append(pages, page{})
			cur = &pages[len(pages)-1]
			y = continuationTop
			header()
		}
		cur.runs = append(cur.runs,
			run{x: colNumber, y: y, size: valueSize, text: r.clean(row.OrgNumber)},
			run{x: colSince, y: y, size: valueSize, text: isoDate(row.Since)})
		for _, line := range lines {
			cur.runs = append(cur.runs, run{x: colName, y: y, size: valueSize, text: line})
			y += 13
		}
		y += 3
	}
	for i := range pages {
		d.chrome(&pages[i], i, len(pages), day, "", list.ReturnAddress, sender)
	}
	return d.draw(pages, docInfo{Title: title + " " + isoDate(day), Author: sender.Name, Producer: "Blankett", Date: day})
}

// organisations is "1 organisation", "12 organisationer" or "ingen
// organisation".
func organisations(n int) string {
	switch n {
	case 0:
		return "ingen organisation"
	case 1:
		return "1 organisation"
	}
	return strings.TrimSpace(fmt.Sprintf("%d organisationer", n))
}
