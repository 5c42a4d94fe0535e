package extract

import (
	"context"
	"errors"
	"image"
	"image/color"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// checkPageMemory refuses a page whose decoding would take more than
// PageMemory: w×h pixels at bpp bytes each, as they decode, and their grey
// copy.
func checkPageMemory(w, h int, bpp float64, lim Limits) error {
	if lim.PageMemory <= 0 {
		return nil
	}
	need := float64(w) * float64(h) * bpp
	if need > float64(lim.PageMemory) {
		return inputErr(nil, "Bilden skulle ta %s MB minne att läsa (%d × %d bildpunkter; högst %s MB per sida)",
			decimal(need/(1<<20)), w, h, decimal(float64(lim.PageMemory)/(1<<20)))
	}
	return nil
}

// rasterBytesPerPixel is what a rasterised page takes: pdftoppm's grey
// file read whole, and the image made from it; colourRasterBytesPerPixel
// what one rendered in colour takes: the colour file (3), its image
// (4), the grey page and the marks dropped out of it.
const (
	rasterBytesPerPixel       = 2
	colourRasterBytesPerPixel = 9
)

// decodedBytesPerPixel is the memory a pixel of an image with colour model
// m takes once decoded by Go's image packages, plus its grey copy (none
// when it decodes to grey already).
func decodedBytesPerPixel(m color.Model) float64 {
	switch m {
	case color.GrayModel:
		return 1
	case color.Gray16Model:
		return 2 + 1
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel:
		return 4 + 1
	case color.RGBA64Model, color.NRGBA64Model:
		return 8 + 1
	case color.YCbCrModel, color.NYCbCrAModel:
		return 4 + 1 // 4:4:4 (and alpha) at worst
	}
	if _, ok := m.(color.Palette); ok {
		return 1 + 1
	}
	return 8 + 1 // unknown: the widest
}

// pdfImageBytesPerPixel is the memory a pixel of a PDF image takes on its
// way to grey: the decoded stream (components × bytes a component), the
// image Go decodes from it, and the grey copy. A scanner's JPEG alone in
// its filter pipeline is decoded straight from its stream (directImage),
// as a JPEG file is: only the decoder's image and the grey copy (an A4
// page at 600 DPI in colour takes 166 MB, not 266).
func pdfImageBytesPerPixel(d *types.StreamDict) float64 {
	if len(d.FilterPipeline) == 1 && d.FilterPipeline[0].Name == "DCTDecode" {
		if cs := d.NameEntry("ColorSpace"); cs != nil && (*cs == "DeviceGray" || *cs == "CalGray") {
			return decodedBytesPerPixel(color.GrayModel)
		}
		return decodedBytesPerPixel(color.YCbCrModel) // and CMYK's, alike
	}
	comps := 3.0
	if cs := d.NameEntry("ColorSpace"); cs != nil {
		switch *cs {
		case "DeviceGray", "CalGray", "Indexed":
			comps = 1
		case "DeviceCMYK":
			comps = 4
		}
	} else if _, found := d.Find("ColorSpace"); !found {
		comps = 1 // no colour space: an image mask, one bit
	}
	bytesPerComp := 1.0
	if bpc := d.IntEntry("BitsPerComponent"); bpc != nil && *bpc > 8 {
		bytesPerComp = 2
	}
	raw := comps * bytesPerComp
	if comps == 1 {
		return raw + bytesPerComp + 1
	}
	return raw + 4*bytesPerComp + 1
}

// pageBudget enforces PageTime: begin is called before pages (one page,
// or a form's pages read together), done after them; pages over the
// budget fail the file, naming the first. OCR runs in C and cannot be
// stopped: where overrun is set (the sandbox's child) it is called from a
// timer when the budget runs out, and answers for the file at once.
type pageBudget struct {
	lim     Limits
	overrun func(error)
	start   time.Time
	page    int
	pages   int
}

func (b *pageBudget) begin(ctx context.Context, page, pages int) (context.Context, context.CancelFunc) {
	b.start, b.page, b.pages = time.Now(), page, pages
	if b.lim.PageTime <= 0 {
		return ctx, func() {}
	}
	limit := b.lim.PageTime * time.Duration(pages)
	// What honours a context (pdftoppm) is stopped at the budget.
	pctx, cancel := context.WithTimeout(ctx, limit)
	if b.overrun == nil {
		return pctx, cancel
	}
	timer := time.AfterFunc(limit, func() { b.overrun(b.err(time.Since(b.start))) })
	return pctx, func() {
		timer.Stop()
		cancel()
	}
}

func (b *pageBudget) err(took time.Duration) error {
	return inputErr(nil, "Sida %d tog för lång tid att läsa (%s s; högst %s s per sida) och filen avbröts",
		b.page, decimal(took.Seconds()/float64(b.pages)), decimal(b.lim.PageTime.Seconds()))
}

// done reports the budget's error when the pages took longer than
// PageTime each; pageCtx is begin's context, whose deadline stopped
// whatever honours it.
func (b *pageBudget) done(parent, pageCtx context.Context) error {
	if b.lim.PageTime <= 0 || parent.Err() != nil {
		return nil
	}
	if took := time.Since(b.start); took > b.lim.PageTime*time.Duration(b.pages) || errors.Is(pageCtx.Err(), context.DeadlineExceeded) {
		return b.err(took)
	}
	return nil
}

// checkHeld refuses the file when the page images held at once pass
// HeldMemory; page is the page that took them there.
func checkHeld(held int64, page int, lim Limits) error {
	if lim.HeldMemory <= 0 || held <= lim.HeldMemory {
		return nil
	}
	return inputErr(nil, "Sida %d: sidorna som läses tillsammans skulle ta %s MB minne (högst %s MB) och filen avbröts",
		page, decimal(float64(held)/(1<<20)), decimal(float64(lim.HeldMemory)/(1<<20)))
}

// checkPace refuses the file early when, read at the pace of its first
// pages, it would take longer than DocTime: once done of pages pages are
// read (a quarter, at least three), in elapsed.
func checkPace(elapsed time.Duration, done, pages int, lim Limits) error {
	if lim.DocTime <= 0 || done >= pages || done < max(3, pages/4) {
		return nil
	}
	projected := elapsed * time.Duration(pages) / time.Duration(done)
	if projected <= lim.DocTime {
		return nil
	}
	return inputErr(nil, "Filen skulle ta omkring %s s att läsa (%d sidor; högst %s s) och avbröts efter sida %d",
		decimal(projected.Seconds()), pages, decimal(lim.DocTime.Seconds()), done)
}

func imageBytes(img *image.Gray) int64 {
	if img == nil {
		return 0
	}
	return int64(len(img.Pix))
}
