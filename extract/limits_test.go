package extract

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"strings"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/image/tiff"
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

// onePageImagePDF is a one-page A4 PDF whose page is one w×h RGB image
// filtered by filter, its stream data as given (not decoded here).
func onePageImagePDF(w, h int, filter string, data []byte) []byte {
	var buf bytes.Buffer
	var offsets []int
	obj := func(body string, stream []byte) {
		offsets = append(offsets, buf.Len())
		fmt.Fprintf(&buf, "%d 0 obj\n%s", len(offsets), body)
		if stream != nil {
			buf.WriteString("\nstream\n")
			buf.Write(stream)
			buf.WriteString("\nendstream")
		}
		buf.WriteString("\nendobj\n")
	}
	buf.WriteString("%PDF-1.5\n")
	content := []byte("q 595 0 0 842 0 0 cm /Im0 Do Q")
	obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", nil)
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /XObject << /Im0 5 0 R >> >> >>", nil)
	obj(fmt.Sprintf("<< /Length %d >>", len(content)), content)
	obj(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /%s /Length %d >>", w, h, filter, len(data)), data)
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&buf, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return buf.Bytes()
}

// TestPopplerOnlyPageMemory: a page whose image only poppler decodes (JPEG
// 2000, JBIG2) is rasterised at RasterDPI, and takes that raster's memory
// here, not its image's: an A4 page scanned in colour at 600 DPI as JPEG
// 2000 is let through (it was refused at 265,6 MB), where the same image
// Flate-compressed, decoded here, is still refused.
func TestPopplerOnlyPageMemory(t *testing.T) {
	ctx := context.Background()
	if _, err := open(ctx, MediaPDF, onePageImagePDF(4961, 7016, "JPXDecode", []byte("not decoded here")), DefaultLimits()); err != nil {
		t.Errorf("a JPEG 2000 page at 600 DPI in colour: %v", err)
	}
	_, err := open(ctx, MediaPDF, onePageImagePDF(4961, 7016, "FlateDecode", []byte("x")), DefaultLimits())
	if ie, ok := IsInputError(err); !ok || !strings.Contains(ie.Message, "minne") {
		t.Errorf("a Flate page at 600 DPI in colour: %v, want refused for its memory", err)
	}
}
