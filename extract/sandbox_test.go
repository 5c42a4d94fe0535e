package extract

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"blankett/corpus"
	"blankett/form"
)

// ompAtStart is OMP_THREAD_LIMIT as the process started: OpenMP reads it
// when Tesseract's library loads, so setting it later does nothing.
var ompAtStart string

// TestMain lets the test binary be the sandbox's child: started as
// `extract.test extract-one …` it serves requests instead of running tests.
func TestMain(m *testing.M) {
	ompAtStart = os.Getenv("OMP_THREAD_LIMIT")
	if len(os.Args) > 1 && os.Args[1] == "extract-one" {
		os.Setenv("OMP_THREAD_LIMIT", "1")
		err := RunChild(context.Background(), os.Args[2:], os.Stdin, nil, func() (*Extractor, error) {
			ocr, err := NewOCR(1, Languages...)
			if err != nil {
				return nil, err
			}
			return New(ocr, testNormaliser, DefaultLimits())
		})
		if err != nil {
			os.Stderr.WriteString("extract-one: " + err.Error() + "\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// plainTestBinary builds this package's test binary without the race
// detector.
func plainTestBinary(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "extract.test")
	out, err := exec.Command("go", "test", "-c", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build the test binary without -race: %v\n%s", err, out)
	}
	return bin
}

// newTestSandbox makes a sandbox whose children are this test binary.
func newTestSandbox(t testing.TB, tweak func(*SandboxConfig)) *Sandbox {
	t.Helper()
	cfg := SandboxConfig{Command: []string{os.Args[0], "extract-one"}, Env: []string{FaultEnv + "=1"}}
	if tweak != nil {
		tweak(&cfg)
	}
	s, err := NewSandbox(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func readTestFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSandboxExtractsLikeInProcess reads the same scans in a child and in
// this process: the same documents, fields and page images.
func TestSandboxExtractsLikeInProcess(t *testing.T) {
	e := newTestExtractor(t)
	s := newTestSandbox(t, nil)
	paths, _ := filepath.Glob("../testdata/corpus/scan/9445-valid-*.pdf")
	if len(paths) > 2 {
		paths = paths[:2]
	}
	ctx := context.Background()
	for _, path := range paths {
		data := readTestFile(t, path)
		want, err := e.Extract(ctx, mediaOf(t, data), data)
		if err != nil {
			t.Fatal(err)
		}
		got, st, err := s.extract(ctx, mediaOf(t, data), data)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(got.Documents) != len(want.Documents) {
			t.Fatalf("%s: %d documents, want %d", path, len(got.Documents), len(want.Documents))
		}
		for i, d := range got.Documents {
			w := want.Documents[i]
			if d.Kind != w.Kind || d.State != w.State || len(d.Fields) != len(w.Fields) || len(d.Pages) != len(w.Pages) {
				t.Fatalf("%s: document %d differs: %s %s vs %s %s", path, i, d.Kind, d.State, w.Kind, w.State)
			}
			for name, v := range w.Fields {
				if d.Fields[name].Value != v.Value {
					t.Errorf("%s: field %s = %q, in process %q", path, name, d.Fields[name].Value, v.Value)
				}
			}
			for j, p := range d.Pages {
				if string(p.Image.Pix) != string(w.Pages[j].Image.Pix) {
					t.Errorf("%s: page %d image differs", path, j)
				}
			}
		}
		t.Logf("%s: %v in the sandbox (child started: %v, child peak RSS %d MiB)", filepath.Base(path), st.Wall.Round(time.Millisecond), st.Started, st.PeakRSSKB>>10)
	}
}

// digitalForm is a fillable PDF that extracts in milliseconds: the
// "next document" after each fault.
func digitalForm(t testing.TB) []byte {
	t.Helper()
	paths, _ := filepath.Glob("../testdata/corpus/digital/9445-*.pdf")
	if len(paths) == 0 {
		t.Fatal("no fillable PDFs in testdata/corpus/digital")
	}
	return readTestFile(t, paths[0])
}

// requireNextFine extracts a fillable form in s after a fault.
func requireNextFine(t *testing.T, s *Sandbox) {
	t.Helper()
	res, st, err := s.extract(context.Background(), MediaPDF, digitalForm(t))
	if err != nil {
		t.Fatalf("the next document: %v", err)
	}
	if len(res.Documents) != 1 || res.Documents[0].Kind == "" {
		t.Fatalf("the next document: %+v", res.Documents)
	}
	t.Logf("next document: %s in %v (fresh child: %v)", res.Documents[0].Kind, st.Wall.Round(time.Millisecond), st.Started)
}

// requireInputError checks that err ends the document unreadable with a
// message saying why.
func requireInputError(t *testing.T, err error, want string) {
	t.Helper()
	ie, ok := IsInputError(err)
	if !ok {
		t.Fatalf("got %v, want an InputError", err)
	}
	if !strings.Contains(ie.Message, want) {
		t.Fatalf("message %q, want it to say %q", ie.Message, want)
	}
	t.Logf("unreadable: %s (%v)", ie.Message, ie.Err)
}

// pngBomb is a real one-colour 1-bit PNG of w×h pixels: a few kB on disk,
// w×h bytes once decoded to grey.
func pngBomb(t testing.TB, w, h int) []byte {
	t.Helper()
	var idat bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&idat, zlib.BestCompression)
	// Stripes, black and white, eight rows each: a page that is neither
	// blank nor mostly black (which is inverted to a blank one), so it is
	// read in full.
	black := make([]byte, 1+(w+7)/8) // filter byte 0, then black pixels
	white := bytes.Repeat([]byte{0xff}, 1+(w+7)/8)
	white[0] = 0
	for y := range h {
		if y/8%2 == 0 {
			zw.Write(black)
		} else {
			zw.Write(white)
		}
	}
	zw.Close()
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 1, 0 // 1 bit, greyscale
	pngChunk(&b, "IHDR", ihdr)
	pngChunk(&b, "IDAT", idat.Bytes())
	pngChunk(&b, "IEND", nil)
	return b.Bytes()
}

func pngChunk(b *bytes.Buffer, kind string, data []byte) {
	binary.Write(b, binary.BigEndian, uint32(len(data)))
	crc := crc32.NewIEEE()
	crc.Write([]byte(kind))
	crc.Write(data)
	b.WriteString(kind)
	b.Write(data)
	binary.Write(b, binary.BigEndian, crc.Sum32())
}

// TestSandboxChildCrash: a child that panics fails its document, and the
// next one is read by a fresh child.
func TestSandboxChildCrash(t *testing.T) {
	s := newTestSandbox(t, nil)
	_, _, err := s.extract(context.Background(), MediaPNG, []byte("\x89PNG\r\n\x1a\n"+faultCrash))
	requireInputError(t, err, "avbröts av ett fel")
	requireNextFine(t, s)
}

// TestSandboxGarbageReply: bytes on stdout that are no reply fail the
// document.
func TestSandboxGarbageReply(t *testing.T) {
	s := newTestSandbox(t, nil)
	_, _, err := s.extract(context.Background(), MediaPNG, []byte("\x89PNG\r\n\x1a\n"+faultGarbage))
	requireInputError(t, err, "ogiltigt svar")
	requireNextFine(t, s)
}

// TestSandboxMemoryLimit: a real decompression bomb, with the checks that
// would refuse it before decoding off (ratio, pixels, page memory), is
// decoded in a child whose address space is a little more than it needs
// to start (its models take some 1.8 GiB of address space): the
// allocation fails, the child dies, the document says the memory limit
// was exceeded.
func TestSandboxMemoryLimit(t *testing.T) {
	lim := DefaultLimits()
	lim.MaxRatio, lim.PageMemory, lim.HeldMemory = 0, 0, 0
	lim.MaxPixels = 200_000_000
	s := newTestSandbox(t, func(c *SandboxConfig) {
		c.Memory = 2048 << 20
		c.Limits = lim
		if raceEnabled {
			// The race detector's runtime reserves more address space
			// than the limit allows: the child is this package's tests
			// built without it.
			c.Command = []string{plainTestBinary(t), "extract-one"}
		}
	})
	bomb := pngBomb(t, 12000, 14000) // 168 million pixels
	t.Logf("bomb: %d bytes on disk, %d MB decoded", len(bomb), 12000*14000>>20)
	_, _, err := s.extract(context.Background(), MediaPNG, bomb)
	requireInputError(t, err, "minnesgränsen")
	requireNextFine(t, s)
}

// TestSandboxTimeout: a document that takes longer than the timeout is
// killed with its child.
func TestSandboxTimeout(t *testing.T) {
	s := newTestSandbox(t, func(c *SandboxConfig) {
		c.Timeout = 300 * time.Millisecond
		c.Limits = DefaultLimits()
		c.Limits.DocTime = -1 // the kill at the deadline, not the early refusal (TestFileBudget)
	})
	data := readTestFile(t, "../testdata/bad/text-8-pages.pdf") // pages of full-page OCR, seconds each
	// A child started first: its start (loading the models, seconds on a
	// busy machine) is not the document's time.
	requireNextFine(t, s)
	start := time.Now()
	_, _, err := s.extract(context.Background(), MediaPDF, data)
	requireInputError(t, err, "tog längre tid än 300ms")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the timeout took %v to end the document", d)
	}
	requireNextFine(t, s)
}

// TestSandboxCPULimit: a document that uses more processor time than
// allowed ends the child (RLIMIT_CPU). The limit counts the child's start
// too (loading the models takes about a second of processor time, over
// three under `make test`'s load, whose other threads slow the cores), so
// it is six seconds, and the document one that takes many more: 32 pages
// of full-page OCR (eight took 20 s and more on one machine, under 5 on a
// faster one; the child is killed at the limit, so more pages cost
// nothing).
func TestSandboxCPULimit(t *testing.T) {
	s := newTestSandbox(t, func(c *SandboxConfig) { c.CPU = 6 * time.Second })
	eight := readTestFile(t, "../testdata/bad/text-8-pages.pdf") // pages of full-page OCR, a second or more each
	var data bytes.Buffer
	copies := []io.ReadSeeker{bytes.NewReader(eight), bytes.NewReader(eight), bytes.NewReader(eight), bytes.NewReader(eight)}
	if err := api.MergeRaw(copies, &data, false, nil); err != nil {
		t.Fatal(err)
	}
	_, _, err := s.extract(context.Background(), MediaPDF, data.Bytes())
	requireInputError(t, err, "tidsgränsen för processorn")
	requireNextFine(t, s)
}

// TestSandboxCancelIsNotTheFilesFault: a cancelled job is retried, not
// ended unreadable.
func TestSandboxCancelIsNotTheFilesFault(t *testing.T) {
	s := newTestSandbox(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, _, err := s.extract(ctx, MediaPDF, readTestFile(t, "../testdata/bad/text-8-pages.pdf"))
	if _, ok := IsInputError(err); ok || err == nil {
		t.Fatalf("got %v, want a passing error", err)
	}
	t.Logf("cancelled: %v", err)
}

// TestSandboxChildCannotStart: a child that cannot start is a passing
// fault (retried), not the file's.
func TestSandboxChildCannotStart(t *testing.T) {
	s := newTestSandbox(t, func(c *SandboxConfig) { c.Command = []string{"/nonexistent/blankett", "extract-one"} })
	_, _, err := s.extract(context.Background(), MediaPDF, digitalForm(t))
	if _, ok := IsInputError(err); ok || err == nil {
		t.Fatalf("got %v, want a passing error", err)
	}
	t.Logf("cannot start: %v", err)
}

// TestSandboxBadFiles runs every file of testdata/bad through the sandbox;
// while the worst (the slowest) is extracted again, an HTTP /healthz in
// this process must answer within 100 ms (95 of 100 answers: on a
// machine busy with other tests a single answer may wait for a core), and
// the child's peak resident set stays under its memory limit.
func TestSandboxBadFiles(t *testing.T) {
	s := newTestSandbox(t, nil)
	names, _ := filepath.Glob("../testdata/bad/*")
	type run struct {
		name string
		st   Stats
	}
	var runs []run
	for _, path := range names {
		if filepath.Ext(path) == ".md" || filepath.Ext(path) == ".json" {
			continue
		}
		data := readTestFile(t, path)
		mt, ok := Sniff(data[:min(len(data), SniffLen)])
		if !ok {
			continue // ingest refuses it
		}
		res, st, err := s.extract(context.Background(), mt, data)
		if _, input := IsInputError(err); err != nil && !input {
			t.Fatalf("%s: %v", path, err)
		}
		state := "unreadable"
		if err == nil {
			state = string(res.Documents[0].State)
		}
		t.Logf("%-22s %-12s %6v  child peak RSS %4d MiB", filepath.Base(path), state, st.Wall.Round(time.Millisecond), st.PeakRSSKB>>10)
		runs = append(runs, run{filepath.Base(path), st})
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].st.Wall > runs[j].st.Wall })
	worst := runs[0].name

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer srv.Close()
	data := readTestFile(t, filepath.Join("../testdata/bad", worst))
	mt, _ := Sniff(data[:min(len(data), SniffLen)])
	done := make(chan Stats)
	go func() {
		_, st, _ := s.extract(context.Background(), mt, data)
		done <- st
	}()
	var waits []time.Duration
	var st Stats
poll:
	for {
		select {
		case st = <-done:
			break poll
		case <-time.After(20 * time.Millisecond):
		}
		start := time.Now()
		resp, err := http.Get(srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		waits = append(waits, time.Since(start))
	}
	if len(waits) == 0 {
		t.Fatalf("%s was extracted before /healthz was asked once", worst)
	}
	slices.Sort(waits)
	p95, slowest := waits[len(waits)*95/100], waits[len(waits)-1]
	limit := s.cfg.Memory >> 20
	fmt.Printf("worst bad file %s: %v in the sandbox; /healthz p95 of %d answers %v (limit 100 ms), slowest %v; child peak RSS %d MiB, peak address space %d MiB (limit %d MiB)\n",
		worst, st.Wall.Round(time.Millisecond), len(waits), p95.Round(time.Microsecond), slowest.Round(time.Microsecond), st.PeakRSSKB>>10, st.PeakVMKB>>10, limit)
	if p95 > 100*time.Millisecond {
		t.Errorf("/healthz took %v (p95) while %s was extracted", p95, worst)
	}
	if st.PeakRSSKB>>10 >= limit || st.PeakVMKB>>10 >= limit {
		t.Errorf("child peak RSS %d MiB, address space %d MiB: over its limit %d MiB", st.PeakRSSKB>>10, st.PeakVMKB>>10, limit)
	}
}

// BenchmarkSandboxOverhead extracts the same files in this process, in a
// fresh child per document, and in a warm child, and prints the overhead
// per document of each sandbox over in-process extraction.
func BenchmarkSandboxOverhead(b *testing.B) {
	if ompAtStart != "1" {
		b.Fatal("run with OMP_THREAD_LIMIT=1 in the environment (as the scripts do): the in-process figure is several times slower without it, the children always have it")
	}
	e := newTestExtractor(b)
	paths, _ := filepath.Glob("../testdata/corpus/scan/9445-valid-*.pdf")
	paths = paths[:min(len(paths), 3)]
	digital, _ := filepath.Glob("../testdata/corpus/digital/9445-valid-*.pdf")
	paths = append(paths, digital[:min(len(digital), 3)]...)
	var files [][]byte
	for _, p := range paths {
		files = append(files, readTestFile(b, p))
	}
	cold := newTestSandbox(b, func(c *SandboxConfig) { c.DocsPerChild = 1 })
	warm := newTestSandbox(b, nil)
	ctx := context.Background()
	if _, err := warm.Extract(ctx, MediaPDF, files[0]); err != nil { // start its child
		b.Fatal(err)
	}
	timeAll := func(x interface {
		Extract(context.Context, string, []byte) (*Result, error)
	}) time.Duration {
		start := time.Now()
		for _, data := range files {
			if _, err := x.Extract(ctx, mediaOf(b, data), data); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start) / time.Duration(len(files))
	}
	for range b.N {
		in := timeAll(e)
		c := timeAll(cold)
		w := timeAll(warm)
		b.ReportMetric(float64(in.Milliseconds()), "in-process-ms/doc")
		b.ReportMetric(float64((c - in).Milliseconds()), "cold-overhead-ms/doc")
		b.ReportMetric(float64((w - in).Milliseconds()), "warm-overhead-ms/doc")
		fmt.Printf("sandbox overhead per document (%d files: %d scans, %d fillable): in-process %v; fresh child per document %v (+%v); warm child %v (+%v)\n",
			len(files), len(files)-min(len(digital), 3), min(len(digital), 3), in.Round(time.Millisecond),
			c.Round(time.Millisecond), (c - in).Round(time.Millisecond), w.Round(time.Millisecond), (w - in).Round(time.Millisecond))
	}
}

// TestBatchMemory extracts a scanned 300 DPI page alone and then thirty
// such pages in one PDF, each in a fresh child, and checks the batch
// costs the child little more than its result's page images: pages are
// decoded one at a time and let go once their form is read. (Holding
// every page, as before, cost about 17 MiB a page; a 200-page batch then
// ran out of the child's 3 GiB.)
func TestBatchMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("extracts thirty pages")
	}
	const copies = 30
	pages := []string{ // one-page 9445s scanned at 300 DPI as JPEG
		"../testdata/corpus/scan/9445-email-phone-invalid.pdf",
		"../testdata/corpus/scan/9445-sms-mobile-landline.pdf",
		"../testdata/corpus/scan/9445-user-other-org.pdf",
		"../testdata/corpus/scan/9445-valid-new.pdf",
	}
	page := pages[0]
	files := make([]string, copies)
	for i := range files {
		files[i] = pages[i%len(pages)]
	}
	batch := filepath.Join(t.TempDir(), "batch.pdf")
	if err := api.MergeCreateFile(files, batch, false, nil); err != nil {
		t.Fatal(err)
	}
	s := newTestSandbox(t, func(c *SandboxConfig) {
		c.DocsPerChild = 1
		if raceEnabled {
			// The race detector's shadow memory would swamp the figures.
			c.Command = []string{plainTestBinary(t), "extract-one"}
		}
	})
	ctx := context.Background()
	res, one, err := s.extract(ctx, MediaPDF, readTestFile(t, page))
	if err != nil || len(res.Documents) != 1 {
		t.Fatalf("one page: %v", err)
	}
	res, all, err := s.extract(ctx, MediaPDF, readTestFile(t, batch))
	if err != nil {
		t.Fatalf("batch: %v", err)
	}
	if len(res.Documents) != copies {
		t.Fatalf("%d documents from the batch, want %d", len(res.Documents), copies)
	}
	extra := (all.PeakRSSKB - one.PeakRSSKB) >> 10
	t.Logf("peak RSS: one page %d MiB, %d pages %d MiB (+%d MiB, %.1f MiB a page)", one.PeakRSSKB>>10, copies, all.PeakRSSKB>>10, extra, float64(extra)/(copies-1))
	if limit := int64(10 * copies); extra > limit {
		t.Errorf("the batch cost %d MiB more than one page; want under %d (10 MiB a page)", extra, limit)
	}
}

// TestSandboxCarriesTheSet: a child reads with the set of editions the
// request names, sent to it once; a forced edition reaches it; an edition
// the set lacks fails that request only.
func TestSandboxCarriesTheSet(t *testing.T) {
	set, added := editionsSet(t)
	second := addedOf(t, added, form.Kind9445)
	blank, err := corpus.BlankPDF(second)
	if err != nil {
		t.Fatal(err)
	}
	td := truthSamples(t, form.Kind9445, 1)[0]
	values, sigs := rawValues(td)
	ctx := context.Background()
	f, err := corpus.FillAndScan(ctx, second, blank, values, sigs, 200, 7)
	if err != nil {
		t.Fatal(err)
	}
	s := newTestSandbox(t, func(c *SandboxConfig) { c.Children = 1 })

	// The child's own (built-in) set does not know the second edition.
	res, err := s.Extract(ctx, MediaPDF, f.PDF)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 1 || res.Documents[0].Edition == second.Edition {
		t.Fatalf("built-in set read the second edition: %v", summary(res))
	}
	for i := 0; i < 2; i++ { // the second time the child holds the set already
		res, err = s.ExtractWith(ctx, MediaPDF, f.PDF, set, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Documents) != 1 || res.Documents[0].Edition != second.Edition {
			t.Fatalf("run %d: with the set: %v, want %s", i+1, summary(res), second.ID())
		}
		if got, want := res.Documents[0].Fields.Get("org_number"), td.Fields["org_number"].Value; got != want {
			t.Errorf("run %d: org_number %q, want %q", i+1, got, want)
		}
	}
	s.mu.Lock()
	held := len(s.idle) == 1 && s.idle[0].set == s.lastSet.digest
	s.mu.Unlock()
	if !held {
		t.Error("the idle child is not recorded as holding the set")
	}
	res, err = s.ExtractWith(ctx, MediaPDF, f.PDF, set, second.Kind, second.Edition)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Documents) != 1 || res.Documents[0].Edition != second.Edition {
		t.Fatalf("forced: %v", summary(res))
	}
	builtin, _ := form.BuiltinSet()
	_, err = s.ExtractWith(ctx, MediaPDF, f.PDF, builtin, second.Kind, second.Edition)
	if err == nil || !strings.Contains(err.Error(), ErrNoSuchEdition.Error()) {
		t.Fatalf("an edition the set lacks: %v, want %v", err, ErrNoSuchEdition)
	}
	if _, ok := IsInputError(err); ok {
		t.Error("an edition the set lacks was taken for the file's fault")
	}
	res, err = s.ExtractWith(ctx, MediaPDF, f.PDF, set, "", "")
	if err != nil || len(res.Documents) != 1 || res.Documents[0].Edition != second.Edition {
		t.Fatalf("after the failure: %v %v", summary(res), err)
	}
}
