package extract

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"blankett/corpus"
)

// TestScanInStrips reads committed scans again as a scanner that cuts
// each page into four strips, each its own image, writes them: the page
// is rasterised whole, not read from its largest strip, and every field
// reads as it does from the one-image scan.
func TestScanInStrips(t *testing.T) {
	ctx := context.Background()
	e := newTestExtractor(t)
	paths, _ := filepath.Glob("../testdata/corpus/scan/9445-valid-*.pdf")
	if len(paths) == 0 {
		t.Fatal("no scans in testdata/corpus/scan")
	}
	same, all := 0, 0
	for _, path := range paths[:min(2, len(paths))] {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := e.Extract(ctx, MediaPDF, data)
		if err != nil {
			t.Fatal(err)
		}
		src, err := open(ctx, MediaPDF, data, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		page, err := src.page(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		strips, err := corpus.StripScanPDF(page, int(pageDPI(page)+0.5), 4)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.Extract(ctx, MediaPDF, strips)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Documents) != 1 || got.Documents[0].Kind != whole.Documents[0].Kind {
			t.Fatalf("%s in strips read as %v", filepath.Base(path), summary(got))
		}
		for name, want := range whole.Documents[0].Fields {
			all++
			if v := got.Documents[0].Fields[name]; v.Value == want.Value {
				same++
			} else {
				t.Logf("%s: %s = %q in strips, %q whole", filepath.Base(path), name, v.Value, want.Value)
			}
		}
	}
	if 100*same < 97*all {
		t.Errorf("%d of %d fields read as from the one-image scans", same, all)
	}
}
