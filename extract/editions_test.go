package extract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"blankett/corpus"
	"blankett/form"
)

// editionsSet is the built-in editions and the second editions in
// testdata/editions, all active at once.
func editionsSet(t testing.TB) (*form.Set, []*form.Template) {
	t.Helper()
	set, err := form.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	return withEditions(t, set, "../testdata/editions")
}

// withEditions is set with the templates (*.json) in dir added, and
// those templates.
func withEditions(t testing.TB, set *form.Set, dir string) (*form.Set, []*form.Template) {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no templates in %s (%v)", dir, err)
	}
	var added []*form.Template
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := form.ParseTemplate(b)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if set, err = set.With(tpl); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		added = append(added, tpl)
	}
	return set, added
}

// addedOf is the edition of kind among the editions editionsSet added.
func addedOf(t testing.TB, added []*form.Template, kind form.Kind) *form.Template {
	t.Helper()
	for _, tpl := range added {
		if tpl.Kind == kind {
			return tpl
		}
	}
	t.Fatalf("no second edition of %s", kind)
	return nil
}

// truthSamples returns the first n documents of kind in the committed
// corpus's scans: values as typed, signatures as drawn.
func truthSamples(t testing.TB, kind form.Kind, n int) []corpus.TruthDoc {
	t.Helper()
	paths, _ := filepath.Glob("../testdata/corpus/scan/*.truth.json")
	sort.Strings(paths)
	var out []corpus.TruthDoc
	for _, p := range paths {
		var tr corpus.Truth
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := jsonUnmarshal(b, &tr); err != nil {
			t.Fatal(err)
		}
		if len(tr.Documents) == 1 && tr.Documents[0].Kind == kind {
			out = append(out, tr.Documents[0])
		}
		if len(out) == n {
			break
		}
	}
	return out
}

func rawValues(td corpus.TruthDoc) (values, sigs map[string]string) {
	values, sigs = map[string]string{}, map[string]string{}
	for name, f := range td.Fields {
		values[name] = f.Raw
		if f.Signature != "" {
			sigs[name] = f.Signature
		}
	}
	return values, sigs
}

// tally counts fields read right per edition.
type tally map[string]*score

func (ty tally) add(edition string, ok bool, conf float64) {
	if ty[edition] == nil {
		ty[edition] = &score{}
	}
	ty[edition].add(ok, conf)
}

func (ty tally) String() string {
	var keys []string
	for k := range ty {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		s := ty[k]
		fmt.Fprintf(&b, "%s: %d/%d fields %.1f %%; ", k, s.right, s.right+s.wrong, 100*s.accuracy())
	}
	return b.String()
}

// TestSecondEditions fills each second edition's blank fillable PDF with
// the values of corpus documents, prints and scans it, and reads both the
// filled PDF and the scan with every edition active: each is recognised
// as its own edition and read as well as the first editions are.
func TestSecondEditions(t *testing.T) {
	t.Parallel() // the test OCR pool has an engine for each of two readers
	set, added := editionsSet(t)
	e := newTestExtractor(t)
	e.UseSet(set)
	ctx := context.Background()
	counts := tally{}
	for _, tpl := range added {
		blank, err := corpus.BlankPDF(tpl)
		if err != nil {
			t.Fatal(err)
		}
		samples := truthSamples(t, tpl.Kind, 4)
		if len(samples) == 0 {
			t.Fatalf("no %s documents in the corpus", tpl.Kind)
		}
		for i, td := range samples {
			values, sigs := rawValues(td)
			dpi := []int{200, 300}[i%2]
			f, err := corpus.FillAndScan(ctx, tpl, blank, values, sigs, dpi, uint64(i+1))
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range []struct {
				what string
				data []byte
			}{{"digital", f.PDF}, {fmt.Sprintf("scan %d dpi", dpi), f.Scan}} {
				res, err := e.Extract(ctx, MediaPDF, in.data)
				if err != nil {
					t.Fatalf("%s %s sample %d: %v", tpl.ID(), in.what, i+1, err)
				}
				if len(res.Documents) != 1 || res.Documents[0].Kind != tpl.Kind || res.Documents[0].Edition != tpl.Edition {
					t.Errorf("%s %s sample %d: read as %+v", tpl.ID(), in.what, i+1, summary(res))
					continue
				}
				d := res.Documents[0]
				for name, tf := range td.Fields {
					got := d.Fields[name]
					want := tf.Value
					if in.what == "digital" && tf.Type == form.TypeSignature {
						want = "false" // signed by hand on paper only
					}
					ok := got.Value == want
					counts.add(tpl.Edition+" "+in.what[:4], ok, got.Confidence)
					if !ok {
						t.Logf("%s %s sample %d: %s = %q, want %q (conf %.2f)", tpl.ID(), in.what, i+1, name, got.Value, want, got.Confidence)
						if in.what == "digital" {
							t.Errorf("digital %s read wrong", name)
						}
					}
					if got.Role != "" && got.Role != mustField(t, tpl, name).Role {
						t.Errorf("%s: role %q, want %q", name, got.Role, mustField(t, tpl, name).Role)
					}
				}
			}
		}
	}
	fmt.Printf("second editions: %s\n", counts)
	for k, s := range counts {
		if strings.HasSuffix(k, "scan") && s.accuracy() < 0.95 {
			t.Errorf("%s: %.1f %% of fields read right, want ≥ 95 %%", k, 100*s.accuracy())
		}
	}
}

func mustField(t testing.TB, tpl *form.Template, name string) form.Field {
	f, ok := tpl.Field(name)
	if !ok {
		t.Fatalf("%s has no field %s", tpl.ID(), name)
	}
	return f
}

func summary(res *Result) []string {
	var out []string
	for _, d := range res.Documents {
		out = append(out, fmt.Sprintf("%s %s %q pages %d-%d (%s)", d.State, d.Kind, d.Edition, d.FirstPage, d.LastPage, d.Message))
	}
	return out
}

// TestBatchOfTwoEditions: a mailroom batch holding a first-edition 9445
// and a second-edition 9445 is split in two, each read with its own
// edition.
func TestBatchOfTwoEditions(t *testing.T) {
	set, added := editionsSet(t)
	second := addedOf(t, added, form.Kind9445)
	first, _ := set.Primary(form.Kind9445)
	e := newTestExtractor(t)
	e.UseSet(set)
	ctx := context.Background()
	samples := truthSamples(t, form.Kind9445, 2)
	// The first edition's page from the committed corpus, the second's
	// filled and scanned now.
	data, err := os.ReadFile("../testdata/corpus/scan/9445-agreement-not-in-force.pdf")
	if err != nil {
		t.Fatal(err)
	}
	src, err := open(ctx, MediaPDF, data, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	old, err := src.page(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	blank, err := corpus.BlankPDF(second)
	if err != nil {
		t.Fatal(err)
	}
	values, sigs := rawValues(samples[1])
	f, err := corpus.FillAndScan(ctx, second, blank, values, sigs, 200, 42)
	if err != nil {
		t.Fatal(err)
	}
	batch, err := corpus.ScanPDF([]*image.Gray{old, f.Pages[0]}, 200)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Extract(ctx, MediaPDF, batch)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 2 {
		t.Fatalf("batch split into %v", summary(res))
	}
	for i, want := range []*form.Template{first, second} {
		d := res.Documents[i]
		if d.Kind != want.Kind || d.Edition != want.Edition || d.FirstPage != i+1 || d.LastPage != i+1 || !d.Pages[0].Registered {
			t.Errorf("document %d: %v, want %s", i+1, summary(res)[i], want.ID())
		}
	}
	if got := res.Documents[1].Fields["user_personnummer"].Value; got != samples[1].Fields["user_personnummer"].Value {
		t.Errorf("second edition's personnummer read as %q", got)
	}
}

// BenchmarkEditions extracts single scanned pages of the first and the
// second editions side by side, every edition active, and times `tesseract
// PAGE.png out -l swe` (full-page OCR, one thread) on the same pages,
// printing the ratio per edition. The second editions' pages are the
// first editions' benchmark documents, filled into the second editions'
// blank PDFs and scanned at the same resolution. Target: ratio ≤ 0.25.
// It prints, too, how often and how long the extraction ran Tesseract
// (OCR.Stats): where its time goes.
func BenchmarkEditions(b *testing.B) {
	set, added := editionsSet(b)
	e := newTestExtractor(b)
	e.UseSet(set)
	ctx := context.Background()
	type page struct {
		edition string
		data    []byte
	}
	var pages []page
	byKind := map[form.Kind]*form.Template{}
	for _, t := range added {
		byKind[t.Kind] = t
	}
	for _, pattern := range []string{"9445-valid-*.truth.json", "9463-valid-*.truth.json"} {
		paths, _ := filepath.Glob(filepath.Join("..", "testdata", "corpus", "scan", pattern))
		sort.Strings(paths)
		for i, p := range paths {
			var tr corpus.Truth
			raw, _ := os.ReadFile(p)
			if err := jsonUnmarshal(raw, &tr); err != nil {
				b.Fatal(err)
			}
			data, err := os.ReadFile(filepath.Join(filepath.Dir(p), filepath.Base(tr.File)))
			if err != nil {
				b.Fatal(err)
			}
			td := tr.Documents[0]
			first, _ := set.Primary(td.Kind)
			pages = append(pages, page{first.Edition, data})
			second := byKind[td.Kind]
			blank, err := corpus.BlankPDF(second)
			if err != nil {
				b.Fatal(err)
			}
			values, sigs := rawValues(td)
			f, err := corpus.FillAndScan(ctx, second, blank, values, sigs, td.Pages[0].DPI, uint64(100+i))
			if err != nil {
				b.Fatal(err)
			}
			pages = append(pages, page{second.Edition, f.Scan})
		}
	}
	if len(pages) == 0 {
		b.Fatal("no pages")
	}
	dir := b.TempDir()
	// Warm the worker up (the word list loads on first use).
	if _, err := e.Extract(ctx, mediaOf(b, pages[0].data), pages[0].data); err != nil {
		b.Fatal(err)
	}
	for range b.N {
		ours, full, inOCR := map[string]time.Duration{}, map[string]time.Duration{}, map[string]time.Duration{}
		count, calls := map[string]int{}, map[string]int64{}
		for i, p := range pages {
			calls0, busy0 := e.ocr.Stats()
			start := time.Now()
			res, err := e.Extract(ctx, mediaOf(b, p.data), p.data)
			if err != nil {
				b.Fatal(err)
			}
			ours[p.edition] += time.Since(start)
			calls1, busy1 := e.ocr.Stats()
			calls[p.edition] += calls1 - calls0
			inOCR[p.edition] += busy1 - busy0
			if len(res.Documents) != 1 || res.Documents[0].Edition != p.edition {
				b.Errorf("page %d read as %v, want %s", i, summary(res), p.edition)
			}
			src, err := open(ctx, mediaOf(b, p.data), p.data, DefaultLimits())
			if err != nil {
				b.Fatal(err)
			}
			img, err := src.page(ctx, 0)
			if err != nil {
				b.Fatal(err)
			}
			pngPath := filepath.Join(dir, fmt.Sprintf("page%d.png", i))
			out, err := os.Create(pngPath)
			if err != nil {
				b.Fatal(err)
			}
			png.Encode(out, img)
			out.Close()
			cmd := exec.Command("tesseract", pngPath, filepath.Join(dir, "out"), "-l", "swe")
			cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
			start = time.Now()
			if msg, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("tesseract: %v\n%s", err, msg)
			}
			full[p.edition] += time.Since(start)
			count[p.edition]++
		}
		var names []string
		for n := range ours {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			c := time.Duration(count[n])
			ratio := float64(ours[n]) / float64(full[n])
			fmt.Printf("scanned page, %s (%d pages, every edition active): extraction %v, full-page tesseract %v, ratio %.2f (target ≤ 0.25); Tesseract runs %d times a page, %v of the extraction\n",
				n, count[n], (ours[n] / c).Round(time.Millisecond), (full[n] / c).Round(time.Millisecond), ratio,
				calls[n]/int64(count[n]), (inOCR[n] / c).Round(time.Millisecond))
		}
	}
}

// TestReextractKeepsEdition: a document read before a new edition of its
// kind was activated is read again with its own edition, not the new one;
// told an edition the set does not hold, extraction says so.
func TestReextractKeepsEdition(t *testing.T) {
	e := newTestExtractor(t)
	ctx := context.Background()
	data, err := os.ReadFile("../testdata/corpus/scan/9445-valid-new.pdf")
	if err != nil {
		t.Fatal(err)
	}
	first, err := e.Extract(ctx, MediaPDF, data)
	if err != nil {
		t.Fatal(err)
	}
	d := first.Documents[0]
	if d.Edition == "" {
		t.Fatalf("no edition recorded: %v", summary(first))
	}
	set, _ := editionsSet(t)
	e.UseSet(set) // the second editions become active
	again, err := e.ExtractAs(ctx, MediaPDF, data, d.Kind, d.Edition)
	if err != nil {
		t.Fatal(err)
	}
	if len(again.Documents) != 1 || again.Documents[0].Edition != d.Edition {
		t.Fatalf("re-extracted as %v, want %s", summary(again), d.Edition)
	}
	for name, v := range d.Fields {
		if got := again.Documents[0].Fields[name].Value; got != v.Value {
			t.Errorf("%s: %q on re-extraction, %q before", name, got, v.Value)
		}
	}
	if _, err := e.ExtractAs(ctx, MediaPDF, data, form.Kind9445, "FK 9445 (999)"); !errors.Is(err, ErrNoSuchEdition) {
		t.Errorf("an edition not in the set: %v", err)
	}
}

// TestByLayout: an edition mark read once ("(001)" read as "(002)" on a
// skewed page read whole) loses to the edition of the kind whose printed
// words were found where it prints them, over twice as many; a kind's
// other edition with a fair share of words, or another kind, does not
// take over.
func TestByLayout(t *testing.T) {
	first := &form.Template{Kind: "agreement", Edition: "A (001)"}
	second := &form.Template{Kind: "agreement", Edition: "A (002)"}
	other := &form.Template{Kind: "9445", Edition: "B (001)"}
	words := func(n int) []pair { return make([]pair, n) }
	misread := verdict{tpl: second, score: 11.5, named: true, edition: true, inliers: words(52)}
	layout := verdict{tpl: first, score: 10.5, named: true, inliers: words(140)}
	if got := byLayout(misread, []verdict{misread, layout}); got.tpl != first {
		t.Errorf("edition %s, want %s: 140 words where it prints them against 52", got.tpl.Edition, first.Edition)
	}
	fair := layout
	fair.inliers = words(90)
	if got := byLayout(misread, []verdict{misread, fair}); got.tpl != second {
		t.Errorf("edition %s, want %s: 90 words against 52 do not outweigh the mark", got.tpl.Edition, second.Edition)
	}
	// The kind named by the title both editions print; the other
	// edition's form number unread, but its edition mark read, and its
	// words where it prints them, over twice as many: the other.
	titled := verdict{tpl: first, score: 5, named: true, inliers: words(4)}
	marked := verdict{tpl: second, score: 5, edition: true, inliers: words(12)}
	if got := byLayout(titled, []verdict{titled, marked}); got.tpl != second {
		t.Errorf("edition %s, want %s: its mark read and 12 words against 4", got.tpl.Edition, second.Edition)
	}
	unmarked := marked
	unmarked.edition = false
	if got := byLayout(titled, []verdict{titled, unmarked}); got.tpl != first {
		t.Errorf("edition %s, want %s: neither named nor marked, words alone do not name an edition", got.tpl.Edition, first.Edition)
	}
	stranger := verdict{tpl: other, score: 5, named: true, inliers: words(300)}
	if got := byLayout(misread, []verdict{misread, stranger}); got.tpl != second {
		t.Errorf("edition %s, want %s: another kind's words do not decide the edition", got.tpl.Edition, second.Edition)
	}
}

// TestPlaced: a page named by one prior's reading takes the placing of
// the prior of its edition that found the most of its printed words where
// it prints them (a page on a larger canvas): among priors that fit
// none, the one that found the most near where they are; among those
// that fit, the one that fits the most (two words fit any placing).
// Another edition's words, or fewer or as many, do not move it. A form
// number or edition mark read through any prior of the edition names it.
func TestPlaced(t *testing.T) {
	tpl := &form.Template{Kind: "9445", Edition: "B (001)"}
	other := &form.Template{Kind: "9463", Edition: "C (001)"}
	nominal := affine{A: 5, E: 5}
	wide := affine{A: 4.3, E: 4.3}
	words := func(n int) []pair { return make([]pair, n) }
	named := verdict{tpl: tpl, tplPage: 1, score: 4, named: true, prior: nominal}
	near := verdict{tpl: tpl, tplPage: 1, score: 3, prior: wide, found: words(3)}
	if got := placed(named, []verdict{named, near}); got.prior != wide || !got.named || got.score != 4 {
		t.Errorf("placed by %+v (named %v, score %.1f), want by the prior that found 3 words, named, score 4", got.prior, got.named, got.score)
	}
	stranger := verdict{tpl: other, tplPage: 1, prior: wide, found: words(5)}
	if got := placed(named, []verdict{named, stranger}); got.prior != nominal {
		t.Errorf("placed by another edition's words: %+v", got.prior)
	}
	fits := named
	fits.inliers = words(2)
	if got := placed(fits, []verdict{fits, near}); got.prior != nominal {
		t.Errorf("a verdict that fits was moved by one that fits none: %+v", got.prior)
	}
	better := verdict{tpl: tpl, tplPage: 1, score: 3, prior: wide, inliers: words(7), found: words(9)}
	if got := placed(fits, []verdict{fits, better}); got.prior != wide || len(got.inliers) != 7 || got.score != 4 || !got.named {
		t.Errorf("placed by %+v on %d words (score %.1f), want by the prior that fits 7, named, score 4", got.prior, len(got.inliers), got.score)
	}
	as := better
	as.inliers = words(2)
	if got := placed(fits, []verdict{fits, as}); got.prior != nominal {
		t.Errorf("moved by a prior that fits as many: %+v", got.prior)
	}
	// Best by its words through one prior, its form number and edition
	// mark read through another (a page printed to fit, on a canvas):
	// named all the same; another edition's name does not name it.
	byWords := verdict{tpl: tpl, tplPage: 3, score: 7.5, prior: wide, inliers: words(28)}
	byNumber := verdict{tpl: tpl, tplPage: 3, score: 6.5, named: true, edition: true, prior: nominal, inliers: words(6)}
	if got := placed(byWords, []verdict{byWords, byNumber}); !got.named || !got.edition || got.prior != wide || len(got.inliers) != 28 {
		t.Errorf("named %v, edition %v, placed by %+v on %d words; want named, its edition, by the prior that fits 28", got.named, got.edition, got.prior, len(got.inliers))
	}
	otherNamed := verdict{tpl: other, tplPage: 3, score: 6.5, named: true, edition: true, prior: nominal}
	if got := placed(byWords, []verdict{byWords, otherNamed}); got.named || got.edition {
		t.Error("named by another edition's form number")
	}
}

// TestAtPaperScale: words of a page on a larger canvas, found near where
// the prior that fills the canvas puts them but at the paper's scale, a
// fifth under the prior's, are fitted at the scale of another prior of the
// page; with no other prior's scale they fit nothing.
func TestAtPaperScale(t *testing.T) {
	truth := affine{A: 2.08, E: 2.08, C: 12, F: -7}
	var found []pair
	for _, w := range [][3]float64{{40, 800, 30}, {90, 800, 40}, {480, 805, 50}} {
		tl, tr := [2]float64{w[0], w[1]}, [2]float64{w[0] + w[2], w[1]}
		il, ir := [2]float64{}, [2]float64{}
		il[0], il[1] = truth.apply(tl[0], tl[1])
		ir[0], ir[1] = truth.apply(tr[0], tr[1])
		found = append(found, pair{tl: tl, tr: tr, il: il, ir: ir, weight: 1})
	}
	filling := affine{A: 2.49, E: 2.49}
	paper := affine{A: 2.14, E: 2.14, F: 296}
	v := verdict{prior: filling, found: found, score: 3}
	if fit, in := ransac(found, filling.scale()); len(in) >= 2 {
		t.Fatalf("the words fit the filling prior's scale (%v): the test shows nothing", fit)
	}
	got := atPaperScale(v, []affine{filling, paper})
	if len(got.inliers) != 3 || math.Abs(got.fit.scale()-2.08) > 0.01 || got.score != 3.75 {
		t.Errorf("fitted on %d words at scale %.3f, score %.2f; want 3 words at 2.08, score 3.75", len(got.inliers), got.fit.scale(), got.score)
	}
	if got := atPaperScale(v, []affine{filling}); len(got.inliers) != 0 {
		t.Errorf("fitted on %d words with no other prior", len(got.inliers))
	}
}

// TestShiftTo moves a prior by where the words it was to find were
// found, the median offset: one word read through dust does not drag it.
func TestShiftTo(t *testing.T) {
	prior := affine{A: 4, E: 4}
	at := func(x, y, dx, dy float64) pair {
		return pair{tl: [2]float64{x, y}, tr: [2]float64{x + 20, y}, il: [2]float64{4*x + dx, 4*y + dy}, ir: [2]float64{4*(x+20) + dx, 4*y + dy}}
	}
	got := shiftTo(prior, []pair{at(500, 50, -90, 40), at(520, 66, -88, 42), at(480, 70, 300, -200)})
	if math.Abs(got.C+89) > 2 || math.Abs(got.F-41) > 2 || got.A != 4 || got.E != 4 {
		t.Errorf("shifted to %+v, want the scale kept and C ≈ -89, F ≈ 41", got)
	}
	if got := shiftTo(prior, nil); got != prior {
		t.Errorf("no words moved the prior to %+v", got)
	}
}

// TestEditionMarkTellsFillable: two editions whose fields kept their
// names and places (a revision of the printed text alone) are told apart
// in a filled fillable PDF by the edition mark it prints, whichever of
// them is first in the set.
func TestEditionMarkTellsFillable(t *testing.T) {
	set, added := editionsSet(t)
	second := addedOf(t, added, form.Kind9445)
	b, err := os.ReadFile("../testdata/editions/9445-002.json")
	if err != nil {
		t.Fatal(err)
	}
	third, err := form.ParseTemplate(bytes.ReplaceAll(b, []byte("002"), []byte("003")))
	if err != nil {
		t.Fatal(err)
	}
	if set, err = set.With(third); err != nil {
		t.Fatal(err)
	}
	e := newTestExtractor(t)
	e.UseSet(set)
	values, _ := rawValues(truthSamples(t, form.Kind9445, 1)[0])
	for _, tpl := range []*form.Template{second, third} {
		blank, err := corpus.BlankPDF(tpl)
		if err != nil {
			t.Fatal(err)
		}
		filled, err := corpus.FillPDF(tpl, blank, values)
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.Extract(context.Background(), MediaPDF, filled)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Documents) != 1 || res.Documents[0].Edition != tpl.Edition {
			t.Errorf("%s filled in: read as %v", tpl.ID(), summary(res))
		}
	}
}

// TestRateJoinedPairs: a header whose n a scan broke into ri
// (Övereriskommelse SUS) still names its edition; text that names
// another kind, or none, does not.
func TestRateJoinedPairs(t *testing.T) {
	set, err := form.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	var agreement, order *form.Template
	for _, tpl := range set.Templates() {
		switch {
		case tpl.MatchFormNumber("Överenskommelse SUS"):
			agreement = tpl
		case len(tpl.Pages) == 1:
			order = tpl
		}
	}
	if agreement == nil || order == nil {
		t.Fatal("no agreement edition, or no one-page edition, among the built-in ones")
	}
	for _, c := range []struct {
		tpl  *form.Template
		text string
		want bool
	}{
		{agreement, "Övereriskommelse SUS\nsida 1 av 4", true},
		{agreement, "Överenskommelse SUS\nsida 1 av 4", true},
		{agreement, "Överenskornrnelse SUS", true},
		{agreement, "Öveten åodrmel ke SUS sida 1 av 4", false},
		{order, "Övereriskommelse SUS\nsida 1 av 4", false},
	} {
		if got := rate(set, c.tpl, c.text, nil, affine{A: 1, E: 1}, priorTolerance).named; got != c.want {
			t.Errorf("%s named by %q: %v, want %v", c.tpl.Edition, c.text, got, c.want)
		}
	}
}

// TestBareMarkNamesKindWhereNoOtherKindPrintsIt: an edition mark read
// alone, its number in brackets, names its edition's kind only while no
// edition of another kind prints the same mark.
func TestBareMarkNamesKindWhereNoOtherKindPrintsIt(t *testing.T) {
	builtin, err := form.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	all, added := editionsSet(t)
	byKind := map[form.Kind]*form.Template{}
	for _, tpl := range added {
		byKind[tpl.Kind] = tpl
	}
	order, people := byKind[form.Kind9445], byKind[form.Kind9463]
	if order == nil || people == nil || !order.MatchEdition("(002)") || !people.MatchEdition("(002)") {
		t.Fatal("want a 9445 and a 9463 edition in testdata/editions, both marked by their number in brackets alone")
	}
	alone, err := builtin.With(order)
	if err != nil {
		t.Fatal(err)
	}
	text := "Försäkringskassan\n(002)"
	for _, c := range []struct {
		set  *form.Set
		tpl  *form.Template
		want bool
	}{
		{alone, order, true},
		{all, order, false},
		{all, people, false},
	} {
		v := rate(c.set, c.tpl, text, nil, affine{A: 1, E: 1}, priorTolerance)
		if v.named != c.want || !v.edition {
			t.Errorf("%s in a set of %d: named %v (edition mark read %v), want named %v", c.tpl.Edition, c.set.Len(), v.named, v.edition, c.want)
		}
	}
	// With its form number read, the mark names the edition whatever the set.
	if v := rate(all, order, "FK 9445 (002)", nil, affine{A: 1, E: 1}, priorTolerance); !v.named || v.score < 5 {
		t.Errorf("form number and mark: named %v, score %.2f, want named, at least 5", v.named, v.score)
	}
}

// TestSiblingEditionPageJoinsItsForm: a four-page agreement of the first
// edition, min-is-black G4 on a legal canvas, whose blurred page 2 fits the
// second edition's page 2 better on its printed words (both print the same
// terms), its edition mark unread, is one agreement of the first edition,
// not three documents.
func TestSiblingEditionPageJoinsItsForm(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a scan of four pages")
	}
	data := readTestFile(t, filepath.Join("testdata", "pages", "agreement-001-page-2-fits-002.tif"))
	// Every edition of the accuracy corpora active, as when it was split.
	set := outsideSet(t, "9445-reportlab", "9445-pdflib", "9445-pdflib-boxed", "9463-reportlab", "agreement-pdflib")
	first, _ := set.Primary(form.KindAgreement)
	e := newTestExtractor(t)
	e.UseSet(set)
	res, err := e.Extract(context.Background(), mediaOf(t, data), data)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 1 || res.Documents[0].Edition != first.Edition || res.Documents[0].FirstPage != 1 || res.Documents[0].LastPage != 4 {
		t.Errorf("read as %v, want one %s of pages 1-4", summary(res), first.Edition)
	}
}
