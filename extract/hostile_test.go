package extract

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"blankett/corpus"
)

// TestActiveContent: active content is found in the parsed object graph,
// also where the file's bytes never spell it (escaped names, object
// streams), and the refusal says what was found; the committed fillable
// and scanned PDFs have none.
func TestActiveContent(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"javascript.pdf":          "innehåller JavaScript",
		"javascript-hex-name.pdf": "innehåller JavaScript",
		"javascript-objstm.pdf":   "innehåller JavaScript",
		"embedded-file.pdf":       "innehåller inbäddade filer",
	} {
		data := readTestFile(t, filepath.Join("../testdata/bad", name))
		if name != "javascript.pdf" && strings.Contains(string(data), "/JavaScript") {
			t.Fatalf("%s spells /JavaScript in its bytes: it does not test the parsed graph", name)
		}
		_, err := open(context.Background(), MediaPDF, data, DefaultLimits())
		ie, ok := IsInputError(err)
		if !ok || !strings.Contains(ie.Message, want) || !strings.Contains(ie.Message, "säkerhetsskäl") {
			t.Errorf("%s: %v, want a refusal saying %q", name, err, want)
		}
	}
	clean, _ := filepath.Glob("../testdata/corpus/digital/*.pdf")
	scans, _ := filepath.Glob("../testdata/corpus/scan/*.pdf")
	for _, path := range append(clean[:min(len(clean), 6)], scans[:min(len(scans), 3)]...) {
		pctx, err := readPDFForTest(readTestFile(t, path))
		if err != nil {
			t.Fatal(err)
		}
		if what := activeContent(readTestFile(t, path), pctx); what != "" {
			t.Errorf("%s: found %q in a clean form", filepath.Base(path), what)
		}
	}
}

// TestVectorPagesAreNoBomb: an 8-page text PDF of 6 kB rasterises to
// 70 MB of pixels by design; only decoded image data counts towards the
// decompression ratio, so it passes. Its pages are still judged by what
// rasterising them costs.
func TestVectorPagesAreNoBomb(t *testing.T) {
	t.Parallel()
	data := readTestFile(t, "../testdata/bad/text-8-pages.pdf")
	pctx, err := readPDFForTest(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(data) > 8<<10 || pctx.PageCount != 8 {
		t.Fatalf("%d bytes, %d pages: not the finding's file", len(data), pctx.PageCount)
	}
	lim := DefaultLimits()
	if err := checkPDFPixels(pctx, len(data), lim); err != nil {
		t.Fatalf("an 8-page text PDF was refused: %v", err)
	}
	lim.PageMemory = 10 << 20 // an A4 page at 300 DPI takes about 17 MB to rasterise
	if _, ok := IsInputError(checkPDFPixels(pctx, len(data), lim)); !ok {
		t.Fatal("rasterising cost is not checked against the page's memory budget")
	}
	lim = DefaultLimits()
	lim.RasterDPI = 1200 // 139 million pixels a page
	if _, ok := IsInputError(checkPDFPixels(pctx, len(data), lim)); !ok {
		t.Fatal("rasterising size is not checked against the pixel limit")
	}
}

// TestPageBudget: a page over its memory budget is refused before it is
// decoded, whatever the other limits say; a page over its time budget
// fails the file at that page.
func TestPageBudget(t *testing.T) {
	t.Parallel()
	for name, media := range map[string]string{"png-16bit-at-pixel-limit.png": MediaPNG, "tiff-rgb-at-pixel-limit.tif": MediaTIFF} {
		data := readTestFile(t, filepath.Join("../testdata/bad", name))
		lim := DefaultLimits()
		start := time.Now()
		_, err := open(context.Background(), media, data, lim)
		ie, ok := IsInputError(err)
		if !ok || !strings.Contains(ie.Message, "minne att läsa") {
			t.Errorf("%s: %v, want a refusal by the page's memory budget", name, err)
		}
		if took := time.Since(start); took > time.Second {
			t.Errorf("%s: refused after %v, want at once (before decoding)", name, took)
		}
		// Every other limit passes it: the page budget is what refuses it.
		lim.PageMemory = 0
		if media == MediaTIFF {
			if _, err := openTIFF(data, lim); err != nil {
				t.Errorf("%s without the page budget: %v, want it to open", name, err)
			}
		}
	}

	e := newTestExtractor(t)
	e.limits.PageTime = time.Nanosecond
	data := readTestFile(t, "../testdata/bad/blank-10-pages.pdf")
	start := time.Now()
	_, err := e.Extract(context.Background(), MediaPDF, data)
	ie, ok := IsInputError(err)
	if !ok || !strings.Contains(ie.Message, "Sida 1 tog för lång tid") {
		t.Fatalf("a page over its time budget: %v, want the file refused at page 1", err)
	}
	t.Logf("refused after %v: %s", time.Since(start), ie.Message)
}

// TestSandboxReplacesGrownChild: a child whose memory grew past MaxRSS
// during a document is replaced after it; one within the bound is kept.
func TestSandboxReplacesGrownChild(t *testing.T) {
	data := readTestFile(t, "../testdata/bad/javascript.pdf") // refused quickly, by the child
	for _, tc := range []struct {
		maxRSS   int64
		replaced bool
	}{{1 << 20, true}, {64 << 30, false}} {
		s := newTestSandbox(t, func(c *SandboxConfig) { c.MaxRSS = tc.maxRSS })
		_, first, _ := s.extract(context.Background(), MediaPDF, data)
		_, second, _ := s.extract(context.Background(), MediaPDF, data)
		if !first.Started || second.Started != tc.replaced {
			t.Errorf("MaxRSS %d MiB (child peak %d MiB): second document started a child: %v, want %v",
				tc.maxRSS>>20, first.PeakRSSKB>>10, second.Started, tc.replaced)
		}
	}
}

// TestFileBudget: the pages held at once and the pace of reading are
// checked page by page, so a file at every limit fails at the page that
// passes a budget rather than at the child's memory limit or deadline.
func TestFileBudget(t *testing.T) {
	e := newTestExtractor(t)
	data := readTestFile(t, "../testdata/bad/blank-10-pages.pdf") // ten pages of about 1 MB held each

	e.limits.HeldMemory = 3 << 20
	_, err := e.Extract(context.Background(), MediaPDF, data)
	ie, ok := IsInputError(err)
	if !ok || !strings.Contains(ie.Message, "sidorna som läses tillsammans") || !strings.HasPrefix(ie.Message, "Sida 4:") {
		t.Fatalf("held pages over the budget: %v, want the file refused at page 4", err)
	}
	t.Log(ie.Message)

	e.limits = DefaultLimits()
	e.limits.DocTime = time.Millisecond
	_, err = e.Extract(context.Background(), MediaPDF, data)
	ie, ok = IsInputError(err)
	if !ok || !strings.Contains(ie.Message, "avbröts efter sida 3") {
		t.Fatalf("a file read too slowly for its deadline: %v, want it refused after page 3", err)
	}
	t.Log(ie.Message)

	e.limits = DefaultLimits()
	e.limits.DocTime = time.Hour
	if _, err := e.Extract(context.Background(), MediaPDF, data); err != nil {
		t.Fatalf("within every budget: %v", err)
	}
	if err := checkPace(10*time.Second, 2, 10, Limits{DocTime: time.Second}); err != nil {
		t.Fatalf("judged on two pages of ten: %v", err)
	}
}

// TestSandboxPageTimeBudget: OCR cannot be stopped, so a page that runs
// past its time budget is answered by the child from a timer, which then
// ends: the document fails at the budget, not at the document's deadline,
// and the next document gets a fresh child.
func TestSandboxPageTimeBudget(t *testing.T) {
	s := newTestSandbox(t, func(c *SandboxConfig) {
		c.Limits = DefaultLimits()
		c.Limits.PageTime = 250 * time.Millisecond // a page of full-page OCR takes half a second or more
	})
	data := readTestFile(t, "../testdata/bad/text-8-pages.pdf") // pages of full-page OCR, seconds each
	// A child started first: its start (loading the models, seconds on a
	// busy machine) is not the page's time.
	requireNextFine(t, s)
	start := time.Now()
	_, _, err := s.extract(context.Background(), MediaPDF, data)
	took := time.Since(start)
	requireInputError(t, err, "Sida 1 tog för lång tid")
	if took > 2500*time.Millisecond {
		t.Errorf("the page budget took %v to end the document, want about 0.25 s", took)
	}
	requireNextFine(t, s)
}

// TestDynamicXFA: a dynamic XFA form (its form only as XFA, its page the
// placeholder Adobe's programs replace) is refused with a message saying
// how to send it instead, not read as an unknown page.
func TestDynamicXFA(t *testing.T) {
	_, err := open(context.Background(), MediaPDF, corpus.DynamicXFAPDF(), DefaultLimits())
	ie, ok := IsInputError(err)
	if !ok || !strings.Contains(ie.Message, "XFA") || !strings.Contains(ie.Message, "skicka det igen") {
		t.Fatalf("open = %v, want a refusal naming XFA and saying what to do", err)
	}
	// A fillable PDF of our own has form fields and no XFA: read.
	blank, _ := filepath.Glob("../testdata/corpus/digital/*.pdf")
	if len(blank) == 0 {
		t.Fatal("no digital forms in testdata/corpus/digital")
	}
	if _, err := open(context.Background(), MediaPDF, readTestFile(t, blank[0]), DefaultLimits()); err != nil {
		t.Errorf("%s: %v", filepath.Base(blank[0]), err)
	}
}
