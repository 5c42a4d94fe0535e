package extract

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// jpegsIn returns every JPEG under dir: .jpg files and the DCTDecode
// images of PDFs, by where they were found.
func jpegsIn(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".jpg", ".jpeg":
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			out[path] = data
		case ".pdf":
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			pctx, err := api.ReadValidateAndOptimize(bytes.NewReader(data), pdfConfig(model.EXTRACTIMAGES))
			if err != nil {
				return nil // a damaged PDF of testdata/bad: no images to compare
			}
			for nr, io := range pctx.Optimize.ImageObjects {
				sd := io.ImageDict
				if sd == nil || len(sd.FilterPipeline) != 1 || sd.FilterPipeline[0].Name != "DCTDecode" || sd.Raw == nil {
					continue
				}
				out[fmt.Sprintf("%s#%d", path, nr)] = sd.Raw
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestGreyJPEGSameAsGo decodes every grey JPEG of the corpus (and of the
// corpora -accuracy-dir names) with libjpeg and with Go's decoder: the
// pixels must be the same, for the readings to be.
func TestGreyJPEGSameAsGo(t *testing.T) {
	dirs := []string{filepath.Join("..", "testdata")}
	if *accuracyDir != "" {
		dirs = append(dirs, strings.Split(*accuracyDir, ",")...)
	}
	grey := 0
	for _, dir := range dirs {
		for name, data := range jpegsIn(t, dir) {
			cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
			if err != nil || cfg.ColorModel != color.GrayModel {
				continue
			}
			want, err := jpeg.Decode(bytes.NewReader(data))
			if err != nil {
				if _, ok := decodeGreyJPEG(data, cfg.Width, cfg.Height); ok {
					t.Errorf("%s: libjpeg decoded what Go's decoder refuses (%v)", name, err)
				}
				continue
			}
			got, ok := decodeGreyJPEG(data, cfg.Width, cfg.Height)
			if !ok {
				t.Errorf("%s: libjpeg did not decode a grey JPEG Go's decoder does", name)
				continue
			}
			w := want.(*image.Gray)
			if !got.Bounds().Eq(w.Bounds()) {
				t.Fatalf("%s: %v, Go's decoder %v", name, got.Bounds(), w.Bounds())
			}
			diff := 0
			for y := range w.Bounds().Dy() {
				if !bytes.Equal(got.Pix[y*got.Stride:y*got.Stride+got.Rect.Dx()], w.Pix[w.PixOffset(0, y):w.PixOffset(0, y)+w.Rect.Dx()]) {
					diff++
				}
			}
			if diff > 0 {
				t.Errorf("%s: %d of %d rows differ from Go's decoder's", name, diff, w.Bounds().Dy())
			}
			grey++
		}
	}
	if grey < 10 {
		t.Fatalf("only %d grey JPEGs compared", grey)
	}
	t.Logf("%d grey JPEGs decoded alike", grey)
}

// TestGreyJPEGFallsBack checks that what libjpeg does not take cleanly is
// left to Go's decoder: a cut-off file, a colour one, a wrong size.
func TestGreyJPEGFallsBack(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 300, 200))
	for i := range g.Pix {
		g.Pix[i] = uint8(i * 7)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, g, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	whole := buf.Bytes()
	if _, ok := decodeGreyJPEG(whole, 300, 200); !ok {
		t.Fatal("a whole grey JPEG was not decoded")
	}
	if _, ok := decodeGreyJPEG(whole[:len(whole)/2], 300, 200); ok {
		t.Error("a cut-off JPEG was decoded")
	}
	if _, ok := decodeGreyJPEG(whole, 301, 200); ok {
		t.Error("a JPEG of another size than asked was decoded")
	}
	rgb := image.NewRGBA(image.Rect(0, 0, 64, 64))
	buf.Reset()
	if err := jpeg.Encode(&buf, rgb, nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := decodeGreyJPEG(buf.Bytes(), 64, 64); ok {
		t.Error("a colour JPEG was decoded as grey")
	}
}
