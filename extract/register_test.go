package extract

import (
	"context"
	"image"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"blankett/corpus"
	"blankett/form"
)

// TestWarp: the fixed-point warp reads each pixel as bilinear
// interpolation in floating point does, within a grey level, for affine
// and projective transforms, on a page image that starts anywhere;
// outside the page is paper.
func TestWarp(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	page := image.NewGray(image.Rect(0, 0, 400, 300))
	for i := range page.Pix {
		page.Pix[i] = uint8(r.IntN(256))
	}
	sub := page.SubImage(image.Rect(37, 21, 390, 290)).(*image.Gray)
	reference := func(img *image.Gray, x, y float64) uint8 {
		b := img.Bounds()
		if x < float64(b.Min.X) || y < float64(b.Min.Y) || x >= float64(b.Max.X-1) || y >= float64(b.Max.Y-1) {
			return 255
		}
		x0, y0 := int(x), int(y)
		fx, fy := x-float64(x0), y-float64(y0)
		i := img.PixOffset(x0, y0)
		p00, p10 := float64(img.Pix[i]), float64(img.Pix[i+1])
		p01, p11 := float64(img.Pix[i+img.Stride]), float64(img.Pix[i+img.Stride+1])
		top := p00 + (p10-p00)*fx
		bot := p01 + (p11-p01)*fx
		return uint8(top + (bot-top)*fy + 0.5)
	}
	transforms := []affine{
		{A: 1, E: 1},
		{A: 4.1, B: 0.07, C: 12.5, D: -0.06, E: 4.2, F: 30.25},
		{A: 2.9, B: 0.2, C: -40, D: -0.1, E: 3.1, F: 8, G: 0.0004, H: -0.0003},
	}
	box := form.Box{X: 3, Y: 5, W: 120, H: 90}
	const k = 2.5
	for _, img := range []*image.Gray{page, sub} {
		for n, tr := range transforms {
			got := warp(img, tr, box, k)
			worst := 0
			for v := range got.Bounds().Dy() {
				y := box.Y + (float64(v)+0.5)/k
				for u := range got.Bounds().Dx() {
					x := box.X + (float64(u)+0.5)/k
					px, py := tr.apply(x, y)
					want := reference(img, px-0.5, py-0.5)
					worst = max(worst, int(math.Abs(float64(got.Pix[v*got.Stride+u])-float64(want))))
				}
			}
			if worst > 1 {
				t.Errorf("transform %d on %v: a pixel off by %d grey levels", n, img.Bounds(), worst)
			}
		}
	}
}

// TestWarpAveragesFinerImage: an image twice as fine as asked for or more
// is rendered as the mean of its pixels under each one, not read at one
// point each: a grain of single pixels comes out an even grey, where one
// read a pixel apart would give its black and white back.
func TestWarpAveragesFinerImage(t *testing.T) {
	page := image.NewGray(image.Rect(0, 0, 400, 400))
	for y := range 400 {
		for x := range 400 {
			if (x+y)%2 == 0 {
				page.Pix[y*page.Stride+x] = 255
			}
		}
	}
	const k = 2.0
	for _, scale := range []float64{2 * k, 3 * k} {
		// Shifted half a pixel: a point read falls on a pixel's centre.
		tr := affine{A: scale, E: scale, C: 0.5, F: 0.5}
		got := warp(page, tr, form.Box{X: 10, Y: 10, W: 40, H: 40}, k)
		for i, v := range got.Pix {
			if v < 100 || v > 155 {
				t.Fatalf("image %.0f times finer: pixel %d is %d, want the grain's mean grey", scale/k, i, v)
			}
		}
	}
}

// TestZoneScale: a zone is read at ocrDPI at the least, at a scan's own
// resolution up to twice that, and a finer scan at its own divided by
// the whole number that brings it nearest ocrDPI from above.
func TestZoneScale(t *testing.T) {
	for _, c := range []struct{ scan, want float64 }{
		{150, 300}, {200, 300}, {300, 300}, {400, 400}, {599, 599}, {600, 300}, {800, 400}, {1200, 300},
	} {
		if got := zoneScale(c.scan/72) * 72; math.Abs(got-c.want) > 1e-9 {
			t.Errorf("scan at %.0f DPI: zones read at %.1f DPI, want %.0f", c.scan, got, c.want)
		}
	}
}

// TestKeystoneRegistered: a page seen in perspective (a sheet fed askew,
// or photographed) is registered projectively, so that every field's
// zone is where the page shows it (a tick box's within 2 points, a
// value's within 4): an edition with corner marks (a
// committed scan), the second edition of the kind, which has none, and
// the edition drawn outside the project with reportlab, which has neither
// marks nor ruled cells (filled, printed and scanned). Fitted from its
// heading's and footer's words, its homography made a corner of the
// page's foot more than an eighth larger than the heading's fit said, and
// was refused. Each page is keystoned a known way and
// its registration held to its upright registration seen the same way.
func TestKeystoneRegistered(t *testing.T) {
	t.Parallel() // the test OCR pool has an engine for each of two readers
	if testing.Short() {
		t.Skip("OCR of pages")
	}
	ctx := context.Background()
	set, added := editionsSet(t)
	e := newTestExtractor(t)
	e.UseSet(set)
	data, err := os.ReadFile("../testdata/corpus/scan/9445-orderer-removed.pdf")
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]*image.Gray{"9445 (001)": rawPage(t, data)}
	for _, tpl := range added {
		if tpl.Kind != form.Kind9445 {
			continue
		}
		blank, err := corpus.BlankPDF(tpl)
		if err != nil {
			t.Fatal(err)
		}
		values, sigs := rawValues(truthSamples(t, tpl.Kind, 1)[0])
		f, err := corpus.FillAndScan(ctx, tpl, blank, values, sigs, 200, 3)
		if err != nil {
			t.Fatal(err)
		}
		pages[tpl.ID()] = f.Pages[0]
	}
	if len(pages) < 2 {
		t.Fatal("no second edition of 9445 in testdata/editions")
	}
	// And the 9445 drawn outside the project with reportlab, as an
	// administrator adds it: no corner marks and no ruled cells, so
	// little printed below its headings but labels, and a footer.
	outside := draftOutside9445(t, "9445-reportlab-blank.pdf", "FK 9445 (003)")
	if err := ApplyRoles(outside, outsideRoles(t, "9445-reportlab")); err != nil {
		t.Fatal(err)
	}
	if set, err = set.With(outside); err != nil {
		t.Fatal(err)
	}
	e.UseSet(set)
	blank, err := os.ReadFile("testdata/outside/9445-reportlab-blank.pdf")
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]string{}
	for _, f := range outside.Fields {
		if f.Role == form.FieldOrgName {
			values[f.Name] = "Eslövs kommun"
		}
	}
	f, err := corpus.FillAndScan(ctx, outside, blank, values, nil, 200, 3)
	if err != nil {
		t.Fatal(err)
	}
	pages[outside.ID()] = f.Pages[0]
	for name, page := range pages {
		upright, _, _ := condition(page)
		up, err := e.classify(ctx, 1, upright, set, false)
		if err != nil || !up.registered {
			t.Fatalf("%s: upright page not registered (%v)", name, err)
		}
		for _, ks := range [][2]float64{{0.04, 0.045}, {-0.045, -0.03}} {
			seen, _, _ := condition(keystoned(page, ks))
			pi, err := e.classify(ctx, 1, seen, set, false)
			if err != nil || !pi.registered || pi.tpl != up.tpl {
				t.Errorf("%s keystoned %v: not registered as the upright page (%v)", name, ks, err)
				continue
			}
			zonesWhereShown(t, name, page, ks, up, pi)
		}
	}
}

// zonesWhereShown checks that pi, page keystoned by ks and registered,
// puts each field's zone where the keystone drew it from where up, page
// registered upright, put it.
func zonesWhereShown(t *testing.T, name string, page *image.Gray, ks [2]float64, up, pi *pageInfo) {
	t.Helper()
	k := pageDPI(page) / 72
	for _, f := range pi.tpl.PageFields(1) {
		// A tick box is small: it must be found within 2 points; a
		// value's zone, which is read with room around it, within 4.
		limit := 4.0
		if f.Type == form.TypeCheckbox {
			limit = 2
		}
		z := f.Zone
		for _, c := range [][2]float64{{z.X, z.Y}, {z.X + z.W, z.Y}, {z.X, z.Y + z.H}, {z.X + z.W, z.Y + z.H}} {
			x, y := up.t.apply(c[0], c[1])
			wx, wy := keystonePoint(page, ks, x, y)
			gx, gy := pi.t.apply(c[0], c[1])
			if d := math.Hypot(gx-wx, gy-wy) / k; d > limit {
				t.Errorf("%s keystoned %v: %s's zone %.1f points from where the page shows it", name, ks, f.Name, d)
				break
			}
		}
	}
}

// keystoned is page seen in perspective: its point (u, v) from the
// centre, in page widths and heights, drawn at (u, v) / (1 − a·u − b·v).
func keystoned(page *image.Gray, ks [2]float64) *image.Gray {
	b := page.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	cx, cy := float64(b.Min.X)+w/2, float64(b.Min.Y)+h/2
	// The drawn point's source: (u, v) / (1 + a·u + b·v), as a
	// homography of pixels.
	g, hh := ks[0]/w, ks[1]/h
	w0 := 1 - g*cx - hh*cy
	back := affine{A: (cx*g + 1) / w0, B: cx * hh / w0, C: cx * (w0 - 1) / w0,
		D: cy * g / w0, E: (cy*hh + 1) / w0, F: cy * (w0 - 1) / w0, G: g / w0, H: hh / w0}
	return warp(page, back, form.Box{X: float64(b.Min.X), Y: float64(b.Min.Y), W: w, H: h}, 1)
}

// keystonePoint is where keystoned draws page's pixel (x, y).
func keystonePoint(page *image.Gray, ks [2]float64, x, y float64) (float64, float64) {
	b := page.Bounds()
	w, h := float64(b.Dx()), float64(b.Dy())
	cx, cy := float64(b.Min.X)+w/2, float64(b.Min.Y)+h/2
	u, v := (x-cx)/w, (y-cy)/h
	d := 1 - ks[0]*u - ks[1]*v
	return cx + u/d*w, cy + v/d*h
}

// TestKeystoneFitOverThePage: a page seen in perspective on a Legal
// canvas, stamped (a development corpus's scan), whose words first fitted
// its left column only. The fit over the words its strips read was
// projective and reached the right column, but the fit made again from
// that fit's own words started from another pair of them, fitted the left
// column affinely and was taken: every value and tick box on the right
// was read from beside its box, and the page was said not to fit. The
// fit that explains more of the words stands.
func TestKeystoneFitOverThePage(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("OCR of a scan")
	}
	e := newTestExtractor(t)
	set, _ := editionsSet(t)
	e.UseSet(set)
	tr, res := extractTruth(t, e, "testdata/keystone/9445-keystone-legal-stamp.truth.json")
	d, td := res.Documents[0], tr.Documents[0]
	if d.Message != "" {
		t.Errorf("message %q, want none: the page fits", d.Message)
	}
	// The right column's values and tick boxes clear of the stamp.
	for _, name := range []string{"org_number", "user_personnummer", "user_mobile", "login_sms", "login_bankid", "role_deltagaransvarig", "role_susrapport"} {
		if got, want := d.Fields[name].Value, td.Fields[name].Value; got != want {
			t.Errorf("%s read %q, want %q", name, got, want)
		}
	}
}

// TestRefit: a page of an edition without corner marks on a Legal
// canvas, fitted from three words to a placing a fifth too large and
// turned, is fitted afresh from every word read, where it lies; a fit
// that already explains the words is kept.
func TestRefit(t *testing.T) {
	_, added := editionsSet(t)
	tpl := addedOf(t, added, "9463")
	const k = 200 / 72.0
	img := image.NewGray(image.Rect(0, 0, int(8.5*200), 14*200)) // Legal, at 200 DPI
	turn := 1.5 * math.Pi / 180
	s := 0.975 * k
	truth := affine{A: s * math.Cos(turn), B: -s * math.Sin(turn), C: 20, D: s * math.Sin(turn), E: s * math.Cos(turn), F: 12}
	var words []readWord
	var all []pair
	for _, pw := range tpl.Pages[0].Words {
		y := pw.Box.Y + pw.Box.H
		w := readWord{text: normWord(pw.Text), raw: pw.Text, conf: 0.9}
		w.left[0], w.left[1] = truth.apply(pw.Box.X, y)
		w.rgt[0], w.rgt[1] = truth.apply(pw.Box.X+pw.Box.W, y)
		words = append(words, w)
		if n := len([]rune(w.text)); n >= 2 {
			weight := 1.0
			if n >= 5 {
				weight = 1.5 // as matchWords weighs them
			}
			all = append(all, pair{tl: [2]float64{pw.Box.X, y}, tr: [2]float64{pw.Box.X + pw.Box.W, y}, il: w.left, ir: w.rgt, weight: weight})
		}
	}
	if len(words) < 20 {
		t.Fatalf("the edition prints %d words: the test shows nothing", len(words))
	}
	wrong := affine{A: 1.19 * s * math.Cos(-4.5*math.Pi/180), B: 1.19 * s * math.Sin(4.5*math.Pi/180), D: 1.19 * s * math.Sin(-4.5*math.Pi/180), E: 1.19 * s * math.Cos(-4.5*math.Pi/180)}
	fit, in := refit(img, tpl, 1, words, wrong, all[:3])
	if len(in) < len(words)/2 {
		t.Fatalf("refitted on %d of %d words", len(in), len(words))
	}
	for _, pt := range [][2]float64{{0, 0}, {tpl.PageWidth, 0}, {0, tpl.PageHeight}, {tpl.PageWidth, tpl.PageHeight}} {
		gx, gy := fit.apply(pt[0], pt[1])
		wx, wy := truth.apply(pt[0], pt[1])
		if d := math.Hypot(gx-wx, gy-wy); d > 2*k {
			t.Errorf("corner %v placed %.1f px off", pt, d)
		}
	}
	if kept, in := refit(img, tpl, 1, words, truth, all); kept != truth || len(in) != len(all) {
		t.Errorf("a fit on every word was replaced (%d words)", len(in))
	}
	// A handful of words fitting another placing (a cover letter prints
	// the form's title and the office's name) is no better placing.
	if kept, in := refit(img, tpl, 1, words[:6], wrong, all[:3]); kept != wrong || len(in) != 3 {
		t.Errorf("refitted on %d words of 6", len(in))
	}
}

// TestPrintedToFit: forms printed to fit their paper (a development
// corpus's scans). A 9463 shrunk to 92 % in all, seen in perspective,
// turned and saved min-is-black, was placed at first by two words of its
// foot at the expected scale, and the words read for the fit elsewhere
// were looked for too near where that scale put them: it was left
// unplaced and not a value read. An agreement of four pages printed on
// Letter (94 %) and scanned on a Legal canvas had its third page's form
// number read through one placing of the paper and its words through
// another, best but unnamed: read whole, it was taken for the second
// edition, which prints the same text, and the form fell in two.
func TestPrintedToFit(t *testing.T) {
	t.Parallel()
	e := corpusExtractor(t)
	tr, res := extractTruth(t, e, "testdata/printed-to-fit/9463-orderer-action-missing-printed-to-fit.truth.json")
	d, td := res.Documents[0], tr.Documents[0]
	if d.Message != "" {
		t.Errorf("9463: message %q, want none: the page fits", d.Message)
	}
	right := 0
	for name, f := range td.Fields {
		if d.Fields[name].Value == f.Value {
			right++
		}
	}
	if right < len(td.Fields)-2 {
		t.Errorf("9463: %d of %d values read right", right, len(td.Fields))
	}
	tr, res = extractTruth(t, e, "testdata/printed-to-fit/agreement-agreement-new-party-printed-to-fit.truth.json")
	d, td = res.Documents[0], tr.Documents[0]
	if first, _ := e.Set().Primary(td.Kind); d.Edition != first.Edition || d.FirstPage != 1 || d.LastPage != 4 {
		t.Errorf("agreement: %s pages %d-%d, want %s pages 1-4", d.Edition, d.FirstPage, d.LastPage, first.Edition)
	}
}

// TestCrookedNamed: a 9463 fed crooked (skewed 5.5°, a development
// corpus's scan at 400 DPI, faded) had its form number cut in two by the
// probe's room ("FK 946"), and its printed words placed it best as a
// 9445, whose heading it shares: unnamed, it was read whole, named by
// nothing there either, and left as no known form. Its marks read where
// the words' fit puts them name it.
func TestCrookedNamed(t *testing.T) {
	t.Parallel()
	e := corpusExtractor(t)
	tr, res := extractTruth(t, e, "testdata/crooked/9463-signature-missing-crooked.truth.json")
	d, td := res.Documents[0], tr.Documents[0]
	if first, _ := e.Set().Primary(td.Kind); d.Kind != td.Kind || d.Edition != first.Edition || d.Message != "" {
		t.Fatalf("%s %s (%q), want %s %s, placed", d.Kind, d.Edition, d.Message, td.Kind, first.Edition)
	}
	if got, want := d.Fields["org_number"].Value, td.Fields["org_number"].Value; got != want {
		t.Errorf("org_number read %q, want %q", got, want)
	}
}

// TestMisreadNumberNamed: a 9463 of an edition drawn outside the project,
// fed crooked (skewed 5.8°), blurred and stamped, placed by nine of its
// printed words, had its form number read with a digit wrong wherever it
// was read (FK 9462, FK 9482): unnamed, it was left as the unknown form
// FK 9482. A number one digit from the number of the edition the words
// place the page as, and nearer no other form's, names it.
func TestMisreadNumberNamed(t *testing.T) {
	t.Parallel()
	e := corpusExtractor(t)
	tr, res := extractTruth(t, e, "testdata/crooked/9463-agreement-not-in-force-number-misread.truth.json")
	d, td := res.Documents[0], tr.Documents[0]
	if d.Kind != td.Kind || d.Edition != td.Edition || d.State == form.StateUnclassified {
		t.Fatalf("%s %s %s (%q), want %s %s", d.Kind, d.Edition, d.State, d.Message, td.Kind, td.Edition)
	}
	right := 0
	for name, f := range td.Fields {
		if d.Fields[name].Value == f.Value {
			right++
		}
	}
	if 4*right < 3*len(td.Fields) {
		t.Errorf("%d of %d values read right: the page is not placed", right, len(td.Fields))
	}
}

// TestMentionedFormNotTaken: the third page of an agreement, scanned as a
// poor JPEG on a Legal canvas, names the form orderers are reported on in
// its terms ("anmäls skriftligen på FK 9463"); its strips read that and
// not its own title, and the page was taken for a 9463 none of whose
// printed words stood where the 9463 prints them, splitting the agreement
// in three. A form named only so is taken only when reading the whole
// page names nothing surer; read whole, the page is the agreement's.
func TestMentionedFormNotTaken(t *testing.T) {
	t.Parallel()
	e := corpusExtractor(t)
	tr, res := extractTruth(t, e, "testdata/mentioned/agreement-agreement-missing-fields-legal.truth.json")
	d, td := res.Documents[0], tr.Documents[0]
	if d.Kind != td.Kind || d.FirstPage != td.FirstPage || d.LastPage != td.LastPage {
		t.Errorf("%s pages %d-%d (%q), want %s pages %d-%d", d.Kind, d.FirstPage, d.LastPage, d.Message, td.Kind, td.FirstPage, td.LastPage)
	}
}

// corpusExtractor reads with every edition `make accuracy` reads with
// active, as the development corpora's scans were read; a short run
// skips the test (it reads scans).
func corpusExtractor(t *testing.T) *Extractor {
	t.Helper()
	if testing.Short() {
		t.Skip("OCR of scans")
	}
	e := newTestExtractor(t)
	e.UseSet(outsideSet(t, "9445-reportlab", "9445-pdflib", "9445-pdflib-boxed", "9463-reportlab", "agreement-pdflib"))
	return e
}

// TestKeystoneCornerUnread: a fax (150 DPI) of an edition drawn outside
// the project, without corner marks or ruled cells, fed 5 degrees crooked
// and in perspective (a development corpus's scan). Its footer's print is
// too small to read at 150 DPI: the strip read at its lower left corner
// found no word, and the fit rested on its title and its form number
// alone, affine; the values of its lower half were read a line off, 11 of
// them wrong. The middles of the sides are read then, and the fit over
// them is projective.
func TestKeystoneCornerUnread(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("OCR of a scan")
	}
	e := newTestExtractor(t)
	e.UseSet(outsideSet(t, "9445-reportlab"))
	// A fax: a value or two may be misread, not a half page of them.
	readAllBut(t, e, "testdata/keystone/9445-fax-keystone-corner-unread.truth.json", 2)
}

// TestCanvasPlacedAfresh: the first page of an agreement of an edition
// drawn outside the project, printed to fit and scanned on a Legal canvas
// (a development corpus's scan, stamped, streaked and folded), was named
// by two words and placed at the scale of the canvas's height, a fifth
// too large: no fit of its strips' words at that scale was plausible, the
// page was left unplaced and its 13 values read as nothing. The words read
// place it afresh (refit), as they do a page placed on a handful. Every
// edition drawn outside the project is active, as in the mailroom that
// read it so.
func TestCanvasPlacedAfresh(t *testing.T) {
	t.Parallel()
	// Stamped and streaked: a value or two may be misread.
	readAllBut(t, corpusExtractor(t), "testdata/printed-to-fit/agreement-legal-canvas-page1.truth.json", 2)
}

// TestCanvasNamedByItsMarks: a page of a second edition sent by a 150 DPI
// fax on a Legal canvas, 2 degrees askew (seen evaluation seed 20281114).
// The probe's words placed it at the paper's scale, but did not name it;
// its marks, read where that placing puts them, did, and were rated
// through the prior that fills the canvas, a fifth too large: no word
// where that put them, the page was fitted at that scale and 18 of its
// 25 values read a line off. The marks' verdict is fitted as the probe's
// was, at the paper's scale.
func TestCanvasNamedByItsMarks(t *testing.T) {
	t.Parallel()
	// A fax: a value or two may be misread.
	readAllBut(t, corpusExtractor(t), "testdata/printed-to-fit/legal-canvas-fax.truth.json", 3)
}

// readAllBut extracts the scan the truth file at path describes, one
// document, and holds it to the truth's edition and all its values but
// at most slack.
func readAllBut(t *testing.T, e *Extractor, path string, slack int) {
	t.Helper()
	tr, res := extractTruth(t, e, path)
	d, td := res.Documents[0], tr.Documents[0]
	if d.Edition != td.Edition {
		t.Fatalf("read as %q, want %q", d.Edition, td.Edition)
	}
	wrong := 0
	for name, want := range td.Fields {
		if got := d.Fields[name]; got.Value != want.Value {
			wrong++
			t.Logf("%s read %q at %.2f, want %q", name, got.Value, got.Confidence, want.Value)
		}
	}
	if wrong > slack {
		t.Errorf("%d of %d values wrong, want at most %d", wrong, len(td.Fields), slack)
	}
}
