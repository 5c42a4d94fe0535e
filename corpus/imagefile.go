package corpus

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// pdfImage is one page image for an image-only PDF.
type pdfImage struct {
	W, H   int // pixels
	DPI    int
	YDPI   int // rows an inch, where not DPI (a fax sent in standard mode)
	Data   []byte
	Filter string // "DCTDecode" (8-bit JPEG), "CCITTFaxDecode" (G4, 1 bit), "JBIG2Decode" (1 bit), "FlateDecode" or "JPXDecode"
	Bits   int    // FlateDecode: bits a sample, 1 or 8
	Colour bool   // DCTDecode, FlateDecode or JPXDecode in RGB
	Invert bool   // 1-bit data stored white-is-one: /Decode [1 0]
	// Strips, when there are some, are the page's image cut across into
	// horizontal strips, top first, each its own image (W wide), as some
	// scanners write a page; Data and Filter are then unused.
	Strips []pdfImage
}

// imagePDF writes an image-only PDF, one image filling each page, the way
// a scanner does. The writer is our own so the output is byte-for-byte
// reproducible.
func imagePDF(pages []pdfImage) []byte {
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
	buf.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	// Each page is its page object, its content stream and its images.
	images := func(p pdfImage) []pdfImage {
		if len(p.Strips) > 0 {
			return p.Strips
		}
		return []pdfImage{p}
	}
	kids, next := "", 4
	for _, p := range pages {
		kids += fmt.Sprintf("%d 0 R ", next)
		next += 2 + len(images(p))
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>", nil)
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids, len(pages)), nil)
	obj("<< /Producer (Blankett corpus scan simulator) /Creator (blankett corpus) >>", nil)
	for _, page := range pages {
		wpt := float64(page.W) * 72 / float64(page.DPI)
		hpt := float64(page.H) * 72 / float64(cmp.Or(page.YDPI, page.DPI))
		nr := len(offsets) + 1
		xobjects, content := "", ""
		top := hpt
		for j, p := range images(page) {
			xobjects += fmt.Sprintf("/Im%d %d 0 R ", j, nr+2+j)
			h := float64(p.H) * 72 / float64(page.DPI)
			top -= h
			content += fmt.Sprintf("q %.2f 0 0 %.2f 0 %.2f cm /Im%d Do Q ", wpt, h, top, j)
		}
		if len(page.Strips) == 0 {
			content = fmt.Sprintf("q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q", wpt, hpt)
		}
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << %s>> >> /Contents %d 0 R >>",
			wpt, hpt, xobjects, nr+1), nil)
		obj(fmt.Sprintf("<< /Length %d >>", len(content)), []byte(content))
		for _, p := range images(page) {
			imageObj(obj, p)
		}
	}
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&buf, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return buf.Bytes()
}

// imageObj writes the image XObject of p with obj.
func imageObj(obj func(body string, stream []byte), p pdfImage) {
	var dict string
	switch p.Filter {
	case "CCITTFaxDecode":
		decode := ""
		if p.Invert {
			decode = " /Decode [1 0]"
		}
		dict = fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1%s /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns %d /Rows %d /BlackIs1 false >> /Length %d >>",
			p.W, p.H, decode, p.W, p.H, len(p.Data))
	case "JBIG2Decode":
		decode := ""
		if p.Invert {
			decode = " /Decode [1 0]"
		}
		dict = fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 1%s /Filter /JBIG2Decode /Length %d >>",
			p.W, p.H, decode, len(p.Data))
	case "FlateDecode":
		dict = fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent %d /Filter /FlateDecode /Length %d >>",
			p.W, p.H, colourSpace(p.Colour), p.Bits, len(p.Data))
	case "JPXDecode":
		// The JP2 file says its bits; the colour space is said again.
		dict = fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /Filter /JPXDecode /Length %d >>",
			p.W, p.H, colourSpace(p.Colour), len(p.Data))
	default:
		dict = fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>",
			p.W, p.H, colourSpace(p.Colour), len(p.Data))
	}
	obj(dict, p.Data)
}

// colourSpace is the PDF colour space of a page image, RGB or grey.
func colourSpace(colour bool) string {
	if colour {
		return "/DeviceRGB"
	}
	return "/DeviceGray"
}

// BilevelTIFF writes an uncompressed 1-bit TIFF: min-is-white (1 =
// black), or with minIsBlack photometric 1 (1 = white), as Pillow saves.
func BilevelTIFF(img *image.Gray, dpi int, minIsBlack bool) []byte {
	return BilevelTIFFAt(img, dpi, dpi, minIsBlack)
}

// BilevelTIFFAt is BilevelTIFF with ydpi rows an inch (a fax sent in
// standard mode has half as many as columns).
func BilevelTIFFAt(img *image.Gray, dpi, ydpi int, minIsBlack bool) []byte {
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	rowBytes := (w + 7) / 8
	data := make([]byte, rowBytes*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if (img.Pix[y*img.Stride+x] < 128) != minIsBlack {
				data[y*rowBytes+x/8] |= 0x80 >> (x % 8)
			}
		}
	}
	photometric := 0
	if minIsBlack {
		photometric = 1
	}
	return stripTIFF(w, h, 1, 1, photometric, dpi, ydpi, data)
}

// stripTIFF writes an uncompressed little-endian TIFF of one page in one
// strip: bits a sample, samples a pixel (1, or 3 for RGB), photometric,
// resolution dpi across and ydpi down, and the pixels' bytes.
func stripTIFF(w, h, bits, samples, photometric, dpi, ydpi int, data []byte) []byte {
	type entry struct {
		tag, typ uint16
		count    uint32
		value    uint32
	}
	const nEntries = 12
	ifdOff := 8
	ratOff := ifdOff + 2 + nEntries*12 + 4
	dataOff := ratOff + 16
	bps := entry{258, 3, 1, uint32(bits)}
	if samples > 1 {
		bps = entry{258, 3, uint32(samples), uint32(dataOff)}
		dataOff += 8
	}
	entries := []entry{
		{256, 4, 1, uint32(w)},
		{257, 4, 1, uint32(h)},
		bps,
		{259, 3, 1, 1},
		{262, 3, 1, uint32(photometric)},
		{273, 4, 1, uint32(dataOff)},
		{277, 3, 1, uint32(samples)},
		{278, 4, 1, uint32(h)},
		{279, 4, 1, uint32(len(data))},
		{282, 5, 1, uint32(ratOff)},
		{283, 5, 1, uint32(ratOff + 8)},
		{296, 3, 1, 2},
	}
	var buf bytes.Buffer
	le := binary.LittleEndian
	buf.WriteString("II")
	binary.Write(&buf, le, uint16(42))
	binary.Write(&buf, le, uint32(ifdOff))
	binary.Write(&buf, le, uint16(len(entries)))
	for _, e := range entries {
		binary.Write(&buf, le, e.tag)
		binary.Write(&buf, le, e.typ)
		binary.Write(&buf, le, e.count)
		binary.Write(&buf, le, e.value) // SHORT values sit in the low bytes (little endian)
	}
	binary.Write(&buf, le, uint32(0))
	for _, res := range []int{dpi, ydpi} {
		binary.Write(&buf, le, uint32(res))
		binary.Write(&buf, le, uint32(1))
	}
	if samples > 1 {
		binary.Write(&buf, le, [4]uint16{uint16(bits), uint16(bits), uint16(bits), 0}) // #nosec G115 -- 8
	}
	buf.Write(data)
	return buf.Bytes()
}

// PlainTIFF writes an uncompressed 8-bit TIFF of a grey page
// (photometric 1) or an RGB one (photometric 2, from *image.RGBA), the
// input tiffcp compresses.
func PlainTIFF(img image.Image, dpi int) []byte {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	samples := 1
	var data []byte
	switch src := img.(type) {
	case *image.RGBA:
		samples = 3
		data = make([]byte, 0, 3*w*h)
		for y := range h {
			row := src.Pix[src.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := range w {
				data = append(data, row[4*x], row[4*x+1], row[4*x+2])
			}
		}
	default:
		g := greyOf(img)
		data = make([]byte, 0, w*h)
		for y := range h {
			data = append(data, g.Pix[y*g.Stride:y*g.Stride+w]...)
		}
	}
	photometric := 1
	if samples == 3 {
		photometric = 2
	}
	return stripTIFF(w, h, 8, samples, photometric, dpi, dpi, data)
}

// JPEGTIFF saves pages as production scanners and document systems do: a
// multi-page TIFF compressed with JPEG at quality by libtiff's tiffcp, in
// strips of 16 rows whose tables are held once a page (JPEGTables),
// colour pages as YCbCr.
func JPEGTIFF(ctx context.Context, imgs []image.Image, dpi, quality int) ([]byte, error) {
	dir, err := os.MkdirTemp("", "blankett-tiffjpeg-")
	if err != nil {
		return nil, fmt.Errorf("jpeg tiff: %w", err)
	}
	defer os.RemoveAll(dir)
	args := []string{"-c", "jpeg:" + strconv.Itoa(quality), "-r", "16"}
	for i, img := range imgs {
		p := filepath.Join(dir, "p"+strconv.Itoa(i)+".tif")
		if err := os.WriteFile(p, PlainTIFF(img, dpi), 0o600); err != nil {
			return nil, fmt.Errorf("jpeg tiff: %w", err)
		}
		args = append(args, p)
	}
	out := filepath.Join(dir, "out.tif")
	args = append(args, out)
	if b, err := exec.CommandContext(ctx, "tiffcp", args...).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("jpeg tiff: tiffcp (apt-get install libtiff-tools): %w: %s", err, b)
	}
	tif, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("jpeg tiff: %w", err)
	}
	return tif, nil
}

// g4Pages encodes bilevel pages as CCITT G4 with libtiff's tiffcp and
// returns the multi-page TIFF and each page's G4 strip.
func g4Pages(ctx context.Context, imgs []*image.Gray, dpi, ydpi int, minIsBlack bool) ([]byte, []pdfImage, error) {
	dir, err := os.MkdirTemp("", "blankett-g4-")
	if err != nil {
		return nil, nil, fmt.Errorf("g4: %w", err)
	}
	defer os.RemoveAll(dir)
	args := []string{"-c", "g4", "-r", "1000000"}
	for i, img := range imgs {
		p := filepath.Join(dir, "p"+strconv.Itoa(i)+".tif")
		if err := os.WriteFile(p, BilevelTIFFAt(img, dpi, ydpi, minIsBlack), 0o600); err != nil {
			return nil, nil, fmt.Errorf("g4: %w", err)
		}
		args = append(args, p)
	}
	out := filepath.Join(dir, "out.tif")
	args = append(args, out)
	if b, err := exec.CommandContext(ctx, "tiffcp", args...).CombinedOutput(); err != nil {
		return nil, nil, fmt.Errorf("g4: tiffcp (apt-get install libtiff-tools): %w: %s", err, b)
	}
	tif, err := os.ReadFile(out)
	if err != nil {
		return nil, nil, fmt.Errorf("g4: %w", err)
	}
	pages, err := tiffStrips(tif)
	if err != nil {
		return nil, nil, fmt.Errorf("g4: %w", err)
	}
	for i := range pages {
		pages[i].DPI, pages[i].YDPI = dpi, ydpi
		pages[i].Filter = "CCITTFaxDecode"
		pages[i].Invert = minIsBlack
	}
	return tif, pages, nil
}

// EveryOtherRow is a page as a fax sent in standard mode stores it: every
// other row of it (the machine scans half as many rows an inch as in fine
// mode).
func EveryOtherRow(img *image.Gray) *image.Gray {
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()/2))
	for y := range out.Rect.Dy() {
		copy(out.Pix[y*out.Stride:], img.Pix[img.PixOffset(b.Min.X, b.Min.Y+2*y):img.PixOffset(b.Max.X, b.Min.Y+2*y)])
	}
	return out
}

// tiffStrips reads a little-endian TIFF's pages, each a single strip.
func tiffStrips(b []byte) ([]pdfImage, error) {
	le := binary.LittleEndian
	if len(b) < 8 || string(b[:2]) != "II" {
		return nil, fmt.Errorf("not a little-endian tiff")
	}
	var out []pdfImage
	off := int(le.Uint32(b[4:]))
	for off != 0 {
		if off+2 > len(b) {
			return nil, fmt.Errorf("ifd offset %d out of range", off)
		}
		n := int(le.Uint16(b[off:]))
		var p pdfImage
		var stripOff, stripLen []int
		for i := 0; i < n; i++ {
			e := b[off+2+i*12:]
			tag, typ, count := le.Uint16(e), le.Uint16(e[2:]), int(le.Uint32(e[4:]))
			vals := func() []int {
				size := 4
				if typ == 3 {
					size = 2
				}
				data := e[8:12]
				if count*size > 4 {
					o := int(le.Uint32(e[8:]))
					data = b[o : o+count*size]
				}
				var vs []int
				for k := 0; k < count; k++ {
					if size == 2 {
						vs = append(vs, int(le.Uint16(data[k*2:])))
					} else {
						vs = append(vs, int(le.Uint32(data[k*4:])))
					}
				}
				return vs
			}
			switch tag {
			case 256:
				p.W = vals()[0]
			case 257:
				p.H = vals()[0]
			case 259:
				if c := vals()[0]; c != 4 {
					return nil, fmt.Errorf("compression %d, want 4 (G4)", c)
				}
			case 273:
				stripOff = vals()
			case 279:
				stripLen = vals()
			}
		}
		if len(stripOff) != 1 || len(stripLen) != 1 {
			return nil, fmt.Errorf("want one strip a page, got %d", len(stripOff))
		}
		p.Data = b[stripOff[0] : stripOff[0]+stripLen[0]]
		out = append(out, p)
		off = int(le.Uint32(b[off+2+n*12:]))
	}
	return out, nil
}
