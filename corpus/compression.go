package corpus

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// Page images as scanners compress them in a PDF beyond JPEG and CCITT G4
// (imageObj writes them): JBIG2, Flate and JPEG 2000.

// jbig2Embedded wraps one page's CCITT G4 (T.6) data as a JBIG2 stream in
// the embedded organisation a PDF's JBIG2Decode filter takes, the way many
// office scanners store a 1-bit page in a "compact" PDF: a page
// information segment and one immediate lossless generic region coded
// with MMR, which is T.6 itself (ITU T.88, 6.2.6). The file header and the
// end-of-page and end-of-file segments are left out, as ISO 32000 (7.4.7)
// asks. dpi and ydpi are the page's density (ydpi 0: as dpi).
func jbig2Embedded(g4 []byte, w, h, dpi, ydpi int) []byte {
	if ydpi == 0 {
		ydpi = dpi
	}
	perMetre := func(d int) uint32 { return uint32(float64(d)/0.0254 + 0.5) }
	var b []byte
	segment := func(number uint32, kind byte, data []byte) {
		b = binary.BigEndian.AppendUint32(b, number)
		b = append(b, kind, // flags: the type; a one-byte page association
			0x00, // refers to no segment
			1)    // page 1
		b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
		b = append(b, data...)
	}
	var page []byte
	page = binary.BigEndian.AppendUint32(page, uint32(w))
	page = binary.BigEndian.AppendUint32(page, uint32(h))
	page = binary.BigEndian.AppendUint32(page, perMetre(dpi))
	page = binary.BigEndian.AppendUint32(page, perMetre(ydpi))
	page = append(page, 0x01, 0x00, 0x00) // eventually lossless; white by default; not striped
	segment(0, 48, page)                  // page information
	var region []byte
	region = binary.BigEndian.AppendUint32(region, uint32(w))
	region = binary.BigEndian.AppendUint32(region, uint32(h))
	region = binary.BigEndian.AppendUint32(region, 0) // x
	region = binary.BigEndian.AppendUint32(region, 0) // y
	region = append(region, 0x00)                     // combined by OR
	region = append(region, 0x01)                     // MMR
	region = append(region, g4...)
	segment(1, 39, region) // immediate lossless generic region
	return b
}

// flateData packs a page for a FlateDecode image, as scanners that save
// without loss do: one bit a pixel for a bilevel page (1 white, as
// DeviceGray shows it), else a byte a pixel of grey, or three of RGB for
// a colour page.
func flateData(img image.Image, bilevel bool) (data []byte, bits int, colour bool, err error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	var raw []byte
	switch rgba, isColour := img.(*image.RGBA); {
	case bilevel:
		grey := greyOf(img)
		stride := (w + 7) / 8
		raw = make([]byte, stride*h)
		for y := range h {
			for x := range w {
				if grey.Pix[y*grey.Stride+x] >= 128 {
					raw[y*stride+x/8] |= 0x80 >> (x % 8)
				}
			}
		}
		bits = 1
	case isColour:
		raw = make([]byte, 0, 3*w*h)
		for y := range h {
			row := rgba.Pix[y*rgba.Stride:]
			for x := range w {
				raw = append(raw, row[4*x], row[4*x+1], row[4*x+2])
			}
		}
		bits, colour = 8, true
	default:
		grey := greyOf(img)
		raw = make([]byte, 0, w*h)
		for y := range h {
			raw = append(raw, grey.Pix[y*grey.Stride:y*grey.Stride+w]...)
		}
		bits = 8
	}
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	if _, err := zw.Write(raw); err != nil {
		return nil, 0, false, fmt.Errorf("flate: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, 0, false, fmt.Errorf("flate: %w", err)
	}
	return buf.Bytes(), bits, colour, nil
}

// jpxData encodes a grey or colour page as JPEG 2000 (a JP2 file, as a
// PDF's JPXDecode takes it) with OpenJPEG's opj_compress, lossy at the
// compression ratio given, as some production scanners save.
func jpxData(ctx context.Context, img image.Image, ratio int) (data []byte, colour bool, err error) {
	dir, err := os.MkdirTemp("", "blankett-jpx-")
	if err != nil {
		return nil, false, fmt.Errorf("jpx: %w", err)
	}
	defer os.RemoveAll(dir)
	b := img.Bounds()
	var pnm bytes.Buffer
	in := filepath.Join(dir, "in.pgm")
	if rgba, ok := img.(*image.RGBA); ok {
		colour, in = true, filepath.Join(dir, "in.ppm")
		fmt.Fprintf(&pnm, "P6\n%d %d\n255\n", b.Dx(), b.Dy())
		for y := range b.Dy() {
			row := rgba.Pix[y*rgba.Stride:]
			for x := range b.Dx() {
				pnm.Write(row[4*x : 4*x+3])
			}
		}
	} else {
		grey := greyOf(img)
		fmt.Fprintf(&pnm, "P5\n%d %d\n255\n", b.Dx(), b.Dy())
		for y := range b.Dy() {
			pnm.Write(grey.Pix[y*grey.Stride : y*grey.Stride+b.Dx()])
		}
	}
	if err := os.WriteFile(in, pnm.Bytes(), 0o600); err != nil {
		return nil, false, fmt.Errorf("jpx: %w", err)
	}
	out := filepath.Join(dir, "out.jp2")
	// #nosec G204 -- fixed binary; arguments are our own temporary paths and a number
	if msg, err := exec.CommandContext(ctx, "opj_compress", "-i", in, "-o", out, "-r", strconv.Itoa(ratio)).CombinedOutput(); err != nil {
		return nil, false, fmt.Errorf("jpx: opj_compress (apt-get install libopenjp2-tools): %w: %s", err, msg)
	}
	data, err = os.ReadFile(out) // #nosec G304 -- our own temporary file
	if err != nil {
		return nil, false, fmt.Errorf("jpx: %w", err)
	}
	return data, colour, nil
}
