package extract

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/image/tiff"

	"blankett/corpus"
)

// tiffOfSize is a small TIFF whose header claims w×h pixels (the image
// data is not there: a limit must refuse it before decoding).
func tiffOfSize(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := tiff.Encode(&buf, image.NewGray(image.Rect(0, 0, 16, 16)), nil); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	order := binary.ByteOrder(binary.LittleEndian)
	if b[0] == 'M' {
		order = binary.BigEndian
	}
	off := order.Uint32(b[4:8])
	n := int(order.Uint16(b[off:]))
	for i := range n {
		e := b[int(off)+2+12*i:]
		tag, typ := order.Uint16(e[0:]), order.Uint16(e[2:])
		v := 0
		switch tag {
		case 256:
			v = w
		case 257:
			v = h
		default:
			continue
		}
		if typ == 3 { // SHORT
			order.PutUint16(e[8:], uint16(v))
		} else {
			order.PutUint32(e[8:], uint32(v))
		}
	}
	return b
}

// TestLimitRefusals: each limit refuses a file before it is decoded, with
// a Swedish message saying which limit and by how much.
func TestLimitRefusals(t *testing.T) {
	blank10 := readTestFile(t, "../testdata/bad/blank-10-pages.pdf")
	tests := []struct {
		name  string
		media string
		data  []byte
		lim   func(*Limits)
		want  string
	}{
		{"bytes", MediaPDF, blank10, func(l *Limits) { l.MaxFileBytes = 100 << 10 }, "Filen är för stor (0,2 MB; högst 0,1 MB"},
		{"pages pdf", MediaPDF, blank10, func(l *Limits) { l.MaxPages = 5 }, "Filen har 10 sidor; högst 5 tas emot"},
		{"pixels png", MediaPNG, pngBomb(t, 20000, 20000), nil, "Bilden är för stor (20000 × 20000 bildpunkter"},
		{"pixels tiff", MediaTIFF, tiffOfSize(t, 20000, 20000), nil, "Sida 1: bilden är för stor (20000 × 20000"},
		{"pixels pdf image", MediaPDF, blank10, func(l *Limits) { l.MaxPixels = 500_000 }, "Sida 1: bilden är för stor (827 × 1170 bildpunkter; högst 0,5 miljoner"},
		{"ratio png", MediaPNG, pngBomb(t, 9000, 9000), func(l *Limits) { l.MaxPixels = 100_000_000 }, "möjlig dekomprimeringsbomb"},
		{"ratio tiff", MediaTIFF, tiffOfSize(t, 9000, 9000), func(l *Limits) { l.MaxPixels = 100_000_000 }, "kvot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := DefaultLimits()
			if tt.lim != nil {
				tt.lim(&lim)
			}
			_, err := open(context.Background(), tt.media, tt.data, lim)
			ie, ok := IsInputError(err)
			if !ok {
				t.Fatalf("got %v, want a refusal", err)
			}
			if !strings.Contains(ie.Message, tt.want) {
				t.Fatalf("message %q, want %q", ie.Message, tt.want)
			}
			t.Logf("%s", ie.Message)
		})
	}
}

// TestLimitRatioFloor: a PDF's pages are counted from their image
// dictionaries; below the floor (64 MiB decoded) the ratio is not checked,
// so ten blank pages from a tiny file pass, and above it they do not.
func TestLimitRatioFloor(t *testing.T) {
	data := readTestFile(t, "../testdata/bad/blank-10-pages.pdf")
	pctx, err := readPDFForTest(data)
	if err != nil {
		t.Fatal(err)
	}
	lim := DefaultLimits()
	if err := checkPDFPixels(pctx, 1, lim); err != nil {
		t.Fatalf("under the floor but refused: %v", err)
	}
	if err := checkRatio(ratioFloor+1, 1000, lim); err == nil {
		t.Fatal("over the floor and the ratio, but accepted")
	}
}

func readPDFForTest(data []byte) (*model.Context, error) {
	return api.ReadValidateAndOptimize(bytes.NewReader(data), pdfConfig(model.EXTRACTIMAGES))
}

// TestDefaultPageMemory: the default limits let through the pages they
// are meant for, an A4 or Legal page scanned in colour at 600 DPI into a
// PDF as a JPEG (one such page, 7017 × 4959, was refused: reckoned as if
// its stream were decoded apart, 266 MB), and refuse the same page in a
// stream that is (Flate: the stream, Go's image and the grey copy).
func TestDefaultPageMemory(t *testing.T) {
	lim := DefaultLimits()
	jpeg := pdfImageBytesPerPixel(&types.StreamDict{Dict: types.Dict{"ColorSpace": types.Name("DeviceRGB"), "BitsPerComponent": types.Integer(8)},
		FilterPipeline: []types.PDFFilter{{Name: "DCTDecode"}}})
	for _, p := range []struct{ w, h int }{{7017, 4959}, {4961, 7016}, {5100, 8400}} {
		if err := checkPageMemory(p.w, p.h, jpeg, lim); err != nil {
			t.Errorf("%d × %d at 600 DPI in colour: %v", p.w, p.h, err)
		}
	}
	flate := pdfImageBytesPerPixel(&types.StreamDict{Dict: types.Dict{"ColorSpace": types.Name("DeviceRGB"), "BitsPerComponent": types.Integer(8)},
		FilterPipeline: []types.PDFFilter{{Name: "FlateDecode"}}})
	if err := checkPageMemory(7017, 4959, flate, lim); err == nil {
		t.Error("a Flate page of 7017 × 4959 in colour let through")
	}
}

// TestPopplerOnlyPageMemory: a page whose image poppler decodes (JPEG
// 2000, JBIG2, Flate) is rasterised at RasterDPI, and takes that raster's
// memory here, not its image's: an A4 page scanned in colour at 600 DPI
// is let through (as JPEG 2000 it was refused at 265,6 MB). A colour
// scan is rendered in colour, and its raster takes more than a grey
// one's: under a lower limit the colour page is refused and the grey one
// let through.
func TestPopplerOnlyPageMemory(t *testing.T) {
	ctx := context.Background()
	for _, filter := range []string{"JPXDecode", "FlateDecode"} {
		if _, err := open(ctx, MediaPDF, corpus.EncodedPDF(4961, 7016, 600, filter, []byte("not decoded here"), true), DefaultLimits()); err != nil {
			t.Errorf("a %s page at 600 DPI in colour: %v", filter, err)
		}
	}
	lim := DefaultLimits()
	lim.PageMemory = 50 << 20 // an A4 raster at 300 DPI: 17 MB grey, 75 MB in colour
	_, err := open(ctx, MediaPDF, corpus.EncodedPDF(4961, 7016, 600, "FlateDecode", []byte("x"), true), lim)
	if ie, ok := IsInputError(err); !ok || !strings.Contains(ie.Message, "minne") {
		t.Errorf("a Flate page in colour under %d MB: %v, want refused for its memory", lim.PageMemory>>20, err)
	}
	if _, err := open(ctx, MediaPDF, corpus.EncodedPDF(4961, 7016, 600, "FlateDecode", []byte("x"), false), lim); err != nil {
		t.Errorf("a grey Flate page under %d MB: %v", lim.PageMemory>>20, err)
	}
}
