package extract

import (
	"context"
	"errors"
	"image"
	"os"
	"path/filepath"
	"testing"
	"time"

	"blankett/corpus"
)

// FuzzExtract feeds the extract entry point arbitrary bytes as each media
// type it accepts: it must never panic, and must end with a result or a
// clear error, within the limits. The seeds are the bad files and small
// forms of the corpus, and a small TIFF with JPEG in strips, which
// libtiff reads (tifflib.go).
func FuzzExtract(f *testing.F) {
	for _, glob := range []string{"../testdata/bad/*", "../testdata/corpus/digital/9445-valid-new.pdf"} {
		paths, _ := filepath.Glob(glob)
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil && len(b) < 300<<10 {
				f.Add(b)
			}
		}
	}
	small := image.NewGray(image.Rect(0, 0, 160, 226))
	for i := range small.Pix {
		small.Pix[i] = 255
		if i%160 > 20 && i%160 < 140 && (i/160)%12 == 0 {
			small.Pix[i] = 0 // ruled lines
		}
	}
	if b, err := corpus.JPEGTIFF(context.Background(), []image.Image{small, small}, 20, 75); err != nil {
		f.Fatal(err)
	} else {
		f.Add(b)
	}
	e := newTestExtractor(f)
	lim := DefaultLimits()
	lim.MaxPages, lim.MaxPixels = 4, 4_000_000 // keep each run small
	e.limits = lim
	f.Fuzz(func(t *testing.T, b []byte) {
		mt, ok := Sniff(b[:min(len(b), SniffLen)])
		if !ok {
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		res, err := e.Extract(ctx, mt, b)
		var ie *InputError
		switch {
		case errors.As(err, &ie):
			if ie.Message == "" {
				t.Fatal("an input error without a message")
			}
		case err != nil:
			if ctx.Err() == nil {
				t.Fatalf("extract failed without saying the file is bad: %v", err)
			}
		case len(res.Documents) == 0:
			t.Fatal("no documents and no error")
		}
	})
}
