package extract

import (
	"context"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"blankett/corpus"
)

// scannedPage is a committed corpus scan's page as decoded, with the
// quarter turns that make it upright.
type scannedPage struct {
	name    string
	img     *image.Gray
	upright int // quarter turns (see rotate)
}

// scannedPages decodes every scanned, non-blank page of the corpora under
// roots, with its turn from the truth files.
func scannedPages(t *testing.T, roots ...string) []scannedPage {
	t.Helper()
	undo := map[int]int{0: 0, 90: 3, 180: 2, 270: 1} // the truth's clockwise turn, undone
	var out []scannedPage
	ctx := context.Background()
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || !strings.HasSuffix(p, ".truth.json") {
				return err
			}
			var tr corpus.Truth
			raw, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if err := jsonUnmarshal(raw, &tr); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			turned := map[int]int{}
			for _, td := range tr.Documents {
				for _, pg := range td.Pages {
					if pg.DPI > 0 {
						turned[pg.FilePage] = pg.Turned
					}
				}
			}
			if len(turned) == 0 {
				return nil
			}
			data, err := os.ReadFile(filepath.Join(filepath.Dir(p), filepath.Base(tr.File)))
			if err != nil {
				return err
			}
			src, err := open(ctx, mediaOf(t, data), data, DefaultLimits())
			if err != nil {
				return fmt.Errorf("%s: %w", tr.File, err)
			}
			for i := range src.pages {
				tu, ok := turned[i+1]
				if !ok {
					continue
				}
				img, err := src.page(ctx, i)
				if err != nil {
					return err
				}
				if img, _, _ = condition(img); !blankPage(img) {
					out = append(out, scannedPage{fmt.Sprintf("%s page %d", filepath.Base(tr.File), i+1), img, undo[tu]})
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestUpsideDown: the letters and the marks over them say which way up
// every committed scan stands, upright or turned over, as the scanner fed
// it: the first turn tried is the right one, and a turn judged clearly
// wrong never is.
func TestUpsideDown(t *testing.T) {
	t.Parallel()
	e := newTestExtractor(t)
	pages := scannedPages(t, filepath.Join("..", "testdata", "corpus"))
	if len(pages) < 40 {
		t.Fatalf("only %d scanned pages", len(pages))
	}
	turned := 0
	for _, p := range pages {
		qs, unlikely := turns(p.img, e.Set())
		if qs[0]%4 != p.upright {
			t.Errorf("%s: first turn %d, want %d (turns %v)", p.name, qs[0], p.upright, qs)
		}
		for i, q := range qs {
			if unlikely[i] && q%4 == p.upright {
				t.Errorf("%s: the right turn %d judged unlikely", p.name, q)
			}
		}
		if p.upright != 0 {
			turned++
		}
		// Turned over, the same page says so.
		over := rotate(p.img, 2)
		if qs, _ := turns(over, e.Set()); qs[0]%4 != (p.upright+2)%4 {
			t.Errorf("%s turned over: first turn %d, want %d", p.name, qs[0], (p.upright+2)%4)
		}
	}
	if turned == 0 {
		t.Error("no committed scan is turned: the test proves nothing about turns")
	}
	t.Logf("%d pages, %d of them turned", len(pages), turned)
}
