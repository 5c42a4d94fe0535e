package extract

import (
	"context"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"blankett/form"
)

func TestDrawnText(t *testing.T) {
	for _, c := range []struct {
		content string
		want    bool
	}{
		{"BT /F1 10 Tf 72 700 Td (Anna) Tj ET", true},
		{"BT 0 Tr /F1 10 Tf (Anna) Tj ET", true},
		{"q 595 0 0 842 0 0 cm /Im0 Do Q BT 3 Tr /F1 10 Tf (Anna) Tj ET", false},
		{"BT\n3 Tr\n(Anna) Tj ET", false},
		{"BT 13 Tr (Anna) Tj ET", true}, // no such mode, and not 3
	} {
		if got := drawnText([]byte(c.content)); got != c.want {
			t.Errorf("drawnText(%q) = %v, want %v", c.content, got, c.want)
		}
	}
}

// TestPageDrawsText judges real files: a searchable scan as Tesseract
// writes one (the scan, and its OCR's text laid over it invisibly) hides
// its text; a form flattened by pdftocairo draws it.
func TestPageDrawsText(t *testing.T) {
	dir := t.TempDir()
	scan, err := os.ReadFile("../testdata/corpus/scan/9445-valid-new.pdf")
	if err != nil {
		t.Fatal(err)
	}
	src, err := open(context.Background(), "application/pdf", scan, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	page, err := src.page(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	pngPath := filepath.Join(dir, "page.png")
	f, err := os.Create(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, page); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if b, err := exec.Command("tesseract", pngPath, filepath.Join(dir, "searchable"), "-l", "swe", "pdf").CombinedOutput(); err != nil {
		t.Fatalf("tesseract: %v: %s", err, b)
	}
	if b, err := exec.Command("pdftocairo", "-pdf", "../testdata/corpus/digital/9445-valid-new.pdf", filepath.Join(dir, "flat.pdf")).CombinedOutput(); err != nil {
		t.Fatalf("pdftocairo: %v: %s", err, b)
	}
	for file, want := range map[string]bool{"searchable.pdf": false, "flat.pdf": true} {
		data, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		pctx, err := readPDFForTest(data)
		if err != nil {
			t.Fatal(err)
		}
		if got := pageDrawsText(pctx, 1); got != want {
			t.Errorf("%s: pageDrawsText = %v, want %v", file, got, want)
		}
		words, err := printedWords(context.Background(), data)
		if err != nil {
			t.Fatal(err)
		}
		if len(words[1]) < 20 {
			t.Errorf("%s: %d words in its text, want the page's", file, len(words[1]))
		}
	}
}

func TestLayerText(t *testing.T) {
	id := affine{A: 1, E: 1}
	zone := form.Box{X: 100, Y: 100, W: 200, H: 40}
	word := func(text string, x0, y0, x1, y1 int) layerWord {
		return layerWord{text: text, box: image.Rect(x0, y0, x1, y1)}
	}
	words := []layerWord{
		word("Svensson", 160, 105, 210, 115), // first line, second word
		word("Anna", 110, 104, 150, 116),
		word("c/o", 110, 122, 130, 132),  // second line
		word("Label", 110, 80, 150, 92),  // above the zone: a printed label
		word("Next", 320, 105, 350, 115), // right of it: another field
	}
	if got, reaches := layerText(words, id, zone, 600); got != "Anna Svensson c/o" || reaches {
		t.Errorf("layerText = %q, %v; want %q, false", got, reaches, "Anna Svensson c/o")
	}
	// Ending at the zone's right edge, or just past it: perhaps cut.
	cut := []layerWord{word("anna.svensson@sfgoteborghisi", 110, 105, 302, 115)}
	if got, reaches := layerText(cut, id, zone, 600); got != "anna.svensson@sfgoteborghisi" || !reaches {
		t.Errorf("layerText of a word at the edge = %q, %v; want it, true", got, reaches)
	}
	// Running on well past it: drawn whole.
	long := []layerWord{word("anna.svensson@sfgoteborghisingen.se", 110, 105, 340, 115)}
	if _, reaches := layerText(long, id, zone, 600); reaches {
		t.Errorf("a word drawn well past the zone's edge taken for cut")
	}
	// Ending at the page's edge: the page cut it.
	if _, reaches := layerText(long, id, zone, 345); !reaches {
		t.Errorf("a word ending at the page's edge not taken for cut")
	}
	// A last word begun in the zone and drawn to the page's edge, its
	// middle past the zone's: the value's, and perhaps cut.
	runOn := []layerWord{word("Marie-Louise", 110, 105, 160, 115), word("Strömbäck-Lindqvi", 260, 105, 344, 115)}
	if got, reaches := layerText(runOn, id, zone, 345); got != "Marie-Louise Strömbäck-Lindqvi" || !reaches {
		t.Errorf("layerText of a word begun in the zone, drawn to the page's edge = %q, %v; want all of it, true", got, reaches)
	}
	// On a page fitted askew the zone's corners move with it.
	turned := affine{A: 1, B: -0.05, D: 0.05, E: 1}
	if got, _ := layerText(words, turned, zone, 600); !strings.Contains(got, "Anna") {
		t.Errorf("layerText on a skewed fit = %q, want Anna in it", got)
	}
}

func TestFromTextLayer(t *testing.T) {
	tpl := &form.Template{Pages: []form.Page{{Number: 1, Words: []form.PrintedWord{
		{Text: "Telefon", Box: form.Box{X: 150, Y: 72, W: 40, H: 10}}, // a label printed in the phone's box
		{Text: "Anna", Box: form.Box{X: 300, Y: 12, W: 28, H: 14}},    // a word printed elsewhere
	}}}, Fields: []form.Field{
		{Name: "name", Type: form.TypeText, Page: 1, Zone: form.Box{X: 10, Y: 10, W: 200, H: 20}},
		{Name: "email", Type: form.TypeEmail, Page: 1, Zone: form.Box{X: 10, Y: 40, W: 200, H: 20}},
		{Name: "phone", Type: form.TypePhone, Page: 1, Zone: form.Box{X: 10, Y: 70, W: 200, H: 20}},
		{Name: "tick", Type: form.TypeCheckbox, Page: 1, Zone: form.Box{X: 10, Y: 100, W: 10, H: 10}},
	}}
	layer := []layerWord{
		{text: "Anna", box: image.Rect(12, 12, 40, 26)},
		{text: "Svensson", box: image.Rect(45, 12, 100, 26)},
		{text: "anna.svensson@gotene.se", box: image.Rect(12, 42, 150, 56)},
		{text: "070-123", box: image.Rect(12, 72, 60, 86)},
		{text: "45", box: image.Rect(64, 72, 76, 86)},
		{text: "67", box: image.Rect(80, 72, 92, 86)},
		{text: "Telefon", box: image.Rect(151, 72, 189, 82)},
		{text: "X", box: image.Rect(11, 101, 19, 109)},
	}
	e := &Extractor{normalise: testNormaliser}
	read := func(name, raw, value string, conf float64) form.Value {
		return form.Value{Name: name, Raw: raw, Value: value, Confidence: conf}
	}
	for _, c := range []struct {
		what   string
		fields form.Fields
		taken  bool
	}{
		{"a value read surely alike, the others in doubt", form.Fields{
			"name":  read("name", "Anna Svensson", "Anna Svensson", 0.97),
			"email": read("email", "anna.svenssom@gotene.se", "anna.svenssom@gotene.se", 0.6),
			"phone": read("phone", "070-128 45 67", "+46701284567", 0.7),
			"tick":  read("tick", "", "false", 0.99),
		}, true},
		{"a value read surely otherwise", form.Fields{
			"name":  read("name", "Anna Svensson", "Anna Svensson", 0.97),
			"email": read("email", "anna.karlsson@gotene.se", "anna.karlsson@gotene.se", 0.96),
			"phone": read("phone", "070-128 45 67", "+46701284567", 0.7),
			"tick":  read("tick", "", "false", 0.99),
		}, false},
		{"no value read alike", form.Fields{
			"name":  read("name", "Anna Svenssor", "Anna Svenssor", 0.6),
			"email": read("email", "", "", 0),
			"phone": read("phone", "070-128 45 67", "+46701284567", 0.7),
			"tick":  read("tick", "", "false", 0.99),
		}, false},
	} {
		pi := &pageInfo{n: 1, img: image.NewGray(image.Rect(0, 0, 600, 800)), t: affine{A: 1, E: 1}, registered: true, layer: layer}
		before := map[string]form.Value{}
		for k, v := range c.fields {
			before[k] = v
		}
		e.fromTextLayer(c.fields, tpl, map[int]*pageInfo{1: pi})
		if c.fields["tick"] != before["tick"] {
			t.Errorf("%s: a tick box taken from the text: %+v", c.what, c.fields["tick"])
		}
		if !c.taken {
			for k, v := range c.fields {
				if v != before[k] {
					t.Errorf("%s: %s taken from untrusted text: %+v", c.what, k, v)
				}
			}
			continue
		}
		for name, want := range map[string]string{"name": "Anna Svensson", "email": "anna.svensson@gotene.se", "phone": "+46701234567"} {
			if v := c.fields[name]; v.Value != want || v.Confidence != textLayerConfidence {
				t.Errorf("%s: %s = %q at %.2f, want %q at %.2f", c.what, name, v.Value, v.Confidence, want, textLayerConfidence)
			}
		}
		if got := c.fields["phone"].Raw; got != "070-123 45 67" {
			t.Errorf("%s: phone's raw text %q, want it as drawn", c.what, got)
		}
	}
}

// TestFlattenedPDF reads filled forms flattened by another tool (poppler's
// pdftocairo: the values drawn as text, no form left): every value as
// typed, surely, but one whose text reaches its box's edge or the page's,
// which may be cut.
func TestFlattenedPDF(t *testing.T) {
	if _, err := exec.LookPath("pdftocairo"); err != nil {
		t.Fatalf("pdftocairo (poppler-utils) is needed: %v", err)
	}
	e := newTestExtractor(t)
	files, _ := filepath.Glob("../testdata/corpus/digital/*.pdf")
	if len(files) < 10 {
		t.Fatalf("%d fillable PDFs in testdata/corpus/digital, want them all", len(files))
	}
	values, fromText := 0, 0
	for _, in := range []string{files[0], files[3], files[len(files)/2], files[len(files)-1]} {
		out := filepath.Join(t.TempDir(), "flat.pdf")
		if b, err := exec.Command("pdftocairo", "-pdf", in, out).CombinedOutput(); err != nil {
			t.Fatalf("pdftocairo: %v: %s", err, b)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var truth struct {
			Documents []struct {
				Kind   form.Kind
				Fields map[string]struct {
					Type  form.FieldType
					Value string
				}
			}
		}
		b, err := os.ReadFile(strings.TrimSuffix(in, ".pdf") + ".truth.json")
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &truth); err != nil {
			t.Fatal(err)
		}
		res, err := e.Extract(context.Background(), "application/pdf", data)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(in), err)
		}
		if len(res.Documents) != 1 || res.Documents[0].Kind != truth.Documents[0].Kind {
			t.Fatalf("%s flattened: %d documents, want one %s", filepath.Base(in), len(res.Documents), truth.Documents[0].Kind)
		}
		got := res.Documents[0].Fields
		for name, tf := range truth.Documents[0].Fields {
			v := got[name]
			values++
			if v.Value != tf.Value {
				t.Errorf("%s flattened: %s = %q at %.2f, want %q", filepath.Base(in), name, v.Value, v.Confidence, tf.Value)
			}
			if !textual(tf.Type) || tf.Value == "" {
				continue
			}
			if v.Confidence == textLayerConfidence {
				fromText++
			} else if v.Confidence != cutLayerConfidence {
				t.Errorf("%s flattened: %s = %q at %.2f, not taken from the page's text", filepath.Base(in), name, v.Value, v.Confidence)
			}
		}
	}
	if fromText < values/4 {
		t.Errorf("%d of %d values taken surely from the text", fromText, values)
	}
}
