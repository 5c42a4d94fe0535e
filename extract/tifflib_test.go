package extract

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"blankett/corpus"
)

// scanPage is the first page of a committed-corpus scan, grey, as read.
func scanPage(t *testing.T) *image.Gray {
	t.Helper()
	paths, _ := filepath.Glob("../testdata/corpus/scan/9445-valid-*.pdf")
	if len(paths) == 0 {
		t.Fatal("no scans in testdata/corpus/scan")
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	return rawPage(t, data)
}

// rawPage is a scanned PDF's first page as read, not conditioned (see firstPage).
func rawPage(t *testing.T, data []byte) *image.Gray {
	t.Helper()
	ctx := context.Background()
	src, err := open(ctx, MediaPDF, data, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	page, err := src.page(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	return page
}

// meanDiff is the mean absolute difference of two grey images of one size.
func meanDiff(t *testing.T, a, b *image.Gray) float64 {
	t.Helper()
	if a.Bounds().Size() != b.Bounds().Size() {
		t.Fatalf("sizes differ: %v and %v", a.Bounds().Size(), b.Bounds().Size())
	}
	var sum int
	w, h := a.Bounds().Dx(), a.Bounds().Dy()
	for y := range h {
		for x := range w {
			d := int(a.Pix[y*a.Stride+x]) - int(b.Pix[y*b.Stride+x])
			sum += max(d, -d)
		}
	}
	return float64(sum) / float64(w*h)
}

// tiffcp rewrites a TIFF with libtiff's tiffcp and the given options.
func tiffcp(t *testing.T, in []byte, opts ...string) []byte {
	t.Helper()
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "in.tif"), filepath.Join(dir, "out.tif")
	if err := os.WriteFile(src, in, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("tiffcp", append(opts, src, dst)...).CombinedOutput(); err != nil {
		t.Fatalf("tiffcp %v: %v\n%s", opts, err, out)
	}
	b, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestJPEGTIFF: pages a production scanner saves as TIFF compressed with
// JPEG (libtiff: strips with shared tables, tiles, YCbCr and RGB) read as
// the page they hold, coloured marks found; a cut file is refused with a
// message.
func TestJPEGTIFF(t *testing.T) {
	ctx := context.Background()
	page := scanPage(t)
	b := page.Bounds()
	// The same page in colour, with a red stamp over its middle.
	rgba := image.NewRGBA(b)
	stamp := image.Rect(b.Dx()/3, b.Dy()/3, b.Dx()/3+200, b.Dy()/3+120)
	for y := range b.Dy() {
		for x := range b.Dx() {
			v := page.Pix[y*page.Stride+x]
			c := color.RGBA{v, v, v, 255}
			if (image.Point{x, y}).In(stamp) && (x+y)%9 < 3 {
				c = color.RGBA{210, 30, 40, 255}
			}
			rgba.SetRGBA(x, y, c)
		}
	}
	greyStrips, err := corpus.JPEGTIFF(ctx, []image.Image{page, page}, 200, 90)
	if err != nil {
		t.Fatal(err)
	}
	colour, err := corpus.JPEGTIFF(ctx, []image.Image{rgba}, 200, 90)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		data  []byte
		pages int
		marks bool
	}{
		{"grey in strips, two pages", greyStrips, 2, false},
		{"grey in tiles", tiffcp(t, greyStrips, "-c", "jpeg:90", "-t", "-w", "256", "-l", "256"), 2, false},
		{"colour, YCbCr", colour, 1, true},
		{"colour, RGB", tiffcp(t, corpus.PlainTIFF(rgba, 200), "-c", "jpeg:90:r", "-r", "32"), 1, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !bytes.Contains(c.data[:4], []byte("II")) && !bytes.Contains(c.data[:4], []byte("MM")) {
				t.Fatal("not a TIFF")
			}
			src, err := open(ctx, MediaTIFF, c.data, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if len(src.pages) != c.pages {
				t.Fatalf("%d pages, want %d", len(src.pages), c.pages)
			}
			for i := range c.pages {
				got, err := src.page(ctx, i)
				if err != nil {
					t.Fatal(err)
				}
				// JPEG at quality 90 (and colour dropped out under
				// the stamp) moves pixels a little, not the page.
				if d := meanDiff(t, got, page); d > 3 {
					t.Errorf("page %d: mean difference %.2f from the page saved", i+1, d)
				}
				marks := src.marksOf(i)
				if (marks != nil) != c.marks {
					t.Fatalf("page %d: coloured marks found: %v, want %v", i+1, marks != nil, c.marks)
				}
				if marks == nil {
					continue
				}
				in, out := 0, 0
				for y := range b.Dy() {
					for x := range b.Dx() {
						if marks.Pix[y*marks.Stride+x] != noColour {
							if (image.Point{x, y}).In(stamp) {
								in++
							} else {
								out++
							}
						}
					}
				}
				if 5*in < stamp.Dx()*stamp.Dy() || 1000*out > b.Dx()*b.Dy() {
					t.Errorf("page %d: %d coloured pixels in the stamp (%d pixels), %d outside it", i+1, in, stamp.Dx()*stamp.Dy(), out)
				}
			}
		})
	}

	// Read whole, its fields are those of the page as scanned.
	e := newTestExtractor(t)
	want := extractPNG(t, e, page)
	got, err := e.Extract(ctx, MediaTIFF, colour)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Documents) != 1 || got.Documents[0].Kind != want.Documents[0].Kind {
		t.Fatalf("colour JPEG TIFF read as %v, want %v", summary(got), summary(want))
	}
	if same, all := sameFields(t, "colour JPEG TIFF", got, want); 100*same < 97*all {
		t.Errorf("%d of %d fields read as from the page itself", same, all)
	}

	// A file cut short is refused, not read as a torn page.
	cut := colour[:len(colour)*2/3]
	src, err := open(ctx, MediaTIFF, cut, DefaultLimits())
	if err == nil {
		_, err = src.page(ctx, 0)
	}
	if _, ok := IsInputError(err); !ok {
		t.Errorf("a JPEG TIFF cut short: %v, want a message", err)
	}
}

// TestFaxTIFF: a fax server's pages, Group 3 with 2-D coding (which the
// standard decoder takes for invalid codes) or 1-D, read as the page.
func TestFaxTIFF(t *testing.T) {
	ctx := context.Background()
	page := scanPage(t)
	bi := image.NewGray(page.Bounds())
	for i, v := range page.Pix {
		bi.Pix[i] = 255
		if v < 128 {
			bi.Pix[i] = 0
		}
	}
	plain := corpus.BilevelTIFF(bi, 200, false)
	for _, c := range []string{"g3:2d", "g3:2d:fill", "g3:1d"} {
		src, err := open(ctx, MediaTIFF, tiffcp(t, plain, "-c", c), DefaultLimits())
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		got, err := src.page(ctx, 0)
		if err != nil {
			t.Fatalf("%s: %v", c, err)
		}
		if d := meanDiff(t, got, bi); d != 0 {
			t.Errorf("%s: mean difference %.2f from the page saved", c, d)
		}
	}
}

// TestTransparentPNG: a page saved with transparency (paper transparent,
// ink opaque) reads as the page, not as black.
func TestTransparentPNG(t *testing.T) {
	page := scanPage(t)
	b := page.Bounds()
	for _, alpha := range []image.Image{image.NewNRGBA(b), image.NewNRGBA64(b)} {
		for y := range b.Dy() {
			for x := range b.Dx() {
				ink := 255 - page.Pix[y*page.Stride+x]
				c := color.NRGBA{0, 0, 0, ink}
				switch a := alpha.(type) {
				case *image.NRGBA:
					a.SetNRGBA(x, y, c)
				case *image.NRGBA64:
					a.Set(x, y, c)
				}
			}
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, alpha); err != nil {
			t.Fatal(err)
		}
		got, _, err := decodeImage(buf.Bytes(), DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if d := meanDiff(t, got, page); d > 1 {
			t.Errorf("%T: mean difference %.2f from the page", alpha, d)
		}
	}
}
