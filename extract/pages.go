package extract

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/jpeg" // page images
	_ "image/png"  // page images
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	pdfform "github.com/pdfcpu/pdfcpu/pkg/pdfcpu/form"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/image/ccitt"
	"golang.org/x/image/tiff"

	"blankett/form"
	"blankett/pdfguard"
)

// Limits bound what a file may make extraction do. Each refusal is stated
// on the document.
type Limits struct {
	MaxPages     int   // pages in one file
	MaxPixels    int64 // pixels in one page image, from its header, before decoding
	RasterDPI    int   // resolution for PDFs without page images
	MaxFileBytes int64 // bytes read from the object store
	// MaxRatio bounds the decompression ratio: the bytes of all decoded
	// page images (one byte a pixel) per byte of the file, checked from
	// the headers before anything is decoded. It applies once the decoded
	// pages exceed ratioFloor (a single page is bounded by MaxPixels).
	// 0: no bound.
	MaxRatio int64
	// PageMemory bounds the memory one page may take to decode: its
	// pixels in the format they decode to plus their grey copy, reckoned
	// from the headers before anything is decoded (0: no bound).
	PageMemory int64
	// PageTime bounds the time one page may take, decoded, rasterised and
	// read: a page over it fails the file at that page, instead of the
	// file running to the document's timeout or memory limit (0: none).
	PageTime time.Duration
	// HeldMemory bounds the page images held at once while a file is read
	// (the pages of the form being gathered, and the blank backs kept):
	// the page that takes them past it fails the file (0: no bound).
	HeldMemory int64
	// DocTime is the time one file may take (the sandbox sets its wall
	// timeout): once a quarter of the pages (at least three) are read, a
	// file that will clearly not finish in time fails at once instead of
	// at the deadline (0: not checked; the sandbox sets its timeout
	// unless DocTime is below 0).
	DocTime time.Duration
}

// ratioFloor is the decoded size below which the ratio is not checked: a
// blank page scanned as CCITT G4 packs a few megabytes of pixels into a
// few hundred bytes, and is harmless.
const ratioFloor = 64 << 20

// DefaultLimits suit the office's post: a batch of up to 200 pages of A4 at
// 600 DPI at most.
func DefaultLimits() Limits {
	return Limits{MaxPages: 200, MaxPixels: 60_000_000, RasterDPI: 300, MaxFileBytes: 50 << 20, MaxRatio: 2000,
		PageMemory: 256 << 20, PageTime: 30 * time.Second, HeldMemory: 1 << 30}
}

// InputError is a problem with the file itself: the document cannot be
// read. Message is Swedish, for people.
type InputError struct {
	Message string
	Err     error
}

func (e *InputError) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *InputError) Unwrap() error { return e.Err }

func inputErr(err error, format string, args ...any) error {
	return &InputError{Message: fmt.Sprintf(format, args...), Err: err}
}

// source is a file opened for extraction: page images to OCR, or the
// values of a fillable PDF's form fields.
type source struct {
	pages  []*image.Gray                                         // decoded pages; nil where decode makes them
	decode func(ctx context.Context, i int) (*image.Gray, error) // page i, decoded on demand
	acro   map[string]string                                     // field name → value, for fillable PDFs with values
	zones  map[string]form.Box                                   // field name → its widget's box (points, top left origin)
	// marks are, by page, the coloured ink a colour scan had (a stamp,
	// a pen) that was dropped out (see toGray), as the page was
	// decoded; nil where it had none.
	marks map[int]*image.Gray
	// scanDPI are, by page, the dots an inch (along the coarser axis) of
	// the scanned image a page was made from, where making it hid them: a
	// JBIG2 or JPEG 2000 image rasterised at RasterDPI, a fax sent in
	// standard mode stretched to square dots. Absent: the page image's
	// own.
	scanDPI map[int]float64
	// drawn are the pages rasterised from what they draw, not from a
	// scan, whose text is all visible (see drawnText); pdf is the file
	// and words its text's words by page (from 1), once read (textOf).
	drawn map[int]bool
	pdf   []byte
	words map[int][]form.PrintedWord
	// drawnOn are, for a fillable PDF, by page (from 1), the boxes
	// (points, top left origin, the page as shown) of the annotations a
	// viewer draws on it besides the form's fields: a signature drawn in
	// ink or placed as a stamp, text typed on (see markedAreas).
	drawnOn map[int][]form.Box
}

// textOf returns the words page i draws, where it is a drawn page; nil
// for any other, and for every page where the text cannot be had (the
// page is read from its raster alone).
func (s *source) textOf(ctx context.Context, i int) []form.PrintedWord {
	if !s.drawn[i] {
		return nil
	}
	if s.words == nil {
		words, err := printedWords(ctx, s.pdf)
		if err != nil {
			words = map[int][]form.PrintedWord{}
		}
		s.words = words
	}
	return s.words[i+1]
}

// setScanDPI keeps the resolution of the scan page i was made from.
func (s *source) setScanDPI(i int, dpi float64) {
	if s.scanDPI == nil {
		s.scanDPI = map[int]float64{}
	}
	s.scanDPI[i] = dpi
}

// scanDPIOf returns what scanDPI holds for page i, 0 for nothing.
func (s *source) scanDPIOf(i int) float64 { return s.scanDPI[i] }

// setMarks keeps page i's coloured marks (nil: none).
func (s *source) setMarks(i int, marks *image.Gray) {
	if marks == nil {
		return
	}
	if s.marks == nil {
		s.marks = map[int]*image.Gray{}
	}
	s.marks[i] = marks
}

// marksOf returns page i's coloured marks, nil when it had none, and lets
// go of them. Call it after page.
func (s *source) marksOf(i int) *image.Gray {
	m := s.marks[i]
	delete(s.marks, i)
	return m
}

// page returns page i (from 0) and lets go of it: pages of scans are
// decoded one at a time, so that a batch of 200 pages does not hold them
// all at once.
func (s *source) page(ctx context.Context, i int) (*image.Gray, error) {
	if img := s.pages[i]; img != nil {
		s.pages[i] = nil
		return img, nil
	}
	if s.decode == nil {
		return nil, fmt.Errorf("page %d: not decoded", i+1)
	}
	return s.decode(ctx, i)
}

func pdfConfig(cmd model.CommandMode) *model.Configuration {
	conf := pdfguard.Config()
	conf.Cmd = cmd
	return conf
}

// safely runs f, turning a panic in a parser into an error.
func safely(what string, f func() error) error { return pdfguard.Do(what, f) }

// open decodes a file into a source.
func open(ctx context.Context, mediaType string, data []byte, lim Limits) (*source, error) {
	if err := checkBytes(len(data), lim); err != nil {
		return nil, err
	}
	switch mediaType {
	case MediaPDF:
		return openPDF(ctx, data, lim)
	case MediaTIFF:
		return openTIFF(data, lim)
	case MediaPNG, MediaJPEG:
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return nil, inputErr(err, "Bilden går inte att läsa")
		}
		if err := checkPixels(cfg.Width, cfg.Height, lim); err != nil {
			return nil, err
		}
		if err := checkPageMemory(cfg.Width, cfg.Height, decodedBytesPerPixel(cfg.ColorModel), lim); err != nil {
			return nil, err
		}
		if err := checkRatio(int64(cfg.Width)*int64(cfg.Height), len(data), lim); err != nil {
			return nil, err
		}
		img, marks, err := decodeImage(data, lim)
		if err != nil {
			return nil, err
		}
		src := &source{pages: []*image.Gray{img}}
		src.setMarks(0, marks)
		return src, nil
	}
	return nil, inputErr(nil, "Filtypen %q kan inte läsas", mediaType)
}

// decodeImage decodes a PNG or JPEG to grey, checking its size first,
// with its coloured marks (see toGray).
func decodeImage(data []byte, lim Limits) (img, marks *image.Gray, err error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, nil, inputErr(err, "Bilden går inte att läsa")
	}
	if err := checkPixels(cfg.Width, cfg.Height, lim); err != nil {
		return nil, nil, err
	}
	if err := checkPageMemory(cfg.Width, cfg.Height, decodedBytesPerPixel(cfg.ColorModel), lim); err != nil {
		return nil, nil, err
	}
	if format == "jpeg" && cfg.ColorModel == color.GrayModel {
		if g, ok := decodeGreyJPEG(data, cfg.Width, cfg.Height); ok {
			return g, nil, nil // see jpeg.go
		}
	}
	decoded, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, nil, inputErr(err, "Bilden går inte att läsa")
	}
	img, marks = toGray(decoded)
	return img, marks, nil
}

// checkBytes refuses a file larger than the limit.
func checkBytes(n int, lim Limits) error {
	if lim.MaxFileBytes > 0 && int64(n) > lim.MaxFileBytes {
		return inputErr(nil, "Filen är för stor (%s MB; högst %s MB tas emot)", decimal(float64(n)/(1<<20)), decimal(float64(lim.MaxFileBytes)/(1<<20)))
	}
	return nil
}

// checkRatio refuses a file whose page images, decoded at one byte a
// pixel, would be more than MaxRatio times its size: a decompression bomb.
func checkRatio(decoded int64, fileBytes int, lim Limits) error {
	if lim.MaxRatio <= 0 || decoded <= ratioFloor {
		return nil
	}
	if decoded > lim.MaxRatio*int64(max(fileBytes, 1)) {
		return inputErr(nil, "Filen skulle packas upp till %d MB bilddata från %d kB (kvot %d:1; högst %d:1 tas emot) och avvisas som en möjlig dekomprimeringsbomb",
			decoded>>20, fileBytes>>10, decoded/int64(max(fileBytes, 1)), lim.MaxRatio)
	}
	return nil
}

func checkPixels(w, h int, lim Limits) error {
	if w <= 0 || h <= 0 {
		return inputErr(nil, "Bilden saknar storlek")
	}
	if int64(w)*int64(h) > lim.MaxPixels {
		return inputErr(nil, "Bilden är för stor (%d × %d bildpunkter; högst %s miljoner tas emot)", w, h, decimal(float64(lim.MaxPixels)/1e6))
	}
	return nil
}

// toGray turns a decoded image grey. A colour scan's coloured ink (a red
// received-stamp, a blue pen's mark, or writing in blue) is dropped out
// (see dropColour), and marks holds what it was (its colour code, see
// colourCode, or a faint code, see faintColour; elsewhere 255), or is nil
// when there was none: colourWriting
// tells writing in colour from marks over the writing, which is read with
// less trust.
func toGray(img image.Image) (g, marks *image.Gray) {
	if g, ok := img.(*image.Gray); ok {
		return g, nil
	}
	b := img.Bounds()
	g = image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	marks = image.NewGray(g.Rect)
	for i := range marks.Pix {
		marks.Pix[i] = noColour
	}
	if dropColour(g, marks, img) {
		if !slices.ContainsFunc(marks.Pix, func(v uint8) bool { return v != noColour }) {
			marks = nil
		}
		return g, marks
	}
	// Any other kind, laid on white paper: what is transparent in it
	// (a grey image with alpha, 16 bits a channel) is paper. One in
	// colour (a palette, CMYK, 16 bits a channel) is dropped out as
	// the kinds above are.
	switch img.ColorModel() {
	case color.GrayModel, color.Gray16Model, color.AlphaModel, color.Alpha16Model:
		for i := range g.Pix {
			g.Pix[i] = 255
		}
		draw.Draw(g, g.Bounds(), img, b.Min, draw.Over)
		return g, nil
	}
	rgba := image.NewRGBA(g.Rect)
	draw.Draw(rgba, rgba.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(rgba, rgba.Bounds(), img, b.Min, draw.Over)
	return toGray(rgba)
}

// decodeTIFF decodes every page of a (multi-page) TIFF. The standard
// decoder reads only the first directory, so each page is decoded, when
// asked for, from a view of the file whose header points at that page's
// directory.
func openTIFF(data []byte, lim Limits) (*source, error) {
	offsets, order, err := tiffDirectories(data, lim.MaxPages)
	if err != nil {
		return nil, err
	}
	view := make([]byte, len(data))
	copy(view, data)
	// Every directory's header first: nothing is decoded from a file
	// that one page or the total rules out.
	var decoded int64
	configs := make([]image.Config, len(offsets))
	for i, off := range offsets {
		order.PutUint32(view[4:8], off)
		cfg, err := tiff.DecodeConfig(bytes.NewReader(view))
		if err != nil {
			// A page the standard decoder cannot describe (YCbCr, say)
			// may be one libtiff reads (tifflib.go).
			if cfg, err = tiffConfig(data, order, off); err != nil {
				return nil, pageErr(err, i+1)
			}
		}
		if err := checkPixels(cfg.Width, cfg.Height, lim); err != nil {
			return nil, pageErr(err, i+1)
		}
		if err := checkPageMemory(cfg.Width, cfg.Height, decodedBytesPerPixel(cfg.ColorModel), lim); err != nil {
			return nil, pageErr(err, i+1)
		}
		configs[i] = cfg
		decoded += int64(cfg.Width) * int64(cfg.Height)
	}
	if err := checkRatio(decoded, len(data), lim); err != nil {
		return nil, err
	}
	src := &source{pages: make([]*image.Gray, len(offsets))}
	src.decode = func(_ context.Context, i int) (*image.Gray, error) {
		g, marks, err := decodeTIFFPage(data, view, order, offsets[i], configs[i], i, lim)
		if err != nil {
			return nil, err
		}
		if xres, yres := tiffResolution(data, order, offsets[i]); squareOff(xres, yres) {
			// A fax sent in standard mode: 204 by 98 dots an inch, its
			// letters half as tall in dots as they are wide. Read as it
			// stands, every field of it was lost.
			if g, err = squarePixels(g, xres, yres, lim); err != nil {
				return nil, pageErr(err, i+1)
			}
			if marks != nil {
				marks, _ = squarePixels(marks, xres, yres, Limits{})
			}
			src.setScanDPI(i, min(xres, yres))
		}
		src.setMarks(i, marks)
		return g, nil
	}
	return src, nil
}

// decodeTIFFPage decodes page i of a TIFF, whose directory is at off
// (data; view is a copy of it whose header is pointed at each page's
// directory in turn), grey, with its coloured marks (see toGray).
func decodeTIFFPage(data, view []byte, order binary.ByteOrder, off uint32, cfg image.Config, i int, lim Limits) (g, marks *image.Gray, err error) {
	order.PutUint32(view[4:8], off)
	var img image.Image
	err = safely("decode tiff", func() error {
		var err error
		img, err = tiff.Decode(bytes.NewReader(view))
		return err
	})
	if err != nil {
		// What the standard decoder cannot read, libtiff may, at
		// four bytes a pixel.
		if err := checkPageMemory(cfg.Width, cfg.Height, 4, lim); err != nil {
			return nil, nil, pageErr(err, i+1)
		}
		lib, ok := libtiffPage(data, i, cfg)
		if !ok {
			return nil, nil, inputErr(err, "Sida %d i TIFF-filen går inte att läsa", i+1)
		}
		img = lib
	}
	g, marks = toGray(img)
	return g, marks, nil
}

// tiffTags calls f with each numeric entry of the TIFF directory at off:
// its tag and its value (a SHORT or LONG held in the entry, or a RATIONAL
// at an offset; entries of other types are passed over). ok is false
// where the directory runs past the end of data.
func tiffTags(data []byte, order binary.ByteOrder, off uint32, f func(tag uint16, v float64)) (ok bool) {
	if uint64(off)+2 > uint64(len(data)) {
		return false
	}
	for e := range int(order.Uint16(data[off:])) {
		at := int(off) + 2 + 12*e
		if at+12 > len(data) {
			return false
		}
		var v float64
		switch order.Uint16(data[at+2:]) {
		case 3: // SHORT
			v = float64(order.Uint16(data[at+8:]))
		case 4: // LONG
			v = float64(order.Uint32(data[at+8:]))
		case 5: // RATIONAL, at an offset
			p := int(order.Uint32(data[at+8:]))
			if p < 0 || p+8 > len(data) {
				continue
			}
			den := order.Uint32(data[p+4:])
			if den == 0 {
				continue
			}
			v = float64(order.Uint32(data[p:])) / float64(den)
		default:
			continue
		}
		f(order.Uint16(data[at:]), v)
	}
	return true
}

// tiffResolution reads a TIFF directory's XResolution and YResolution
// (dots an inch or a centimetre alike: only their ratio is used); 0 where
// a tag is missing or unreadable.
func tiffResolution(data []byte, order binary.ByteOrder, off uint32) (x, y float64) {
	tiffTags(data, order, off, func(tag uint16, v float64) {
		switch tag {
		case 282:
			x = v
		case 283:
			y = v
		}
	})
	return x, y
}

// squareOff reports whether a page's dots are a tenth or more taller than
// wide or wider than tall (xres and yres its resolutions; 0 unknown).
func squareOff(xres, yres float64) bool {
	return xres > 0 && yres > 0 && max(xres, yres)/min(xres, yres) >= 1.1
}

// squarePixels stretches g along its coarser axis to its finer one's
// resolution, the rows (or columns) between two of it mixed from both.
func squarePixels(g *image.Gray, xres, yres float64, lim Limits) (*image.Gray, error) {
	w, h := g.Bounds().Dx(), g.Bounds().Dy()
	sx, sy := 1.0, 1.0
	if xres > yres {
		sy = xres / yres
	} else {
		sx = yres / xres
	}
	nw, nh := int(math.Round(float64(w)*sx)), int(math.Round(float64(h)*sy))
	if lim.MaxPixels > 0 {
		if err := checkPixels(nw, nh, lim); err != nil {
			return nil, err
		}
	}
	out := image.NewGray(image.Rect(0, 0, nw, nh))
	at := func(i, n int, s float64) (int, int, float64) {
		f := max(0, (float64(i)+0.5)/s-0.5)
		a := min(int(f), n-1)
		return a, min(a+1, n-1), f - float64(a)
	}
	b := g.Bounds()
	for y := range nh {
		y0, y1, fy := at(y, h, sy)
		r0, r1 := g.Pix[g.PixOffset(b.Min.X, b.Min.Y+y0):], g.Pix[g.PixOffset(b.Min.X, b.Min.Y+y1):]
		row := out.Pix[y*out.Stride:]
		for x := range nw {
			x0, x1, fx := at(x, w, sx)
			top := float64(r0[x0])*(1-fx) + float64(r0[x1])*fx
			bot := float64(r1[x0])*(1-fx) + float64(r1[x1])*fx
			row[x] = uint8(math.Round(top*(1-fy) + bot*fy))
		}
	}
	return out, nil
}

// tiffDirectories lists the offsets of a classic TIFF's image directories.
func tiffDirectories(data []byte, maxPages int) ([]uint32, binary.ByteOrder, error) {
	if len(data) < 8 {
		return nil, nil, inputErr(nil, "TIFF-filen är avkortad")
	}
	var order binary.ByteOrder = binary.LittleEndian
	if data[0] == 'M' {
		order = binary.BigEndian
	}
	if order.Uint16(data[2:4]) != 42 {
		return nil, nil, inputErr(nil, "TIFF-varianten (BigTIFF) stöds inte")
	}
	var offsets []uint32
	seen := map[uint32]bool{}
	off := order.Uint32(data[4:8])
	for off != 0 {
		if seen[off] || int(off)+2 > len(data) {
			return nil, nil, inputErr(nil, "TIFF-filen är skadad")
		}
		seen[off] = true
		offsets = append(offsets, off)
		if len(offsets) > maxPages {
			return nil, nil, inputErr(nil, "Filen har fler än %d sidor", maxPages)
		}
		n := int(order.Uint16(data[off : off+2]))
		next := int(off) + 2 + 12*n
		if next+4 > len(data) {
			return nil, nil, inputErr(nil, "TIFF-filen är skadad")
		}
		off = order.Uint32(data[next : next+4])
	}
	if len(offsets) == 0 {
		return nil, nil, inputErr(nil, "TIFF-filen har inga sidor")
	}
	return offsets, order, nil
}

// openPDF reads a PDF: its form field values when it has filled fields,
// else one image per page where the page is a scanned image (see
// pageIsScan), rasterising the others as they show.
func openPDF(ctx context.Context, data []byte, lim Limits) (*source, error) {
	var pctx *model.Context
	err := safely("read pdf", func() error {
		var err error
		pctx, err = api.ReadValidateAndOptimize(bytes.NewReader(data), pdfConfig(model.EXTRACTIMAGES))
		return err
	})
	if err != nil {
		msg := "PDF-filen är skadad eller går inte att läsa"
		if s := err.Error(); strings.Contains(s, "password") || strings.Contains(s, "encrypt") {
			msg = "PDF-filen är krypterad eller lösenordsskyddad"
		}
		return nil, inputErr(err, "%s", msg)
	}
	if pctx.PageCount == 0 {
		return nil, inputErr(nil, "PDF-filen har inga sidor")
	}
	if what := activeContent(data, pctx); what != "" {
		return nil, inputErr(nil, "PDF-filen innehåller %s och tas inte emot av säkerhetsskäl", what)
	}
	if pctx.PageCount > lim.MaxPages {
		return nil, inputErr(nil, "Filen har %d sidor; högst %d tas emot", pctx.PageCount, lim.MaxPages)
	}
	if acro := acroFormValues(pctx); len(acro) > 0 {
		return &source{acro: acro, zones: widgetZones(pctx), pdf: data, drawnOn: markedAreas(pctx)}, nil
	}
	if dynamicXFA(pctx) {
		return nil, inputErr(nil, "PDF-filen är ett dynamiskt formulär (XFA) som bara Adobes program kan visa. Skriv ut det ifyllda formuläret till en vanlig PDF-fil, eller på papper, och skicka det igen")
	}
	if err := checkPDFPixels(pctx, len(data), lim); err != nil {
		return nil, err
	}
	dims, err := pctx.XRefTable.PageDims() // once: pageIsScan looks at every page
	if err != nil {
		return nil, inputErr(err, "PDF-filen är skadad eller går inte att läsa")
	}
	src := &source{pages: make([]*image.Gray, pctx.PageCount), pdf: data, drawn: map[int]bool{}}
	src.decode = func(ctx context.Context, i int) (*image.Gray, error) {
		scan := pageIsScan(pctx, i+1, dims)
		if !scan {
			src.drawn[i] = pageDrawsText(pctx, i+1)
		}
		if scan {
			if img, marks, ok, err := directImage(pctx, i+1, lim); ok || err != nil {
				src.setMarks(i, marks)
				return img, err
			}
		}
		// Vector content, images that are not the whole page, and a
		// scan held in any other way (Flate, JPEG 2000, JBIG2): the
		// page rasterised by poppler as it shows, in colour when it is
		// a scan in colour.
		if dpi, ok := scanDensity(pctx, i+1, dims); ok && dpi < float64(lim.RasterDPI) {
			src.setScanDPI(i, dpi)
		}
		img, marks, err := rasterise(ctx, data, lim.RasterDPI, i+1, scan && colourScan(pctx, i+1, dims))
		if err != nil {
			return nil, err
		}
		src.setMarks(i, marks)
		return img, nil
	}
	return src, nil
}

// pageDrawsText reports whether page n of a PDF draws what text it has
// visibly (see drawnText).
func pageDrawsText(pctx *model.Context, n int) bool {
	d, _, _, err := pctx.PageDict(n, false)
	if err != nil || d == nil {
		return false
	}
	content, err := pctx.PageContent(d, n)
	return err == nil && drawnText(content)
}

// markedAreas returns, by page (from 1), the boxes of the annotations on a
// PDF that draw on its pages what its form fields do not: ink, stamps,
// shapes, text boxes (everything but the fields' widgets, links, pop-up
// notes and the icons of notes).
func markedAreas(pctx *model.Context) map[int][]form.Box {
	out := map[int][]form.Box{}
	// A page that cannot be read adds none; the form is read from its
	// fields all the same.
	_ = eachAnnotation(pctx, func(p int, fr pageFrame, subtype string, _ types.Dict, rect types.Rectangle) {
		if slices.Contains([]string{"Widget", "Link", "Popup", "Text"}, subtype) {
			return
		}
		_, h := fr.shown()
		out[p] = append(out[p], rectBox(rect, h))
	})
	return out
}

// widgetZones are where a fillable PDF's fields are, by name: two editions
// with the same field names are told apart by them.
func widgetZones(pctx *model.Context) map[string]form.Box {
	out := map[string]form.Box{}
	var ws []pdfWidget
	if err := safely("list widgets", func() error {
		var err error
		ws, err = pdfWidgets(pctx)
		return err
	}); err != nil {
		return out
	}
	for _, w := range ws {
		_, _, inh, err := pctx.PageDict(w.page, false)
		if err != nil || inh == nil || inh.MediaBox == nil {
			continue
		}
		_, h := frameOf(inh).shown() // pdfWidgets placed the widget on the page as shown
		out[w.name] = w.zone(h)
	}
	return out
}

// acroFormValues returns the values of the PDF's form fields, or nil when
// it has no form or no field holds a value.
func acroFormValues(pctx *model.Context) map[string]string {
	var fg *pdfform.FormGroup
	err := safely("export form", func() error {
		var err error
		var ok bool
		fg, ok, err = pdfform.ExportForm(pctx.XRefTable, "blankett")
		if !ok && err == nil {
			err = errors.New("no form")
		}
		return err
	})
	if err != nil || fg == nil {
		return nil
	}
	out := map[string]string{}
	filled := false
	for _, f := range fg.Forms {
		for _, tf := range f.TextFields {
			out[tf.Name] = tf.Value
			filled = filled || strings.TrimSpace(tf.Value) != ""
		}
		for _, df := range f.DateFields {
			out[df.Name] = df.Value
			filled = filled || strings.TrimSpace(df.Value) != ""
		}
		for _, cb := range f.CheckBoxes {
			out[cb.Name] = strconv.FormatBool(cb.Value)
			filled = filled || cb.Value
		}
		// Radio groups and choice fields give the chosen option's export
		// value; "Off" or nothing is no choice.
		for _, rb := range f.RadioButtonGroups {
			v := rb.Value
			if strings.EqualFold(v, "off") {
				v = ""
			}
			out[rb.Name] = v
			filled = filled || v != ""
		}
		for _, cb := range f.ComboBoxes {
			out[cb.Name] = cb.Value
			filled = filled || strings.TrimSpace(cb.Value) != ""
		}
		for _, lb := range f.ListBoxes {
			out[lb.Name] = strings.Join(lb.Values, ", ")
			filled = filled || len(lb.Values) > 0
		}
	}
	if !filled {
		return nil
	}
	return out
}

// directImage decodes the largest image on page n straight from its
// stream when it is a scanner's JPEG or CCITT G4 image. ok is false when
// the page needs the general path: poppler renders it (see openPDF).
func directImage(pctx *model.Context, n int, lim Limits) (img, marks *image.Gray, ok bool, err error) {
	var best *types.StreamDict
	bestArea := 0
	for _, objNr := range pdfcpu.ImageObjNrs(pctx, n) {
		io, found := pctx.Optimize.ImageObjects[objNr]
		if !found || io.ImageDict == nil {
			continue
		}
		w, h := io.ImageDict.IntEntry("Width"), io.ImageDict.IntEntry("Height")
		if w == nil || h == nil {
			return nil, nil, false, nil
		}
		if *w**h > bestArea {
			best, bestArea = io.ImageDict, *w**h
		}
	}
	if best == nil || best.Raw == nil || !decodedHere(best) {
		return nil, nil, false, nil
	}
	w, h := *best.IntEntry("Width"), *best.IntEntry("Height")
	if err := checkPixels(w, h, lim); err != nil {
		return nil, nil, false, err
	}
	f := best.FilterPipeline[0]
	switch f.Name {
	case "DCTDecode":
		img, marks, err := decodeImage(best.Raw, lim)
		if err != nil {
			return nil, nil, false, inputErr(err, "Bilden på sida %d går inte att läsa", n)
		}
		return img, marks, true, nil
	case "CCITTFaxDecode":
		cols, rows := 1728, h // G4 (decodedHere): K < 0
		var blackIs1, align bool
		if p := f.DecodeParms; p != nil {
			if v := p.IntEntry("Columns"); v != nil {
				cols = *v
			}
			if v := p.IntEntry("Rows"); v != nil && *v > 0 {
				rows = *v
			}
			if v := p.BooleanEntry("BlackIs1"); v != nil {
				blackIs1 = *v
			}
			if v := p.BooleanEntry("EncodedByteAlign"); v != nil {
				align = *v
			}
		}
		if err := checkPixels(cols, rows, lim); err != nil {
			return nil, nil, false, err
		}
		g := image.NewGray(image.Rect(0, 0, cols, rows))
		if err := ccitt.DecodeIntoGray(g, bytes.NewReader(best.Raw), ccitt.MSB, ccitt.Group4,
			&ccitt.Options{Invert: blackIs1, Align: align}); err != nil {
			return nil, nil, false, inputErr(err, "Bilden på sida %d går inte att läsa", n)
		}
		return g, nil, true, nil
	}
	return nil, nil, false, nil
}

// decodedHere reports whether a PDF image is one directImage decodes
// from its stream: a scanner's JPEG, or a CCITT G4 image as wide as its
// columns, alone in its filter pipeline. Any other page is rasterised by
// poppler (see openPDF), and its memory here is the page's raster at
// RasterDPI, not the image's (see checkPDFPixels).
func decodedHere(d *types.StreamDict) bool {
	if len(d.FilterPipeline) != 1 {
		return false
	}
	switch f := d.FilterPipeline[0]; f.Name {
	case "DCTDecode":
		return true
	case "CCITTFaxDecode":
		k, cols := 0, 1728
		if p := f.DecodeParms; p != nil {
			if v := p.IntEntry("K"); v != nil {
				k = *v
			}
			if v := p.IntEntry("Columns"); v != nil {
				cols = *v
			}
		}
		w := d.IntEntry("Width")
		return k < 0 && w != nil && cols == *w // G3, or columns not the image's: poppler's
	}
	return false
}

// dynamicXFA reports whether the PDF is a dynamic XFA form: its form held
// only as XFA, with no form fields, its pages a placeholder ("Please
// wait...") that only Adobe's programs replace with the form. A static
// XFA form has its fields too and is read from them. (pdfcpu drops a
// form dictionary without fields from the catalog as it validates, so
// the objects are searched for it.)
func dynamicXFA(pctx *model.Context) bool {
	for _, e := range pctx.XRefTable.Table {
		if e == nil || e.Free || e.Object == nil {
			continue
		}
		d, ok := e.Object.(types.Dict)
		if !ok {
			continue
		}
		if _, xfa := d.Find("XFA"); !xfa {
			continue
		}
		o, ok := d.Find("Fields")
		if !ok {
			return true
		}
		fields, err := pctx.XRefTable.DereferenceArray(o)
		if err == nil && len(fields) == 0 {
			return true
		}
	}
	return false
}

// pageIsScan reports whether page n of a PDF is a scanned image: one
// image on it, unmasked, with the page's proportions (upright or turned).
// A scanner that cuts its page into strips, a mixed-raster scan (a
// coarse background and a sharp mask of the writing), or a page of
// vector text with a logo on it is none: read as one image, it would
// lose the rest of the page.
func pageIsScan(pctx *model.Context, n int, dims []types.Dim) bool {
	d, w, h, ok := onlyImage(pctx, n, dims)
	if !ok || !pageShaped(w, h, dims[n-1]) {
		return false
	}
	if _, masked := d.Find("SMask"); masked {
		return false
	}
	if _, masked := d.Find("Mask"); masked {
		return false
	}
	// An image drawn stretched, its dots not square (a fax sent in
	// standard mode, 204 by 98 dots an inch, on an A4 page: halved, A4's
	// proportions turn into their own inverse), is not the page as it
	// stands: the page is rasterised as it shows.
	if dx, dy, ok := drawnDensities(pctx, n, w, h); ok && squareOff(dx, dy) {
		return false
	}
	return true
}

// onlyImage returns page n's one image and its size in pixels; ok is
// false where the page has none, or more than one.
func onlyImage(pctx *model.Context, n int, dims []types.Dim) (d *types.StreamDict, w, h int, ok bool) {
	nrs := pdfcpu.ImageObjNrs(pctx, n)
	if len(nrs) != 1 || n > len(dims) || dims[n-1].Width <= 0 || dims[n-1].Height <= 0 {
		return nil, 0, 0, false
	}
	obj, found := pctx.Optimize.ImageObjects[nrs[0]]
	if !found || obj.ImageDict == nil {
		return nil, 0, 0, false
	}
	wp, hp := obj.ImageDict.IntEntry("Width"), obj.ImageDict.IntEntry("Height")
	if wp == nil || hp == nil || *wp <= 0 || *hp <= 0 {
		return nil, 0, 0, false
	}
	return obj.ImageDict, *wp, *hp, true
}

// colourScan reports whether page n's one image is in colour: any but
// a grey colour space (DeviceGray, CalGray, an ICC profile of one
// component) or one bit a pixel. A JPEG 2000 image that names none holds
// its own, which may be colour.
func colourScan(pctx *model.Context, n int, dims []types.Dim) bool {
	d, _, _, ok := onlyImage(pctx, n, dims)
	if !ok {
		return false
	}
	if bpc := d.IntEntry("BitsPerComponent"); bpc != nil && *bpc == 1 {
		return false
	}
	if m := d.BooleanEntry("ImageMask"); m != nil && *m {
		return false
	}
	o, found := d.Find("ColorSpace")
	if !found {
		return true
	}
	o, err := pctx.Dereference(o)
	if err != nil {
		return true
	}
	switch cs := o.(type) {
	case types.Name:
		return cs != "DeviceGray" && cs != "CalGray"
	case types.Array:
		if len(cs) == 2 {
			if name, ok := cs[0].(types.Name); ok && name == "ICCBased" {
				if sd, _, err := pctx.DereferenceStreamDict(cs[1]); err == nil && sd != nil {
					if n := sd.IntEntry("N"); n != nil {
						return *n != 1
					}
				}
			}
		}
	}
	return true
}

// pageShaped reports whether an image of w by h pixels has the
// proportions of the page, upright or turned.
func pageShaped(w, h int, page types.Dim) bool {
	img, p := float64(w)/float64(h), page.Width/page.Height
	near := func(a, b float64) bool { return math.Abs(a/b-1) <= 0.08 }
	return near(img, p) || near(img, 1/p)
}

// scanDensity is the resolution, in dots an inch along its coarser axis,
// of the one image that fills page n (a scan; see pageIsScan, which also
// takes one drawn with dots not square), and false for a page that is
// not one image filling it.
func scanDensity(pctx *model.Context, n int, dims []types.Dim) (float64, bool) {
	_, w, h, ok := onlyImage(pctx, n, dims)
	if !ok {
		return 0, false
	}
	pw, ph := dims[n-1].Width, dims[n-1].Height
	dx, dy, drawn := drawnDensities(pctx, n, w, h)
	if !drawn {
		// Where it is drawn is not read: taken to fill the page,
		// upright or turned, when it has the page's proportions.
		if !pageShaped(w, h, dims[n-1]) {
			return 0, false
		}
		if (w > h) != (pw > ph) {
			pw, ph = ph, pw
		}
		dx, dy = float64(w)/pw, float64(h)/ph
	}
	// The whole page: the image's extent, in either orientation, within
	// a tenth of the page's.
	ew, eh := float64(w)/dx, float64(h)/dy
	fills := func(a, b float64) bool { return math.Abs(a/b-1) <= 0.1 }
	if !(fills(ew, pw) && fills(eh, ph)) && !(fills(ew, ph) && fills(eh, pw)) {
		return 0, false
	}
	return 72 * min(dx, dy), true
}

// cmOperator matches a content stream's cm operator and its six numbers.
var cmOperator = regexp.MustCompile(`(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+cm\b`)

// drawnDensities reads how page n draws its one image of w by h pixels:
// the pixels a point along the image's width and along its height, from
// the cm operators before its Do (a scan's page draws it once, in a
// content stream of a few operators); ok is false where that cannot be
// told.
func drawnDensities(pctx *model.Context, n, w, h int) (dx, dy float64, ok bool) {
	d, _, _, err := pctx.PageDict(n, false)
	if err != nil || d == nil {
		return 0, 0, false
	}
	content, err := pctx.PageContent(d, n)
	if err != nil || bytes.Count(content, []byte(" Do")) != 1 {
		return 0, 0, false
	}
	content = content[:bytes.Index(content, []byte(" Do"))]
	m := [6]float64{1, 0, 0, 1, 0, 0}
	found := false
	for _, c := range cmOperator.FindAllSubmatch(content, -1) {
		var v [6]float64
		for i := range v {
			if v[i], err = strconv.ParseFloat(string(c[i+1]), 64); err != nil {
				return 0, 0, false
			}
		}
		// The new matrix applies before the current one.
		m = [6]float64{v[0]*m[0] + v[1]*m[2], v[0]*m[1] + v[1]*m[3], v[2]*m[0] + v[3]*m[2], v[2]*m[1] + v[3]*m[3],
			v[4]*m[0] + v[5]*m[2] + m[4], v[4]*m[1] + v[5]*m[3] + m[5]}
		found = true
	}
	across, down := math.Hypot(m[0], m[1]), math.Hypot(m[2], m[3])
	if !found || across == 0 || down == 0 {
		return 0, 0, false
	}
	return float64(w) / across, float64(h) / down, true
}

// rasterise renders page (from 1) with poppler's pdftoppm, grey, or in
// colour when colour is set (a colour scan not decoded here, such as a
// Flate or JPEG 2000 image): then its coloured ink is dropped out and
// returned as marks (see toGray).
func rasterise(ctx context.Context, data []byte, dpi, page int, colour bool) (img, marks *image.Gray, err error) {
	dir, err := os.MkdirTemp("", "blankett-raster-")
	if err != nil {
		return nil, nil, fmt.Errorf("rasterise: %w", err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, nil, fmt.Errorf("rasterise: %w", err)
	}
	p := strconv.Itoa(page)
	args := []string{"-r", strconv.Itoa(dpi), "-f", p, "-l", p, "-singlefile"}
	if !colour {
		args = append(args, "-gray")
	}
	// #nosec G204 -- fixed binary, arguments built here (numbers and paths in our own temporary directory); no shell
	cmd := exec.CommandContext(ctx, "pdftoppm", append(args, in, filepath.Join(dir, "p"))...)
	if out, err := cmd.CombinedOutput(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return nil, nil, fmt.Errorf("rasterise: pdftoppm is not installed: %w", err)
		}
		return nil, nil, inputErr(fmt.Errorf("%w: %s", err, bytes.TrimSpace(out)), "PDF-filen kunde inte omvandlas till bilder")
	}
	name := filepath.Join(dir, "p.pgm")
	if colour {
		name = filepath.Join(dir, "p.ppm")
	}
	b, err := os.ReadFile(name) // #nosec G304 -- the page pdftoppm wrote in our own temporary directory
	if err != nil {
		return nil, nil, inputErr(fmt.Errorf("rasterise: %w", err), "Sida %d i PDF-filen kunde inte omvandlas till en bild", page)
	}
	decoded, err := decodePNM(b)
	if err != nil {
		return nil, nil, fmt.Errorf("rasterise: %s: %w", filepath.Base(name), err)
	}
	img, marks = toGray(decoded)
	return img, marks, nil
}

// decodePNM reads a binary 8-bit PGM (P5) or PPM (P6) as pdftoppm
// writes them: a grey image or a colour one.
func decodePNM(b []byte) (image.Image, error) {
	var w, h, maxv int
	fields := 0
	i := 2
	if len(b) < 2 || string(b[:2]) != "P5" && string(b[:2]) != "P6" {
		return nil, errors.New("not a binary PGM or PPM")
	}
	channels := 1
	if b[1] == '6' {
		channels = 3
	}
	vals := [3]*int{&w, &h, &maxv}
	for fields < 3 && i < len(b) {
		for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
			i++
		}
		if i < len(b) && b[i] == '#' {
			for i < len(b) && b[i] != '\n' {
				i++
			}
			continue
		}
		j := i
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		n, err := strconv.Atoi(string(b[i:j]))
		if err != nil {
			return nil, fmt.Errorf("PNM header: %w", err)
		}
		*vals[fields] = n
		fields++
		i = j
	}
	i++ // the single whitespace after maxval
	if maxv != 255 || w <= 0 || h <= 0 || (len(b)-i)/channels < w*h {
		return nil, errors.New("unsupported PNM")
	}
	if channels == 1 {
		img := image.NewGray(image.Rect(0, 0, w, h))
		copy(img.Pix, b[i:i+w*h])
		return img, nil
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for k := range w * h {
		copy(img.Pix[4*k:4*k+3], b[i+3*k:i+3*k+3])
		img.Pix[4*k+3] = 255
	}
	return img, nil
}

// pageErr names the page in a refusal by checkPixels.
func pageErr(err error, page int) error {
	if ie, ok := IsInputError(err); ok {
		return &InputError{Message: fmt.Sprintf("Sida %d: %s", page, lowerFirst(ie.Message)), Err: ie.Err}
	}
	return err
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = []rune(strings.ToLower(string(r[0])))[0]
	return string(r)
}

// checkPDFPixels checks a PDF's page images from their dictionaries'
// Width, Height, colour space and bits before any is decoded: every image
// on every page within MaxPixels and PageMemory, and the images together
// within the decompression ratio. A page without an image is judged by
// what rasterising it costs: its size at RasterDPI within MaxPixels and
// PageMemory, and its time within PageTime. Rasterised pages do not count
// towards the ratio: a few kilobytes of text make megabytes of pixels by
// design, not by a compression trick.
func checkPDFPixels(pctx *model.Context, fileBytes int, lim Limits) error {
	dims, err := pctx.XRefTable.PageDims()
	if err != nil {
		return inputErr(err, "PDF-filen är skadad eller går inte att läsa")
	}
	var decoded int64
	for n := 1; n <= pctx.PageCount; n++ {
		var largest int64
		rasterised := false // an image only poppler decodes: the page is rasterised
		for _, objNr := range pdfcpu.ImageObjNrs(pctx, n) {
			io, found := pctx.Optimize.ImageObjects[objNr]
			if !found || io.ImageDict == nil {
				continue
			}
			w, h := io.ImageDict.IntEntry("Width"), io.ImageDict.IntEntry("Height")
			if w == nil || h == nil {
				continue // undecodable without them; the decoder says so
			}
			if err := checkPixels(*w, *h, lim); err != nil {
				return pageErr(err, n)
			}
			largest = max(largest, int64(*w)*int64(*h))
			if !decodedHere(io.ImageDict) {
				rasterised = true
				continue
			}
			if err := checkPageMemory(*w, *h, pdfImageBytesPerPixel(io.ImageDict), lim); err != nil {
				return pageErr(err, n)
			}
		}
		if scan := pageIsScan(pctx, n, dims); (rasterised || !scan) && n <= len(dims) {
			// Not a scanned image, or one poppler decodes (Flate, JPEG
			// 2000, JBIG2): the page is rasterised from its media box,
			// and takes what its raster takes in this process.
			k := float64(lim.RasterDPI) / 72
			w, h := dims[n-1].Width*k, dims[n-1].Height*k
			if w*h > float64(lim.MaxPixels) || w < 1 || h < 1 {
				return inputErr(nil, "Sida %d är för stor för att omvandlas till bild (%.0f × %.0f punkter)", n, dims[n-1].Width, dims[n-1].Height)
			}
			bpp := float64(rasterBytesPerPixel)
			if scan && colourScan(pctx, n, dims) {
				bpp = colourRasterBytesPerPixel
			}
			if err := checkPageMemory(int(w), int(h), bpp, lim); err != nil {
				return pageErr(err, n)
			}
		}
		decoded += largest
	}
	return checkRatio(decoded, fileBytes, lim)
}

// decimal writes x with at most one decimal, with a decimal comma.
func decimal(x float64) string {
	return strings.Replace(strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64), ".", ",", 1)
}

// pdfText runs poppler's pdftotext on a PDF, with the options given
// (-bbox for each word's box), and returns what it prints: the text the
// PDF's pages print.
func pdfText(ctx context.Context, data []byte, opts ...string) ([]byte, error) {
	dir, err := os.MkdirTemp("", "blankett-text-")
	if err != nil {
		return nil, fmt.Errorf("pdftotext: %w", err)
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		return nil, fmt.Errorf("pdftotext: %w", err)
	}
	args := append(slices.Clone(opts), "-enc", "UTF-8", in, "-")
	// #nosec G204 -- fixed binary, fixed options and a path in our own temporary directory; no shell
	out, err := exec.CommandContext(ctx, "pdftotext", args...).Output()
	if err != nil {
		return nil, fmt.Errorf("pdftotext: %w", err)
	}
	return out, nil
}
