package extract

import (
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/otiai10/gosseract/v2"
)

// OCR is a bounded pool of Tesseract clients, one per worker goroutine
// (a client is not safe for concurrent use). Tesseract runs
// single-threaded whatever the environment says (see openmp.go); the
// scripts set OMP_THREAD_LIMIT=1 all the same.
type OCR struct {
	clients map[string]chan *ocrClient // by language
	calls   atomic.Int64               // recognitions run (Stats)
	busy    atomic.Int64               // nanoseconds spent in them
}

// Stats says how many recognitions the pool has run and how long they
// took in all: what a page's extraction spends in Tesseract, where its
// time goes.
func (o *OCR) Stats() (calls int64, busy time.Duration) {
	return o.calls.Load(), time.Duration(o.busy.Load())
}

type ocrClient struct {
	c    *gosseract.Client
	lang string
	uses int
}

// recycleAfter bounds the uses of one client: the binding does not free
// every result string, so clients are replaced now and then.
const recycleAfter = 2000

// Languages are the models extraction reads with: swe for names and text
// (and digits the English model misreads), eng for e-mail addresses (the
// Swedish model has no @) and digits, fra for the è, ü, ç the Swedish model lacks, nor
// for ø and æ and spa for á í ó ú ñ in names read in doubt, and the
// Latin-script model, which has all of those, for a vote on every name.
var Languages = []string{"swe", "eng", "fra", "nor", "spa", latinModel}

// NewOCR makes a pool of size clients for each language (e.g. "swe" for
// names and text, "eng" for e-mail addresses, whose @ the Swedish model
// misreads). Clients are created one at a time: the first use redirects
// the process's stderr.
func NewOCR(size int, langs ...string) (*OCR, error) {
	if size < 1 {
		size = 1
	}
	o := &OCR{clients: map[string]chan *ocrClient{}}
	for _, lang := range langs {
		ch := make(chan *ocrClient, size)
		o.clients[lang] = ch
		for range size {
			c, err := newClient(lang)
			if err != nil {
				o.Close()
				return nil, err
			}
			ch <- c
		}
	}
	return o, nil
}

func newClient(lang string) (*ocrClient, error) {
	c := gosseract.NewClient()
	if err := c.SetLanguage(lang); err != nil {
		_ = c.Close() // gosseract's Close always returns nil
		return nil, fmt.Errorf("ocr: language %s: %w", lang, err)
	}
	// Initialise now, on a tiny blank image, so that later settings
	// (page segmentation mode) are not reset by a first Init.
	blank := image.NewGray(image.Rect(0, 0, 8, 8))
	for i := range blank.Pix {
		blank.Pix[i] = 255
	}
	if err := c.SetImageFromBytes(encodeBMP(blank)); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("ocr: init: %w", err)
	}
	if _, err := c.Text(); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("ocr: init Tesseract (%s data installed?): %w", lang, err)
	}
	return &ocrClient{c: c, lang: lang}, nil
}

// Close frees every client. Call it once no Read is running.
func (o *OCR) Close() {
	for _, ch := range o.clients {
	drain:
		for {
			select {
			case c := <-ch:
				_ = c.c.Close()
			default:
				break drain
			}
		}
	}
}

// Mode says how Tesseract segments an image.
type Mode int

// Modes.
const (
	SingleLine Mode = Mode(gosseract.PSM_SINGLE_LINE)
	Block      Mode = Mode(gosseract.PSM_SINGLE_BLOCK)
	Auto       Mode = Mode(gosseract.PSM_AUTO)
)

// Word is one recognised word with its box and confidence (0–1).
type Word struct {
	Text       string
	Box        image.Rectangle
	Confidence float64
	Line       int // line number within its block
	Block      int
}

// Reading is what one Read recognised.
type Reading struct {
	Words []Word
}

// Text joins the words, a line break between lines.
func (r Reading) Text() string {
	var b strings.Builder
	for i, w := range r.Words {
		if i > 0 {
			prev := r.Words[i-1]
			if prev.Line != w.Line || prev.Block != w.Block {
				b.WriteByte('\n')
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(w.Text)
	}
	return b.String()
}

// Confidence is the mean word confidence (0 when nothing was read).
func (r Reading) Confidence() float64 {
	if len(r.Words) == 0 {
		return 0
	}
	var sum float64
	for _, w := range r.Words {
		sum += w.Confidence
	}
	return sum / float64(len(r.Words))
}

// Weakest is the lowest word confidence: a value is as doubtful as its
// most doubtful word (0 when nothing was read).
func (r Reading) Weakest() float64 {
	if len(r.Words) == 0 {
		return 0
	}
	low := 1.0
	for _, w := range r.Words {
		low = min(low, w.Confidence)
	}
	return low
}

// Read recognises img at dpi with the model for lang (one the pool was
// made with). whitelist limits the characters ("" for any). It waits for a
// free client, or for ctx.
func (o *OCR) Read(ctx context.Context, lang string, img *image.Gray, dpi int, mode Mode, whitelist string) (Reading, error) {
	ch, ok := o.clients[lang]
	if !ok {
		return Reading{}, fmt.Errorf("ocr: no %s model in the pool", lang)
	}
	var c *ocrClient
	select {
	case c = <-ch:
	case <-ctx.Done():
		return Reading{}, ctx.Err()
	}
	defer func() { ch <- c }()
	if c.uses >= recycleAfter {
		if fresh, err := newClient(lang); err == nil {
			_ = c.c.Close()
			c = fresh
		}
	}
	c.uses++
	b := img.Bounds()
	if b.Dx() < 2 || b.Dy() < 2 {
		return Reading{}, nil
	}
	if err := c.c.SetImageFromBytes(encodeBMP(img)); err != nil {
		return Reading{}, fmt.Errorf("ocr: set image: %w", err)
	}
	if err := c.c.SetVariable("user_defined_dpi", strconv.Itoa(dpi)); err != nil {
		return Reading{}, fmt.Errorf("ocr: set dpi: %w", err)
	}
	if err := c.c.SetWhitelist(whitelist); err != nil {
		return Reading{}, fmt.Errorf("ocr: set whitelist: %w", err)
	}
	if err := c.c.SetPageSegMode(gosseract.PageSegMode(mode)); err != nil {
		return Reading{}, fmt.Errorf("ocr: set segmentation mode: %w", err)
	}
	if err := c.c.SetVariable("tessedit_do_invert", boolVar(invertDoubtful(mode))); err != nil {
		return Reading{}, fmt.Errorf("ocr: set inversion: %w", err)
	}
	start := time.Now()
	boxes, err := c.c.GetBoundingBoxesVerbose()
	o.calls.Add(1)
	o.busy.Add(int64(time.Since(start)))
	if err != nil {
		return Reading{}, fmt.Errorf("ocr: recognise: %w", err)
	}
	var res Reading
	for _, bb := range boxes {
		w := strings.TrimSpace(bb.Word)
		if w == "" {
			continue
		}
		res.Words = append(res.Words, Word{Text: w, Box: bb.Box.Add(b.Min), Confidence: bb.Confidence / 100,
			Line: bb.ParNum*1000 + bb.LineNum, Block: bb.BlockNum})
	}
	return res, nil
}

// invertDoubtful tells whether Tesseract, in mode, reads a line it is
// unsure of a second time inverted, as light print on dark. A single line
// is a field's writing cut out of the paper around it, dark on light by
// construction: the second pass, which Tesseract makes on every line whose
// mean certainty is under 0.7 (most handwriting), costs as much as the
// first and could only win with a misreading. Strips of the printed page
// may hold headings and logos printed light on dark, and keep it.
func invertDoubtful(mode Mode) bool {
	return mode != SingleLine
}

// boolVar is b as a Tesseract boolean variable.
func boolVar(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// encodeBMP writes img as an uncompressed 8-bit BMP with a grey palette,
// which Leptonica reads without the cost of PNG compression, and a row at
// a time (a PGM it reads a byte at a time).
func encodeBMP(img *image.Gray) []byte {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	stride := (w + 3) &^ 3
	const header = 14 + 40 + 256*4
	size := header + stride*h
	out := make([]byte, size)
	le := binary.LittleEndian
	out[0], out[1] = 'B', 'M'
	le.PutUint32(out[2:], u32(size))
	le.PutUint32(out[10:], header)
	le.PutUint32(out[14:], 40)
	le.PutUint32(out[18:], u32(w))
	le.PutUint32(out[22:], u32(h)) // positive: rows bottom up
	le.PutUint16(out[26:], 1)
	le.PutUint16(out[28:], 8)
	le.PutUint32(out[34:], u32(stride*h))
	le.PutUint32(out[46:], 256)
	for i := range 256 {
		p := 54 + 4*i
		out[p], out[p+1], out[p+2] = byte(i), byte(i), byte(i)
	}
	for y := range h {
		i := img.PixOffset(b.Min.X, b.Min.Y+y)
		copy(out[header+(h-1-y)*stride:], img.Pix[i:i+w])
	}
	return out
}

// u32 is n as a BMP header field: zones are far smaller than 2³² bytes.
func u32(n int) uint32 {
	return uint32(min(max(n, 0), math.MaxUint32)) // #nosec G115 -- clamped to the range of uint32
}
