package extract

import (
	"bytes"
	"context"
	"os"
	"testing"

	"blankett/form"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/color"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// TestSignatureDrawnOnFillable: a filled fillable PDF signed in a viewer,
// its signature drawn in ink over the signature box (an Ink annotation,
// as a viewer's "sign" tool makes), is signed; one with ink elsewhere on
// the page, or none, is not.
func TestSignatureDrawnOnFillable(t *testing.T) {
	data, err := os.ReadFile("../testdata/corpus/digital/9445-valid-new.pdf")
	if err != nil {
		t.Fatal(err)
	}
	set, err := form.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := set.Primary(form.Kind9445)
	var sig form.Field
	for _, f := range tpl.Fields {
		if f.Type == form.TypeSignature {
			sig = f
		}
	}
	// inkAt draws a scribble in ink at x, y (points, top left origin) on
	// the first page.
	inkAt := func(x, y float64) []byte {
		t.Helper()
		base := tpl.PageHeight - y
		path := model.InkPath{x, base, x + 20, base + 15, x + 40, base + 2, x + 60, base + 18, x + 90, base + 5}
		rect := types.NewRectangle(x-2, base-2, x+92, base+20)
		ann := model.NewInkAnnotation(*rect, 0, "", "signature", "", 0, &color.Black, "", nil, nil, "", "", []model.InkPath{path}, 2, model.BSSolid)
		var out bytes.Buffer
		if err := api.AddAnnotations(bytes.NewReader(data), &out, []string{"1"}, ann, nil); err != nil {
			t.Fatal(err)
		}
		return out.Bytes()
	}
	e := newTestExtractor(t)
	for _, c := range []struct {
		what   string
		pdf    []byte
		signed string
	}{
		{"signed in ink over its box", inkAt(sig.Zone.X+6, sig.Zone.Y+sig.Zone.H-8), "true"},
		{"ink elsewhere on the page", inkAt(sig.Zone.X+6, 40), "false"},
		{"not signed", data, "false"},
	} {
		res, err := e.Extract(context.Background(), "application/pdf", c.pdf)
		if err != nil {
			t.Fatalf("%s: %v", c.what, err)
		}
		if len(res.Documents) != 1 || res.Documents[0].Kind != form.Kind9445 {
			t.Fatalf("%s: %+v, want one 9445", c.what, res.Documents)
		}
		v := res.Documents[0].Fields[sig.Name]
		if v.Value != c.signed || v.Confidence < 0.95 {
			t.Errorf("%s: signature %q at %.2f, want %q surely", c.what, v.Value, v.Confidence, c.signed)
		}
	}
}
