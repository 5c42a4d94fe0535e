package corpus

import (
	"context"
	"encoding/json"
	"fmt"
	"image"
	"math/rand/v2"

	"blankett/form"
)

// Filled is a sample made as the office's post is: an edition's blank
// fillable PDF filled in, then printed and scanned.
type Filled struct {
	PDF   []byte        // the filled fillable PDF (the digital sample)
	Pages []*image.Gray // the printed and scanned pages
	Scan  []byte        // the scan as a scanner's PDF of JPEG pages
}

// FillAndScan fills blank (t's fillable PDF) with values (field name →
// value as typed; tick boxes "true"/"false"), prints it at dpi, signs its
// signature zones by hand (sigs: field name → SigScribble, SigDot, …;
// unnamed signature fields are signed), and scans it with the skew, scale,
// shift and noise a seed draws, like the generated corpus.
func FillAndScan(ctx context.Context, t *form.Template, blank []byte, values, sigs map[string]string, dpi int, seed uint64) (*Filled, error) {
	filled, err := FillPDF(t, blank, values)
	if err != nil {
		return nil, err
	}
	printed, err := rasterize(ctx, filled, dpi)
	if err != nil {
		return nil, err
	}
	if len(printed) != len(t.Pages) {
		return nil, fmt.Errorf("fill and scan %s: printed %d pages, want %d", t.ID(), len(printed), len(t.Pages))
	}
	r := rand.New(rand.NewPCG(seed, 0x9445))
	out := &Filled{PDF: filled}
	var pages []pdfImage
	for i, img := range printed {
		for _, f := range t.PageFields(i + 1) {
			if f.Type != form.TypeSignature {
				continue
			}
			style, ok := sigs[f.Name]
			if !ok {
				style = SigScribble
			}
			drawSignature(img, f.Zone, dpi, style, r)
		}
		spec := randomSpec(r, scanFormat{format: FormatPDFJPEG, dpi: dpi})
		spec.DPI = dpi
		spec.Turned = 0
		deg := degrade(img, spec, r)
		out.Pages = append(out.Pages, deg)
		b, err := encodeJPEG(deg, max(spec.JPEGQuality, 60))
		if err != nil {
			return nil, err
		}
		pages = append(pages, pdfImage{W: deg.Bounds().Dx(), H: deg.Bounds().Dy(), DPI: dpi, Data: b, Filter: "DCTDecode"})
	}
	out.Scan = imagePDF(pages)
	return out, nil
}

// ScanPDF stores scanned pages as a scanner does: a PDF of JPEG pages at
// dpi.
func ScanPDF(pages []*image.Gray, dpi int) ([]byte, error) {
	var out []pdfImage
	for _, p := range pages {
		b, err := encodeJPEG(p, 75)
		if err != nil {
			return nil, err
		}
		out = append(out, pdfImage{W: p.Bounds().Dx(), H: p.Bounds().Dy(), DPI: dpi, Data: b, Filter: "DCTDecode"})
	}
	return imagePDF(out), nil
}

// FaxPDF stores a faxed page as a fax gateway does: its image drawn over a
// page of its size at its two resolutions, xdpi columns and ydpi rows an
// inch (a fax sent in standard mode has half as many rows as columns).
func FaxPDF(page *image.Gray, xdpi, ydpi int) ([]byte, error) {
	b, err := encodeJPEG(page, 75)
	if err != nil {
		return nil, err
	}
	return imagePDF([]pdfImage{{W: page.Bounds().Dx(), H: page.Bounds().Dy(), DPI: xdpi, YDPI: ydpi, Data: b, Filter: "DCTDecode"}}), nil
}

// EncodedPDF is a one-page image PDF of a w×h page image at dpi, already
// encoded as filter takes it (colour: three components, else one): a
// page of a kind the generator does not encode, or a header whose data is
// left out.
func EncodedPDF(w, h, dpi int, filter string, data []byte, colour bool) []byte {
	return imagePDF([]pdfImage{{W: w, H: h, DPI: dpi, Filter: filter, Data: data, Colour: colour}})
}

// ImagePDF is a one-page image PDF of a scanned page (grey or colour) at
// dpi, its image encoded as format says: FormatPDFJPEG, FormatPDFFlate or
// FormatPDFJPX, as a scanner may save it.
func ImagePDF(ctx context.Context, page image.Image, dpi int, format string) ([]byte, error) {
	p, err := pageImage(ctx, page, dpi, dpi, format, 75, false)
	if err != nil {
		return nil, err
	}
	return imagePDF([]pdfImage{p}), nil
}

// pageImage encodes a scanned page of dpi columns and ydpi rows an inch
// as a PDF image of format: FormatPDFJPEG at quality, FormatPDFFlate (one
// bit a pixel when bilevel) or FormatPDFJPX.
func pageImage(ctx context.Context, page image.Image, dpi, ydpi int, format string, quality int, bilevel bool) (pdfImage, error) {
	p := pdfImage{W: page.Bounds().Dx(), H: page.Bounds().Dy(), DPI: dpi, YDPI: ydpi}
	var err error
	switch format {
	case FormatPDFJPEG:
		_, p.Colour = page.(*image.RGBA)
		p.Filter = "DCTDecode"
		p.Data, err = encodeJPEG(page, quality)
	case FormatPDFFlate:
		p.Filter = "FlateDecode"
		p.Data, p.Bits, p.Colour, err = flateData(page, bilevel)
	case FormatPDFJPX:
		p.Filter = "JPXDecode"
		p.Data, p.Colour, err = jpxData(ctx, page, 20)
	default:
		return p, fmt.Errorf("image PDF: format %q", format)
	}
	return p, err
}

// StripScanPDF writes a scanned page as a scanner that cuts its pages
// into strips does: an image-only PDF whose one page is drawn from
// strips JPEG images, top to bottom, each a strip of the page across.
func StripScanPDF(page *image.Gray, dpi, strips int) ([]byte, error) {
	b := page.Bounds()
	p := pdfImage{W: b.Dx(), H: b.Dy(), DPI: dpi}
	for i := range strips {
		top, bottom := b.Min.Y+b.Dy()*i/strips, b.Min.Y+b.Dy()*(i+1)/strips
		strip, ok := page.SubImage(image.Rect(b.Min.X, top, b.Max.X, bottom)).(*image.Gray)
		if !ok {
			return nil, fmt.Errorf("strip %d of the page", i+1)
		}
		data, err := encodeJPEG(strip, 75)
		if err != nil {
			return nil, err
		}
		p.Strips = append(p.Strips, pdfImage{W: b.Dx(), H: bottom - top, DPI: dpi, Data: data, Filter: "DCTDecode"})
	}
	return imagePDF([]pdfImage{p}), nil
}

// OtherNames is a copy of edition t as another edition of its kind, laid
// out the same, whose every field has another name (and fillable-PDF
// name): only the roles, types and repeating groups are t's. Tests use it
// to show that nothing after extraction knows a field by its name.
func OtherNames(t *form.Template) (*form.Template, error) {
	body, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("other names for %s: %w", t.ID(), err)
	}
	var c form.Template
	if err := json.Unmarshal(body, &c); err != nil {
		return nil, fmt.Errorf("other names for %s: %w", t.ID(), err)
	}
	c.Edition = t.Edition + " omdöpt"
	for i := range c.Fields {
		c.Fields[i].Name = fmt.Sprintf("falt_%s_%02d", t.Kind, i+1)
		c.Fields[i].PDFName, c.Fields[i].Aliases = "", nil
	}
	for _, f := range c.Fields {
		if _, clash := t.Field(f.Name); clash {
			return nil, fmt.Errorf("other names for %s: %s is also a name of the edition", t.ID(), f.Name)
		}
	}
	return &c, nil
}
