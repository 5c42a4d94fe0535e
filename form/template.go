package form

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// A4 page size in PDF points.
const (
	A4Width  = 595.28
	A4Height = 841.89
)

// Paper sizes a template may name instead of giving its page size.
var papers = map[string][2]float64{
	"A4":               {A4Width, A4Height},
	"A4-landscape":     {A4Height, A4Width},
	"Letter":           {612, 792},
	"Letter-landscape": {792, 612},
}

// Template describes one edition of one form: how to recognise its pages,
// how to register a scan of them, and where and what each field is. It is
// data (form/templates/*.json for the built-in editions; an office adds
// more at run time): nothing else in Blankett knows a form's layout.
//
// All coordinates are PDF points with the origin at the top left of the
// page, y growing downwards (see Box).
type Template struct {
	Kind Kind `json:"kind"`
	// Edition names this edition, as FK prints it: "FK 9445 (001)". Kind
	// and Edition together identify a template.
	Edition    string `json:"edition"`
	FormNumber string `json:"form_number"` // printed on every page, e.g. "FK 9445"
	Title      string `json:"title"`       // printed title
	// ReturnAddress is where the edition says it is to be sent ("Skickas
	// till"), comma-separated lines.
	ReturnAddress string `json:"return_address,omitempty"`
	// Paper names the page size (A4, A4-landscape, Letter,
	// Letter-landscape); PageWidth and PageHeight are taken from it when
	// they are not given.
	Paper       string      `json:"paper,omitempty"`
	PageWidth   float64     `json:"page_width"`
	PageHeight  float64     `json:"page_height"`
	Recognition Recognition `json:"recognition"`
	Pages       []Page      `json:"pages"`
	// Repeats declares the repeating groups (the orderer rows of a 9463).
	Repeats []Repeat `json:"repeats,omitempty"`
	Fields  []Field  `json:"fields"`
}

// Recognition is how a page of this edition is told from others. The
// patterns are regular expressions (Go syntax) matched case-insensitively
// against text read from the page with runs of white space made one space.
type Recognition struct {
	// FormNumber matches the printed form number ("F\\s?K\\s*9445").
	FormNumber string `json:"form_number"`
	// Edition matches the printed edition mark, telling this edition
	// from other editions of the kind ("9445\\s*\\(001\\)").
	Edition string `json:"edition,omitempty"`
	// Title is the printed title, compared word by word.
	Title string `json:"title,omitempty"`
	// Words are printed words distinctive of this edition.
	Words []string `json:"words,omitempty"`
	// PageMark matches the printed page mark with two groups, page and
	// page count: "sida (\\d+) av (\\d+)", "(\\d+) \\((\\d+)\\)".
	PageMark string `json:"page_mark,omitempty"`
	// Where the form number, edition mark and page mark are printed, on
	// every page.
	Where []Place `json:"where,omitempty"`
}

// Place is where a recognition mark is printed: its box on the page and,
// for a mark printed up or down a margin, how far its text is turned.
type Place struct {
	Box
	// Turned is how far the text is turned anticlockwise, in degrees, as
	// a PDF's text matrix turns it: 0, upright; 90, running up the page
	// (bottom to top, as form numbers are often printed up the left
	// margin); 270, running down it.
	Turned int `json:"turned,omitempty"`
}

// Repeat is a repeating group of fields: the rows of persons on a 9463.
// Its fields carry a role with "[i]" and their row.
type Repeat struct {
	Name  string `json:"name"`
	Label string `json:"label,omitempty"`
	Rows  int    `json:"rows"`
}

// Page is what one page prints apart from the field values.
type Page struct {
	Number int `json:"number"` // 1-based
	// Mark is the printed page mark ("sida 1 av 2", "1 (2)"); empty when
	// the edition prints none.
	Mark string `json:"mark,omitempty"`
	// Anchors are printed marks and lines of text with known positions.
	// Corner marks (kind "mark") are used to register a scan when the
	// edition prints them; they are never required.
	Anchors []Anchor `json:"anchors,omitempty"`
	// Words are printed words with their boxes (the ink, from the top of
	// the tallest letter to the bottom of the lowest): a scan is
	// registered to the template by finding them on it.
	Words []PrintedWord `json:"words,omitempty"`
	// Lines are ruled lines (horizontal or vertical), also used to
	// register a scan.
	Lines []Line `json:"lines,omitempty"`
	// Rects are printed rectangles: header bands, section bars, the frames
	// of value zones. With Texts, what the corpus draws for the built-in
	// editions; an edition drafted from FK's PDF need not have them.
	Rects []Rect `json:"rects,omitempty"`
	// Texts are the other printed lines: labels, headings, body text.
	Texts []Text `json:"texts,omitempty"`
}

// PrintedWord is one printed word and its box.
type PrintedWord struct {
	Text string `json:"text"`
	Box  Box    `json:"box"`
}

// Line is a printed rule from (X1, Y1) to (X2, Y2).
type Line struct {
	X1 float64 `json:"x1"`
	Y1 float64 `json:"y1"`
	X2 float64 `json:"x2"`
	Y2 float64 `json:"y2"`
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
	// Role says what the value means (see FieldRole); empty for a field no
	// rule needs.
	Role FieldRole `json:"role,omitempty"`
	// Repeat and Row place a field in a row of a repeating group.
	Repeat string `json:"repeat,omitempty"`
	Row    int    `json:"row,omitempty"`
	// Group names tick boxes that belong together, e.g. "order_type".
	Group string `json:"group,omitempty"`
	// Section is the part of the form the field is in, as the paper heads
	// it ("Användare"): it tells apart fields with the same label.
	Section string `json:"section,omitempty"`
	// PDFName is the field's name in the edition's fillable PDF (Name
	// when empty); Aliases are other names it has had there.
	PDFName string   `json:"pdf_name,omitempty"`
	Aliases []string `json:"aliases,omitempty"`
	// Options are the choices of a radio group or choice field.
	Options []Option `json:"options,omitempty"`
}

// Option is one choice of a radio group or choice field: Value is what the
// PDF stores (its export value), Role the yes/no role it stands for.
type Option struct {
	Value string    `json:"value"`
	Label string    `json:"label,omitempty"`
	Role  FieldRole `json:"role,omitempty"`
	// Zone is where an option's button is printed (radio groups), for
	// reading scans.
	Zone *Box `json:"zone,omitempty"`
}

// PDFNames returns every name the field may have in a fillable PDF.
func (f Field) PDFNames() []string {
	n := f.PDFName
	if n == "" {
		n = f.Name
	}
	return append([]string{n}, f.Aliases...)
}

// ID identifies a template: kind and edition.
func (t *Template) ID() string { return string(t.Kind) + " " + t.Edition }

//go:embed templates/*.json
var templateFS embed.FS

// ErrUnknownTemplate is returned for a kind or edition without a template.
var ErrUnknownTemplate = errors.New("form: no template for kind")

// LoadTemplates returns the first built-in edition of each kind. They are
// parsed once per process and shared: callers must not change them. Code
// that reads documents uses a Set and the document's own edition instead.
func LoadTemplates() (map[Kind]*Template, error) {
	s, err := BuiltinSet()
	if err != nil {
		return nil, err
	}
	out := map[Kind]*Template{}
	for _, k := range s.Kinds() {
		out[k], _ = s.Primary(k)
	}
	return out, nil
}

// ParseTemplate decodes and checks one template. The error names the
// problem.
func ParseTemplate(b []byte) (*Template, error) {
	var t Template
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("template is not valid JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("template is not valid JSON: more than one value")
	}
	if err := t.fillPaper(); err != nil {
		return nil, err
	}
	if err := t.Check(); err != nil {
		if t.Edition != "" {
			return nil, fmt.Errorf("template %s: %w", t.ID(), err)
		}
		return nil, err
	}
	return &t, nil
}

// fillPaper sets the page size from Paper when it is not given.
func (t *Template) fillPaper() error {
	if t.Paper == "" {
		return nil
	}
	size, ok := papers[t.Paper]
	if !ok {
		return fmt.Errorf("unknown paper %q (A4, A4-landscape, Letter or Letter-landscape)", t.Paper)
	}
	if t.PageWidth == 0 && t.PageHeight == 0 {
		t.PageWidth, t.PageHeight = size[0], size[1]
	}
	return nil
}

// LoadTemplate returns the first built-in edition of kind.
func LoadTemplate(kind Kind) (*Template, error) {
	s, err := BuiltinSet()
	if err != nil {
		return nil, err
	}
	t, ok := s.Primary(kind)
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

// ByRole returns the field with role r (in row of its repeating group;
// row 0 for a role of no group). For a yes/no role carried by an option,
// it returns the radio or choice field and the option.
func (t *Template) ByRole(r FieldRole, row int) (Field, *Option, bool) {
	for _, f := range t.Fields {
		if f.Row != row {
			continue
		}
		if f.Role == r {
			return f, nil, true
		}
		for i := range f.Options {
			if f.Options[i].Role == r {
				return f, &f.Options[i], true
			}
		}
	}
	return Field{}, nil, false
}

// RoleValue returns the value a document read with t has for role r in
// row (0 outside repeating groups). A yes/no role carried by an option is
// "true" when that option was chosen, else "false".
func (t *Template) RoleValue(fields Fields, r FieldRole, row int) (Value, bool) {
	f, opt, ok := t.ByRole(r, row)
	if !ok {
		return Value{}, false
	}
	v, ok := fields[f.Name]
	if !ok {
		return Value{}, false
	}
	if opt != nil {
		chosen := v.Value == opt.Value
		v.Name, v.Role, v.Type = f.Name, r, TypeCheckbox
		v.Value, v.Raw = boolWord(chosen), boolWord(chosen)
	}
	return v, true
}

// RoleField is the name of the field that carries role r in row (0
// outside repeating groups) on this edition, or "" when none does. Findings
// name it, so that the review page marks the field the edition prints.
func (t *Template) RoleField(r FieldRole, row int) string {
	f, _, ok := t.ByRole(r, row)
	if !ok {
		return ""
	}
	return f.Name
}

// RoleText is role r's normalised value in row, else what was read,
// trimmed; "" when the edition or the document has none.
func (t *Template) RoleText(fields Fields, r FieldRole, row int) string {
	v, _ := t.RoleValue(fields, r, row)
	return v.Text()
}

// RoleChecked reports whether yes/no role r (a check box, or an option of
// a radio group or choice field) is set in row; also a signature role
// that was signed.
func (t *Template) RoleChecked(fields Fields, r FieldRole, row int) bool {
	v, ok := t.RoleValue(fields, r, row)
	return ok && v.Checked()
}

// RoleRows is the number of rows of the repeating group role r belongs to
// ("orderer[i].name": the orderer rows); 0 for a role of no group.
func (t *Template) RoleRows(r FieldRole) int {
	group, ok := r.Repeated()
	if !ok {
		return 0
	}
	return t.Rows(group)
}

// FieldRole returns the role and row of the named field (empty when the
// edition has no such field or gives it no role).
func (t *Template) FieldRole(name string) (FieldRole, int) {
	f, ok := t.Field(name)
	if !ok {
		return "", 0
	}
	return f.Role, f.Row
}

func boolWord(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// Rows is the number of rows of the named repeating group (0 when the
// template has none).
func (t *Template) Rows(group string) int {
	for _, r := range t.Repeats {
		if r.Name == group {
			return r.Rows
		}
	}
	return 0
}

// PageMark returns the built-in editions' printed page mark for page n of m.
func PageMark(n, m int) string { return fmt.Sprintf("sida %d av %d", n, m) }

var (
	patternsMu sync.Mutex
	patterns   = map[string]*regexp.Regexp{}
)

// pattern compiles a recognition pattern, case-insensitive, once.
func pattern(p string) (*regexp.Regexp, error) {
	patternsMu.Lock()
	defer patternsMu.Unlock()
	if re, ok := patterns[p]; ok {
		return re, nil
	}
	re, err := regexp.Compile("(?i)" + p)
	if err != nil {
		return nil, err
	}
	if len(patterns) < 1000 {
		patterns[p] = re
	}
	return re, nil
}

// flatten makes runs of white space one space.
func flatten(text string) string { return strings.Join(strings.Fields(text), " ") }

// unmarked is s with the marks over and under its letters left off (Ö is
// O, é is e); letters of their own (ø, æ, ß) stay.
func unmarked(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, norm.NFD.String(s))
}

// strayMarks are the signs a speck between two printed words is read as.
const strayMarks = "'`´‘’\",.:;"

// unspecked is text with each run of strayMarks that stands between two
// letters or digits read as the space it stands in (Översikt'ABC,
// AB.1234).
func unspecked(text string) string {
	rs := []rune(text)
	for i := 1; i < len(rs)-1; i++ {
		if !strings.ContainsRune(strayMarks, rs[i]) || !isWordRune(rs[i-1]) {
			continue
		}
		j := i
		for j < len(rs) && strings.ContainsRune(strayMarks, rs[j]) {
			j++
		}
		if j < len(rs) && isWordRune(rs[j]) {
			for k := i; k < j; k++ {
				rs[k] = ' '
			}
		}
		i = j
	}
	return string(rs)
}

// isWordRune reports whether r is a letter or a digit.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// matchMarked reports whether text holds the pattern p, as printed or
// with the marks over its letters lost on both sides: a scan may lose the
// dots of a printed Ö, and a pattern drafted from an edition's printed
// words spells them (Översikt read Oversikt). A speck read as a sign
// where the pattern has a space between two words is read as that space
// (see unspecked).
func matchMarked(p, text string) bool {
	if p == "" {
		return false
	}
	text = flatten(text)
	match := func(text string) bool {
		if re, err := pattern(p); err == nil && re.MatchString(text) {
			return true
		}
		re, err := pattern(unmarked(p))
		return err == nil && re.MatchString(unmarked(text))
	}
	if match(text) {
		return true
	}
	clean := unspecked(text)
	return clean != text && match(clean)
}

// MatchFormNumber reports whether text holds the edition's form number.
func (t *Template) MatchFormNumber(text string) bool {
	return matchMarked(t.Recognition.FormNumber, text)
}

// MatchEdition reports whether text holds the edition's edition mark
// (false when the template gives no pattern).
func (t *Template) MatchEdition(text string) bool {
	return matchMarked(t.Recognition.Edition, text)
}

// MatchPageMark finds the page mark in text: page n of m, m the
// edition's page count (see pageMarks). An edition may
// print it twice (a header and a footer); where the two read as different
// pages, one was misread (a 1 read as 2), and no mark is found: the
// page's printed words tell which page it is.
func (t *Template) MatchPageMark(text string) (n, m int, ok bool) {
	marks := t.pageMarks(text)
	if len(marks) == 0 || t.PageMarksDiffer(text) {
		return 0, 0, false
	}
	return marks[0][0], marks[0][1], true
}

// PageMarksDiffer reports whether text holds page marks that name
// different pages: one of them was misread, and none tells the page.
func (t *Template) PageMarksDiffer(text string) bool {
	marks := t.pageMarks(text)
	return slices.ContainsFunc(marks, func(mk [2]int) bool { return mk != marks[0] })
}

// pageMarks are the page marks in text, page n of m each. A page mark is
// page n of m, 1 ≤ n ≤ m: that tells "1 (2)" from the edition mark
// "9445 (002)" printed beside it. And m is the edition's page count: a
// fax machine's header over the page ("SIDA 1 AV 3", the pages sent,
// a cover letter among them) is no mark of the form's.
func (t *Template) pageMarks(text string) [][2]int {
	if t.Recognition.PageMark == "" {
		return nil
	}
	re, err := pattern(t.Recognition.PageMark)
	if err != nil {
		return nil
	}
	var out [][2]int
	for _, sm := range re.FindAllStringSubmatch(flatten(text), -1) {
		a, err1 := strconv.Atoi(sm[1])
		b, err2 := strconv.Atoi(sm[2])
		if err1 != nil || err2 != nil || a < 1 || a > b || b != len(t.Pages) {
			continue
		}
		out = append(out, [2]int{a, b})
	}
	return out
}

// Check reports the first inconsistency in t, naming it: unknown kind or
// field type, duplicate names, zones off the page or overlapping, patterns
// that do not compile or do not match what the edition prints, a page with
// too little to register a scan by, a role the kind needs and no field
// has.
func (t *Template) Check() error {
	if !t.Kind.Known() {
		return fmt.Errorf("unknown kind %q (known: %s, %s, %s)", t.Kind, KindAgreement, Kind9463, Kind9445)
	}
	if strings.TrimSpace(t.Edition) == "" {
		return errors.New("no edition: a template needs the edition mark its form prints")
	}
	if t.FormNumber == "" || t.Title == "" {
		return errors.New("form number and title are required")
	}
	if t.Paper != "" {
		size, ok := papers[t.Paper]
		if !ok {
			return fmt.Errorf("unknown paper %q", t.Paper)
		}
		if abs(size[0]-t.PageWidth) > 1 || abs(size[1]-t.PageHeight) > 1 {
			return fmt.Errorf("page size %gx%g is not %s", t.PageWidth, t.PageHeight, t.Paper)
		}
	}
	if t.PageWidth <= 0 || t.PageHeight <= 0 {
		return errors.New("page size must be positive")
	}
	if len(t.Pages) == 0 {
		return errors.New("no pages")
	}
	if err := t.checkRecognition(); err != nil {
		return err
	}
	const slack = 0.5 // points: rounding of drafted boxes
	onPage := func(b Box) bool {
		return b.X >= -slack && b.Y >= -slack && b.W > 0 && b.H > 0 &&
			b.X+b.W <= t.PageWidth+slack && b.Y+b.H <= t.PageHeight+slack
	}
	for _, b := range t.Recognition.Where {
		if !onPage(b.Box) {
			return fmt.Errorf("recognition: area %v off the page", b.Box)
		}
		if b.Turned != 0 && b.Turned != 90 && b.Turned != 270 {
			return fmt.Errorf("recognition: area %v turned %d degrees: 0, 90 or 270", b.Box, b.Turned)
		}
	}
	for i, p := range t.Pages {
		if p.Number != i+1 {
			return fmt.Errorf("page %d numbered %d", i+1, p.Number)
		}
		if p.Mark != "" {
			n, m, ok := t.MatchPageMark(p.Mark)
			if !ok || n != p.Number || m != len(t.Pages) {
				return fmt.Errorf("page %d: the page mark pattern %q does not read %q as page %d of %d",
					p.Number, t.Recognition.PageMark, p.Mark, p.Number, len(t.Pages))
			}
		}
		marks := 0
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
			default:
				return fmt.Errorf("page %d: anchor %q has unknown kind %q", p.Number, a.Name, a.Kind)
			}
		}
		for _, w := range p.Words {
			if strings.TrimSpace(w.Text) == "" {
				return fmt.Errorf("page %d: a printed word without text", p.Number)
			}
			if !onPage(w.Box) {
				return fmt.Errorf("page %d: printed word %q off the page", p.Number, w.Text)
			}
		}
		for _, l := range p.Lines {
			if !onPage(Box{X: min(l.X1, l.X2), Y: min(l.Y1, l.Y2), W: abs(l.X2-l.X1) + 0.01, H: abs(l.Y2-l.Y1) + 0.01}) {
				return fmt.Errorf("page %d: line from (%g, %g) off the page", p.Number, l.X1, l.Y1)
			}
		}
		// A scan is registered from printed words (or corner marks): four
		// points at least, not all in one line.
		if len(p.Words) < 6 && marks < 3 {
			return fmt.Errorf("page %d: %d printed words and %d corner marks; a scan needs six words or three marks to be registered by", p.Number, len(p.Words), marks)
		}
	}
	names := map[string]string{}
	pdfNames := map[string]string{}
	for _, f := range t.Fields {
		if f.Name == "" {
			return errors.New("field without name")
		}
		if _, dup := names[f.Name]; dup {
			return fmt.Errorf("field %q defined twice", f.Name)
		}
		names[f.Name] = f.Name
		for _, n := range f.PDFNames() {
			if prev, dup := pdfNames[n]; dup {
				return fmt.Errorf("field %q: PDF name %q is also field %q's", f.Name, n, prev)
			}
			pdfNames[n] = f.Name
		}
		switch f.Type {
		case TypeText, TypePersonnummer, TypeOrgnr, TypePhone, TypeEmail, TypeDate, TypeCheckbox, TypeSignature:
			if len(f.Options) > 0 {
				return fmt.Errorf("field %q: only radio and choice fields have options", f.Name)
			}
		case TypeRadio, TypeChoice:
			if len(f.Options) < 2 {
				return fmt.Errorf("field %q: a %s field needs two options or more", f.Name, f.Type)
			}
			vals := map[string]bool{}
			for _, o := range f.Options {
				if o.Value == "" || vals[o.Value] {
					return fmt.Errorf("field %q: option values must be given and differ (%q)", f.Name, o.Value)
				}
				vals[o.Value] = true
				if o.Zone != nil && !onPage(*o.Zone) {
					return fmt.Errorf("field %q: option %q's zone off the page", f.Name, o.Value)
				}
			}
		default:
			return fmt.Errorf("field %q: unknown type %q", f.Name, f.Type)
		}
		if f.Label == "" {
			return fmt.Errorf("field %q: no label", f.Name)
		}
		if f.Page < 1 || f.Page > len(t.Pages) {
			return fmt.Errorf("field %q: page %d out of range 1–%d", f.Name, f.Page, len(t.Pages))
		}
		if !onPage(f.Zone) {
			return fmt.Errorf("field %q: zone (x %g, y %g, %g×%g) off the %g×%g page", f.Name, f.Zone.X, f.Zone.Y, f.Zone.W, f.Zone.H, t.PageWidth, t.PageHeight)
		}
	}
	for i, a := range t.Fields {
		for _, b := range t.Fields[i+1:] {
			if a.Page == b.Page && a.Zone.Overlaps(b.Zone) {
				return fmt.Errorf("fields %q and %q overlap", a.Name, b.Name)
			}
		}
	}
	repeats := map[string]bool{}
	for _, r := range t.Repeats {
		if r.Name == "" || r.Rows < 1 || repeats[r.Name] {
			return fmt.Errorf("repeating group %q: needs a unique name and one row or more", r.Name)
		}
		repeats[r.Name] = true
	}
	return t.checkRoles()
}

func (t *Template) checkRecognition() error {
	r := t.Recognition
	if r.FormNumber == "" {
		return errors.New("recognition: no form number pattern")
	}
	for _, p := range []struct{ what, pat string }{{"form number", r.FormNumber}, {"edition", r.Edition}, {"page mark", r.PageMark}} {
		if p.pat == "" {
			continue
		}
		re, err := pattern(p.pat)
		if err != nil {
			return fmt.Errorf("recognition: %s pattern %q: %w", p.what, p.pat, err)
		}
		if p.what == "page mark" && re.NumSubexp() != 2 {
			return fmt.Errorf("recognition: page mark pattern %q needs two groups (page, count), has %d", p.pat, re.NumSubexp())
		}
	}
	if !t.MatchFormNumber(t.FormNumber) {
		return fmt.Errorf("recognition: form number pattern %q does not match the form number %q", r.FormNumber, t.FormNumber)
	}
	if len(t.Pages) > 1 && r.PageMark == "" {
		return fmt.Errorf("recognition: %d pages but no page mark pattern to tell them apart", len(t.Pages))
	}
	return nil
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// Overlaps reports whether b and o share any area.
func (b Box) Overlaps(o Box) bool {
	return b.X < o.X+o.W && o.X < b.X+b.W && b.Y < o.Y+o.H && o.Y < b.Y+b.H
}

// builtinSet parses the embedded templates on first use.
var builtinSet = sync.OnceValues(func() (*Set, error) { return loadSet(templateFS) })

// BuiltinSet returns the built-in editions, embedded in the binary: the
// seed of the office's own set. It is parsed once and shared.
func BuiltinSet() (*Set, error) { return builtinSet() }

func loadSet(fsys fs.FS) (*Set, error) {
	names, err := fs.Glob(fsys, "templates/*.json")
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	sort.Strings(names)
	s := &Set{}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read template %s: %w", name, err)
		}
		t, err := ParseTemplate(b)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		if s, err = s.With(t); err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
	}
	return s, nil
}
