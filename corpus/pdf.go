package corpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/font"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/color"
	pdfform "github.com/pdfcpu/pdfcpu/pkg/pdfcpu/form"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"

	"blankett/form"
	"blankett/pdfguard"
)

// pdfConf returns a pdfcpu configuration that writes plain cross-reference
// tables and no object streams.
func pdfConf() *model.Configuration {
	conf := pdfguard.Config()
	conf.WriteObjectStream = false
	conf.WriteXRefStream = false
	return conf
}

// safely runs f, turning a pdfcpu panic into an error, both with what.
func safely(what string, f func() error) error {
	if err := pdfguard.Do(what, f); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// pdfcpu's layout JSON (see pdfcpu's pkg/testdata/json/create). Only what
// we use; origin is the lower left corner.
type (
	pjFont struct {
		Name string `json:"name"`
		Size int    `json:"size"`
		Col  string `json:"col,omitempty"`
	}
	pjBox struct {
		Pos     [2]float64 `json:"pos"`
		Width   float64    `json:"width"`
		Height  float64    `json:"height"`
		FillCol string     `json:"fillCol,omitempty"`
	}
	pjText struct {
		Value string     `json:"value"`
		Pos   [2]float64 `json:"pos"`
		Font  pjFont     `json:"font"`
	}
	pjTextField struct {
		ID    string     `json:"id"`
		Tip   string     `json:"tip,omitempty"`
		Value string     `json:"value"`
		Pos   [2]float64 `json:"pos"`
		Width float64    `json:"width"`
		Font  pjFont     `json:"font"`
		Align string     `json:"align"`
	}
	pjCheckBox struct {
		ID    string     `json:"id"`
		Tip   string     `json:"tip,omitempty"`
		Value bool       `json:"value"`
		Pos   [2]float64 `json:"pos"`
		Width float64    `json:"width"`
	}
	pjContent struct {
		Box       []pjBox       `json:"box,omitempty"`
		Text      []pjText      `json:"text,omitempty"`
		TextField []pjTextField `json:"textfield,omitempty"`
		CheckBox  []pjCheckBox  `json:"checkbox,omitempty"`
	}
	pjPage struct {
		Content pjContent `json:"content"`
	}
	pjDoc struct {
		Paper      string            `json:"paper"`
		Origin     string            `json:"origin"`
		ContentBox bool              `json:"contentBox"`
		Guides     bool              `json:"guides"`
		Pages      map[string]pjPage `json:"pages"`
	}
)

// textPosDrop is how far below the baseline pdfcpu places a text box's
// position, as a fraction of the font size (measured: 13 pt at 50 pt).
const textPosDrop = 0.26

// Value fonts.
const (
	valueFont     = "Helvetica"
	valueSize     = 11
	fieldFontSize = 10
)

// layoutJSON turns a template into pdfcpu's layout JSON. With fillable, each
// text-like field becomes an AcroForm text field and each tick box an
// AcroForm check box; otherwise values (may be nil) are printed into their
// zones as plain text, which is how a filled form looks once flattened.
// Signature fields are never AcroForm fields: they are signed by hand.
func layoutJSON(t *form.Template, values map[string]string, fillable bool, style fillStyle) ([]byte, error) {
	H := t.PageHeight
	doc := pjDoc{Paper: "A4P", Origin: "LowerLeft", Pages: map[string]pjPage{}}
	for _, p := range t.Pages {
		var c pjContent
		box := func(b form.Box, fill string) {
			c.Box = append(c.Box, pjBox{Pos: [2]float64{b.X, H - b.Y - b.H}, Width: b.W, Height: b.H, FillCol: fill})
		}
		text := func(s, fontName string, size, x, baseline float64, col string) {
			if col == "" {
				col = "#000000"
			}
			c.Text = append(c.Text, pjText{Value: s, Pos: [2]float64{x, H - baseline - textPosDrop*size}, Font: pjFont{Name: fontName, Size: int(size), Col: col}})
		}
		for _, r := range p.Rects {
			if r.Fill != "" {
				box(r.Box, r.Fill)
			}
			if r.Stroke != "" {
				w := r.Width
				if w <= 0 {
					w = 0.6
				}
				b := r.Box
				box(form.Box{X: b.X - w/2, Y: b.Y - w/2, W: b.W + w, H: w}, r.Stroke)
				box(form.Box{X: b.X - w/2, Y: b.Y + b.H - w/2, W: b.W + w, H: w}, r.Stroke)
				box(form.Box{X: b.X - w/2, Y: b.Y - w/2, W: w, H: b.H + w}, r.Stroke)
				box(form.Box{X: b.X + b.W - w/2, Y: b.Y - w/2, W: w, H: b.H + w}, r.Stroke)
			}
		}
		for _, a := range p.Anchors {
			switch a.Kind {
			case form.AnchorMark:
				box(a.Box, "#000000")
			case form.AnchorText:
				text(a.Text, a.Font, a.Size, a.Box.X, a.Box.Y+form.BaselineOffset*a.Size, "")
			}
		}
		for _, tx := range p.Texts {
			text(tx.Text, tx.Font, tx.Size, tx.X, tx.Y, tx.Color)
		}
		for _, f := range t.PageFields(p.Number) {
			z := f.Zone
			v := values[f.Name]
			switch {
			case fillable && f.Type == form.TypeCheckbox:
				c.CheckBox = append(c.CheckBox, pjCheckBox{ID: f.PDFNames()[0], Tip: f.Label, Value: v == "true", Pos: [2]float64{z.X, H - z.Y - z.H}, Width: z.W})
			case fillable && f.Type != form.TypeSignature:
				fh := fieldFontSize * 1.2
				c.TextField = append(c.TextField, pjTextField{
					ID: f.PDFNames()[0], Tip: f.Label, Value: v, Align: "left",
					Pos:   [2]float64{z.X + 2, H - (z.Y + z.H/2) - fh/2},
					Width: z.W - 4, Font: pjFont{Name: valueFont, Size: fieldFontSize, Col: "#000000"},
				})
			case f.Type == form.TypeCheckbox:
				if v == "true" {
					switch style.Tick {
					case "check":
						text("4", "ZapfDingbats", 10, z.X+z.W/2-3.5, z.Y+z.H-2, "")
					case "box":
						box(inset(z, z.W*0.2), "#000000")
					default:
						text("X", "Helvetica-Bold", 11, z.X+z.W/2-3.7, z.Y+z.H-1.6, "")
					}
				}
			case f.Type == form.TypeSignature:
				// Drawn on the raster by the scan simulator.
			case v != "":
				size := fitSize(v, z.W-8, style)
				text(v, style.Font, float64(size), z.X+4, z.Y+z.H/2+0.36*float64(size), "#101010")
			}
		}
		doc.Pages[fmt.Sprint(p.Number)] = pjPage{Content: c}
	}
	return json.Marshal(doc)
}

// fitSize is the largest value font size, from the style's down to 6, at
// which s fits w.
func fitSize(s string, w float64, style fillStyle) int {
	for size := int(style.Size); size > 6; size-- {
		if textWidth(s, style.Font, float64(size)) <= w {
			return size
		}
	}
	return 6
}

// createPDF runs pdfcpu's create on layout JSON and makes the result
// reproducible (see canonical).
func createPDF(layout []byte) ([]byte, error) {
	var out bytes.Buffer
	err := safely("create pdf", func() error {
		return api.Create(nil, bytes.NewReader(layout), &out, pdfConf())
	})
	if err != nil {
		return nil, err
	}
	return canonical(out.Bytes())
}

// BlankPDF renders the blank fillable PDF of a template.
func BlankPDF(t *form.Template) ([]byte, error) {
	layout, err := layoutJSON(t, nil, true, defaultFill)
	if err != nil {
		return nil, fmt.Errorf("layout %s: %w", t.Kind, err)
	}
	b, err := createPDF(layout)
	if err != nil {
		return nil, fmt.Errorf("blank %s: %w", t.Kind, err)
	}
	return b, nil
}

// FlatPDF renders a template with values printed into the zones and no
// form fields: a filled form after flattening.
func FlatPDF(t *form.Template, values map[string]string) ([]byte, error) {
	return flatPDF(t, values, defaultFill)
}

// flatPDF is FlatPDF with values printed in the given style.
func flatPDF(t *form.Template, values map[string]string, style fillStyle) ([]byte, error) {
	if !font.IsCoreFont(style.Font) {
		if err := installTrueTypeFills(); err != nil {
			return nil, err
		}
	}
	layout, err := layoutJSON(t, values, false, style)
	if err != nil {
		return nil, fmt.Errorf("layout %s: %w", t.Kind, err)
	}
	b, err := createPDF(layout)
	if err != nil {
		return nil, fmt.Errorf("flat %s: %w", t.Kind, err)
	}
	return b, nil
}

// FillPDF fills a blank fillable PDF of t with values (field name → raw
// value as typed; tick boxes "true"/"false"; radio groups the chosen
// option's value) using pdfcpu's FillForm.
func FillPDF(t *form.Template, blank []byte, values map[string]string) ([]byte, error) {
	var f pdfform.Form
	names := make([]string, 0, len(values))
	ticks := map[string]bool{}
	for n := range values {
		names = append(names, n)
		if fd, ok := t.Field(n); ok && fd.Type == form.TypeCheckbox {
			ticks[fd.PDFNames()[0]] = values[n] == "true"
		}
	}
	sort.Strings(names)
	blank, ticked, err := tickKidBoxes(blank, ticks)
	if err != nil {
		return nil, fmt.Errorf("fill %s: %w", t.Kind, err)
	}
	for _, n := range names {
		fd, ok := t.Field(n)
		if !ok || fd.Type == form.TypeSignature {
			continue
		}
		pdfName := fd.PDFNames()[0] // the edition's own name for it
		if fd.Type == form.TypeCheckbox {
			if ticked[pdfName] {
				continue
			}
			f.CheckBoxes = append(f.CheckBoxes, &pdfform.CheckBox{Pages: []int{fd.Page}, Name: pdfName, Value: values[n] == "true"})
			continue
		}
		if fd.Type == form.TypeRadio {
			// The chosen option's value; "" chooses none.
			f.RadioButtonGroups = append(f.RadioButtonGroups, &pdfform.RadioButtonGroup{Pages: []int{fd.Page}, Name: pdfName, Value: values[n]})
			continue
		}
		f.TextFields = append(f.TextFields, &pdfform.TextField{Pages: []int{fd.Page}, Name: pdfName, Value: values[n]})
	}
	js, err := json.Marshal(pdfform.FormGroup{Forms: []pdfform.Form{f}})
	if err != nil {
		return nil, fmt.Errorf("fill %s: %w", t.Kind, err)
	}
	var out bytes.Buffer
	err = safely("fill form "+string(t.Kind), func() error {
		return api.FillForm(bytes.NewReader(blank), bytes.NewReader(js), &out, pdfConf())
	})
	if err != nil {
		return nil, err
	}
	return canonical(out.Bytes())
}

// tickKidBoxes sets the tick boxes of ticks (the edition's own field
// names → ticked) whose widget is a kid of the field, as pdf-lib and
// Acrobat make them, which pdfcpu's FillForm refuses ("missing entry
// AP", pdfcpu/pdfcpu#1373): the field's value and each widget's
// appearance state are set directly. It returns the PDF and the names it
// set; the rest are FillForm's.
func tickKidBoxes(pdf []byte, ticks map[string]bool) ([]byte, map[string]bool, error) {
	if len(ticks) == 0 {
		return pdf, nil, nil
	}
	ctx, acro, err := acroForm(pdf)
	if err != nil {
		return nil, nil, fmt.Errorf("tick boxes: %w", err)
	}
	if acro == nil {
		return pdf, nil, nil
	}
	set := map[string]bool{}
	var walk func(o types.Object, parent string) error
	walk = func(o types.Object, parent string) error {
		d, name, err := field(ctx, o, parent)
		if err != nil || d == nil {
			return err
		}
		kids := d.ArrayEntry("Kids")
		tick, wanted := ticks[name]
		if !wanted || len(kids) == 0 {
			for _, k := range kids {
				if err := walk(k, name); err != nil {
					return err
				}
			}
			return nil
		}
		state := types.Name("Off")
		for _, k := range kids {
			kd, err := ctx.DereferenceDict(k)
			if err != nil || kd == nil {
				return err
			}
			on := onState(ctx, kd)
			if on == "" {
				return nil // not a tick box's widget: FillForm's
			}
			kd["AS"] = types.Name("Off")
			if tick {
				kd["AS"], state = types.Name(on), types.Name(on)
			}
		}
		d["V"] = state
		set[name] = true
		return nil
	}
	for _, o := range acro.ArrayEntry("Fields") {
		if err := walk(o, ""); err != nil {
			return nil, nil, fmt.Errorf("tick boxes: %w", err)
		}
	}
	if len(set) == 0 {
		return pdf, nil, nil
	}
	var out bytes.Buffer
	if err := safely("write pdf", func() error { return api.WriteContext(ctx, &out) }); err != nil {
		return nil, nil, err
	}
	return out.Bytes(), set, nil
}

// acroForm reads a PDF and returns it with its interactive form
// dictionary (nil when it has none).
func acroForm(pdf []byte) (*model.Context, types.Dict, error) {
	ctx, err := readContext(pdf)
	if err != nil {
		return nil, nil, err
	}
	root, err := ctx.Catalog()
	if err != nil {
		return nil, nil, fmt.Errorf("catalog: %w", err)
	}
	acro, err := ctx.DereferenceDict(root["AcroForm"])
	return ctx, acro, err
}

// field dereferences a form field (or widget) o under a field named
// parent, and returns it with its full name: parent's name and its
// partial name, joined by a dot; parent's alone for a widget without a
// name of its own.
func field(ctx *model.Context, o types.Object, parent string) (types.Dict, string, error) {
	d, err := ctx.DereferenceDict(o)
	if err != nil || d == nil {
		return nil, "", err
	}
	t, err := d.StringOrHexLiteralEntry("T")
	switch {
	case err != nil:
		return nil, "", err
	case t == nil:
		return d, parent, nil
	case parent == "":
		return d, *t, nil
	}
	return d, parent + "." + *t, nil
}

// onState is the name of a tick box widget's ticked appearance (its
// normal appearances' one not "Off"), "" when it has none.
func onState(ctx *model.Context, widget types.Dict) string {
	ap, err := ctx.DereferenceDict(widget["AP"])
	if err != nil || ap == nil {
		return ""
	}
	n, err := ctx.DereferenceDict(ap["N"])
	if err != nil {
		return ""
	}
	for k := range n {
		if k != "Off" {
			return k
		}
	}
	return ""
}

// ExportPDF reads the AcroForm values of a PDF: field name → value, tick
// boxes as "true"/"false".
func ExportPDF(pdf []byte) (map[string]string, error) {
	var fg *pdfform.FormGroup
	err := safely("export form", func() error {
		var err error
		fg, err = api.ExportForm(bytes.NewReader(pdf), "corpus", pdfConf())
		return err
	})
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, f := range fg.Forms {
		for _, tf := range f.TextFields {
			out[tf.Name] = tf.Value
		}
		for _, df := range f.DateFields {
			out[df.Name] = df.Value
		}
		for _, cb := range f.CheckBoxes {
			out[cb.Name] = fmt.Sprint(cb.Value)
		}
	}
	return out, nil
}

// ValidatePDF runs pdfcpu's validation in the given mode.
func ValidatePDF(pdf []byte, strict bool) error {
	conf := pdfConf()
	if strict {
		conf.ValidationMode = model.ValidationStrict
	}
	return safely("validate pdf", func() error {
		return api.Validate(bytes.NewReader(pdf), conf)
	})
}

// readContext reads a PDF into pdfcpu's model.
func readContext(pdf []byte) (*model.Context, error) {
	var ctx *model.Context
	err := safely("read pdf", func() error {
		var err error
		ctx, err = api.ReadContext(bytes.NewReader(pdf), pdfConf())
		return err
	})
	return ctx, err
}

// canonical rewrites a PDF so that its bytes depend only on its content:
// pdfcpu numbers objects in Go map order, which differs from run to run.
// Objects are renumbered in the order a depth-first walk from the catalog
// meets them (dictionary keys sorted), written without object streams, with
// a fixed Info dictionary and an ID hashed from the content.
func canonical(pdf []byte) ([]byte, error) {
	ctx, err := readContext(pdf)
	if err != nil {
		return nil, err
	}
	xt := ctx.XRefTable
	if xt.Root == nil {
		return nil, fmt.Errorf("canonical: no catalog")
	}
	renum := map[int]int{}
	var order []int
	var visit func(o types.Object)
	visit = func(o types.Object) {
		switch v := o.(type) {
		case types.IndirectRef:
			n := v.ObjectNumber.Value()
			if _, ok := renum[n]; ok {
				return
			}
			e, ok := xt.Find(n)
			if !ok || e.Free || e.Object == nil {
				return
			}
			renum[n] = len(order) + 1
			order = append(order, n)
			visit(e.Object)
		case *types.IndirectRef:
			visit(*v)
		case types.Dict:
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				visit(v[k])
			}
		case types.StreamDict:
			visit(v.Dict)
		case types.Array:
			for _, e := range v {
				visit(e)
			}
		}
	}
	visit(*xt.Root)

	var ser func(o types.Object) string
	ser = func(o types.Object) string {
		switch v := o.(type) {
		case nil:
			return "null"
		case types.IndirectRef:
			if n, ok := renum[v.ObjectNumber.Value()]; ok {
				return fmt.Sprintf("%d 0 R", n)
			}
			return "null"
		case *types.IndirectRef:
			return ser(*v)
		case types.Dict:
			v = withFontWidths(v)
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var b strings.Builder
			b.WriteString("<<")
			for _, k := range keys {
				fmt.Fprintf(&b, "/%s %s", types.EncodeName(k), ser(v[k]))
			}
			b.WriteString(">>")
			return b.String()
		case types.Array:
			parts := make([]string, len(v))
			for i, e := range v {
				parts[i] = ser(e)
			}
			return "[" + strings.Join(parts, " ") + "]"
		default:
			return o.PDFString()
		}
	}

	var buf bytes.Buffer
	buf.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, 0, len(order)+1)
	for i, n := range order {
		e, _ := xt.Find(n)
		offsets = append(offsets, buf.Len())
		fmt.Fprintf(&buf, "%d 0 obj\n", i+1)
		if sd, ok := e.Object.(types.StreamDict); ok {
			d := types.Dict{}
			for k, v := range sd.Dict {
				d[k] = v
			}
			d["Length"] = types.Integer(len(sd.Raw))
			buf.WriteString(ser(d))
			buf.WriteString("\nstream\n")
			buf.Write(sd.Raw)
			buf.WriteString("\nendstream")
		} else {
			buf.WriteString(ser(e.Object))
		}
		buf.WriteString("\nendobj\n")
	}
	info := len(order) + 1
	offsets = append(offsets, buf.Len())
	fmt.Fprintf(&buf, "%d 0 obj\n<</Producer (pdfcpu %s via blankett corpus)>>\nendobj\n", info, model.VersionStr)
	sum := sha256.Sum256(buf.Bytes())
	id := hex.EncodeToString(sum[:16])
	xref := buf.Len()
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, o := range offsets {
		fmt.Fprintf(&buf, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&buf, "trailer\n<</Size %d /Root 1 0 R /Info %d 0 R /ID [<%s> <%s>]>>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, info, id, id, xref)
	return buf.Bytes(), nil
}

// withFontWidths adds FirstChar, LastChar and Widths to a core Type1 font
// dictionary that lacks them. PDF 1.7 lets the standard 14 fonts omit them,
// but strict validators (pdfcpu's among them) require them.
func withFontWidths(d types.Dict) types.Dict {
	if d.NameEntry("Type") == nil || *d.NameEntry("Type") != "Font" ||
		d.NameEntry("Subtype") == nil || *d.NameEntry("Subtype") != "Type1" {
		return d
	}
	base := d.NameEntry("BaseFont")
	if base == nil || !font.IsCoreFont(*base) {
		return d
	}
	if _, ok := d.Find("FirstChar"); ok {
		return d
	}
	out := types.Dict{}
	for k, v := range d {
		out[k] = v
	}
	const first, last = 32, 255
	w := make(types.Array, 0, last-first+1)
	for c := first; c <= last; c++ {
		w = append(w, types.Integer(font.CharWidth(*base, rune(c))))
	}
	bb := font.BoundingBox(*base)
	flags, italic, weight := 32, 0.0, 400 // nonsymbolic
	if strings.Contains(*base, "Bold") {
		weight = 700
	}
	if *base == "ZapfDingbats" || *base == "Symbol" {
		flags = 4
	}
	if strings.Contains(*base, "Oblique") || strings.Contains(*base, "Italic") {
		flags |= 64
		italic = -12
	}
	out["FontDescriptor"] = types.Dict{
		"Type":        types.Name("FontDescriptor"),
		"FontName":    types.Name(*base),
		"FontFamily":  types.StringLiteral(strings.Split(*base, "-")[0]),
		"FontWeight":  types.Integer(weight),
		"Flags":       types.Integer(flags),
		"FontBBox":    types.NewNumberArray(bb.LL.X, bb.LL.Y, bb.UR.X, bb.UR.Y),
		"ItalicAngle": types.Float(italic),
		"Ascent":      types.Float(bb.UR.Y),
		"Descent":     types.Float(bb.LL.Y),
		"CapHeight":   types.Integer(718),
		"StemV":       types.Integer(88),
	}
	out["FirstChar"] = types.Integer(first)
	out["LastChar"] = types.Integer(last)
	out["Widths"] = w
	return out
}

// inset shrinks a box by d points on every side.
func inset(b form.Box, d float64) form.Box {
	return form.Box{X: b.X + d, Y: b.Y + d, W: b.W - 2*d, H: b.H - 2*d}
}

// fieldRoom is how a text field of a blank fillable PDF shows its value:
// the widget's width and the font size its default appearance sets the
// text at (0: sized to fit, as a viewer does for an automatic size).
type fieldRoom struct {
	Width, Size float64
}

// daSize matches the size operand of a default appearance's Tf.
var daSize = regexp.MustCompile(`([0-9.]+)\s+Tf`)

// blankRooms returns the room of each text field of a blank fillable PDF,
// by its full name: the width of its (first) widget, and the size its
// default appearance (its own, a parent field's, or the form's) sets.
// A viewer that fills it sets the value at that size and shows no more
// of it than the widget holds.
func blankRooms(blank []byte) (map[string]fieldRoom, error) {
	ctx, acro, err := acroForm(blank)
	if err != nil || acro == nil {
		return nil, err
	}
	out := map[string]fieldRoom{}
	var walk func(o types.Object, parent, da string) error
	walk = func(o types.Object, parent, da string) error {
		d, name, err := field(ctx, o, parent)
		if err != nil || d == nil {
			return err
		}
		if s := d.StringEntry("DA"); s != nil {
			da = *s
		}
		if a := d.ArrayEntry("Rect"); a != nil && name != "" {
			r, err := ctx.RectForArray(a)
			if err != nil {
				return err
			}
			if _, seen := out[name]; !seen {
				room := fieldRoom{Width: r.Width()}
				if m := daSize.FindStringSubmatch(da); m != nil {
					room.Size, _ = strconv.ParseFloat(m[1], 64)
				}
				out[name] = room
			}
		}
		for _, k := range d.ArrayEntry("Kids") {
			if err := walk(k, name, da); err != nil {
				return err
			}
		}
		return nil
	}
	da := ""
	if s := acro.StringEntry("DA"); s != nil {
		da = *s
	}
	for _, o := range acro.ArrayEntry("Fields") {
		if err := walk(o, "", da); err != nil {
			return nil, fmt.Errorf("rooms: %w", err)
		}
	}
	return out, nil
}

// signInViewer signs a filled fillable PDF as a viewer's sign tool does:
// over each signature box whose style in sigs signs (a scribble, initials)
// a stroke of ink is drawn (an Ink annotation, which the viewer shows and
// prints). It returns the PDF and the styles as drawn: a scribble where
// it signed, none elsewhere.
func signInViewer(pdf []byte, t *form.Template, sigs map[string]string, r *rand.Rand) ([]byte, map[string]string, error) {
	drawn := map[string]string{}
	for _, f := range t.Fields {
		if f.Type != form.TypeSignature {
			continue
		}
		drawn[f.Name] = SigNone
		if !sigPresent(sigs[f.Name]) {
			continue
		}
		drawn[f.Name] = SigScribble
		// A stroke up and down across the box's lower part, left to
		// right over a half to four fifths of it (y up, from the page's
		// foot).
		x, base := f.Zone.X+4+r.Float64()*10, t.PageHeight-(f.Zone.Y+f.Zone.H)+4
		end := f.Zone.X + f.Zone.W*(0.5+0.3*r.Float64())
		height := min(f.Zone.H-8, 24.0)
		var path model.InkPath
		for up := false; x < end; up = !up {
			y := base + r.Float64()*height*0.3
			if up {
				y = base + height*(0.6+0.4*r.Float64())
			}
			path = append(path, x, y)
			x += 5 + r.Float64()*9
		}
		rect := types.NewRectangle(f.Zone.X, t.PageHeight-f.Zone.Y-f.Zone.H, f.Zone.X+f.Zone.W, t.PageHeight-f.Zone.Y)
		ann := model.NewInkAnnotation(*rect, 0, "", "signature-"+f.Name, "", 0, &color.Black, "", nil, nil, "", "", []model.InkPath{path}, 1+r.Float64(), model.BSSolid)
		var out bytes.Buffer
		if err := safely("sign "+f.Name+" in a viewer", func() error {
			return api.AddAnnotations(bytes.NewReader(pdf), &out, []string{strconv.Itoa(f.Page)}, ann, pdfConf())
		}); err != nil {
			return nil, nil, err
		}
		// Written plain, its dates (the annotation's: now) fixed, and
		// written again, as its content decides its ID.
		signed, err := canonical(out.Bytes())
		if err != nil {
			return nil, nil, err
		}
		if pdf, err = canonical(fixedDates(signed)); err != nil {
			return nil, nil, err
		}
	}
	return pdf, drawn, nil
}
