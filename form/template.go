package form

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
)

// A4 page size in PDF points.
const (
	A4Width  = 595.28
	A4Height = 841.89
)

// Template is the layout of one form: what is printed on each page, where
// the anchors used to register a scan are, and where each field's value
// goes. Templates are data (form/templates/*.json); the same template makes
// the blank fillable PDF, the generated samples and drives extraction.
//
// All coordinates are PDF points with the origin at the top left of the
// page, y growing downwards (see Box).
type Template struct {
	Kind       Kind    `json:"kind"`
	FormNumber string  `json:"form_number"` // printed on every page, e.g. "FK 9445"
	Title      string  `json:"title"`       // printed title
	Edition    string  `json:"edition"`     // printed edition mark, e.g. "FK 9445 (001) Blankett"
	PageWidth  float64 `json:"page_width"`
	PageHeight float64 `json:"page_height"`
	Pages      []Page  `json:"pages"`
	Fields     []Field `json:"fields"`
}

// Page is what one page prints apart from the field values.
type Page struct {
	Number int `json:"number"` // 1-based
	// Mark is the printed page mark, "sida N av M".
	Mark string `json:"mark"`
	// Anchors are printed marks and labels with known positions, used to
	// find the page's orientation and register a scan to the template.
	Anchors []Anchor `json:"anchors"`
	// Rects are printed rectangles: header bands, section bars, the frames
	// of value zones.
	Rects []Rect `json:"rects"`
	// Texts are the other printed lines: labels, headings, body text.
	Texts []Text `json:"texts"`
}

// AnchorKind says what an anchor is.
type AnchorKind string

// Anchor kinds.
const (
	AnchorMark AnchorKind = "mark" // a solid black square (corner registration mark)
	AnchorText AnchorKind = "text" // a printed line of text
)

// Anchor is a printed feature with a known position. For text anchors the
// box is the line's extent from cap height to descender; the text is printed
// with its baseline at Box.Y + BaselineOffset*Size.
type Anchor struct {
	Name string     `json:"name"`
	Kind AnchorKind `json:"kind"`
	Text string     `json:"text,omitempty"`
	Font string     `json:"font,omitempty"`
	Size float64    `json:"size,omitempty"`
	Box  Box        `json:"box"`
}

// BaselineOffset is the distance from the top of a text anchor's box to the
// baseline, as a fraction of the font size (Helvetica cap height plus a
// little).
const BaselineOffset = 0.75

// Text is one printed line. X is the left edge, Y the baseline.
type Text struct {
	Text  string  `json:"text"`
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
	Size  float64 `json:"size"`
	Font  string  `json:"font"`            // Helvetica, Helvetica-Bold, Helvetica-Oblique
	Color string  `json:"color,omitempty"` // #RRGGBB, default black
}

// Rect is a printed rectangle, filled and/or framed.
type Rect struct {
	Box    Box     `json:"box"`
	Fill   string  `json:"fill,omitempty"`   // #RRGGBB, empty for none
	Stroke string  `json:"stroke,omitempty"` // #RRGGBB, empty for none
	Width  float64 `json:"width,omitempty"`  // line width in points
}

// Field is one value on a form. Zone is where the value goes (the inside of
// a printed frame); the label is printed outside it, above or, for tick
// boxes, to the right.
type Field struct {
	Name     string    `json:"name"`
	Type     FieldType `json:"type"`
	Label    string    `json:"label"`
	Page     int       `json:"page"`
	Zone     Box       `json:"zone"`
	Required bool      `json:"required"`
	// Group names tick boxes that belong together, e.g. "order_type".
	Group string `json:"group,omitempty"`
	// Section is the part of the form the field is in, as the paper heads
	// it ("Användare"): it tells apart fields with the same label.
	Section string `json:"section,omitempty"`
}

//go:embed templates/*.json
var templateFS embed.FS

// ErrUnknownTemplate is returned for a kind without a template.
var ErrUnknownTemplate = errors.New("form: no template for kind")

// LoadTemplates parses and checks every embedded template. They are
// parsed once per process and shared: callers must not change them.
func LoadTemplates() (map[Kind]*Template, error) {
	return embedded()
}

// embedded parses the embedded templates on first use.
var embedded = sync.OnceValues(func() (map[Kind]*Template, error) { return loadTemplates(templateFS) })

func loadTemplates(fsys fs.FS) (map[Kind]*Template, error) {
	names, err := fs.Glob(fsys, "templates/*.json")
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	out := make(map[Kind]*Template, len(names))
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read template %s: %w", name, err)
		}
		t, err := ParseTemplate(b)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		if _, dup := out[t.Kind]; dup {
			return nil, fmt.Errorf("template %s: kind %q defined twice", name, t.Kind)
		}
		out[t.Kind] = t
	}
	return out, nil
}

// ParseTemplate decodes and checks one template.
func ParseTemplate(b []byte) (*Template, error) {
	var t Template
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("decode template: %w", err)
	}
	if err := t.Check(); err != nil {
		return nil, err
	}
	return &t, nil
}

// LoadTemplate returns the embedded template for kind.
func LoadTemplate(kind Kind) (*Template, error) {
	all, err := LoadTemplates()
	if err != nil {
		return nil, err
	}
	t, ok := all[kind]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownTemplate, kind)
	}
	return t, nil
}

// Field returns the named field.
func (t *Template) Field(name string) (Field, bool) {
	for _, f := range t.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// PageFields returns the fields on page n (1-based), in template order.
func (t *Template) PageFields(n int) []Field {
	var out []Field
	for _, f := range t.Fields {
		if f.Page == n {
			out = append(out, f)
		}
	}
	return out
}

// FieldNames returns every field name, sorted.
func (t *Template) FieldNames() []string {
	out := make([]string, 0, len(t.Fields))
	for _, f := range t.Fields {
		out = append(out, f.Name)
	}
	sort.Strings(out)
	return out
}

// PageMark returns the printed page mark for page n of m.
func PageMark(n, m int) string { return fmt.Sprintf("sida %d av %d", n, m) }

// Check reports the first inconsistency in t: unknown kind or field type,
// duplicate names, zones off the page or overlapping, missing page marks.
func (t *Template) Check() error {
	if !t.Kind.Known() {
		return fmt.Errorf("unknown kind %q", t.Kind)
	}
	if t.FormNumber == "" || t.Title == "" {
		return errors.New("form number and title are required")
	}
	if t.PageWidth <= 0 || t.PageHeight <= 0 {
		return errors.New("page size must be positive")
	}
	if len(t.Pages) == 0 {
		return errors.New("no pages")
	}
	onPage := func(b Box) bool {
		return b.X >= 0 && b.Y >= 0 && b.W > 0 && b.H > 0 &&
			b.X+b.W <= t.PageWidth && b.Y+b.H <= t.PageHeight
	}
	for i, p := range t.Pages {
		if p.Number != i+1 {
			return fmt.Errorf("page %d numbered %d", i+1, p.Number)
		}
		if want := PageMark(p.Number, len(t.Pages)); p.Mark != want {
			return fmt.Errorf("page %d: mark %q, want %q", p.Number, p.Mark, want)
		}
		var marks, formNo, pageMark int
		seen := map[string]bool{}
		for _, a := range p.Anchors {
			if seen[a.Name] {
				return fmt.Errorf("page %d: anchor %q defined twice", p.Number, a.Name)
			}
			seen[a.Name] = true
			if !onPage(a.Box) {
				return fmt.Errorf("page %d: anchor %q off the page", p.Number, a.Name)
			}
			switch a.Kind {
			case AnchorMark:
				marks++
			case AnchorText:
				if a.Text == "" || a.Size <= 0 {
					return fmt.Errorf("page %d: text anchor %q needs text and size", p.Number, a.Name)
				}
				if a.Text == t.FormNumber {
					formNo++
				}
				if a.Text == p.Mark {
					pageMark++
				}
			default:
				return fmt.Errorf("page %d: anchor %q has unknown kind %q", p.Number, a.Name, a.Kind)
			}
		}
		if marks < 4 {
			return fmt.Errorf("page %d: %d corner marks, want at least 4", p.Number, marks)
		}
		if formNo == 0 || pageMark == 0 {
			return fmt.Errorf("page %d: form number and page mark must be anchors", p.Number)
		}
	}
	names := map[string]bool{}
	for _, f := range t.Fields {
		if f.Name == "" {
			return errors.New("field without name")
		}
		if names[f.Name] {
			return fmt.Errorf("field %q defined twice", f.Name)
		}
		names[f.Name] = true
		switch f.Type {
		case TypeText, TypePersonnummer, TypeOrgnr, TypePhone, TypeEmail, TypeDate, TypeCheckbox, TypeSignature:
		default:
			return fmt.Errorf("field %q: unknown type %q", f.Name, f.Type)
		}
		if f.Label == "" {
			return fmt.Errorf("field %q: no label", f.Name)
		}
		if f.Page < 1 || f.Page > len(t.Pages) {
			return fmt.Errorf("field %q: page %d out of range", f.Name, f.Page)
		}
		if !onPage(f.Zone) {
			return fmt.Errorf("field %q: zone off the page", f.Name)
		}
	}
	for i, a := range t.Fields {
		for _, b := range t.Fields[i+1:] {
			if a.Page == b.Page && a.Zone.Overlaps(b.Zone) {
				return fmt.Errorf("fields %q and %q overlap", a.Name, b.Name)
			}
		}
	}
	return nil
}

// Overlaps reports whether b and o share any area.
func (b Box) Overlaps(o Box) bool {
	return b.X < o.X+o.W && o.X < b.X+b.W && b.Y < o.Y+o.H && o.Y < b.Y+b.H
}
