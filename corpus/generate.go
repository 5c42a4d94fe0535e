package corpus

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"blankett/form"
)

// Options says what to generate.
type Options struct {
	Seed   int64
	OutDir string // the corpus: registry.json, truth.schema.json, digital/, scan/, batch/, extra/
	// FormsDir receives the blank fillable PDFs and a PNG of each page;
	// "" means OutDir/forms.
	FormsDir string
	// BadDir receives the broken and foreign files; "" means OutDir/bad.
	BadDir string
	// Count is how many extra random documents to generate into
	// OutDir/extra on top of the fixed scenarios (0 for the committed
	// corpus; use hundreds for a load test).
	Count int
	// Quick generates one document of each path only (for tests).
	Quick bool
	// Date is the received date of every file, YYYY-MM-DD; default
	// 2026-03-02. All other dates are relative to it.
	Date string
	// Editions are further editions the mailroom world's post comes in
	// (Count > 0 only): about one extra document in three of a kind that
	// has one is filled in on one of them instead of the kind's first
	// edition, and its truth names the edition.
	Editions []*form.Template
	// Blanks are the blank fillable PDFs of some of Editions, by template
	// ID: an edition drawn by another tool (drafted from its blank with
	// `template draft`) is filled in on its own blank. An edition without
	// one is filled in on a blank drawn from its template.
	Blanks map[string][]byte
}

// DefaultDate is the received date of the committed corpus.
const DefaultDate = "2026-03-02"

//go:embed truth.schema.json
var truthSchema []byte

//go:embed README.corpus.md
var corpusReadme []byte

// TruthSchema returns the JSON Schema of truth files.
func TruthSchema() []byte { return append([]byte(nil), truthSchema...) }

type generator struct {
	opts   Options
	tpls   map[form.Kind]*form.Template
	blanks map[form.Kind][]byte
	others map[string][]byte // the blank PDFs of Options.Editions, by template ID (Options.Blanks, or drawn)
	// backs holds the information printed on a last sheet's back, as it
	// shows through (seenThrough of infoBack), by DPI: printed once.
	backs map[int]*image.Gray
	// rooms are the text fields of Options.Blanks, by template ID, then
	// by the edition's own field name: how wide each is and the size its
	// text is set at (see blankRooms).
	rooms   map[string]map[string]fieldRoom
	world   *world
	today   time.Time
	written []string
}

// Generate writes a corpus. The same options give byte-identical files.
func Generate(ctx context.Context, opts Options) error {
	if opts.OutDir == "" {
		return errors.New("corpus: no output directory")
	}
	if opts.FormsDir == "" {
		opts.FormsDir = filepath.Join(opts.OutDir, "forms")
	}
	if opts.BadDir == "" {
		opts.BadDir = filepath.Join(opts.OutDir, "bad")
	}
	if opts.Date == "" {
		opts.Date = DefaultDate
	}
	today, err := time.Parse("2006-01-02", opts.Date)
	if err != nil {
		return fmt.Errorf("corpus: date: %w", err)
	}
	for _, tool := range []string{"pdftoppm", "tiffcp", "opj_compress"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("corpus: %s not found (apt-get install poppler-utils libtiff-tools libopenjp2-tools): %w", tool, err)
		}
	}
	tpls, err := form.LoadTemplates()
	if err != nil {
		return fmt.Errorf("corpus: %w", err)
	}
	g := &generator{opts: opts, tpls: tpls, blanks: map[form.Kind][]byte{}, others: maps.Clone(opts.Blanks), today: today}
	if g.others == nil {
		g.others = map[string][]byte{}
	}
	g.rooms = map[string]map[string]fieldRoom{}
	for id, blank := range opts.Blanks {
		if g.rooms[id], err = blankRooms(blank); err != nil {
			return fmt.Errorf("corpus: blank of %s: %w", id, err)
		}
	}
	g.world = newWorld(g.rng("world", 0), g.rng("mail", 0), today, opts.Count > 0)

	steps := []struct {
		name string
		f    func(context.Context) error
	}{
		{"registry", g.writeRegistry},
		{"forms", g.writeForms},
		{"scenarios", g.writeScenarios},
		{"batches", g.writeBatches},
		{"extra", g.writeExtra},
		{"bad", g.writeBad},
	}
	for _, s := range steps {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("corpus: %w", err)
		}
		if err := s.f(ctx); err != nil {
			return fmt.Errorf("corpus: %s: %w", s.name, err)
		}
	}
	return nil
}

// rng returns a random source for one named part of the corpus, so that a
// part's output depends only on the seed and its name, not on what was
// generated before it.
func (g *generator) rng(part string, i int) *rand.Rand {
	var h uint64 = 14695981039346656037
	for _, c := range []byte(part) {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return rand.New(rand.NewPCG(uint64(g.opts.Seed), h^uint64(i)*0x9e3779b97f4a7c15))
}

func (g *generator) write(dir, name string, b []byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return err
	}
	g.written = append(g.written, p)
	return nil
}

func marshal(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

func (g *generator) writeRegistry(context.Context) error {
	b, err := marshal(g.world.reg)
	if err != nil {
		return err
	}
	if err := g.write(g.opts.OutDir, "registry.json", b); err != nil {
		return err
	}
	if err := g.write(g.opts.OutDir, "README.md", corpusReadme); err != nil {
		return err
	}
	return g.write(g.opts.OutDir, "truth.schema.json", truthSchema)
}

// writeForms writes the blank fillable PDFs and a PNG of every page.
func (g *generator) writeForms(ctx context.Context) error {
	for _, kind := range []form.Kind{form.Kind9445, form.Kind9463, form.KindAgreement} {
		b, err := BlankPDF(g.tpls[kind])
		if err != nil {
			return err
		}
		g.blanks[kind] = b
		if err := g.write(g.opts.FormsDir, string(kind)+".pdf", b); err != nil {
			return err
		}
		if g.opts.Quick {
			continue
		}
		if err := renderPNG(ctx, b, 100, g.opts.FormsDir, string(kind)); err != nil {
			return err
		}
	}
	return nil
}

func renderPNG(ctx context.Context, pdf []byte, dpi int, dir, stem string) error {
	tmp, err := os.MkdirTemp("", "blankett-png-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	in := filepath.Join(tmp, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		return err
	}
	if out, err := exec.CommandContext(ctx, "pdftoppm", "-r", fmt.Sprint(dpi), "-png", in, filepath.Join(dir, stem)).CombinedOutput(); err != nil {
		return fmt.Errorf("pdftoppm png: %w: %s", err, out)
	}
	return nil
}

// tplOf is the edition d is filled in on.
func (g *generator) tplOf(d doc) *form.Template {
	if d.tpl != nil {
		return d.tpl
	}
	return g.tpls[d.kind]
}

// blankOf is the blank fillable PDF of d's edition.
func (g *generator) blankOf(d doc) ([]byte, error) {
	if d.tpl == nil {
		return g.blanks[d.kind], nil
	}
	if b, ok := g.others[d.tpl.ID()]; ok {
		return b, nil
	}
	b, err := BlankPDF(d.tpl)
	if err != nil {
		return nil, fmt.Errorf("blank %s: %w", d.tpl.ID(), err)
	}
	g.others[d.tpl.ID()] = b
	return b, nil
}

// truthDoc builds the truth of one document: every field, normalised, and
// the findings. A document of another edition is judged as the same
// values on the kind's first edition would be, and its truth then named
// in its own edition's fields.
func (g *generator) truthDoc(d doc, sigs map[string]string, copies int) TruthDoc {
	if d.tpl != nil {
		first := g.tpls[d.kind]
		td := g.truthDoc(g.on(d, first), byRole(sigs, d.tpl, first), copies)
		td.Fields = byRole(td.Fields, first, d.tpl)
		for i, f := range td.Findings {
			if f.Field != "" {
				td.Findings[i].Field = fieldByRole(f.Field, first, d.tpl)
			}
		}
		sort.Slice(td.Findings, func(i, j int) bool {
			a, b := td.Findings[i], td.Findings[j]
			return a.Code < b.Code || a.Code == b.Code && a.Field < b.Field
		})
		td.Edition = d.tpl.Edition
		return td
	}
	t := g.tpls[d.kind]
	fields := map[string]TruthField{}
	for _, f := range t.Fields {
		raw := d.values[f.Name]
		tf := TruthField{Type: f.Type, Raw: raw, Value: normValue(f.Type, raw)}
		switch f.Type {
		case form.TypeCheckbox:
			if raw != "true" {
				tf.Raw, tf.Value = "false", "false"
			}
		case form.TypeSignature:
			style := sigs[f.Name]
			if style == "" {
				style = SigNone
			}
			tf.Raw, tf.Signature, tf.Value = "", style, fmt.Sprint(sigPresent(style))
		}
		fields[f.Name] = tf
	}
	return TruthDoc{
		Kind: d.kind, Case: d.name, Copy: 1, Fields: fields,
		Findings: findings(t, fields, g.today, g.world.reg, copies),
	}
}

// normValue is the normalised form of a raw value (see TruthField).
func normValue(ty form.FieldType, raw string) string {
	s := strings.TrimSpace(raw)
	if s == "" {
		return ""
	}
	switch ty {
	case form.TypePersonnummer:
		if d, _ := normPNR(s); len(d) == 12 {
			return d
		}
	case form.TypeOrgnr:
		n, _ := normOrgnr(s)
		return n
	case form.TypePhone:
		if e, ok, _ := normPhone(s); ok {
			return e
		}
	case form.TypeDate:
		if d, ok := normDate(s); ok {
			return d
		}
	case form.TypeEmail:
		return strings.ToLower(s)
	}
	return s
}

func (g *generator) writeTruth(dir, name string, t Truth) error {
	for i := range t.Documents {
		if t.Documents[i].Findings == nil {
			t.Documents[i].Findings = []TruthFinding{}
		}
	}
	b, err := marshal(t)
	if err != nil {
		return err
	}
	return g.write(dir, name, b)
}

func (g *generator) rel(dir, name string) string {
	r, err := filepath.Rel(g.opts.OutDir, filepath.Join(dir, name))
	if err != nil {
		return name
	}
	return filepath.ToSlash(r)
}

// writeDigital writes a filled fillable PDF and its truth; flattened by
// another tool (poppler's pdftocairo) when flat: its values drawn as text
// on its pages and no form left, as a viewer's "print to PDF" or a
// flattening tool leaves it. A digital file carries no handwritten
// signature, unless it was signed in a viewer (signer, which draws the
// strokes, not nil; see signInViewer).
func (g *generator) writeDigital(ctx context.Context, dir, stem string, d doc, flat bool, signer *rand.Rand) error {
	blank, err := g.blankOf(d)
	if err != nil {
		return err
	}
	pdf, err := FillPDF(g.tplOf(d), blank, d.values)
	if err != nil {
		return err
	}
	format := FormatPDFFillable
	if flat {
		if pdf, err = flatten(ctx, pdf); err != nil {
			return err
		}
		format = FormatPDFFlat
	}
	var sigs map[string]string // none: never signed by hand
	if signer != nil {
		// Signed last, as the viewer it was sent from signs it (our
		// strokes have no appearance of their own, which pdftocairo
		// would not draw when flattening).
		if pdf, sigs, err = signInViewer(pdf, g.tplOf(d), d.sigs, signer); err != nil {
			return err
		}
	}
	if err := g.write(dir, stem+".pdf", pdf); err != nil {
		return err
	}
	td := g.truthDoc(d, sigs, 1)
	n := len(g.tplOf(d).Pages)
	td.FirstPage, td.LastPage = 1, n
	for p := 1; p <= n; p++ {
		td.Pages = append(td.Pages, TruthPage{FilePage: p, TemplatePage: p, Scale: 1})
	}
	return g.writeTruth(dir, stem+".truth.json", Truth{
		File: g.rel(dir, stem+".pdf"), Format: format, Received: ymd(g.today), PageCount: n, Documents: []TruthDoc{td},
	})
}

// printable is d as it is printed: drawn from its edition's template in
// style, or, for an edition drawn by another tool (Options.Blanks), its
// own blank filled in as a PDF viewer fills it, whose look the blank
// decides.
func (g *generator) printable(d doc, style fillStyle) ([]byte, error) {
	t := g.tplOf(d)
	if blank, ok := g.opts.Blanks[t.ID()]; ok {
		return FillPDF(t, blank, d.values)
	}
	return flatPDF(t, d.values, style)
}

// scanned is one document's pages after scanning.
type scanned struct {
	doc   TruthDoc
	pages []image.Image // *image.Gray, or *image.RGBA for colour scans
}

// scanDoc flattens, rasterises, signs and degrades one document. specFor
// gives each page's scan parameters.
func (g *generator) scanDoc(ctx context.Context, d doc, copies int, dpi int, r *rand.Rand, specFor func(page int) scanSpec) (scanned, error) {
	t := g.tplOf(d)
	style := d.fill
	if style.Font == "" {
		style = defaultFill
	}
	flat, err := g.printable(d, style)
	if err != nil {
		return scanned{}, err
	}
	imgs, err := rasterize(ctx, flat, dpi)
	if err != nil {
		return scanned{}, err
	}
	if len(imgs) != len(t.Pages) {
		return scanned{}, fmt.Errorf("%s: rasterised %d pages, want %d", d.kind, len(imgs), len(t.Pages))
	}
	// The other side of each page's sheet, as it shows through (pages
	// 1 and 2 share a sheet, 3 and 4, …; a last page alone has the
	// information printed on its back), taken before any is changed.
	backs := make([]*image.Gray, len(imgs))
	if d.showThrough > 0 {
		for i := range imgs {
			if j := i ^ 1; j < len(imgs) {
				backs[i] = seenThrough(imgs[j])
				continue
			}
			back, err := g.infoSeenThrough(ctx, dpi)
			if err != nil {
				return scanned{}, err
			}
			backs[i] = back
		}
	}
	td := g.truthDoc(d, d.sigs, copies)
	var out []image.Image
	for i, img := range imgs {
		if backs[i] != nil {
			showThrough(img, backs[i], d.showThrough)
		}
		var zones, written []form.Box // the page's text fields with writing, and every field's zone
		for _, f := range t.PageFields(i + 1) {
			written = append(written, f.Zone)
			switch {
			case f.Type == form.TypeSignature:
				drawSignature(img, f.Zone, dpi, td.Fields[f.Name].Signature, r)
			case f.Type != form.TypeCheckbox && d.values[f.Name] != "":
				zones = append(zones, f.Zone)
			}
		}
		if !d.blueInk {
			written = nil
		}
		s := specFor(i + 1)
		s.DPI = dpi
		if s.Profile == ProfileBorder {
			punchHoles(img, dpi)
		}
		deg := degrade(img, s, r)
		switch s.Profile {
		case ProfileBorder:
			darkBorders(deg, dpi, r)
		case ProfileLowContrast:
			fadeAndLight(deg, s.Contrast, s.Light, r)
		}
		tp := s.truthPage(0, i+1, deg)
		if backs[i] != nil {
			tp.ShowThrough = d.showThrough
		}
		td.Pages = append(td.Pages, tp)
		if s.Profile == ProfileStamp {
			b := img.Bounds()
			out = append(out, colourScan(deg, s, b.Dx(), b.Dy(), zones, written, ymd(g.today), r))
			continue
		}
		out = append(out, deg)
	}
	return scanned{doc: td, pages: out}, nil
}

// scanFormat is how scanned pages are stored.
type scanFormat struct {
	format     string
	dpi        int
	bi         bool // bilevel (always for G4)
	minIsBlack bool // G4 stored white-is-one (see ProfileMinIsBlack)
}

// feed is how the mailroom fed a file's pages to the scanner.
type feed struct {
	order     string      // "", "reversed" or "shuffled": each form's pages
	backs     bool        // a blank back after every page (duplex scan of one-sided sheets)
	separator bool        // a blank separator sheet before every form
	canvas    bool        // scanned on a Legal-size canvas, each page at the glass's corner (Truth.Canvas)
	cover     image.Image // a cover letter, scanned, fed before the forms (Truth.CoverPages); nil for none
	// coverAfter is how many of the first form's pages, as fed, came
	// before the cover letter: filed between them; 0 for before the forms.
	coverAfter int
	faxHeader  string // the sending fax machine's line over each page, a format of the page's number and the pages' (Truth.FaxHeaders); "" for none
	standard   bool   // faxed in standard mode: half as many rows an inch as columns (Truth.FaxMode)
}

// writeScanFile stores scanned documents as one file in the given format
// and writes the truth beside it.
func (g *generator) writeScanFile(ctx context.Context, dir, stem string, f scanFormat, docs []scanned) error {
	return g.writeFedScanFile(ctx, dir, stem, f, feed{}, nil, docs)
}

// writeFedScanFile is writeScanFile for pages fed as fd says (r draws the
// shuffles and the blank sheets' specks).
func (g *generator) writeFedScanFile(ctx context.Context, dir, stem string, f scanFormat, fd feed, r *rand.Rand, docs []scanned) error {
	var imgs []image.Image
	var truthDocs []TruthDoc
	var blanks []int
	var covers []int
	letter := func() {
		imgs = append(imgs, fd.cover)
		covers = append(covers, len(imgs))
	}
	if fd.cover != nil && fd.coverAfter == 0 {
		letter()
	}
	blank := func(like image.Image) {
		imgs = append(imgs, blankSheet(like.Bounds(), r))
		blanks = append(blanks, len(imgs))
	}
	for di, s := range docs {
		td := s.doc
		order := make([]int, len(s.pages))
		for i := range order {
			order[i] = i
		}
		switch fd.order {
		case "reversed":
			slices.Reverse(order)
		case "shuffled":
			r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		if fd.separator {
			blank(s.pages[0])
		}
		td.FirstPage, td.LastPage = 0, 0
		for _, i := range order {
			imgs = append(imgs, s.pages[i])
			n := len(imgs)
			td.Pages[i].FilePage = n
			if td.FirstPage == 0 || n < td.FirstPage {
				td.FirstPage = n
			}
			td.LastPage = max(td.LastPage, n)
			if fd.backs {
				blank(s.pages[i])
			}
			if fd.cover != nil && di == 0 && fd.coverAfter == len(imgs)-len(covers)-len(blanks) {
				letter()
			}
		}
		truthDocs = append(truthDocs, td)
	}
	var headers []string
	if fd.faxHeader != "" {
		for i, img := range imgs {
			headers = append(headers, fmt.Sprintf(fd.faxHeader, i+1, len(imgs)))
			imgs[i] = printFaxHeader(img, headers[i], f.dpi)
		}
	}
	canvas := ""
	if fd.canvas {
		canvas = "legal"
		for i, img := range imgs {
			imgs[i] = onLegal(img, f.dpi)
		}
	}
	ydpi, faxMode := f.dpi, ""
	if fd.standard {
		ydpi, faxMode = f.dpi/2, "standard"
		for i, img := range imgs {
			imgs[i] = EveryOtherRow(greyOf(img))
		}
	}
	var name string
	switch f.format {
	case FormatPDFJPEG, FormatPDFFlate, FormatPDFJPX:
		var pages []pdfImage
		for i, img := range imgs {
			q := truthPageAt(truthDocs, i+1).JPEGQuality
			if q == 0 {
				q = 75
			}
			p, err := pageImage(ctx, img, f.dpi, ydpi, f.format, q, f.bi)
			if err != nil {
				return err
			}
			pages = append(pages, p)
		}
		name = stem + ".pdf"
		if err := g.write(dir, name, imagePDF(pages)); err != nil {
			return err
		}
	case FormatTIFFJPEG:
		q := truthPageAt(truthDocs, 1).JPEGQuality
		if q == 0 {
			q = 75
		}
		tif, err := JPEGTIFF(ctx, imgs, f.dpi, q)
		if err != nil {
			return err
		}
		name = stem + ".tif"
		if err := g.write(dir, name, tif); err != nil {
			return err
		}
	case FormatPDFG4, FormatTIFFG4, FormatPDFJBIG2:
		grey := make([]*image.Gray, len(imgs))
		for i, img := range imgs {
			grey[i] = greyOf(img)
		}
		tif, pages, err := g4Pages(ctx, grey, f.dpi, ydpi, f.minIsBlack)
		if err != nil {
			return err
		}
		if f.format == FormatPDFJBIG2 {
			for i, p := range pages {
				pages[i].Data, pages[i].Filter = jbig2Embedded(p.Data, p.W, p.H, p.DPI, p.YDPI), "JBIG2Decode"
			}
		}
		if f.format == FormatTIFFG4 {
			name = stem + ".tif"
			if err := g.write(dir, name, tif); err != nil {
				return err
			}
		} else {
			name = stem + ".pdf"
			if err := g.write(dir, name, imagePDF(pages)); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("unknown scan format %q", f.format)
	}
	return g.writeTruth(dir, stem+".truth.json", Truth{
		File: g.rel(dir, name), Format: f.format, Received: ymd(g.today), PageCount: len(imgs), Documents: truthDocs,
		BlankPages: blanks, CoverPages: covers, Order: fd.order, Canvas: canvas, FaxHeaders: headers, FaxMode: faxMode,
	})
}

// onLegal is a page scanned on a Legal-size canvas (8.5 × 14 inches at
// dpi), at the glass's corner: what a scanner set to a larger paper than
// the page, or whose size detection failed, saves. The glass beyond the
// paper is the lid, a little greyer than paper.
func onLegal(img image.Image, dpi int) image.Image {
	b := img.Bounds()
	w, h := max(b.Dx(), dpi*17/2), max(b.Dy(), dpi*14)
	if b.Dx() > b.Dy() {
		w, h = max(b.Dx(), dpi*14), max(b.Dy(), dpi*17/2)
	}
	var canvas draw.Image = image.NewGray(image.Rect(0, 0, w, h))
	if _, colour := img.(*image.RGBA); colour {
		canvas = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	draw.Draw(canvas, canvas.Bounds(), image.NewUniform(color.Gray{Y: 244}), image.Point{}, draw.Src)
	draw.Draw(canvas, b.Sub(b.Min), img, b.Min, draw.Src)
	return canvas
}

// blankSheet is an empty sheet as a scanner sees it: paper tone and a few
// specks of dust.
func blankSheet(b image.Rectangle, r *rand.Rand) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	for i := range img.Pix {
		img.Pix[i] = 246
	}
	for range 20 {
		stamp(img, float64(r.IntN(b.Dx())), float64(r.IntN(b.Dy())), 1+r.Float64(), uint8(60+r.IntN(100)))
	}
	return img
}

// greyOf is img in grey (colour scans as their luminance).
func greyOf(img image.Image) *image.Gray {
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(g, g.Bounds(), img, b.Min, draw.Src)
	return g
}

func truthPageAt(docs []TruthDoc, filePage int) TruthPage {
	for _, d := range docs {
		for _, p := range d.Pages {
			if p.FilePage == filePage {
				return p
			}
		}
	}
	return TruthPage{}
}

// scanVariants cycle over the scenarios so every path is covered.
var scanVariants = []struct {
	f      scanFormat
	turned []int // turn of page 1, 2, ...; missing = 0
}{
	{scanFormat{FormatPDFJPEG, 300, false, false}, nil},
	{scanFormat{FormatPDFJPEG, 200, false, false}, []int{90, 0, 0, 270}},
	{scanFormat{FormatPDFG4, 200, true, false}, nil},
	{scanFormat{FormatTIFFG4, 200, true, false}, []int{0, 180}},
	{scanFormat{FormatPDFJPEG, 200, true, false}, nil}, // fax-mode threshold, then JPEG
	{scanFormat{FormatPDFJPEG, 200, false, false}, []int{180, 0, 90}},
	{scanFormat{FormatPDFG4, 300, true, false}, []int{0, 0, 180}},
}

func (g *generator) scenarioList() []scenario {
	all := scenarios()
	if !g.opts.Quick {
		return all
	}
	var out []scenario
	seen := map[form.Kind]bool{}
	for _, s := range all {
		if !seen[s.kind] {
			seen[s.kind] = true
			out = append(out, s)
		}
	}
	return out
}

func (g *generator) writeScenarios(ctx context.Context) error {
	digital := filepath.Join(g.opts.OutDir, "digital")
	scan := filepath.Join(g.opts.OutDir, "scan")
	list := g.scenarioList()
	for i, sc := range list {
		if err := ctx.Err(); err != nil {
			return err
		}
		r := g.rng("scenario/"+string(sc.kind)+"/"+sc.name, 0)
		d := sc.make(g.world, r)
		d.name = sc.name
		g.widen(&d, "scenario/"+string(sc.kind)+"/"+sc.name, 0)
		stem := string(sc.kind) + "-" + strings.ReplaceAll(sc.name, "_", "-")
		if err := g.writeDigital(ctx, digital, stem, d, false, nil); err != nil {
			return fmt.Errorf("%s: %w", stem, err)
		}
		vi := i % len(scanVariants)
		if g.opts.Quick {
			// One document per kind: JPEG, G4 PDF and TIFF between them.
			vi = []int{1, 2, 3}[i%3]
		}
		v := scanVariants[vi]
		// Scanned agreements come two copies to an envelope, unless the
		// scenario is about a missing signature.
		copies := 1
		if sc.kind == form.KindAgreement && !g.opts.Quick && i%2 == 0 {
			copies = 2
		}
		var docs []scanned
		for c := 1; c <= copies; c++ {
			s, err := g.scanDoc(ctx, d, copies, v.f.dpi, r, func(page int) scanSpec {
				s := randomSpec(r, v.f)
				if c == 1 && page-1 < len(v.turned) {
					s.Turned = v.turned[page-1]
				}
				return s
			})
			if err != nil {
				return fmt.Errorf("%s: %w", stem, err)
			}
			s.doc.Copy = c
			docs = append(docs, s)
		}
		if err := g.writeScanFile(ctx, scan, stem, v.f, docs); err != nil {
			return fmt.Errorf("%s: %w", stem, err)
		}
	}
	return nil
}

// writeBatches writes mailroom envelopes: several forms in one file, in
// mixed order.
func (g *generator) writeBatches(ctx context.Context) error {
	dir := filepath.Join(g.opts.OutDir, "batch")
	w := g.world
	type item struct {
		kind  form.Kind
		org   org
		case_ string
	}
	batches := []struct {
		stem  string
		f     scanFormat
		items []item
	}{
		// A new party's envelope: agreement in two copies with a 9463 in
		// between, plus two user orders that came in the same post.
		{"batch-01-new-party", scanFormat{FormatPDFJPEG, 200, false, false}, []item{
			{form.Kind9445, w.inForce, "batch_order"},
			{form.KindAgreement, w.unknown, "batch_agreement"},
			{form.Kind9463, w.unknown, "batch_orderers"},
			{form.KindAgreement, w.unknown, "batch_agreement"},
			{form.Kind9445, w.inForce2, "batch_order"},
		}},
		{"batch-02-orders-g4", scanFormat{FormatPDFG4, 200, true, false}, []item{
			{form.Kind9463, w.inForce2, "batch_orderers"},
			{form.Kind9445, w.inForce, "batch_order"},
			{form.Kind9445, w.terminated, "batch_order"},
			{form.Kind9445, w.inForce2, "batch_order"},
		}},
	}
	if g.opts.Quick {
		batches = batches[1:]
		batches[0].items = batches[0].items[:2]
	}
	for bi, b := range batches {
		r := g.rng("batch/"+b.stem, 0)
		// The agreement copies are the same filled document.
		var agreement *doc
		copies := 0
		for _, it := range b.items {
			if it.kind == form.KindAgreement {
				copies++
			}
		}
		var docs []scanned
		seenAgreements := 0
		for ii, it := range b.items {
			var d doc
			switch it.kind {
			case form.Kind9445:
				d = w.base9445(r, it.org)
			case form.Kind9463:
				d = w.base9463(r, it.org, 1+r.IntN(3))
			case form.KindAgreement:
				if agreement == nil {
					a := w.baseAgreement(r, it.org)
					agreement = &a
				}
				d = *agreement
			}
			d.name = it.case_
			s, err := g.scanDoc(ctx, d, copies, b.f.dpi, r, func(page int) scanSpec {
				s := randomSpec(r, b.f)
				if (ii+page+bi)%4 == 0 {
					s.Turned = 180
				}
				return s
			})
			if err != nil {
				return fmt.Errorf("%s: %w", b.stem, err)
			}
			if it.kind == form.KindAgreement {
				seenAgreements++
				s.doc.Copy = seenAgreements
			}
			docs = append(docs, s)
		}
		if err := g.writeScanFile(ctx, dir, b.stem, b.f, docs); err != nil {
			return err
		}
	}
	return nil
}

// writeExtra writes Count random documents, each a random scenario in a
// random format, for load and accuracy runs beyond the committed corpus:
// the mailroom world (see mailroom.go) with its data, fill styles, scan
// profiles and ways of feeding pages.
func (g *generator) writeExtra(ctx context.Context) error {
	if g.opts.Count <= 0 {
		return nil
	}
	dir := filepath.Join(g.opts.OutDir, "extra")
	all := scenarios()
	for i := 0; i < g.opts.Count; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		r := g.rng("extra", i)
		sc := all[r.IntN(len(all))]
		d := sc.make(g.world, r)
		d.name = sc.name
		d = g.otherEdition(d, i)
		g.widen(&d, "extra", i)
		stem := fmt.Sprintf("%05d-%s-%s", i+1, sc.kind, strings.ReplaceAll(sc.name, "_", "-"))
		if r.IntN(5) == 0 {
			// One in three flattened by another tool before it was
			// sent (drawn apart: the other draws stay as they were).
			flat := g.rng("extra/flat", i).IntN(3) == 0
			// One in three signed in a viewer, its signature drawn in
			// ink over the box (a stream of its own too).
			var signer *rand.Rand
			if sr := g.rng("extra/viewersign", i); sr.IntN(3) == 0 {
				signer = sr
			}
			if err := g.writeDigital(ctx, dir, stem, d, flat, signer); err != nil {
				return err
			}
			continue
		}
		if dr := g.rng("extra/duplex", i); dr.IntN(4) == 0 {
			// Printed on both sides of its sheets (drawn apart: the
			// other draws stay as they were).
			d.showThrough = 0.06 + 0.12*dr.Float64()
		}
		sr := g.rng("extra/scan", i)
		profile := Profiles[sr.IntN(len(Profiles))]
		f := profileFormat(profile, sr)
		// Faxed in standard mode, 200 by 100 dots an inch (a machine's
		// 204 by 98) where fine mode is the profile's 150 (drawn apart:
		// the other draws stay as they were).
		standard := profile == ProfileFax && g.rng("extra/faxmode", i).IntN(3) == 0
		if standard {
			f.dpi = 200
		}
		if fr := g.rng("extra/fine", i); !standard && profile != ProfileFax && fr.IntN(10) == 0 {
			// A tenth of the scans, faxes aside, from a scanner set finer
			// than a form needs, 400 or 600 DPI (drawn apart: the other
			// draws stay as they were).
			f.dpi = []int{400, 600}[fr.IntN(2)]
		}
		if profile == ProfileStamp && g.rng("extra/blue", i).IntN(2) == 0 {
			// Filled in with the blue pen the forms ask for, and
			// scanned in colour (drawn apart: the other draws stay as
			// they were).
			d.blueInk = true
		}
		if f.format == FormatPDFG4 && g.rng("extra/jbig2", i).IntN(3) == 0 {
			// An office scanner's compact PDF: the 1-bit page in JBIG2
			// (drawn apart: the other draws stay as they were).
			f.format = FormatPDFJBIG2
		}
		if f.format == FormatPDFJPEG && g.rng("extra/container", i).IntN(4) == 0 {
			// A production scanner's TIFF, JPEG in strips (drawn apart:
			// the other draws stay as they were).
			f.format = FormatTIFFJPEG
		}
		// Scanners that save without loss (Flate: a 1-bit page a sixth of
		// the G4 PDFs left, grey or colour a tenth of the JPEG ones), and
		// production scanners' JPEG 2000 (another tenth), each drawn
		// apart.
		switch {
		case f.format == FormatPDFG4 && g.rng("extra/flate", i).IntN(6) == 0,
			f.format == FormatPDFJPEG && g.rng("extra/flate", i).IntN(10) == 0:
			f.format = FormatPDFFlate
		case f.format == FormatPDFJPEG && g.rng("extra/jpx", i).IntN(10) == 0:
			f.format = FormatPDFJPX
		}
		// One form in five seen in perspective, each page its own way
		// (drawn apart: the other draws stay as they were).
		kr := g.rng("extra/keystone", i)
		keystoned := kr.IntN(5) == 0
		// One feeder in eight with dirt on its glass: the same streaks
		// down every page it feeds (drawn apart: the other draws stay as
		// they were).
		var streaks []streak
		if sk := g.rng("extra/streaks", i); sk.IntN(8) == 0 {
			streaks = randomStreaks(sk)
		}
		// One form in four folded for its envelope, and the cover
		// letter with it (drawn apart: the other draws stay as they
		// were): in three, in half or in four (envelopeFolds).
		var folds []fold
		if fr := g.rng("extra/folds", i); fr.IntN(4) == 0 {
			folds = envelopeFolds(g.rng("extra/fold-style", i), randomFolds(fr))
		}
		// One form in six printed to fit, every page alike; one in ten
		// fed crooked, each page its own way (each drawn apart: the
		// other draws stay as they were).
		fit := 1.0
		if pr := g.rng("extra/fit", i); pr.IntN(6) == 0 {
			fit = printedToFit(pr)
		}
		cr := g.rng("extra/crooked", i)
		crooked := cr.IntN(10) == 0
		s, err := g.scanDoc(ctx, d, 1, f.dpi, r, func(int) scanSpec {
			s := profileSpec(profile, r, f)
			s.Turned = []int{0, 0, 0, 0, 0, 90, 180, 270}[r.IntN(8)]
			if keystoned {
				s.Keystone = randomKeystone(kr)
			}
			s.Scale *= fit
			if crooked {
				s.Skew = crookedSkew(cr)
			}
			s.Streaks, s.Folds = streaks, folds
			return s
		})
		if err != nil {
			return err
		}
		var fd feed
		if n := len(s.pages); n > 1 {
			fd.order = []string{"", "", "", "reversed", "shuffled"}[sr.IntN(5)]
		}
		fd.backs = sr.IntN(8) == 0
		fd.separator = sr.IntN(8) == 0
		// Drawn apart: the other draws stay as they were.
		fd.canvas = g.rng("extra/canvas", i).IntN(8) == 0
		fd.standard = standard
		if hr := g.rng("extra/faxheader", i); profile == ProfileFax && hr.IntN(2) == 0 {
			// Sent by fax, with the sending machine's line over each
			// page.
			fd.faxHeader = faxHeaderFormat(g.today.AddDate(0, 0, -1-hr.IntN(5)), d.values[g.tplOf(d).RoleField(form.FieldOrgName, 0)], hr)
		}
		if cr := g.rng("extra/cover", i); cr.IntN(6) == 0 {
			if fd.cover, err = g.scanCover(ctx, d, profile, f, cr, streaks, folds); err != nil {
				return err
			}
			// One letter in three with a form of several pages filed
			// between its pages (drawn apart: the other draws stay as
			// they were).
			if ir := g.rng("extra/cover-inside", i); len(s.pages) > 1 && ir.IntN(3) == 0 {
				fd.coverAfter = 1 + ir.IntN(len(s.pages)-1)
			}
		}
		if err := g.writeFedScanFile(ctx, dir, stem, f, fd, sr, []scanned{s}); err != nil {
			return err
		}
	}
	return nil
}

// widen gives a document of the mailroom world its dates as people write
// them and a fill style. The committed corpus (Count 0) is left as it is.
func (g *generator) widen(d *doc, part string, i int) {
	if g.opts.Count <= 0 {
		return
	}
	r := g.rng("style/"+part, i)
	restyle(d, g.tplOf(*d), r)
	d.fill = randomFill(r)
	// Drawn apart: the other draws stay as they were.
	writeContacts(d, g.tplOf(*d), g.rng("style/contact/"+part, i))
	writeNumbers(d, g.tplOf(*d), g.rng("style/number/"+part, i))
	if rooms, ok := g.rooms[g.tplOf(*d).ID()]; ok {
		fitRooms(d, g.tplOf(*d), rooms)
	}
	if g.rng("style/capitals/"+part, i).IntN(25) == 0 {
		inCapitals(d, g.tplOf(*d))
	}
}

// Files lists what the last Generate call of this generator wrote, sorted.
func (g *generator) Files() []string {
	out := append([]string(nil), g.written...)
	sort.Strings(out)
	return out
}

// otherEdition is extra document i moved to one of Options.Editions of
// its kind, about one time in three (drawn apart from the document's
// values, so that the others stay as they were).
func (g *generator) otherEdition(d doc, i int) doc {
	var eds []*form.Template
	for _, t := range g.opts.Editions {
		if t.Kind == d.kind {
			eds = append(eds, t)
		}
	}
	if len(eds) == 0 {
		return d
	}
	r := g.rng("extra/edition", i)
	if r.IntN(3) != 0 {
		return d
	}
	return g.on(d, eds[r.IntN(len(eds))])
}

// on is d filled in on edition to instead: each value and signature under
// the name of to's field with the same role and row. The kind's first
// edition is kept as nil.
func (g *generator) on(d doc, to *form.Template) doc {
	out := d
	out.values = byRole(d.values, g.tplOf(d), to)
	out.sigs = byRole(d.sigs, g.tplOf(d), to)
	out.tpl = to
	if to == g.tpls[d.kind] {
		out.tpl = nil
	}
	return out
}

// byRole renames the keys of m, fields of edition from, to the fields of
// edition to with the same role and row. Keys from has no field of, and
// fields to has no counterpart of, are left out.
func byRole[V any](m map[string]V, from, to *form.Template) map[string]V {
	if m == nil {
		return nil
	}
	out := make(map[string]V, len(m))
	for k, v := range m {
		if n := fieldByRole(k, from, to); n != "" {
			out[n] = v
		}
	}
	return out
}

// fieldByRole is the name on edition to of the field name is on edition
// from: the one with the same role and row ("" when there is none).
func fieldByRole(name string, from, to *form.Template) string {
	f, ok := from.Field(name)
	if !ok || f.Role == "" {
		return ""
	}
	return to.RoleField(f.Role, f.Row)
}
