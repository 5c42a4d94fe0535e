package extract

import (
	"context"
	"errors"
	"fmt"
	"image"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"blankett/form"
)

// Engine names this extraction engine and version; a change makes
// re-extraction worthwhile.
const Engine = "blankett-zonal-1"

// PageDPI is the resolution of the normalised page images kept for review.
const PageDPI = 150

// ocrDPI is the least resolution zones are rendered at for Tesseract.
const ocrDPI = 300

// Extractor reads files: classifies each page, splits batches into forms,
// registers scans to their template and reads every field from its zone.
type Extractor struct {
	templates map[form.Kind]*form.Template
	ocr       *OCR
	normalise Normaliser
	limits    Limits
	// pageOverrun, when set, is called from a timer when a page runs past
	// Limits.PageTime (see pageBudget): the sandbox's child answers with
	// the error and ends, since OCR cannot be stopped.
	pageOverrun func(error)
	// uncalibrated leaves scanned values' confidence as the readings
	// give it (for fitting the calibration, see calibration.go).
	uncalibrated bool
}

// New makes an extractor. normalise may be nil (values are then kept raw).
func New(ocr *OCR, normalise Normaliser, limits Limits) (*Extractor, error) {
	tpls, err := form.LoadTemplates()
	if err != nil {
		return nil, fmt.Errorf("extractor: %w", err)
	}
	return &Extractor{templates: tpls, ocr: ocr, normalise: normalise, limits: limits}, nil
}

// Result is what a file holds: one or more documents (a mailroom batch
// holds several).
type Result struct {
	PageCount int
	Documents []Document
}

// Document is one form found in a file.
type Document struct {
	State     form.State // extracted or unclassified
	Message   string     // Swedish, for people
	Kind      form.Kind
	FirstPage int // file pages, 1-based, inclusive
	LastPage  int
	Fields    form.Fields
	Pages     []Page
}

// Page is one page of a document.
type Page struct {
	FilePage     int
	TemplatePage int // 0 when unknown
	// Image is the page for review: upright and, when registered, aligned
	// with the template at PageDPI, so field boxes (points) map to pixels
	// by PageDPI/72. Nil for fillable PDFs.
	Image      *image.Gray
	Registered bool
}

// pageInfo is what classification found on one page.
type pageInfo struct {
	n          int // file page
	img        *image.Gray
	blank      bool
	kind       form.Kind
	foreign    string // a form number that is none of ours
	page, of   int    // printed "sida N av M"
	t          affine // template → image, when registered
	registered bool
	byLines    bool // registered from one mark and the frames
	markCorner int  // the corner of that one mark
}

// Extract reads a file of the given media type.
func (e *Extractor) Extract(ctx context.Context, mediaType string, data []byte) (*Result, error) {
	src, err := open(ctx, mediaType, data, e.limits)
	if err != nil {
		return nil, err
	}
	if src.acro != nil {
		return e.fromAcroForm(src.acro)
	}
	// Pages are decoded, classified and gathered into forms one at a
	// time; a form is read as soon as its last page is seen, and its
	// full-resolution pages are let go.
	res := &Result{PageCount: len(src.pages)}
	var group []*pageInfo
	flush := func() error {
		if len(group) == 0 {
			return nil
		}
		budget := pageBudget{lim: e.limits, overrun: e.pageOverrun}
		gctx, cancel := budget.begin(ctx, group[0].n, len(group))
		doc, err := e.document(gctx, group)
		cancel()
		if berr := budget.done(ctx, gctx); berr != nil {
			return berr
		}
		if err != nil {
			return err
		}
		res.Documents = append(res.Documents, doc)
		group = nil
		return nil
	}
	var blanks []Page // kept small, in case every page is blank
	var blanksHeld int64
	started := time.Now()
	for i := range src.pages {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// Each page has its time budget (Limits.PageTime): a file at
		// every limit fails at its first slow page.
		budget := pageBudget{lim: e.limits, overrun: e.pageOverrun}
		pctx, cancel := budget.begin(ctx, i+1, 1)
		img, err := src.page(pctx, i)
		var pi *pageInfo
		if err == nil {
			pi, err = e.classify(pctx, i+1, condition(img))
		}
		cancel()
		if berr := budget.done(ctx, pctx); berr != nil {
			return nil, berr
		}
		if err != nil {
			return nil, err
		}
		if err := checkPace(time.Since(started), i+1, len(src.pages), e.limits); err != nil {
			return nil, err
		}
		if pi.blank { // the back of a sheet
			blank := scaleToDPI(pi.img, PageDPI)
			blanks = append(blanks, Page{FilePage: pi.n, Image: blank})
			blanksHeld += imageBytes(blank)
		} else {
			if len(group) > 0 && startsForm(group, pi) {
				if err := flush(); err != nil {
					return nil, err
				}
			}
			group = append(group, pi)
		}
		// What the file holds at once stays within its budget: a file of
		// pages at every limit fails at the page that passes it.
		held := blanksHeld
		for _, g := range group {
			held += imageBytes(g.img)
		}
		if err := checkHeld(held, i+1, e.limits); err != nil {
			return nil, err
		}
		if !pi.blank && complete(group) {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if len(res.Documents) == 0 {
		// It opens, but holds nothing to read: a person looks (the scanner
		// may have fed the sheets the wrong way up).
		res.Documents = []Document{{State: form.StateUnclassified, FirstPage: 1, LastPage: len(blanks), Pages: blanks,
			Message: fmt.Sprintf("Skanningen innehåller bara tomma sidor (%d st). Kontrollera att papperen vändes rätt i skannern.", len(blanks))}}
	}
	return res, nil
}

var (
	rePageMark = regexp.MustCompile(`(?i)s\S{0,2}da\s*(\d{1,2})\s*[a@][vy]\s*(\d{1,2})`)
	reFormNo   = regexp.MustCompile(`(?i)F\s?K\s*(\d{4})`)
)

// classify turns a page upright, registers it and reads its printed form
// number and page mark.
func (e *Extractor) classify(ctx context.Context, n int, img *image.Gray) (*pageInfo, error) {
	pi := &pageInfo{n: n, img: img}
	if blankPage(img) {
		pi.blank = true
		return pi, nil
	}
	if quarters, found, ok := orient(img); ok {
		pi.img = rotate(img, quarters)
		if corner, lone := loneMark(found); lone {
			// The scanner cut three marks off: the printed frames stand in.
			pi.markCorner = corner
			pi.t, pi.registered = registerByLines(pi.img, corner, e.markAt(corner), nil)
			pi.byLines = pi.registered
		} else {
			// Every template shares the corner marks and header: register
			// against any, then read the header.
			t, worst, err := register(pi.img, e.anyTemplate(), 1)
			if err == nil && worst < 8*t.scale() {
				pi.t, pi.registered = t, true
			}
		}
	}
	if pi.registered {
		// The header, then the footer, both print the form number and
		// the page mark.
		k := max(pi.t.scale(), ocrDPI/72.0)
		for _, box := range []form.Box{{X: 360, Y: 40, W: 200, H: 42}, {X: 380, Y: 776, W: 180, H: 20}} {
			zone := warp(pi.img, pi.t, box, k)
			despeckle(zone, int(0.4*k*k))
			res, err := e.ocr.Read(ctx, "swe", zone, int(k*72), Block, "")
			if err != nil {
				return nil, err
			}
			e.parseHeader(pi, res.Text())
			if pi.kind != "" || pi.foreign != "" {
				e.refineByLines(pi)
				return pi, nil
			}
		}
	}
	// No marks, or a header that names no form: read the whole page.
	return pi, e.fullPage(ctx, pi)
}

// blankPage reports whether a page holds no marks bigger than scanner
// speckle.
func blankPage(img *image.Gray) bool {
	area := img.Bounds().Dx() * img.Bounds().Dy()
	ink, _ := inkStats(img)
	if ink > area/100 {
		return false
	}
	k := pageDPI(img) / 72
	minArea := int(2 * k * k)
	marks := 0
	for _, c := range components(img) {
		if c.area >= minArea {
			marks += c.area
		}
	}
	return marks < area/2000
}

// fullPage classifies a page by full-page OCR, trying it upside down too
// when the first reading finds nothing. This is the slow fallback.
func (e *Extractor) fullPage(ctx context.Context, pi *pageInfo) error {
	dpi := int(pageDPI(pi.img))
	best := -1.0
	turns := []int{0, 2, 1, 3}
	if pi.registered {
		turns = turns[:1] // upright already
	}
	landscape := pi.img.Bounds().Dx() > pi.img.Bounds().Dy()
	for _, turn := range turns {
		if (turn%2 == 1) != landscape {
			continue // the forms are portrait: only turns that make the page so
		}
		img := rotate(pi.img, turn)
		res, err := e.ocr.Read(ctx, "swe", img, dpi, Auto, "")
		if err != nil {
			return err
		}
		score := res.Confidence() * float64(len(res.Words))
		if score > best {
			best = score
			trial := &pageInfo{}
			e.parseHeader(trial, res.Text())
			pi.kind, pi.foreign, pi.page, pi.of = trial.kind, trial.foreign, trial.page, trial.of
			if turn != 0 {
				pi.img = img
				pi.registered = false
			}
		}
		if pi.kind != "" && res.Confidence() > 0.6 {
			break
		}
	}
	return nil
}

// refineByLines registers a page found by one mark again, now that its
// form and page are known, against that page's frames.
func (e *Extractor) refineByLines(pi *pageInfo) {
	if !pi.byLines {
		return
	}
	tpl, ok := e.templates[pi.kind]
	if !ok || pi.page < 1 || pi.page > len(tpl.Pages) {
		pi.registered = false // provisional only: fields cannot be read
		return
	}
	pi.t, pi.registered = registerByLines(pi.img, pi.markCorner, e.markAt(pi.markCorner), &tpl.Pages[pi.page-1])
}

// markAt is the centre of the mark in a corner (cornerTL…), shared by
// every template.
func (e *Extractor) markAt(corner int) [2]float64 {
	name := markNames[corner]
	for _, a := range e.anyTemplate().Pages[0].Anchors {
		if a.Name == name {
			return [2]float64{a.Box.X + a.Box.W/2, a.Box.Y + a.Box.H/2}
		}
	}
	return [2]float64{}
}

func (e *Extractor) anyTemplate() *form.Template {
	if t, ok := e.templates[form.Kind9445]; ok {
		return t
	}
	for _, t := range e.templates {
		return t
	}
	return nil
}

// parseHeader reads kind and page mark from header text.
func (e *Extractor) parseHeader(pi *pageInfo, text string) {
	flat := strings.Join(strings.Fields(text), " ")
	if m := reFormNo.FindStringSubmatch(flat); m != nil {
		// One misread digit still names our form; further off it is
		// another form altogether (FK 9999 is three digits away).
		switch {
		case digitsApart(m[1], "9445") <= 1:
			pi.kind = form.Kind9445
		case digitsApart(m[1], "9463") <= 1:
			pi.kind = form.Kind9463
		default:
			pi.foreign = "FK " + m[1]
		}
	}
	if pi.kind == "" && pi.foreign == "" && strings.Contains(strings.ToLower(flat), "verenskommelse") {
		pi.kind = form.KindAgreement
	}
	if m := rePageMark.FindStringSubmatch(flat); m != nil {
		pi.page, _ = strconv.Atoi(m[1])
		pi.of, _ = strconv.Atoi(m[2])
	}
	if t, ok := e.templates[pi.kind]; ok {
		// Trust the template over a misread page count.
		pi.of = len(t.Pages)
		if pi.page < 1 || pi.page > pi.of {
			if pi.of == 1 {
				pi.page = 1
			} else {
				pi.page = 0
			}
		}
	}
}

// digitsApart counts the positions where two equally long numbers differ.
func digitsApart(a, b string) int {
	n := 0
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			n++
		}
	}
	return n + max(len(a), len(b)) - min(len(a), len(b))
}

// startsForm reports whether page pi starts a new form after the pages of
// group: at a change of kind, or at a page mark the group already has.
// Pages of one form may come in any order (a stack fed reversed or
// shuffled); a form ends when all its pages are there (see complete).
// Blank pages, the backs of sheets, are left out before. A page whose mark
// could not be read follows the one before it.
func startsForm(group []*pageInfo, pi *pageInfo) bool {
	last := group[len(group)-1]
	if last.kind != pi.kind || last.foreign != pi.foreign {
		return true
	}
	if pi.page == 0 {
		return last.of > 0 && last.page == last.of && inOrder(group)
	}
	for _, g := range group {
		if g.page == pi.page {
			return true
		}
	}
	return false
}

// inOrder reports whether a group's page marks run 1, 2, … as fed.
func inOrder(group []*pageInfo) bool {
	for i, g := range group {
		if g.page != i+1 {
			return false
		}
	}
	return true
}

// complete reports whether a group holds every page its marks count
// ("sida N av M": all of 1…M). A page whose number could not be read
// stands for a number no other page has.
func complete(group []*pageInfo) bool {
	of := 0
	for _, g := range group {
		of = max(of, g.of)
	}
	if of == 0 || len(group) != of {
		return false
	}
	seen := make([]bool, of+1)
	for _, g := range group {
		if g.of != 0 && g.of != of || g.page > of || g.page > 0 && seen[g.page] {
			return false
		}
		seen[g.page] = true
	}
	return true
}

// ordered puts a form's pages, fed in any order, in its own order: by page
// mark, a page whose number could not be read taking the first number no
// other page has (in the order fed). It returns the pages and the
// template page each stands for.
func ordered(group []*pageInfo) ([]*pageInfo, map[*pageInfo]int) {
	taken := map[int]bool{}
	for _, pi := range group {
		taken[pi.page] = pi.page > 0
	}
	number := make(map[*pageInfo]int, len(group))
	next := 1
	for _, pi := range group {
		if pi.page > 0 {
			number[pi] = pi.page
			continue
		}
		for taken[next] {
			next++
		}
		number[pi] = next
		taken[next] = true
	}
	out := slices.Clone(group)
	slices.SortStableFunc(out, func(a, b *pageInfo) int { return number[a] - number[b] })
	return out, number
}

// document reads the fields of one form's pages.
func (e *Extractor) document(ctx context.Context, group []*pageInfo) (Document, error) {
	first := group[0]
	doc := Document{FirstPage: first.n, LastPage: first.n, Kind: first.kind, Fields: form.Fields{}}
	for _, pi := range group {
		doc.FirstPage, doc.LastPage = min(doc.FirstPage, pi.n), max(doc.LastPage, pi.n)
	}
	group, number := ordered(group)
	tpl, known := e.templates[first.kind]
	if !known {
		doc.Kind = ""
		doc.State = form.StateUnclassified
		doc.Message = "Dokumentet är ingen av de kända blanketterna (överenskommelse, FK 9463, FK 9445)."
		if first.foreign != "" {
			doc.Message = fmt.Sprintf("Blanketten %s är ingen av de kända blanketterna (överenskommelse, FK 9463, FK 9445).", first.foreign)
		}
		for _, pi := range group {
			doc.Pages = append(doc.Pages, Page{FilePage: pi.n, Image: scaleToDPI(pi.img, PageDPI)})
		}
		return doc, nil
	}
	doc.State = form.StateExtracted
	seen := map[int]*pageInfo{}
	var notes []string
	for _, pi := range group {
		tp := number[pi] // an unreadable page mark: the number no other page has
		if tp > len(tpl.Pages) || seen[tp] != nil {
			notes = append(notes, fmt.Sprintf("sida %d i filen passar inte blanketten", pi.n))
			continue
		}
		seen[tp] = pi
		page := Page{FilePage: pi.n, TemplatePage: tp, Registered: pi.registered}
		if pi.registered {
			page.Image = warp(pi.img, pi.t, form.Box{W: tpl.PageWidth, H: tpl.PageHeight}, PageDPI/72.0)
		} else {
			page.Image = scaleToDPI(pi.img, PageDPI)
			notes = append(notes, fmt.Sprintf("sida %d kunde inte passas mot mallen; fälten måste läsas manuellt", pi.n))
		}
		doc.Pages = append(doc.Pages, page)
	}
	for p := 1; p <= len(tpl.Pages); p++ {
		if seen[p] == nil {
			notes = append(notes, fmt.Sprintf("sida %d av %d saknas", p, len(tpl.Pages)))
		}
	}
	agreed := map[string]bool{} // fields whose readings agreed
	for _, f := range tpl.Fields {
		if err := ctx.Err(); err != nil {
			return Document{}, err
		}
		pi := seen[f.Page]
		if pi == nil || !pi.registered {
			box := f.Zone
			doc.Fields[f.Name] = form.Value{Name: f.Name, Type: f.Type, Page: f.Page, Box: &box, Confidence: 0}
			continue
		}
		k := max(pi.t.scale(), ocrDPI/72.0)
		v, agree, err := e.readField(ctx, pi.img, pi.t, f, k, int(k*72))
		if err != nil {
			return Document{}, fmt.Errorf("read field %s: %w", f.Name, err)
		}
		if pi.t.scale()*72 < coarseDPI && v.Value != "" && f.Type != form.TypeCheckbox && f.Type != form.TypeSignature {
			v.Confidence = min(v.Confidence, coarseConfidence)
		}
		doc.Fields[f.Name] = v
		agreed[f.Name] = agree
	}
	mendDomains(doc.Fields, agreed)
	mendAddresses(doc.Fields, agreed)
	if !e.uncalibrated {
		for name, v := range doc.Fields {
			v.Confidence = calibrate(v.Type, v.Confidence)
			doc.Fields[name] = v
		}
	}
	if len(notes) > 0 {
		sort.Strings(notes)
		doc.Message = "Observera: " + strings.Join(notes, "; ") + "."
	}
	return doc, nil
}

// fromAcroForm reads a fillable PDF: the template whose fields the form
// has decides the kind; values are typed, so confidence is high unless a
// value is malformed.
func (e *Extractor) fromAcroForm(values map[string]string) (*Result, error) {
	var best *form.Template
	bestHits := 0
	for _, t := range e.templates {
		hits := 0
		for _, f := range t.Fields {
			if _, ok := values[f.Name]; ok {
				hits++
			}
		}
		if hits > bestHits || (hits == bestHits && best != nil && t.Kind < best.Kind) {
			best, bestHits = t, hits
		}
	}
	if best == nil || bestHits < len(best.Fields)*8/10 {
		return &Result{PageCount: 0, Documents: []Document{{State: form.StateUnclassified,
			Message: "PDF-blanketten har formulärfält som inte hör till någon känd blankett."}}}, nil
	}
	doc := Document{State: form.StateExtracted, Kind: best.Kind, FirstPage: 1, LastPage: len(best.Pages), Fields: form.Fields{}}
	for _, f := range best.Fields {
		raw := strings.TrimSpace(values[f.Name])
		v := form.Value{Name: f.Name, Type: f.Type, Raw: raw, Value: raw, Confidence: 1, Page: f.Page}
		box := f.Zone
		v.Box = &box
		if f.Type == form.TypeCheckbox || f.Type == form.TypeSignature {
			v.Value = boolString(raw == "true")
		} else if e.normalise != nil && raw != "" {
			value, ok := e.normalise(f.Type, raw)
			v.Value = value
			if !ok {
				v.Confidence = 0.4
			}
		}
		doc.Fields[f.Name] = v
	}
	return &Result{PageCount: len(best.Pages), Documents: []Document{doc}}, nil
}

// scaleToDPI shrinks an A4 page image to about dpi (nearest neighbour is
// enough for a preview of an unregistered page).
func scaleToDPI(img *image.Gray, dpi float64) *image.Gray {
	src := pageDPI(img)
	if src <= dpi {
		return img
	}
	f := src / dpi
	b := img.Bounds()
	w, h := int(float64(b.Dx())/f), int(float64(b.Dy())/f)
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			out.Pix[y*out.Stride+x] = img.Pix[img.PixOffset(b.Min.X+int(float64(x)*f), b.Min.Y+int(float64(y)*f))]
		}
	}
	return out
}

// IsInputError reports whether err is about the file itself (the document
// is unreadable) rather than a passing fault.
func IsInputError(err error) (*InputError, bool) {
	var ie *InputError
	ok := errors.As(err, &ie)
	return ie, ok
}
