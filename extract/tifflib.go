package extract

// TIFF pages Go's decoder does not read are read by libtiff: pages
// compressed with JPEG, as production scanners and document systems save
// grey and colour pages (in strips or tiles, their tables held once a
// page); a fax server's Group 3 2-D pages, which the standard decoder
// takes for invalid codes; YCbCr pages; colours stored in separate
// planes; and whatever else libtiff reads. Their size is checked against
// the limits before, from the page's directory (tiffConfig). libtiff
// gives the page as RGBA, top row first, so a stamp's colour is dropped
// out as on any other colour scan; a page turned is turned upright from
// its letters, as every page is.

/*
#cgo LDFLAGS: -ltiff
#include <string.h>
#include <stdint.h>
#include <tiffio.h>

// A TIFF held in memory, read through libtiff's client procedures.
struct memtiff {
	const unsigned char *data;
	toff_t size, pos;
};

static tmsize_t mem_read(thandle_t h, void *buf, tmsize_t n) {
	struct memtiff *m = (struct memtiff *)h;
	if (n < 0 || m->pos >= m->size) {
		return 0;
	}
	toff_t left = m->size - m->pos;
	if ((toff_t)n > left) {
		n = (tmsize_t)left;
	}
	memcpy(buf, m->data + m->pos, (size_t)n);
	m->pos += (toff_t)n;
	return n;
}

static tmsize_t mem_write(thandle_t h, void *buf, tmsize_t n) {
	(void)h; (void)buf; (void)n;
	return -1;
}

static toff_t mem_seek(thandle_t h, toff_t off, int whence) {
	struct memtiff *m = (struct memtiff *)h;
	toff_t base = whence == SEEK_CUR ? m->pos : whence == SEEK_END ? m->size : 0;
	m->pos = base + off;
	return m->pos;
}

static int mem_close(thandle_t h) { (void)h; return 0; }
static toff_t mem_size(thandle_t h) { return ((struct memtiff *)h)->size; }
static int mem_map(thandle_t h, void **base, toff_t *size) { (void)h; (void)base; (void)size; return 0; }
static void mem_unmap(thandle_t h, void *base, toff_t size) { (void)h; (void)base; (void)size; }

// libtiff's warnings and errors are the file's, answered by the message
// the caller gives: nothing is printed.
static void quiet(const char *module, const char *fmt, va_list ap) { (void)module; (void)fmt; (void)ap; }

// tiff_page decodes directory n (from 0) of the TIFF in data into raster
// (w*h ABGR words, libtiff's packing), top row first. It returns 0 when
// libtiff cannot read the page or its size is not w×h.
static int tiff_page(const unsigned char *data, size_t size, int n, uint32_t w, uint32_t h, uint32_t *raster) {
	TIFFSetWarningHandler(quiet);
	TIFFSetErrorHandler(quiet);
	struct memtiff m = {data, size, 0};
	TIFF *tif = TIFFClientOpen("page", "rm", (thandle_t)&m, mem_read, mem_write, mem_seek, mem_close, mem_size, mem_map, mem_unmap);
	if (tif == NULL) {
		return 0;
	}
	uint32_t tw = 0, th = 0;
	int ok = TIFFSetDirectory(tif, (tdir_t)n) &&
		TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &tw) && TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &th) &&
		tw == w && th == h &&
		TIFFReadRGBAImageOriented(tif, w, h, raster, ORIENTATION_TOPLEFT, 0);
	TIFFClose(tif);
	return ok;
}
*/
import "C"

import (
	"encoding/binary"
	"image"
	"image/color"
	"math"
	"unsafe"
)

// tiffConfig is a page's size and colour model from its directory at
// off, for a page the standard decoder cannot describe: its width, height
// and samples a pixel (see tiffTags).
func tiffConfig(data []byte, order binary.ByteOrder, off uint32) (image.Config, error) {
	cfg := image.Config{ColorModel: color.GrayModel}
	ok := tiffTags(data, order, off, func(tag uint16, v float64) {
		switch tag {
		case 256:
			cfg.Width = int(v)
		case 257:
			cfg.Height = int(v)
		case 277:
			if v > 1 {
				cfg.ColorModel = color.RGBAModel
			}
		}
	})
	if !ok {
		return image.Config{}, inputErr(nil, "TIFF-filen är skadad")
	}
	return cfg, nil
}

// libtiffPage decodes page n (from 0) of a TIFF, cfg its size, with
// libtiff. ok is false when libtiff cannot read it either.
func libtiffPage(data []byte, n int, cfg image.Config) (img *image.RGBA, ok bool) {
	if len(data) == 0 || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > math.MaxInt32 || cfg.Height > math.MaxInt32 || n < 0 || n > math.MaxInt32 {
		return nil, false
	}
	img = image.NewRGBA(image.Rect(0, 0, cfg.Width, cfg.Height))
	// libtiff fills w×h words; the image's bytes are those words.
	raster := unsafe.Pointer(&img.Pix[0])
	cw, ch, cn := C.uint32_t(uint32(cfg.Width)), C.uint32_t(uint32(cfg.Height)), C.int(int32(n))
	// The file's bytes are passed as they are, not copied for each page:
	// libtiff reads them only during the call, and they hold no pointers.
	if C.tiff_page((*C.uchar)(unsafe.Pointer(&data[0])), C.size_t(len(data)), cn, cw, ch, (*C.uint32_t)(raster)) == 0 {
		return nil, false
	}
	// Each word is A<<24 | B<<16 | G<<8 | R: in memory, on a little-endian
	// machine, R G B A, as image.RGBA keeps them. (Big-endian machines
	// are not among those Blankett runs on.)
	return img, true
}
