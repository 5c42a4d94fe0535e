package corpus

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"blankett/form"
)

// Truth is what a generated file holds. It is written beside the file as
// NAME.truth.json and described by truth.schema.json.
type Truth struct {
	File      string     `json:"file"`     // path relative to the corpus root
	Format    string     `json:"format"`   // see the Format* constants
	Received  string     `json:"received"` // YYYY-MM-DD, the date validation runs as of
	PageCount int        `json:"page_count"`
	Documents []TruthDoc `json:"documents"`
	// BlankPages are the file's pages that belong to no form: blank backs
	// and separator sheets (1-based).
	BlankPages []int `json:"blank_pages,omitempty"`
	// CoverPages are the pages of a cover letter sent with the forms (1-based),
	// before them or filed between the pages of the first: no form, and no
	// blank sheet either. Extraction keeps them as a
	// document of their own, unclassified, for a person to read.
	CoverPages []int `json:"cover_pages,omitempty"`
	// Order says how the mailroom fed a form's pages when not in order:
	// "reversed" or "shuffled".
	Order string `json:"order,omitempty"`
	// Canvas says the pages were scanned on a canvas larger than the
	// paper ("legal": 8.5 × 14 inches), each page at the glass's corner
	// as fed: a scanner set to a larger paper, or whose size detection
	// failed.
	Canvas string `json:"canvas,omitempty"`
	// FaxHeaders are the lines the sending fax machine printed over the
	// top of each page, in the file's order (absent for none): the time
	// it was sent, the sender's number and name, and the page's number
	// among the pages sent, blank sheets and cover letters too.
	FaxHeaders []string `json:"fax_headers,omitempty"`
	// FaxMode "standard" says the pages were faxed in standard mode:
	// stored with half as many rows an inch as columns (the pages' DPI
	// is their columns'), as a fax machine sends them by default.
	FaxMode string `json:"fax_mode,omitempty"`
}

// File formats.
const (
	FormatPDFFillable = "pdf-fillable" // AcroForm values, no scan
	FormatPDFFlat     = "pdf-flat"     // a filled fillable PDF flattened by another tool: its values drawn as text, no form
	FormatPDFJPEG     = "pdf-jpeg"     // image-only PDF, one DCT (JPEG) image a page
	FormatPDFG4       = "pdf-g4"       // image-only PDF, one CCITT G4 image a page
	FormatPDFJBIG2    = "pdf-jbig2"    // image-only PDF, one JBIG2 image a page (generic region, MMR)
	FormatPDFFlate    = "pdf-flate"    // image-only PDF, one Flate image a page: 1 bit, or 8 of grey or RGB
	FormatPDFJPX      = "pdf-jpx"      // image-only PDF, one JPEG 2000 image a page
	FormatTIFFG4      = "tiff-g4"      // multi-page TIFF, CCITT G4
	FormatTIFFJPEG    = "tiff-jpeg"    // multi-page TIFF, JPEG in strips (libtiff), grey or YCbCr
)

// TruthDoc is one form in a file. A batch holds several, in page order.
type TruthDoc struct {
	Kind      form.Kind             `json:"kind"`
	Case      string                `json:"case"`              // scenario name, see cases.go
	Copy      int                   `json:"copy"`              // 1, or 2 for the second copy of an agreement in the same envelope
	Edition   string                `json:"edition,omitempty"` // the edition it was filled in on, when not the kind's first
	FirstPage int                   `json:"first_page"`        // 1-based file pages, inclusive
	LastPage  int                   `json:"last_page"`
	Pages     []TruthPage           `json:"pages"`
	Fields    map[string]TruthField `json:"fields"`   // every field of the template
	Findings  []TruthFinding        `json:"findings"` // sorted by code, then field
}

// TruthPage says how one page of the file was made. A scanned page is the
// upright page raster scaled by Scale about its centre, moved by ShiftX and
// ShiftY, rotated by Skew about its centre, seen in perspective
// (Keystone), and then turned by Turned (which swaps width and height for
// 90 and 270).
type TruthPage struct {
	FilePage     int     `json:"file_page"`
	TemplatePage int     `json:"template_page"`
	DPI          int     `json:"dpi"`          // 0 for pages that are not scans
	Turned       int     `json:"turned"`       // 0, 90, 180 or 270: clockwise turn applied to the page image
	Skew         float64 `json:"skew"`         // degrees, clockwise, applied before the turn
	Scale        float64 `json:"scale"`        // 1 = unscaled
	ShiftX       float64 `json:"shift_x"`      // points, content moved right
	ShiftY       float64 `json:"shift_y"`      // points, content moved down
	Blur         bool    `json:"blur"`         // box blur applied
	Speckle      float64 `json:"speckle"`      // fraction of pixels flipped to noise
	Bilevel      bool    `json:"bilevel"`      // thresholded to 1 bit
	JPEGQuality  int     `json:"jpeg_quality"` // 0 unless JPEG-encoded
	ImageWidth   int     `json:"image_width"`  // pixels, 0 for non-scans
	ImageHeight  int     `json:"image_height"` // pixels
	// Profile is the mailroom world's scan profile (see Profiles), absent
	// in the committed corpus: fax, jpeg-poor, min-is-black, stamp,
	// border, low-contrast or office.
	Profile string `json:"profile,omitempty"`
	// ShowThrough is how dark the print of the sheet's other side shows
	// through the paper, mirrored (0 to 1 of black; absent for none): a
	// form printed on both sides of its sheets.
	ShowThrough float64 `json:"show_through,omitempty"`
	// Keystone is the page seen in perspective, applied after the skew
	// and before the turn: the projective terms across and down the
	// page, in page widths and heights from its centre; the skewed
	// page's point (u, v) is drawn at (u, v) / (1 − k₀·u − k₁·v). Absent
	// for none.
	Keystone []float64 `json:"keystone,omitempty"`
	// Streaks are the lines a sheet feeder's dirty glass drew down the
	// scan, from its top edge to its foot as stored (absent for none).
	Streaks []TruthStreak `json:"streaks,omitempty"`
	// Folds are the creases of a sheet folded for its envelope (absent
	// for none).
	Folds []TruthFold `json:"folds,omitempty"`
}

// TruthFold is one crease across a scanned sheet, on the upright sheet
// before the skew and the turn.
type TruthFold struct {
	At    float64 `json:"at"`             // how far down the sheet, a share of its height (across it, a share of its width, for one down it)
	Width float64 `json:"width"`          // millimetres
	Grey  int     `json:"grey"`           // 0 black to 255 white, before the scan's paper tone
	Down  bool    `json:"down,omitempty"` // a crease down the sheet (folded in four), not across it
}

// TruthStreak is one streak down a scanned page.
type TruthStreak struct {
	X     int `json:"x"`     // its first column of pixels
	Width int `json:"width"` // pixels
	Grey  int `json:"grey"`  // 0 black to 255 white, before the scan's paper tone
}

// TruthField is one field's truth. Value is normalised (personnummer 12
// digits, phone E.164, dates YYYY-MM-DD, e-mail addresses in lower case,
// tick boxes and signatures "true"/"false"); an invalid value that cannot be normalised keeps its raw
// form. Raw is exactly what is printed or typed on the form.
type TruthField struct {
	Type  form.FieldType `json:"type"`
	Value string         `json:"value"`
	Raw   string         `json:"raw"`
	// Signature is how a signature box was marked: "none", "dot",
	// "strike" (one straight stroke across the box), "scribble" (a
	// handwritten name) or "initials" (a short scribble). Only scribble
	// and initials count as a signature (Value "true").
	Signature string `json:"signature,omitempty"`
}

// TruthFinding is one finding validation must raise.
type TruthFinding struct {
	Code  string `json:"code"`
	Field string `json:"field,omitempty"`
}

// Signature styles.
const (
	SigNone     = "none"
	SigDot      = "dot"
	SigStrike   = "strike"
	SigScribble = "scribble"
	SigInitials = "initials"
)

// sigPresent reports whether a signature style counts as signed.
func sigPresent(style string) bool { return style == SigScribble || style == SigInitials }

// ReadTruths reads every truth file below root (a corpus written by
// Generate), in the order of their paths.
func ReadTruths(root string) ([]Truth, error) {
	var paths []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(path, ".truth.json") {
			paths = append(paths, path)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read truths below %s: %w", root, err)
	}
	sort.Strings(paths)
	out := make([]Truth, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("read truth: %w", err)
		}
		var tr Truth
		if err := json.Unmarshal(b, &tr); err != nil {
			return nil, fmt.Errorf("truth %s: %w", p, err)
		}
		out = append(out, tr)
	}
	return out, nil
}

// ReadRegistry reads the registry a corpus's documents are checked
// against (registry.json in root).
func ReadRegistry(root string) (*Registry, error) {
	b, err := os.ReadFile(filepath.Join(root, "registry.json"))
	if err != nil {
		return nil, fmt.Errorf("read registry: %w", err)
	}
	var r Registry
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("registry %s: %w", root, err)
	}
	return &r, nil
}

// ReceivedOn is the day the file was received, in local time.
func (tr Truth) ReceivedOn() (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, tr.Received, time.Local)
	if err != nil {
		return time.Time{}, fmt.Errorf("truth %s: received: %w", tr.File, err)
	}
	return d, nil
}

// Copies is how many signed copies of document i's agreement the file
// holds (the Part posts two in one envelope); 0 for other kinds.
func (tr Truth) Copies(i int) int {
	d := tr.Documents[i]
	if d.Kind != form.KindAgreement {
		return 0
	}
	n := 0
	for _, o := range tr.Documents {
		if o.Kind == form.KindAgreement && o.Fields["org_number"].Value == d.Fields["org_number"].Value {
			n++
		}
	}
	return n
}
