package extract

import (
	"context"
	"errors"
	"fmt"
	"image"
	"math"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"blankett/form"
)

// Engine names this extraction engine and version; a change makes
// re-extraction worthwhile.
const Engine = "blankett-editions-1"

// PageDPI is the resolution of the normalised page images kept for review.
const PageDPI = 150

// ocrDPI is the least resolution zones are rendered at for Tesseract.
const ocrDPI = 300

// zoneScale is the scale, in pixels per point, a zone of a page scanned
// at scan pixels per point is read at: ocrDPI, or the scan's own when
// finer, but a scan twice as fine or more is read at its resolution
// divided by the whole number that brings it nearest ocrDPI from above
// (600 DPI at 300; warp averages its pixels). Tesseract's models read
// writing of the size they were trained on: read as it is, a 600 DPI
// print of a filled PDF gave the h and m of Öhman as capitals (ÖHMan)
// and the l after an address's @ as il. On 225 such prints at 400 and
// 600 DPI, 21 values were read wrong that the print shows whole; 12 so,
// and 11 of 1,071 on 41 scans at 400 and 600 DPI as before. Read at 300
// DPI one pixel of the scan each, not averaged: 9 on the prints, but 18
// on the scans, their grain read as accents (Åke Mägnusson).
func zoneScale(scan float64) float64 {
	least := ocrDPI / 72.0
	if n := math.Floor(scan / least); n >= 2 {
		return scan / n
	}
	return max(scan, least)
}

// Extractor reads files: classifies each page against the active set of
// form editions, splits batches into forms, registers scans to their
// edition and reads every field from its zone.
type Extractor struct {
	set       atomic.Pointer[form.Set]
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

// New makes an extractor reading the built-in editions. normalise may be
// nil (values are then kept raw).
func New(ocr *OCR, normalise Normaliser, limits Limits) (*Extractor, error) {
	set, err := form.BuiltinSet()
	if err != nil {
		return nil, fmt.Errorf("extractor: %w", err)
	}
	e := &Extractor{ocr: ocr, normalise: normalise, limits: limits}
	e.set.Store(set)
	return e, nil
}

// UseSet makes s the active set of editions for extractions started from
// now on; those under way finish with the set they began with.
func (e *Extractor) UseSet(s *form.Set) { e.set.Store(s) }

// Set returns the active set of editions.
func (e *Extractor) Set() *form.Set { return e.set.Load() }

// ErrNoSuchEdition is returned when extraction is told to use an edition
// the active set does not hold.
var ErrNoSuchEdition = errors.New("extract: no such edition in the active set")

// Result is what a file holds: one or more documents (a mailroom batch
// holds several).
type Result struct {
	PageCount int
	Documents []Document
}

// Document is one form found in a file.
type Document struct {
	State   form.State // extracted or unclassified
	Message string     // Swedish, for people
	Kind    form.Kind
	// Edition is the template edition the document was read with (with
	// Kind, it names the template); empty when unclassified.
	Edition   string
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
	tpl        *form.Template // the edition, nil when none
	foreign    string         // a form number that is none of ours
	mentions   string         // the form number of an edition the page names but is no page of (see namesOnly)
	page, of   int            // printed page mark, page n of m (0 when unread)
	t          affine         // template → image, when registered
	registered bool
	fitWords   int        // the printed words (and marks) the registration fits, when registered
	misfit     bool       // registered, but most of the edition's printed rules are not where the fit puts them (rulesMissed)
	words      []readWord // what was read to classify and register it
	text       string
	turn       int               // quarter turns clockwise that made img upright
	marks      *image.Gray       // the coloured ink dropped out of img (colour codes; once read, colourWriting leaves the marks: 0); nil: none
	scanDPI    float64           // the resolution of the scan img was rasterised from, where finer than that (source.scanDPI); 0: img's own
	streaks    []image.Rectangle // on img: the streaks down the scan and the folds' creases across it that were painted over (clearStreaks, clearCreases)
	cleared    []image.Rectangle // on img: inside the page, what conditioning whitened with a band along an edge (clearBorders)
	smoothed   *image.Gray       // img as its writing is read, when coarse (see writing)
	rimless    *image.Gray       // the writing with the rims of the dropped marks cleared (see rimlessWriting)
	rimsSought bool              // whether rimlessWriting has looked for them
	layer      []layerWord       // the words a drawn page's text has, on img (see fromTextLayer); nil for a scan
}

// resolution is the dots an inch the page's writing was scanned at: the
// registration's scale, or the scan's own where img was rasterised finer.
func (pi *pageInfo) resolution() float64 {
	r := pi.t.scale() * 72
	if pi.scanDPI > 0 {
		r = min(r, pi.scanDPI)
	}
	return r
}

// writing is the page as its written values are read: img, or where it
// is a scan coarser than coarseDPI at its own pixels (a fax), img smoothed
// by coarseSmoothing pixels. A fax is bi-level: enlarged to ocrDPI, its
// letters' edges are stairs of whole fax pixels that the models, trained
// on grey print, misread more often than the same edges blurred to a
// ramp (on the development corpora, 8 more of 675 values of 150 DPI faxes
// read right; blurred by a whole pixel, 17 fewer of 709 fax values on six
// of them). A page rasterised finer than its scan (a fax of 204 by 98
// dots, made square: scanDPI) is left as it is: blurred alike both ways,
// 2 to 11 fewer of 337 read right. Tick boxes, radio buttons and
// signatures are judged on img: they count dark pixels.
func (pi *pageInfo) writing() *image.Gray {
	if pi.scanDPI > 0 || pi.resolution() >= coarseDPI {
		return pi.img
	}
	if pi.smoothed == nil {
		pi.smoothed = gaussian(pi.img, coarseSmoothing)
	}
	return pi.smoothed
}

// coarseSmoothing is the Gaussian blur, in pixels, of a coarse scan's
// writing (see pageInfo.writing).
const coarseSmoothing = 0.6

// rimlessWriting is the page's writing (see writing) with what the marks
// dropped out of it left along their strokes cleared (clearMarkRims), made
// when first wanted; nil where no mark was dropped or none left a rim.
func (pi *pageInfo) rimlessWriting() *image.Gray {
	if pi.marks == nil || pi.rimsSought {
		return pi.rimless
	}
	pi.rimsSought = true
	img := image.NewGray(pi.img.Rect)
	copy(img.Pix, pi.img.Pix)
	if !clearMarkRims(img, pi.marks) {
		return nil
	}
	if pi.writing() != pi.img {
		img = gaussian(img, coarseSmoothing)
	}
	pi.rimless = img
	return pi.rimless
}

// withoutRims reads a textual field again where its reading v (b, what
// backs it) is in deep doubt and a mark was dropped out of its zone: the
// rims of the mark's strokes, grey where the scan blurred its colour into
// paper, may have been read as writing (a stamp's outlines read as words
// after a name). The field is read with them cleared (rimlessWriting),
// and that reading is taken when it passes the checks where v failed
// them, or passes them more surely. Not at first: a stroke of the writing
// under the mark, as pale as a rim, may go with them (a 1 under a
// stamp's frame).
func (e *Extractor) withoutRims(ctx context.Context, pi *pageInfo, tpl *form.Template, f form.Field, k float64, v form.Value, b support) (form.Value, support, error) {
	if !textual(f.Type) || v.Confidence >= secondLook/2 || pi.marks == nil || !underMarks(pi.marks, pi.t, f, k, v) {
		return v, b, nil
	}
	rimless := pi.rimlessWriting()
	if rimless == nil {
		return v, b, nil
	}
	v2, b2, err := e.readField(ctx, rimless, pi.t, tpl, f, k, int(k*72))
	if err != nil {
		return v, b, err
	}
	if b2.wellFormed && (!b.wellFormed || v2.Confidence > v.Confidence) {
		b2.reread = true
		return v2, b2, nil
	}
	return v, b, nil
}

// Extract reads a file of the given media type, each form in it with the
// active edition it is recognised as.
func (e *Extractor) Extract(ctx context.Context, mediaType string, data []byte) (*Result, error) {
	return e.extract(ctx, mediaType, data, e.Set(), false)
}

// ExtractAs reads a file as the given edition (re-extraction with the
// edition a document was first read with, or one a person chose): every
// page is taken to be a page of it.
func (e *Extractor) ExtractAs(ctx context.Context, mediaType string, data []byte, kind form.Kind, edition string) (*Result, error) {
	return e.ExtractWith(ctx, mediaType, data, nil, kind, edition)
}

// ExtractWith reads a file with the editions of set (the active set when
// nil): as the given edition of kind when edition is not empty (it must
// be in set), else each form as the edition it is recognised as.
func (e *Extractor) ExtractWith(ctx context.Context, mediaType string, data []byte, set *form.Set, kind form.Kind, edition string) (*Result, error) {
	if set == nil {
		set = e.Set()
	}
	if edition == "" {
		return e.extract(ctx, mediaType, data, set, false)
	}
	t, ok := set.Edition(kind, edition)
	if !ok {
		return nil, fmt.Errorf("%w: %s %s", ErrNoSuchEdition, kind, edition)
	}
	one, err := form.NewSet(t)
	if err != nil {
		return nil, err
	}
	return e.extract(ctx, mediaType, data, one, true)
}

func (e *Extractor) extract(ctx context.Context, mediaType string, data []byte, set *form.Set, forced bool) (*Result, error) {
	src, err := open(ctx, mediaType, data, e.limits)
	if err != nil {
		return nil, err
	}
	if src.acro != nil {
		return e.fromAcroForm(ctx, data, src, set, forced)
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
		doc, err := e.document(gctx, group, set)
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
	// aside holds the pages not of any form (a letter) that came between
	// pages of one form, until the form's next page shows it goes on (see
	// interrupts); they follow it as a document of their own.
	var aside []*pageInfo
	// release flushes the form and groups the pages set aside as they
	// would have been grouped where they came.
	release := func() error {
		if err := flush(); err != nil {
			return err
		}
		for _, pi := range aside {
			if len(group) > 0 && startsForm(group, pi) {
				if err := flush(); err != nil {
					return err
				}
			}
			group = append(group, pi)
		}
		aside = nil
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
			w, h := img.Bounds().Dx(), img.Bounds().Dy()
			up, streaks, cleared := condition(img)
			pi, err = e.classify(pctx, i+1, up, set, forced)
			if err == nil && !pi.blank {
				pi.streaks = turnRects(streaks, w, h, pi.turn)
				pi.cleared = turnRects(cleared, w, h, pi.turn)
			}
		}
		if err == nil && !pi.blank && pi.tpl != nil {
			if words := src.textOf(pctx, i); words != nil {
				pi.layer = layerOnImage(words, float64(e.limits.RasterDPI), img.Bounds().Dx(), img.Bounds().Dy(), pi.turn)
			}
		}
		if marks := src.marksOf(i); err == nil && marks != nil && !pi.blank {
			pi.marks = rotate(marks, pi.turn)
		}
		if err == nil {
			pi.scanDPI = src.scanDPIOf(i)
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
			pi, err = e.besideForm(ctx, group, pi)
			if err != nil {
				return nil, err
			}
			if len(aside) > 0 && pi.tpl != nil && (pi.tpl != group[0].tpl || startsForm(group, pi)) {
				// Not the interrupted form's next page: it ended at the
				// pages set aside.
				if err := release(); err != nil {
					return nil, err
				}
			}
			if unread := unclassifiedBefore(group, pi); unread > 0 {
				// The form pi starts may have begun with pages not
				// recognised (fed in reverse: its last page first).
				adopted, err := e.adoptBefore(ctx, group[len(group)-unread:], pi)
				if err != nil {
					return nil, err
				}
				if len(adopted) > 0 {
					group = group[:len(group)-len(adopted)]
					if err := flush(); err != nil {
						return nil, err
					}
					group = adopted
				}
			}
			switch {
			case len(aside) > 0 && pi.tpl == nil || interrupts(group, pi):
				aside = append(aside, pi)
			case len(group) > 0 && startsForm(group, pi):
				if err := flush(); err != nil {
					return nil, err
				}
				fallthrough
			default:
				group = append(group, pi)
			}
		}
		// What the file holds at once stays within its budget: a file of
		// pages at every limit fails at the page that passes it.
		held := blanksHeld
		for _, g := range slices.Concat(group, aside) {
			held += imageBytes(g.img)
		}
		if err := checkHeld(held, i+1, e.limits); err != nil {
			return nil, err
		}
		if !pi.blank && complete(group) {
			if err := release(); err != nil {
				return nil, err
			}
		}
	}
	if err := release(); err != nil {
		return nil, err
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

// classify turns a page upright, recognises its edition and page and
// registers it to that edition's template.
func (e *Extractor) classify(ctx context.Context, n int, img *image.Gray, set *form.Set, forced bool) (*pageInfo, error) {
	pi := &pageInfo{n: n, img: img}
	if blankPage(img) {
		pi.blank = true
		return pi, nil
	}
	var best verdict
	var bestImg *image.Gray
	var texts []string
	qs, _ := turns(img, set)
	for _, q := range qs {
		up := rotate(img, q)
		v, text, err := e.recognise(ctx, up, set)
		if err != nil {
			return nil, err
		}
		v.turn = q
		texts = append(texts, text)
		if bestImg == nil || v.score > best.score {
			best, bestImg = v, up
		}
		if accepted(v, forced) && !v.hearsay() {
			break
		}
	}
	if !accepted(best, forced) || best.hearsay() {
		// Nothing recognised in the strips, or named only by hearsay:
		// read the whole page.
		v, up, text, err := e.fullPage(ctx, img, set)
		if err != nil {
			return nil, err
		}
		texts = append(texts, text)
		switch {
		case up == nil:
		case !accepted(best, forced):
			if v.score > best.score || accepted(v, forced) {
				best, bestImg = v, up
			}
		case accepted(v, forced) && (!v.hearsay() || v.score > best.score):
			best, bestImg = v, up
		}
	}
	pi.img, pi.turn = bestImg, best.turn
	if !accepted(best, forced) {
		for _, text := range texts {
			if number, ok := set.FormNumberIn(text); ok {
				pi.foreign = number
				break
			}
		}
		return pi, nil
	}
	pi.words, pi.text = best.words, best.text
	if err := e.settle(ctx, pi, best, set); err != nil {
		return nil, err
	}
	if !best.edition && !forced && best.closeCall() && pi.registered {
		// Another edition of the kind may share this one's printed words:
		// all that was read decides, the edition mark above all.
		again := best
		for _, t := range set.Editions(best.tpl.Kind) {
			if v := rate(set, t, pi.text, pi.words, pi.t, 15); v.score > again.score {
				again = v
			}
		}
		if again.tpl != best.tpl {
			again.words, again.text = pi.words, pi.text
			*pi = pageInfo{n: pi.n, img: pi.img, words: pi.words, text: pi.text, turn: pi.turn}
			if err := e.settle(ctx, pi, again, set); err != nil {
				return nil, err
			}
		}
	}
	if !forced && best.edition && (!pi.registered || pi.misfit || pi.fitWords < fitWordsOfAPage) {
		if err := e.byWords(ctx, pi, best, set); err != nil {
			return nil, err
		}
	}
	if !forced && namesOnly(pi, best) {
		pi.mentions = pi.tpl.FormNumber
		pi.tpl, pi.page, pi.of = nil, 0, 0
	}
	return pi, nil
}

// byWords settles a page that its edition mark (best) gave an edition it
// could not be fitted to, or fitted on a handful of words or missing the
// edition's rules, on another edition of the kind that more of the
// printed words read fit: the mark may be misread (a 200 DPI fax of a
// first edition, 5 degrees askew, its footer's "(001)" read "(003)", was
// taken for a third edition on 3 of its words against 10 of the first's,
// and every value put in doubt). The other edition is taken only where
// the page registers to it on more words, and on as many as a page of a
// form rests on, with its rules where the fit puts them.
func (e *Extractor) byWords(ctx context.Context, pi *pageInfo, best verdict, set *form.Set) error {
	for _, t := range set.Editions(best.tpl.Kind) {
		if t == pi.tpl {
			continue
		}
		v := rate(set, t, pi.text, pi.words, best.prior, priorTolerance)
		if len(v.inliers) < 3 || len(v.inliers) <= len(best.inliers) {
			continue
		}
		v.words, v.text = pi.words, pi.text
		again := &pageInfo{n: pi.n, img: pi.img, words: pi.words, text: pi.text, turn: pi.turn}
		if err := e.settle(ctx, again, v, set); err != nil {
			return err
		}
		if again.registered && !again.misfit && again.fitWords >= max(fitWordsOfAPage, pi.fitWords+1) {
			*pi = *again
			return nil
		}
	}
	return nil
}

// namesOnly reports whether a page that named an edition (v) is no page
// of it but a page about it, a cover letter ("Här kommer blankett FK
// 9445 Beställning användare i SUS"): hardly any of the edition's
// printed words were where the edition prints them (it could not be
// registered, or the fit rests on fewer than fitWordsOfAPage of them, a
// few words of the letter's that the edition prints too), neither its
// page mark nor its edition mark was read, and it prints hardly a ruled
// line (formRules; a fold across the sheet is none, see ruledLines).
// Such a page is left unclassified, a document of its own for a person to
// read, not taken for a page of the form beside it, nor for a form whose
// every field must be read by hand.
func namesOnly(pi *pageInfo, v verdict) bool {
	if pi.registered && pi.fitWords >= fitWordsOfAPage || v.edition || v.page > 0 || pi.tpl == nil {
		return false
	}
	_, _, marked := pi.tpl.MatchPageMark(pi.text)
	return !marked && ruledLines(pi.img, pageDPI(pi.img)/72) < formRules
}

// formRules is the fewest ruled lines a page of a form prints, as far as
// namesOnly is concerned: a letter prints none, or a letterhead's rule or
// two; a form's cells and lines to write on are ruled, and a page of
// one scanned too coarsely to be fitted (a fax) still shows them.
const formRules = 5

// settle takes the verdict's edition and page for the page and registers
// it.
func (e *Extractor) settle(ctx context.Context, pi *pageInfo, v verdict, set *form.Set) error {
	pi.tpl, pi.page, pi.of = v.tpl, v.page, v.of
	if err := e.register(ctx, pi, v, v.closeCall()); err != nil {
		return err
	}
	if pi.page == 0 {
		if n, m, ok := v.tpl.MatchPageMark(pi.text); ok {
			pi.page, pi.of = n, m
		} else if v.tplPage > 0 && v.pageSure && len(v.inliers) >= 3 && !v.tpl.PageMarksDiffer(pi.text) {
			// Not where the marks read name two pages and the words
			// could not tell which (a speck made the header's 1 a 2,
			// the footer read 1): the page then stands for the number
			// no other page of its form has (see ordered).
			pi.page = v.tplPage
		}
	}
	if len(v.tpl.Pages) == 1 {
		pi.page, pi.of = 1, 1
	}
	return nil
}

// accepted reports whether a verdict names its edition: the form number,
// edition mark or title was read. Told the edition, its printed words
// where it prints them are enough.
func accepted(v verdict, forced bool) bool {
	if v.tpl == nil {
		return false
	}
	if forced {
		return v.named || len(v.inliers) >= 3
	}
	return v.named
}

// hearsay reports whether a verdict names its edition by the form number
// or title alone, read where the edition prints neither its words nor its
// page mark: a page that mentions the form in its text (an agreement's
// terms name the form orderers are reported on) is no page of it. Such a
// verdict is taken only where reading the whole page names nothing surer.
func (v verdict) hearsay() bool {
	return v.named && !v.edition && v.page == 0 && len(v.inliers) < 2
}

// turns are the quarter turns that may make a page image upright, the
// likelier first: those that give it the shape of one of the set's
// pages, the one its letters stand upright in first. unlikely marks a
// turn whose letters clearly stand on their heads: the slow full-page
// reading skips it.
func turns(img *image.Gray, set *form.Set) (qs []int, unlikely []bool) {
	b := img.Bounds()
	portrait := b.Dy() >= b.Dx()
	for _, p := range papers(set) {
		q := 0
		if (p[1] >= p[0]) != portrait {
			q = 1
		}
		if slices.Contains(qs, q) {
			continue
		}
		down, ok, clear := upsideDown(rotate(img, q))
		if ok && down {
			qs = append(qs, q+2, q)
		} else {
			qs = append(qs, q, q+2)
		}
		unlikely = append(unlikely, false, clear)
	}
	return qs, unlikely
}

// recognise reads the set's recognition areas of an upright page image
// and scores every edition against them.
func (e *Extractor) recognise(ctx context.Context, up *image.Gray, set *form.Set) (verdict, string, error) {
	var best verdict
	var all []string
	var rated []verdict
	b := up.Bounds()
	for _, p := range papers(set) {
		if (p[1] >= p[0]) != (b.Dy() >= b.Dx()) {
			continue
		}
		ps := priors(up, p[0], p[1])
		for _, t0 := range ps {
			words, text, err := e.readPlaces(ctx, up, t0, probeAreas(set, p[0], p[1]), probeDPI, stripMode, 1)
			if err != nil {
				return verdict{}, "", err
			}
			all = append(all, text)
			for _, t := range set.Templates() {
				if !samePaper(t, p[0], p[1]) {
					continue
				}
				v := ratePlaced(set, t, text, words, t0, ps)
				v.words, v.text = words, text
				rated = append(rated, v)
				if best.tpl == nil || v.score > best.score {
					best = v
				}
			}
		}
	}
	best = placed(byLayout(best, rated), rated)
	best.rival, best.rivalWords = rivalOf(best, rated)
	// readMore reads places through t for a verdict in doubt, and gives
	// what best read with what they hold.
	readMore := func(t affine, places []form.Place) ([]readWord, string, error) {
		words, text, err := e.readPlaces(ctx, up, t, places, probeDPI, stripMode, 1)
		if err != nil {
			return nil, "", err
		}
		all = append(all, text)
		return append(slices.Clone(best.words), words...), best.text + "\n" + text, nil
	}
	if best.tpl != nil && len(best.tpl.Pages) > 1 && best.page == 0 && len(best.inliers) < fitWordsOfAPage {
		// A page of a form of several pages, its page mark not read
		// and hardly any of its words where it prints them: the words
		// the probe read are on every page (its foot), and the page is
		// guessed, often wrongly, and then cannot be placed (a page 2
		// of an agreement, turned and faint, fitted to page 1 on two
		// words, and taken for a cover letter). The other marks of
		// every edition of its kind and paper are read where they are
		// printed, with the probe's room, and the editions rated again
		// with them: a page mark read there names the page.
		var kin []*form.Template // the editions of its kind and paper
		for _, t := range set.Templates() {
			if t.Kind == best.tpl.Kind && samePaper(t, best.tpl.PageWidth, best.tpl.PageHeight) {
				kin = append(kin, t)
			}
		}
		var places []form.Place
		for _, t := range kin {
			for _, w := range t.Recognition.Where[min(1, len(t.Recognition.Where)):] {
				places = append(places, form.Place{Box: clip(inset(w.Box, -30), t), Turned: w.Turned})
			}
		}
		words, text, err := readMore(best.prior, places)
		if err != nil {
			return verdict{}, "", err
		}
		again := best
		for _, t := range kin {
			if v := rate(set, t, text, words, best.prior, priorTolerance); v.page > 0 && v.score > again.score {
				again = v
			}
		}
		if again.tpl != best.tpl || again.page != best.page {
			again.words, again.text = words, text
			again.rival, again.rivalWords = rivalOf(again, rated)
			best = again
		}
	}
	if best.tpl != nil && !best.named && len(best.inliers) >= fitWordsToName {
		// Placed by its printed words, but its form number not read: on
		// a page skewed or shrunk past the probe's room, the number is cut
		// in two. The marks are read where the words' fit puts the
		// edition's, and the editions rated again with them: one they
		// name is taken (editions of a family print their marks alike,
		// and their headings: a page of one kind can be placed best as
		// another); else the page is read whole.
		var places []form.Place
		for _, w := range best.tpl.Recognition.Where {
			places = append(places, form.Place{Box: clip(inset(w.Box, -12), best.tpl), Turned: w.Turned})
		}
		words, text, err := readMore(best.fit, places)
		if err != nil {
			return verdict{}, "", err
		}
		named := verdict{}
		for _, t := range set.Templates() {
			if !samePaper(t, best.tpl.PageWidth, best.tpl.PageHeight) {
				continue
			}
			// Fitted as the probe's words were (a page on a Legal
			// canvas, its marks read through the prior that fills it).
			v := ratePlaced(set, t, text, words, best.prior, priors(up, t.PageWidth, t.PageHeight))
			if v.named && (named.tpl == nil || v.score > named.score) {
				named = v
			}
		}
		if named.tpl == nil && set.MisreadFormNumber(best.tpl, text) {
			// Its form number read with a digit wrong (a 2 for a 3, on
			// a page skewed, blurred and stamped), and nearer no other
			// form's: it names the edition the words place the page as.
			named = best
			named.named = true
		}
		if named.tpl != nil {
			named.words, named.text = words, text
			named.rival, named.rivalWords = rivalOf(named, rated)
			best = named
		}
	}
	return best, strings.Join(all, "\n"), nil
}

// fitWordsToName is the fewest of an edition's printed words found where
// a fit puts them for its marks to be looked for there (see recognise):
// three place a page; two fit any placing.
const fitWordsToName = 3

// rivalOf is the best score among rated of another edition of v's kind
// (-1: none), and how many of its printed words were found.
func rivalOf(v verdict, rated []verdict) (score float64, words int) {
	score = -1
	for _, r := range rated {
		if v.tpl != nil && r.tpl != v.tpl && r.tpl.Kind == v.tpl.Kind && r.score > score {
			score, words = r.score, len(r.inliers)
		}
	}
	return score, words
}

// ratePlaced rates edition t against the text and words read through
// prior (see rate), and a verdict whose words fit no placing at prior's
// scale at the scale of another of its page's priors (atPaperScale).
func ratePlaced(set *form.Set, t *form.Template, text string, words []readWord, prior affine, priors []affine) verdict {
	v := rate(set, t, text, words, prior, priorTolerance)
	if len(v.inliers) < 2 {
		v = atPaperScale(v, priors)
	}
	return v
}

// atPaperScale fits a verdict whose printed words were found near where
// its prior puts them but fit no placing at the prior's scale (none
// within an eighth of it: see plausible) at the scales of the other
// priors of its page: a page on a larger canvas is read through the
// prior that fills the canvas too, a fifth too large, and where the page
// lies close to where that prior puts it (its form number near the
// canvas's corner) its words are found there, at the paper's scale. It
// is scored as rate scores the words that fit.
func atPaperScale(v verdict, priors []affine) verdict {
	if len(v.found) < 2 {
		return v
	}
	for _, t := range priors {
		if k := t.scale(); math.Abs(k/v.prior.scale()-1) > 0.12 {
			if fit, in := ransac(v.found, k); len(in) >= 2 {
				v.fit, v.inliers = fit, in
				v.score += 0.25 * float64(min(len(in), 24))
				return v
			}
		}
	}
	return v
}

// placed gives best the placing of the prior of its edition that found
// the most of its printed words where it prints them, on the page best
// matched them on (among those that found as many, the one that found
// the most near where they are, when best found too few to fit the
// page): on a page scanned on a larger canvas, one prior may read the
// form number and page mark best, another put them where they are. Two
// words placed are no check of a placing (any two fit), seven are: a
// page fed upside down onto a Legal canvas was named best through the
// prior that fills the canvas, whose two words put the page a fifth too
// large, and it could not be fitted. A form number or edition mark read
// through any prior of best's edition names best.
func placed(best verdict, rated []verdict) verdict {
	if best.tpl == nil {
		return best
	}
	few := len(best.inliers) < 2
	for _, v := range rated {
		if v.tpl != best.tpl {
			continue
		}
		// The form number or the edition mark read through another
		// prior is read all the same: a page printed to fit its paper
		// and scanned on a larger canvas showed its form number where
		// the prior filling the image put it, and its words where the
		// one on the canvas put them, best, but unnamed: it was read
		// whole and taken for another edition printing the same text.
		best.named = best.named || v.named
		best.edition = best.edition || v.edition
		if v.tplPage != best.tplPage {
			continue
		}
		if len(v.inliers) > len(best.inliers) || few && len(v.inliers) == len(best.inliers) && len(v.found) > len(best.found) {
			best.prior, best.fit, best.inliers, best.found = v.prior, v.fit, v.inliers, v.found
		}
	}
	return best
}

// byLayout returns best, or another edition of its kind among rated whose
// printed words were found where it prints them, over twice as many:
// where its printed words stand outweighs an edition mark read once (the
// strip that reads one edition's footer cuts through the other's, and
// "(001)" read through it, or through a skewed page read whole, can come
// out "(002)"). The other edition must be named, or, best naming the
// kind, have its own edition mark read: an edition mark alone does not
// name a kind that other kinds' editions print alike, but it tells the
// kind's editions apart (an outside-drawn edition's first page, its form
// number read without its first letter and its "(003)" read, 12 of its
// words where it prints them, was taken for the first edition, named by
// the title both print, on 4, and then for a cover letter).
func byLayout(best verdict, rated []verdict) verdict {
	for _, v := range rated {
		if best.tpl != nil && v.tpl != best.tpl && v.tpl.Kind == best.tpl.Kind && (v.named || v.edition && best.named) &&
			len(v.inliers) >= 4 && 2*len(best.inliers) < len(v.inliers) {
			best = v
		}
	}
	return best
}

// priorTolerance is how far, in points, a printed word may be from where
// an exact scan would have it: the scanner's shift, scale and skew.
const priorTolerance = 70

// blankPage reports whether a page holds no writing: no marks bigger
// than scanner speckle, or only speckle scattered over the page. Marks
// count when they are large (a line, a signature stroke) or sit in a row
// with others like letters in a word; isolated dots, however many, do not
// (a blank back of a sheet scanned as a noisy JPEG has hundreds). Marks
// wholly within edgeLine of the image's top or bottom edge do not count
// either: the line a sending fax machine prints over every page it sends
// (its time, number and name, "SIDA 3 AV 4"), a blank sheet's too, or a
// scanner's imprint.
func blankPage(img *image.Gray) bool {
	b := img.Bounds()
	area := b.Dx() * b.Dy()
	if inkOver(img, area/100) {
		return false
	}
	k := pageDPI(img) / 72
	minArea := int(2 * k * k)
	edge := int(edgeLine * k)
	var marks []component
	total := 0
	for _, c := range componentBoxes(img) {
		if c.area >= minArea && c.box.Max.Y > b.Min.Y+edge && c.box.Min.Y < b.Max.Y-edge {
			marks = append(marks, c)
			total += c.area
		}
	}
	limit := area / 2000
	if total < limit {
		return true
	}
	return writingArea(marks, k) < limit
}

// edgeLine is how near, in points, to the top or bottom edge of a page
// image a line of print is taken for a fax machine's or a scanner's
// (8 mm; a fax header stands 2 to 3 mm from the edge, and a form prints
// nothing so near).
const edgeLine = 23

// inkOver reports whether img has more than limit ink pixels. It stops
// counting once it knows: a written page passes the limit long before its
// last row, and counting all of a 300 DPI page costs milliseconds.
func inkOver(img *image.Gray, limit int) bool {
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		at := img.PixOffset(b.Min.X, y)
		for _, v := range img.Pix[at : at+b.Dx()] {
			if v < inkThreshold {
				n++
			}
		}
		if n > limit {
			return true
		}
	}
	return false
}

// writingArea is the ink area of the marks that look like writing: a mark
// of at least bigMark pt², or a row of marks (each within wordGap pt of the
// next, overlapping in height) at least wordWidth pt wide. k is pixels per
// point.
func writingArea(marks []component, k float64) int {
	const bigMark, wordGap, wordWidth = 40, 1.5, 15
	sort.Slice(marks, func(i, j int) bool { return marks[i].box.Min.X < marks[j].box.Min.X })
	boxes := make([]image.Rectangle, len(marks))
	for i, m := range marks {
		boxes[i] = m.box
	}
	gap := int(wordGap*k + 0.5)
	group := sideBySide(boxes,
		func(image.Rectangle, image.Rectangle) int { return gap },
		func(a, c image.Rectangle) bool { return c.Min.Y <= a.Max.Y && a.Min.Y <= c.Max.Y })
	rows := map[int]image.Rectangle{}
	ink := map[int]int{}
	for i, m := range marks {
		rows[group[i]] = rows[group[i]].Union(m.box)
		ink[group[i]] += m.area
	}
	total := 0
	for r, box := range rows {
		if float64(ink[r]) >= bigMark*k*k || float64(box.Dx()) >= wordWidth*k {
			total += ink[r]
		}
	}
	return total
}

// fullPage classifies a page by reading all of it, in each turn that
// gives it the shape of one of the set's pages, until an edition is
// recognised. This is the slow fallback.
func (e *Extractor) fullPage(ctx context.Context, img *image.Gray, set *form.Set) (verdict, *image.Gray, string, error) {
	var best verdict
	var bestImg *image.Gray
	var texts []string
	var rated []verdict
	dpi := min(int(pageDPI(img)), ocrDPI)
	qs, unlikely := turns(img, set)
	for i, q := range qs {
		if unlikely[i] {
			continue // the letters clearly stand the other way up
		}
		up := rotate(img, q)
		b := up.Bounds()
		for _, p := range papers(set) {
			if (p[1] >= p[0]) != (b.Dy() >= b.Dx()) {
				continue
			}
			t0 := nominal(up, p[0], p[1])
			words, text, err := e.readStrips(ctx, up, t0, []form.Box{{W: p[0], H: p[1]}}, dpi, Auto)
			if err != nil {
				return verdict{}, nil, "", err
			}
			texts = append(texts, text)
			for _, t := range set.Templates() {
				if !samePaper(t, p[0], p[1]) {
					continue
				}
				v := rate(set, t, text, words, t0, priorTolerance)
				v.words, v.text, v.turn = words, text, q
				rated = append(rated, v)
				if bestImg == nil || v.score > best.score {
					best, bestImg = v, up
				}
			}
		}
		if b := byLayout(best, rated); b.tpl != best.tpl {
			best, bestImg = b, up
			if b.turn != q {
				bestImg = rotate(img, b.turn)
			}
		}
		if accepted(best, false) {
			break
		}
	}
	return best, bestImg, strings.Join(texts, "\n"), nil
}

// besideForm tries a page as the missing page of the form before it in
// the file (refit) where the page was not recognised (no edition named on
// it, none foreign, no cover letter's), or was taken for another edition
// that it could not be fitted to. A form's last page, all lines and
// signatures, scanned too coarsely for its small print to be read, names
// neither its form nor its edition; a page of terms may name another form
// by its number. It returns pi as that page where it fits, else pi
// unchanged.
func (e *Extractor) besideForm(ctx context.Context, group []*pageInfo, pi *pageInfo) (*pageInfo, error) {
	if len(group) == 0 || complete(group) {
		return pi, nil
	}
	tpl := group[len(group)-1].tpl
	misplaced := pi.tpl != nil && pi.tpl != tpl && !pi.registered // taken for another edition, not fitted to it
	if tpl == nil || !unrecognised(pi) && !misplaced && !sibling(tpl, group, pi) {
		return pi, nil
	}
	re, ok, err := e.refit(ctx, pi, tpl, group)
	if err != nil || !ok {
		return pi, err
	}
	return re, nil
}

// sibling reports whether pi was taken for another edition of the kind
// of the form group holds, on its printed words alone, as the page that
// form lacks: editions of a kind print much the same text, and a poor
// scan's words may fit another's layout better in part (a form of four
// pages, min-is-black on a legal canvas, had its page 2 fitted to
// another edition's page 2 and was split in three). tpl is the form's
// edition. Without its own edition mark read on it, pi is tried as the
// form's page.
func sibling(tpl *form.Template, group []*pageInfo, pi *pageInfo) bool {
	if pi.tpl == nil || tpl == nil || pi.tpl == tpl || pi.tpl.Kind != tpl.Kind || pi.page == 0 || pi.tpl.MatchEdition(pi.text) {
		return false
	}
	return !slices.ContainsFunc(group, func(g *pageInfo) bool { return g.page == pi.page })
}

// unclassifiedBefore is how many pages at the end of group were not
// recognised, where pi, recognised, is a page of a form of several pages
// that they might have begun (0 otherwise).
func unclassifiedBefore(group []*pageInfo, pi *pageInfo) int {
	if pi.tpl == nil || pi.foreign != "" || len(pi.tpl.Pages) < 2 {
		return 0
	}
	n := 0
	for n < len(group) && unrecognised(group[len(group)-1-n]) {
		n++
	}
	return n
}

// adoptBefore tries the pages not recognised just before pi, from the
// nearest back, as pages of pi's form (refit), and returns those that fit
// (in the order fed), stopping at the first that does not.
func (e *Extractor) adoptBefore(ctx context.Context, unread []*pageInfo, pi *pageInfo) ([]*pageInfo, error) {
	have := []*pageInfo{pi}
	for i := len(unread) - 1; i >= 0 && len(have) < len(pi.tpl.Pages); i-- {
		re, ok, err := e.refit(ctx, unread[i], pi.tpl, have)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		have = append(have, re)
	}
	adopted := have[1:]
	slices.Reverse(adopted)
	return adopted, nil
}

// unrecognised reports whether a page of a scan was read as none of the
// set's, nor as a foreign form or a cover letter naming one of them.
func unrecognised(pi *pageInfo) bool {
	return !pi.blank && pi.tpl == nil && pi.foreign == "" && pi.mentions == ""
}

// refit tries an unrecognised page as a page of tpl, the edition of the
// form beside it in the file: as re-extraction with a chosen edition does,
// by tpl's printed words where tpl prints them. It is that page (ok) only
// where it is a page of the edition as namesOnly has it, registered on
// fitWordsOfAPage printed words or more, and its page told, one no page of
// have has. Where the edition's rules are not where the fit puts them, it
// is that page all the same, its values in doubt (misfit), as when
// recognised.
func (e *Extractor) refit(ctx context.Context, pi *pageInfo, tpl *form.Template, have []*pageInfo) (*pageInfo, bool, error) {
	one, err := form.NewSet(tpl)
	if err != nil {
		return nil, false, err
	}
	budget := pageBudget{lim: e.limits, overrun: e.pageOverrun}
	pctx, cancel := budget.begin(ctx, pi.n, 1)
	re, err := e.classify(pctx, pi.n, pi.img, one, true)
	cancel()
	if berr := budget.done(ctx, pctx); berr != nil {
		return nil, false, berr
	}
	if err != nil {
		return nil, false, err
	}
	if re.tpl != tpl || !re.registered || re.fitWords < fitWordsOfAPage || re.page == 0 || re.page > len(tpl.Pages) {
		return nil, false, nil
	}
	for _, g := range have {
		if g.page == re.page {
			return nil, false, nil
		}
	}
	w, h := pi.img.Bounds().Dx(), pi.img.Bounds().Dy()
	re.streaks = turnRects(pi.streaks, w, h, re.turn)
	re.cleared = turnRects(pi.cleared, w, h, re.turn)
	if pi.marks != nil {
		re.marks = rotate(pi.marks, re.turn)
	}
	re.scanDPI = pi.scanDPI
	re.turn = (pi.turn + re.turn) % 4
	return re, true, nil
}

// interrupts reports whether pi, a page of no form (a letter, a page not
// recognised, another organisation's form), comes between pages of the
// form group holds, not yet whole: it is set aside until the form's next
// page shows whether the form goes on after it (a letter filed between
// the pages of an agreement) or ended before it.
func interrupts(group []*pageInfo, pi *pageInfo) bool {
	return pi.tpl == nil && len(group) > 0 && group[0].tpl != nil && !complete(group)
}

// startsForm reports whether page pi starts a new form after the pages of
// group: at a change of kind, or at a page mark the group already has.
// Pages of one form may come in any order (a stack fed reversed or
// shuffled); a form ends when all its pages are there (see complete).
// Blank pages, the backs of sheets, are left out before. A page whose mark
// could not be read follows the one before it.
func startsForm(group []*pageInfo, pi *pageInfo) bool {
	last := group[len(group)-1]
	if last.tpl != pi.tpl || last.foreign != pi.foreign {
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
// (page N of M: all of 1…M). A page whose number could not be read
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
func (e *Extractor) document(ctx context.Context, group []*pageInfo, set *form.Set) (Document, error) {
	first := group[0]
	doc := Document{FirstPage: first.n, LastPage: first.n, Fields: form.Fields{}}
	for _, pi := range group {
		doc.FirstPage, doc.LastPage = min(doc.FirstPage, pi.n), max(doc.LastPage, pi.n)
	}
	group, number := ordered(group)
	tpl := first.tpl
	if tpl == nil {
		doc.State = form.StateUnclassified
		known := knownForms(set)
		doc.Message = fmt.Sprintf("Dokumentet är ingen av de kända blanketterna (%s).", known)
		if first.foreign != "" {
			doc.Message = fmt.Sprintf("Blanketten %s är ingen av de kända blanketterna (%s).", first.foreign, known)
		}
		if first.mentions != "" {
			doc.Message = fmt.Sprintf("Sidan nämner blankett %s men är ingen sida ur den, till exempel ett följebrev. Läs den och se om den behöver hanteras.", first.mentions)
		}
		for _, pi := range group {
			doc.Pages = append(doc.Pages, Page{FilePage: pi.n, Image: scaleToDPI(pi.img, PageDPI)})
		}
		return doc, nil
	}
	doc.Kind, doc.Edition = tpl.Kind, tpl.Edition
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
		if pi.registered && pi.marks != nil {
			// Before the page is shown or read: a form written in
			// blue shows and reads its writing.
			colourWriting(pi.img, pi.marks, pi.t, tpl.PageFields(tp))
			// A scanner's streak down such a page was dropped out
			// with the writing where it crossed it, and so went
			// unseen; with the writing back, it shows whole.
			pi.streaks = append(pi.streaks, clearStreaks(pi.img)...)
		}
		page := Page{FilePage: pi.n, TemplatePage: tp, Registered: pi.registered}
		if pi.registered {
			// Once the page is placed, its rows are known: a fold's
			// crease runs along them (clearCreases). Painted over
			// before the page is shown or read.
			pi.streaks = append(pi.streaks, clearCreases(pi.img, pi.t, tpl.PageWidth, tpl.PageHeight)...)
			page.Image = pageView(pi.img, pi.t, form.Box{W: tpl.PageWidth, H: tpl.PageHeight}, PageDPI/72.0)
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
	backing := map[string]support{} // what backs each field's value besides its confidence
	cut := map[string]bool{}        // fields whose zone is partly beyond their page's scan (offImage)
	var cutPages []int              // the pages of such fields, as numbered in the file
	for _, f := range tpl.Fields {
		if err := ctx.Err(); err != nil {
			return Document{}, err
		}
		pi := seen[f.Page]
		if pi == nil || !pi.registered {
			box := f.Zone
			doc.Fields[f.Name] = form.Value{Name: f.Name, Role: f.Role, Row: f.Row, Type: f.Type, Page: f.Page, Box: &box, Confidence: 0}
			continue
		}
		k := zoneScale(pi.t.scaleAt(f.Zone.X, f.Zone.Y))
		img := pi.img
		if textual(f.Type) {
			img = pi.writing()
		}
		v, b, err := e.readField(ctx, img, pi.t, tpl, f, k, int(k*72))
		if err != nil {
			return Document{}, fmt.Errorf("read field %s: %w", f.Name, err)
		}
		if v, b, err = e.withoutRims(ctx, pi, tpl, f, k, v, b); err != nil {
			return Document{}, fmt.Errorf("read field %s: %w", f.Name, err)
		}
		if offImage(pi.img, pi.t, f.Zone) > maxOffImage {
			// Part of the zone is not on the scan: what is there may
			// be the part that holds the writing, the tick or the
			// signature. Whatever was read, it is unread.
			cut[f.Name] = true
			if !slices.Contains(cutPages, pi.n) {
				cutPages = append(cutPages, pi.n)
			}
		}
		if pi.marks != nil && underMarks(pi.marks, pi.t, f, k, v) {
			// Writing under a stamp or a pen stroke: what the dropped
			// colour left of it, or of the stamp, may have been read
			// (a 1 of 19.2.26 lost under the stamp's frame, the rest
			// read surely). A ceiling, since calibration takes a date
			// read once at 0.8 for as sure as any.
			v.Confidence = min(v.Confidence, secondLook)
			b.ceiling = ceil(b.ceiling, markedCeiling)
		}
		if v.Raw != "" && f.Type != form.TypeCheckbox && f.Type != form.TypeSignature && streakCrossed(pi.img, pi.t, inset(f.Zone, 1.2), pi.streaks) {
			// A streak down the scan, or a crease across it, crossed
			// the writing: painted over, what ran along it is lost (a
			// 3 read as a 2, a hyphen gone) and the rest read surely.
			// As under a stamp.
			v.Confidence = min(v.Confidence, secondLook)
			b.ceiling = ceil(b.ceiling, markedCeiling)
		}
		if zoneCleared(pi.t, f.Zone, pi.cleared) {
			// Whitened with a band along the page's edge, joined to it by
			// a crease: the writing, a tick or a signature may be gone,
			// or cut. Nothing read there is unread; the rest is doubted.
			v.Confidence = min(v.Confidence, secondLook)
			b.ceiling = ceil(b.ceiling, markedCeiling)
			if v.Raw == "" || v.Value == "false" {
				v.Confidence = 0
			}
		}
		if pi.resolution() < coarseDPI && v.Value != "" && f.Type != form.TypeCheckbox && f.Type != form.TypeSignature {
			v.Confidence = min(v.Confidence, coarseConfidence)
			// The calibration's bin of coarseConfidence holds values of
			// finer scans too: a fax's is no surer. A number with a
			// check digit that passes it is not shown as sure either,
			// but a misread digit fails the check: not flagged; nor is
			// a number or date another model read the same.
			if f.Type == form.TypePersonnummer || f.Type == form.TypeOrgnr || b.seconded {
				b.ceiling = ceil(b.ceiling, coarseCheckedCeiling)
			} else {
				b.ceiling = ceil(b.ceiling, coarseCeiling)
			}
		}
		v.Role, v.Row = f.Role, f.Row
		doc.Fields[f.Name] = v
		backing[f.Name] = b
	}
	doubtEmpty(doc.Fields, backing)
	var misfit []int
	for p, pi := range seen {
		if pi.misfit {
			misfit = append(misfit, p)
		}
	}
	for _, p := range doubtMisfit(doc.Fields, backing, misfit) {
		if pi := seen[p]; pi != nil {
			notes = append(notes, fmt.Sprintf("sida %d passar inte mallen helt; kontrollera alla värden mot bilden", pi.n))
		}
	}
	confirmed := addressesConfirmed(doc.Fields)
	samePerson(doc.Fields, backing)
	mendNames(doc.Fields, backing)
	mendDomains(doc.Fields, backing)
	mendAddresses(doc.Fields, backing)
	mendPlaces(doc.Fields)
	doubtSpellings(doc.Fields, backing)
	doubtMailboxes(doc.Fields, backing)
	doubtTopLevels(doc.Fields, backing)
	for name, value := range confirmed {
		// Kept as read: as sure as a reading made surely at once.
		if v := doc.Fields[name]; v.Value == value && !styleDisputed(value, backing[name].others) {
			v.Confidence = max(v.Confidence, confirmedAddress)
			doc.Fields[name] = v
			b := backing[name]
			b.reread = false
			backing[name] = b
		}
	}
	if !e.uncalibrated {
		for name, v := range doc.Fields {
			v.Confidence = calibrated(v, backing[name])
			doc.Fields[name] = v
		}
	}
	e.fromTextLayer(doc.Fields, tpl, seen)
	for name := range cut {
		// Last: no mending or calibration lifts it.
		v := doc.Fields[name]
		v.Confidence = 0
		doc.Fields[name] = v
	}
	for _, n := range cutPages {
		notes = append(notes, fmt.Sprintf("sida %d är avskuren i skanningen; fält som saknas i bilden är inte lästa", n))
	}
	if len(notes) > 0 {
		sort.Strings(notes)
		doc.Message = "Observera: " + strings.Join(notes, "; ") + "."
	}
	return doc, nil
}

// maxOffImage is the largest share of a zone that may lie beyond its
// page's scan and the zone still be read: a sliver at the edge, a
// zone's margin, holds nothing.
const maxOffImage = 0.1

// doubtMisfit puts in doubt the fields of a page where the printed frames
// of two of its boxes or more were found off their zones (astray, see
// frameAstray): the page is fitted wrong, and a box read there may be its
// neighbour, read surely, a signature zone blank paper beside the
// signature, a value cut off or one with its neighbour's writing in it.
// (A page fitted a point or two off finds every frame within boxSearch
// and reads each box right: of 295 pages with boxes on four corpora, 294
// missed none, and the one fitted some points off missed two, and read a
// neighbour's empty box for a ticked one at 0.998; on fifteen corpora,
// the two pages that missed them were fitted some points off and half a
// degree askew.) Frames the scan lost, found nowhere near, say nothing of
// the fit: each such box keeps unframed at most. Boxes and signatures of
// a page in doubt get unframed at most; every value, misfitCeiling after
// calibration. One box astray alone is left to its own reading.
// Pages whose printed rules the fit misses (misfit, see rulesMissed) are
// put in doubt alike, boxes or none. It returns the template pages put in
// doubt, in order.
func doubtMisfit(fields form.Fields, backing map[string]support, misfit []int) []int {
	astrayOn := map[int]int{}
	for name, v := range fields {
		if v.Type == form.TypeCheckbox && v.Confidence > 0 && backing[name].astray {
			astrayOn[v.Page]++
		}
	}
	pages := slices.Clone(misfit)
	for p, n := range astrayOn {
		if n >= 2 && !slices.Contains(pages, p) {
			pages = append(pages, p)
		}
	}
	slices.Sort(pages)
	for name, v := range fields {
		if !slices.Contains(pages, v.Page) {
			continue
		}
		if v.Type == form.TypeCheckbox || v.Type == form.TypeSignature {
			v.Confidence = min(v.Confidence, unframed)
			fields[name] = v
		}
		// After calibration too: it takes a signature at unframed
		// for as sure as any (ink in a zone the fit put on the
		// wrong part of the page read as signed at 0.99).
		b := backing[name]
		b.ceiling = ceil(b.ceiling, misfitCeiling)
		backing[name] = b
	}
	return pages
}

// markedCeiling is the most a value written under coloured marks (see
// underMarks) may be, calibrated: under form.FlagBelow, so that a person
// looks at it.
const markedCeiling = 0.89

// misfitCeiling is the most a written value of a page fitted wrong (see
// doubtMisfit) may be, calibrated: under form.FlagBelow, so that a person
// looks at each.
const misfitCeiling = 0.7

// illegibleBelow is the confidence under which a written value read from
// a page counts as illegible for doubtEmpty.
const illegibleBelow = 0.3

// doubtEmpty puts in doubt the fields found empty on a page where most of
// the values written were illegible (a fax, a page read through a bad
// fit): that nothing was seen in a zone says little there, and an
// "empty" at the confidence of a clean page would be a promise broken.
// The doubt is a ceiling on the calibrated confidence: calibration takes
// an empty date at 0.8 for as sure as one at 0.4, 0.98. A signature
// box found unsigned is as empty (a scribble on a fax fed crooked, its
// fit off, was "not signed" at 0.99); tick boxes are judged by their own
// ink.
func doubtEmpty(fields form.Fields, backing map[string]support) {
	written, illegible := map[int]int{}, map[int]int{}
	for _, v := range fields {
		if v.Type == form.TypeCheckbox || v.Type == form.TypeSignature || v.Raw == "" && v.Confidence > 0 {
			continue
		}
		written[v.Page]++
		if v.Confidence < illegibleBelow {
			illegible[v.Page]++
		}
	}
	for name, v := range fields {
		n := written[v.Page]
		if n < 3 || 2*illegible[v.Page] < n {
			continue
		}
		switch {
		case v.Type == form.TypeCheckbox:
			continue
		case v.Type == form.TypeSignature:
			if v.Value != boolString(false) {
				continue
			}
		case v.Raw != "":
			continue
		}
		v.Confidence = min(v.Confidence, secondLook)
		fields[name] = v
		b := backing[name]
		b.ceiling = ceil(b.ceiling, doubtedEmpty)
		backing[name] = b
	}
}

// doubtedEmpty is the most confidence, calibrated, of a field found empty
// on a page where most values written were illegible (doubtEmpty).
const doubtedEmpty = 0.6

// doubtSpellings puts in doubt the text values of a document that spell
// one name two ways, in their marks alone (Kjell Muller as the signer's
// name, Kjell Müller as the signatory's): one of them lost its marks, or
// gained a speck's, however surely each was read. Both are capped at
// nameMendedCeiling, which flags them: the reviewer sees which.
func doubtSpellings(fields form.Fields, backing map[string]support) {
	spelt := map[string][]string{} // plain spelling → fields
	for name, v := range fields {
		if v.Type == form.TypeText && utf8.RuneCountInString(v.Value) >= 4 {
			key := addressSpelling(v.Value)
			spelt[key] = append(spelt[key], name)
		}
	}
	for _, names := range spelt {
		if !slices.ContainsFunc(names[1:], func(other string) bool {
			return !strings.EqualFold(fields[other].Value, fields[names[0]].Value)
		}) {
			continue // spelt one way
		}
		for _, name := range names {
			b := backing[name]
			b.ceiling = ceil(b.ceiling, nameMendedCeiling)
			backing[name] = b
		}
	}
}

// knownForms names the set's forms for people, by their printed form numbers.
func knownForms(set *form.Set) string {
	var names []string
	for _, t := range set.Templates() {
		if !slices.Contains(names, t.FormNumber) {
			names = append(names, t.FormNumber)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// fromAcroForm reads a fillable PDF (src: its field values and the
// fields' boxes): the edition whose field names (or their aliases) the
// form has decides the kind; values are typed, so confidence is high
// unless a value is malformed. A signature is no form field: it is
// judged by the ink on its zone where something is drawn over it (see
// signedOn), else it is none.
func (e *Extractor) fromAcroForm(ctx context.Context, data []byte, src *source, set *form.Set, forced bool) (*Result, error) {
	values, zones := src.acro, src.zones
	var tied []*form.Template
	bestHits, bestOf, bestPlaced := 0, 1, -1
	for _, t := range set.Templates() {
		hits, of, placed := 0, 0, 0
		for _, f := range t.Fields {
			if f.Type == form.TypeSignature {
				continue // signed by hand, never a form field
			}
			of++
			if _, ok := pdfValue(values, f); ok {
				hits++
			}
			for _, n := range f.PDFNames() {
				if z, ok := zones[n]; ok && math.Abs(z.X-f.Zone.X) < 6 && math.Abs(z.Y-f.Zone.Y) < 6 {
					placed++
					break
				}
			}
		}
		// The larger share of its fields wins; of two equal (editions
		// that kept the field names), the one whose zones the fields are
		// in.
		switch {
		case hits*bestOf > bestHits*of || hits*bestOf == bestHits*of && placed > bestPlaced:
			tied, bestHits, bestOf, bestPlaced = []*form.Template{t}, hits, max(of, 1), placed
		case hits*bestOf == bestHits*of && placed == bestPlaced:
			tied = append(tied, t)
		}
	}
	if len(tied) == 0 || !forced && bestHits < bestOf*8/10 {
		return &Result{PageCount: 0, Documents: []Document{{State: form.StateUnclassified,
			Message: "PDF-blanketten har formulärfält som inte hör till någon känd blankett."}}}, nil
	}
	best := byEditionMark(ctx, data, tied)
	doc := Document{State: form.StateExtracted, Kind: best.Kind, Edition: best.Edition, FirstPage: 1, LastPage: len(best.Pages), Fields: form.Fields{}}
	pages := map[int]*image.Gray{} // the pages rendered to judge a signature, by number
	for _, f := range best.Fields {
		raw, _ := pdfValue(values, f)
		raw = strings.TrimSpace(raw)
		v := form.Value{Name: f.Name, Role: f.Role, Row: f.Row, Type: f.Type, Raw: raw, Value: raw, Confidence: 1, Page: f.Page}
		box := f.Zone
		v.Box = &box
		switch {
		case f.Type == form.TypeCheckbox || f.Type == form.TypeSignature:
			v.Value = boolString(raw == "true")
		case f.Type == form.TypeRadio || f.Type == form.TypeChoice:
			v.Value = option(f, raw)
			if raw != "" && v.Value == "" {
				v.Confidence = 0.4 // a value the template does not offer
				v.Value = raw
			}
		case e.normalise != nil && raw != "":
			// A value that fails its checks (a personnummer whose check
			// digit is wrong) is still read as typed, surely: the rules
			// say what is wrong with it, and a flag for a reading in
			// doubt would only send a person to compare it with itself.
			v.Value, _ = e.normalise(f.Type, raw)
		}
		if f.Type == form.TypeSignature && slices.ContainsFunc(src.drawnOn[f.Page], func(b form.Box) bool { return b.Overlaps(f.Zone) }) {
			signed, conf, err := signedOn(ctx, data, f, pages)
			if err != nil {
				return nil, err
			}
			v.Value, v.Raw, v.Confidence = boolString(signed), boolString(signed), conf
		}
		doc.Fields[f.Name] = v
	}
	return &Result{PageCount: len(best.Pages), Documents: []Document{doc}}, nil
}

// signedOn judges signature field f of a fillable PDF (data) by the ink
// on its zone, as on a scan: the page rendered as it shows, with what a
// viewer drew over it (a signature in ink, a stamp of one). pages keeps
// the pages rendered.
func signedOn(ctx context.Context, data []byte, f form.Field, pages map[int]*image.Gray) (bool, float64, error) {
	img := pages[f.Page]
	if img == nil {
		var err error
		if img, _, err = rasterise(ctx, data, signatureDPI, f.Page, false); err != nil {
			return false, 0, err
		}
		pages[f.Page] = img
	}
	k := float64(signatureDPI) / 72
	signed, conf := signature(warp(img, affine{A: k, E: k}, inset(f.Zone, 2), k), k)
	return signed, calibrate(form.TypeSignature, false, conf), nil
}

// signatureDPI is the resolution a fillable PDF's page is rendered at to
// judge a signature drawn on it.
const signatureDPI = 200

// pdfValue is the value of field f in a fillable PDF's values, under its
// PDF name or one of its aliases.
func pdfValue(values map[string]string, f form.Field) (string, bool) {
	for _, n := range f.PDFNames() {
		if v, ok := values[n]; ok {
			return v, true
		}
	}
	return "", false
}

// option returns the option of a radio or choice field that raw names, by
// value or label ("" when none; "Off" is a radio group with none chosen).
func option(f form.Field, raw string) string {
	for _, o := range f.Options {
		if strings.EqualFold(o.Value, raw) || o.Label != "" && strings.EqualFold(o.Label, raw) {
			return o.Value
		}
	}
	return ""
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

// byEditionMark tells apart editions of a fillable PDF that kept their
// fields' names and places (a revision of the printed text alone) by the
// edition mark the PDF prints: the first of them whose mark it prints,
// else (none printed, or the text not to be had) the first.
func byEditionMark(ctx context.Context, data []byte, editions []*form.Template) *form.Template {
	if len(editions) == 1 {
		return editions[0]
	}
	text, err := pdfText(ctx, data)
	if err != nil {
		// Their fields are alike: read as the first, the values are
		// the same.
		return editions[0]
	}
	for _, t := range editions {
		if t.MatchEdition(string(text)) {
			return t
		}
	}
	return editions[0]
}

// fitWordsOfAPage is the fewest printed words a registration of a page of
// the form rests on, where neither its page mark nor its edition mark was
// read (see namesOnly). On two corpora of every edition (231 pages, 2 of
// them without either mark) the pages of forms were fitted on 7 words or
// more; a cover letter on 3 (Försäkringskassan, uppföljningssystemet and
// SUS, printed by the agreement as well).
const fitWordsOfAPage = 5
