package letter

import (
	"blankett/pdfguard"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"golang.org/x/image/font/sfnt"
)

// ErrPDF wraps failures (and panics) while writing or merging PDFs.
var ErrPDF = errors.New("letter: pdf")

// ErrNoAddress is returned by Render for a letter whose recipient has no
// complete postal address (street or box, postcode and town). Such a
// letter must be held and listed for a person to find the address, never
// printed blind.
var ErrNoAddress = errors.New("letter: no postal address")

// Assets names the files every PDF embeds: two TrueType fonts (PDF/A
// wants every font embedded) and an sRGB ICC profile for the output intent.
type Assets struct {
	RegularFont string
	BoldFont    string
	ICCProfile  string
}

// DefaultAssets are Debian's files: Liberation Sans (fonts-liberation,
// metrically compatible with Arial/Helvetica) and the sRGB profile of
// icc-profiles-free (an ICC v2 display profile, 7 kB). scripts/services.sh
// installs both packages.
func DefaultAssets() Assets {
	return Assets{
		RegularFont: "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
		BoldFont:    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
		ICCProfile:  "/usr/share/color/icc/sRGB.icc",
	}
}

// Renderer lays out letters and lists as PDF/A-2b documents with the
// fonts and colour profile it was made with. It is safe for concurrent use.
type Renderer struct {
	regular, bold []byte
	glyphs        *sfnt.Font // the regular font, to check coverage
	icc           []byte
}

// NewRenderer reads the assets.
func NewRenderer(a Assets) (*Renderer, error) {
	r := &Renderer{}
	var err error
	if r.regular, err = os.ReadFile(a.RegularFont); err != nil {
		return nil, fmt.Errorf("letter: regular font: %w", err)
	}
	if r.bold, err = os.ReadFile(a.BoldFont); err != nil {
		return nil, fmt.Errorf("letter: bold font: %w", err)
	}
	if r.icc, err = os.ReadFile(a.ICCProfile); err != nil {
		return nil, fmt.Errorf("letter: ICC profile: %w", err)
	}
	if len(r.icc) < 20 || string(r.icc[16:20]) != "RGB " {
		return nil, fmt.Errorf("letter: ICC profile %s is not an RGB profile", a.ICCProfile)
	}
	if r.glyphs, err = sfnt.Parse(r.regular); err != nil {
		return nil, fmt.Errorf("letter: regular font %s: %w", a.RegularFont, err)
	}
	if _, err := sfnt.Parse(r.bold); err != nil {
		return nil, fmt.Errorf("letter: bold font %s: %w", a.BoldFont, err)
	}
	return r, nil
}

var defaultRenderer = sync.OnceValues(func() (*Renderer, error) { return NewRenderer(DefaultAssets()) })

// Render lays l out as a PDF/A-2b letter from sender with DefaultAssets.
// The same letter and sender give the same bytes. A letter without a
// complete postal address is refused with ErrNoAddress.
func Render(l Letter, sender Sender) ([]byte, error) {
	r, err := defaultRenderer()
	if err != nil {
		return nil, err
	}
	return r.Render(l, sender)
}

// RenderInForce lays the list out as a PDF/A-2b document with
// DefaultAssets.
func RenderInForce(list InForceList, sender Sender) ([]byte, error) {
	r, err := defaultRenderer()
	if err != nil {
		return nil, err
	}
	return r.RenderInForce(list, sender)
}

// safely runs f, which calls pdfcpu, turning a panic into an error.
func safely(what string, f func() error) error {
	if err := pdfguard.Do(what, f); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrPDF, what, err)
	}
	return nil
}

// Merge joins PDFs, in order, into one document for printing. The batch
// is for the printer, not the archive: each letter's own PDF is the
// archival copy.
func Merge(pdfs [][]byte) ([]byte, error) {
	switch len(pdfs) {
	case 0:
		return nil, fmt.Errorf("%w: merge: no letters", ErrPDF)
	case 1:
		return append([]byte(nil), pdfs[0]...), nil
	}
	var out bytes.Buffer
	err := safely("merge", func() error {
		rs := make([]io.ReadSeeker, len(pdfs))
		for i, b := range pdfs {
			rs[i] = bytes.NewReader(b)
		}
		return api.MergeRaw(rs, &out, false, pdfguard.Config())
	})
	if err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
