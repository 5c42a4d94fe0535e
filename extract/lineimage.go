package extract

// Tesseract's LSTM engine keeps the image of each line it reads as a PNG
// in memory (ImageData::SetPixInternal writes it with pixWriteMem and
// IFF_PNG) and decodes it again to scale it for the network: on the zones
// of a page, compressing and decoding those PNGs was about a twentieth of
// the time Tesseract took. The function below takes the place of
// Leptonica's pixWriteMem (the executable's symbols come first, as in
// openmp.go): a PNG asked for is written instead in Leptonica's own
// uncompressed serialisation (spix), which pixReadMem reads back by its
// header, pixel for pixel, depth and all. Any other format goes on to
// Leptonica's own function. Nothing else in the process writes images
// through Leptonica; the readings are the same word for word
// (TestOpenMPInline counts the lines written here).

/*
#cgo LDFLAGS: -llept -ldl
#define _GNU_SOURCE
#include <dlfcn.h>
#include <leptonica/allheaders.h>

static unsigned long long line_images;

l_ok pixWriteMem(l_uint8 **pdata, size_t *psize, PIX *pix, l_int32 format) {
	static l_ok (*next)(l_uint8 **, size_t *, PIX *, l_int32);
	if (format == IFF_PNG) {
		__atomic_add_fetch(&line_images, 1, __ATOMIC_RELAXED);
		return pixWriteMemSpix(pdata, psize, pix);
	}
	if (next == NULL) {
		next = (l_ok (*)(l_uint8 **, size_t *, PIX *, l_int32))dlsym(RTLD_NEXT, "pixWriteMem");
		if (next == NULL) {
			return 1;
		}
	}
	return next(pdata, psize, pix, format);
}

static unsigned long long line_images_written(void) { return __atomic_load_n(&line_images, __ATOMIC_RELAXED); }
*/
import "C"

// lineImages is the number of line images Tesseract kept uncompressed.
func lineImages() uint64 { return uint64(C.line_images_written()) }
