package extract

// Most scans come as grey JPEGs (a PDF's DCTDecode page images, or a
// .jpg), and Go's decoder took a tenth of a page's extraction to decode
// one. libjpeg(-turbo) reads the file (markers, Huffman decoding, rows)
// in a fraction of the time; the inverse DCT it runs on each block is Go's
// own (image/jpeg's dct.go, Go 1.26's, translated below), dequantisation,
// level shift and clamping included, so that the pixels are the same as
// Go's decoder's, bit for bit (TestGreyJPEGSameAsGo checks every JPEG of
// the corpus), and so are the readings. libjpeg's own inverse DCTs round
// differently. The IDCT is set after jpeg_start_decompress, through
// libjpeg's internal interface (jpegint.h, installed with it): in a
// single-scan decompression nothing resets it after that.
//
// Whatever else (more than one component, progressive or arithmetic
// coding, which Go's decoder reads or refuses in its own way, a size that
// is not the one the header said, a warning about corrupt data, an error)
// goes to Go's decoder, whose errors and messages stay those of the files.

/*
#cgo LDFLAGS: -ljpeg
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>
#include <jpegint.h>

struct grey_err {
	struct jpeg_error_mgr pub;
	jmp_buf jump;
	int warnings;
};

static void grey_exit(j_common_ptr c) {
	longjmp(((struct grey_err *)c->err)->jump, 1);
}

static void grey_emit(j_common_ptr c, int level) {
	if (level < 0) {
		((struct grey_err *)c->err)->warnings++;
	}
}

static void grey_output(j_common_ptr c) { (void)c; }

// Go's fixed-point constants (dct.go): 60-bit values rounded to b bits.
#define GO_C(x, b) ((int32_t)(((uint64_t)(x) + (1ULL << (59 - (b)))) >> (60 - (b))))
#define COS1 1130768441178740757ULL
#define SIN1 224923827593068887ULL
#define COS3 958619196450722178ULL
#define SIN3 640528868967736374ULL
#define SQRT2INV 815238614083298888ULL
#define SQRT2INV_COS6 311978311033955632ULL
#define SQRT2INV_SIN6 753182269664427492ULL

// Go's int32 arithmetic wraps around; C's signed arithmetic may not
// overflow, so it is done unsigned (a damaged file's coefficients can be
// anything). Right shifts of negative values are arithmetic in GCC and
// Clang, as in Go.
#define ADD(a, b) ((int32_t)((uint32_t)(a) + (uint32_t)(b)))
#define SUB(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)))
#define MUL(a, b) ((int32_t)((uint32_t)(a) * (uint32_t)(b)))
#define SHL(a, n) ((int32_t)((uint32_t)(a) << (n)))

// go_box is dct.go's dctBox.
static inline void go_box(int32_t x0, int32_t x1, int32_t kcos, int32_t ksin, int32_t *y0, int32_t *y1) {
	int32_t ksum = MUL(kcos, ADD(x0, x1));
	*y0 = ADD(ksum, MUL(SUB(ksin, kcos), x1));
	*y1 = SUB(ksum, MUL(ADD(kcos, ksin), x0));
}

// go_idct is image/jpeg's reconstructBlock for a grey image: dequantise,
// dct.go's idct (idctRows, then idctCols), level shift and clamp.
static void go_idct(j_decompress_ptr cinfo, jpeg_component_info *comp, JCOEFPTR coef,
		JSAMPARRAY out, JDIMENSION col) {
	const UINT16 *q = comp->quant_table->quantval;
	int32_t b[64], t0, t1;
	int i;
	(void)cinfo;
	for (i = 1; i < 64 && coef[i] == 0; i++) {
	}
	if (i == 64) {
		// Only the DC coefficient, as most of a page's blocks (paper):
		// the transform below then gives every pixel this value.
		int32_t c = (ADD(SHL(MUL(coef[0], q[0]), 17), 1 << 19) >> 2) >> 18;
		JSAMPLE v = c < -128 ? 0 : c > 127 ? 255 : (JSAMPLE)(c + 128);
		for (i = 0; i < 8; i++) {
			memset(out[i] + col, v, 8);
		}
		return;
	}
	for (i = 0; i < 64; i++) {
		b[i] = MUL(coef[i], q[i]);
	}
	for (i = 0; i < 8; i++) {
		int32_t *x = b + 8 * i;
		int32_t x0 = x[0], x7 = x[1], x2 = x[2], x5 = x[3], x1 = x[4], x6 = x[5], x3 = x[6], x4 = x[7];
		x0 = SHL(x0, 17);
		x1 = SHL(x1, 17);
		t0 = ADD(x0, x1), t1 = SUB(x0, x1), x0 = t0, x1 = t1;
		go_box(x2, x3, GO_C(SQRT2INV_COS6, 18), -GO_C(SQRT2INV_SIN6, 18), &x2, &x3);
		t0 = ADD(x1, x2), t1 = SUB(x1, x2), x1 = t0, x2 = t1;
		t0 = ADD(x0, x3), t1 = SUB(x0, x3), x0 = t0, x3 = t1;
		x4 = SHL(x4, 7);
		x7 = SHL(x7, 7);
		t0 = ADD(x7, x4), t1 = SUB(x7, x4), x7 = t0, x4 = t1;
		x6 = MUL(x6, GO_C(SQRT2INV, 8));
		x5 = MUL(x5, GO_C(SQRT2INV, 8));
		t0 = ADD(x7, x5), t1 = SUB(x7, x5), x7 = t0, x5 = t1;
		t0 = ADD(x4, x6), t1 = SUB(x4, x6), x4 = t0, x6 = t1;
		go_box(x4 >> 2, x7 >> 2, GO_C(COS3, 12), -GO_C(SIN3, 12), &x4, &x7);
		go_box(x5 >> 2, x6 >> 2, GO_C(COS1, 12), -GO_C(SIN1, 12), &x5, &x6);
		t0 = ADD(x0, x7), t1 = SUB(x0, x7), x0 = t0, x7 = t1;
		t0 = ADD(x1, x6), t1 = SUB(x1, x6), x1 = t0, x6 = t1;
		t0 = ADD(x2, x5), t1 = SUB(x2, x5), x2 = t0, x5 = t1;
		t0 = ADD(x3, x4), t1 = SUB(x3, x4), x3 = t0, x4 = t1;
		x[0] = x0, x[1] = x1, x[2] = x2, x[3] = x3, x[4] = x4, x[5] = x5, x[6] = x6, x[7] = x7;
	}
	for (i = 0; i < 8; i++) {
		int32_t x0 = b[0 * 8 + i], x7 = b[1 * 8 + i], x2 = b[2 * 8 + i], x5 = b[3 * 8 + i];
		int32_t x1 = b[4 * 8 + i], x6 = b[5 * 8 + i], x3 = b[6 * 8 + i], x4 = b[7 * 8 + i];
		x0 = ADD(x0, 1 << 19);
		t0 = ADD(x0, x1) >> 2, t1 = SUB(x0, x1) >> 2, x0 = t0, x1 = t1;
		go_box(x2 >> 13, x3 >> 13, GO_C(SQRT2INV_COS6, 12), -GO_C(SQRT2INV_SIN6, 12), &x2, &x3);
		t0 = ADD(x1, x2), t1 = SUB(x1, x2), x1 = t0, x2 = t1;
		t0 = ADD(x0, x3), t1 = SUB(x0, x3), x0 = t0, x3 = t1;
		t0 = ADD(x7, x4), t1 = SUB(x7, x4), x7 = t0, x4 = t1;
		x5 = MUL(x5 >> 13, GO_C(SQRT2INV, 14));
		x6 = MUL(x6 >> 13, GO_C(SQRT2INV, 14));
		t0 = ADD(x7, x5), t1 = SUB(x7, x5), x7 = t0, x5 = t1;
		t0 = ADD(x4, x6), t1 = SUB(x4, x6), x4 = t0, x6 = t1;
		go_box(x4 >> 14, x7 >> 14, GO_C(COS3, 12), -GO_C(SIN3, 12), &x4, &x7);
		go_box(x5 >> 14, x6 >> 14, GO_C(COS1, 12), -GO_C(SIN1, 12), &x5, &x6);
		t0 = ADD(x0, x7), t1 = SUB(x0, x7), x0 = t0, x7 = t1;
		t0 = ADD(x1, x6), t1 = SUB(x1, x6), x1 = t0, x6 = t1;
		t0 = ADD(x2, x5), t1 = SUB(x2, x5), x2 = t0, x5 = t1;
		t0 = ADD(x3, x4), t1 = SUB(x3, x4), x3 = t0, x4 = t1;
		b[0 * 8 + i] = x0 >> 18, b[1 * 8 + i] = x1 >> 18, b[2 * 8 + i] = x2 >> 18, b[3 * 8 + i] = x3 >> 18;
		b[4 * 8 + i] = x4 >> 18, b[5 * 8 + i] = x5 >> 18, b[6 * 8 + i] = x6 >> 18, b[7 * 8 + i] = x7 >> 18;
	}
	for (i = 0; i < 8; i++) {
		JSAMPROW row = out[i] + col;
		int j;
		for (j = 0; j < 8; j++) {
			int32_t c = b[8 * i + j];
			row[j] = c < -128 ? 0 : c > 127 ? 255 : (JSAMPLE)(c + 128);
		}
	}
}

// grey_decode decodes a one-component, sequential, Huffman-coded JPEG of
// width×height into out (rows stride bytes apart). It returns 0 when every
// row was decoded without a warning, else non-zero and out is to be thrown
// away.
static int grey_decode(const unsigned char *data, unsigned long n, unsigned char *out,
		int width, int height, int stride) {
	struct jpeg_decompress_struct d;
	struct grey_err e;
	d.err = jpeg_std_error(&e.pub);
	e.pub.error_exit = grey_exit;
	e.pub.emit_message = grey_emit;
	e.pub.output_message = grey_output;
	e.warnings = 0;
	if (setjmp(e.jump)) {
		jpeg_destroy_decompress(&d);
		return 2;
	}
	jpeg_create_decompress(&d);
	jpeg_mem_src(&d, data, n);
	if (jpeg_read_header(&d, TRUE) != JPEG_HEADER_OK || d.num_components != 1 ||
			d.jpeg_color_space != JCS_GRAYSCALE || d.progressive_mode || d.arith_code ||
			d.data_precision != 8 || d.comp_info[0].h_samp_factor != 1 || d.comp_info[0].v_samp_factor != 1 ||
			(int)d.image_width != width || (int)d.image_height != height) {
		jpeg_destroy_decompress(&d);
		return 1;
	}
	d.out_color_space = JCS_GRAYSCALE;
	d.dct_method = JDCT_ISLOW;
	d.do_block_smoothing = FALSE;
	d.buffered_image = FALSE;
	jpeg_start_decompress(&d);
	if ((int)d.output_width != width || (int)d.output_height != height || d.output_components != 1 ||
			d.comp_info[0].quant_table == NULL || e.warnings != 0) {
		jpeg_destroy_decompress(&d);
		return 1;
	}
	d.idct->inverse_DCT[0] = go_idct;
	while (d.output_scanline < d.output_height) {
		JSAMPROW rows[16];
		JDIMENSION left = d.output_height - d.output_scanline, k;
		if (left > 16) {
			left = 16;
		}
		for (k = 0; k < left; k++) {
			rows[k] = out + (unsigned long)(d.output_scanline + k) * (unsigned long)stride;
		}
		if (jpeg_read_scanlines(&d, rows, left) == 0) {
			jpeg_destroy_decompress(&d);
			return 3;
		}
	}
	jpeg_finish_decompress(&d);
	jpeg_destroy_decompress(&d);
	return e.warnings == 0 ? 0 : 4;
}
*/
import "C"

import (
	"image"
	"math"
	"unsafe"
)

// decodeGreyJPEG decodes a grey JPEG whose header says it is w×h with
// libjpeg; ok is false when it did not decode cleanly, and Go's decoder
// is to decode it instead.
func decodeGreyJPEG(data []byte, w, h int) (*image.Gray, bool) {
	// A JPEG is 65,535 pixels a side at most.
	if len(data) == 0 || w <= 0 || h <= 0 || w > math.MaxUint16 || h > math.MaxUint16 {
		return nil, false
	}
	g := image.NewGray(image.Rect(0, 0, w, h))
	cw, ch := C.int(int32(w)), C.int(int32(h)) // #nosec G115 -- 1 to 65,535, checked above
	rc := C.grey_decode((*C.uchar)(unsafe.Pointer(&data[0])), C.ulong(len(data)),
		(*C.uchar)(unsafe.Pointer(&g.Pix[0])), cw, ch, cw)
	if rc != 0 {
		return nil, false
	}
	return g, true
}
