package extract

import (
	"bufio"
	"context"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// vmHWM reads this process's peak resident set size in MiB.
func vmHWM() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb)
			return kb >> 10
		}
	}
	return -1
}

// BenchmarkScannedPage extracts single scanned pages and, on the same
// pages, times `tesseract PAGE.png out -l swe` (full-page OCR, one thread),
// printing both and their ratio. Target: ratio ≤ 0.25.
func BenchmarkScannedPage(b *testing.B) {
	e := newTestExtractor(b)
	pages, _ := filepath.Glob("../testdata/corpus/scan/9445-valid-*.pdf")
	more, _ := filepath.Glob("../testdata/corpus/scan/9463-valid-*.pdf")
	pages = append(pages, more...)
	if len(pages) == 0 {
		b.Fatal("no scanned pages in testdata/corpus/scan")
	}
	dir := b.TempDir()
	ctx := context.Background()
	// A worker is long-lived: warm it up (the word list loads on first
	// use) before timing pages.
	if data, err := os.ReadFile(pages[0]); err != nil {
		b.Fatal(err)
	} else if _, err := e.Extract(ctx, mediaOf(b, data), data); err != nil {
		b.Fatal(err)
	}
	for range b.N {
		var ours, full time.Duration
		for i, path := range pages {
			data, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			mt := mediaOf(b, data)
			start := time.Now()
			if _, err := e.Extract(ctx, mt, data); err != nil {
				b.Fatal(err)
			}
			ours += time.Since(start)

			// The same page as a PNG for the tesseract command.
			src, err := open(ctx, mt, data, DefaultLimits())
			if err != nil {
				b.Fatal(err)
			}
			page, err := src.page(ctx, 0)
			if err != nil {
				b.Fatal(err)
			}
			pngPath := filepath.Join(dir, fmt.Sprintf("page%d.png", i))
			f, _ := os.Create(pngPath)
			png.Encode(f, page)
			f.Close()
			cmd := exec.Command("tesseract", pngPath, filepath.Join(dir, "out"), "-l", "swe")
			cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
			start = time.Now()
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("tesseract: %v\n%s", err, out)
			}
			full += time.Since(start)
		}
		n := time.Duration(len(pages))
		ratio := float64(ours) / float64(full)
		b.ReportMetric(float64((ours / n).Milliseconds()), "ms/page")
		b.ReportMetric(float64((full / n).Milliseconds()), "tesseract-ms/page")
		b.ReportMetric(ratio, "ratio")
		fmt.Printf("scanned page: extraction %v, full-page tesseract %v (mean of %d pages), ratio %.2f (target ≤ 0.25); peak RSS %d MiB with one page in flight\n",
			(ours / n).Round(time.Millisecond), (full / n).Round(time.Millisecond), len(pages), ratio, vmHWM())
	}
}

// BenchmarkAcroForm reads fillable PDFs from their form fields on one
// core. Target: ≥ 50 documents/s.
func BenchmarkAcroForm(b *testing.B) {
	e := newTestExtractor(b)
	paths, _ := filepath.Glob("../testdata/corpus/digital/*.pdf")
	var files [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, data)
	}
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	ctx := context.Background()
	for range b.N {
		start := time.Now()
		for _, data := range files {
			res, err := e.Extract(ctx, MediaPDF, data)
			if err != nil || len(res.Documents) != 1 || res.Documents[0].Kind == "" {
				b.Fatalf("acroform: %v", err)
			}
		}
		rate := float64(len(files)) / time.Since(start).Seconds()
		b.ReportMetric(rate, "docs/s")
		fmt.Printf("fillable PDFs on one core: %.0f documents/s (target ≥ 50, %d documents)\n", rate, len(files))
	}
}
