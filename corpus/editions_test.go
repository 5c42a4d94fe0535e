package corpus

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"blankett/form"
)

// TestGenerateOtherEditions: with further editions given, a share of the
// mailroom world's extra forms is filled in on them, and their truth is
// written in those editions' own field names, whatever they are.
func TestGenerateOtherEditions(t *testing.T) {
	needTools(t)
	var editions []*form.Template
	for _, b := range templates(t) {
		r, err := OtherNames(b)
		if err != nil {
			t.Fatal(err)
		}
		editions = append(editions, r)
	}
	dir := t.TempDir()
	if err := Generate(context.Background(), Options{Seed: 4242, OutDir: dir, Quick: true, Count: 12, Editions: editions}); err != nil {
		t.Fatal(err)
	}
	checkCorpus(t, dir)
	truths, err := ReadTruths(dir)
	if err != nil {
		t.Fatal(err)
	}
	first := templates(t)
	other := 0
	for _, tr := range truths {
		for _, td := range tr.Documents {
			tpl := first[td.Kind]
			if td.Edition != "" {
				other++
				for _, e := range editions {
					if e.Kind == td.Kind && e.Edition == td.Edition {
						tpl = e
					}
				}
				if tpl == first[td.Kind] {
					t.Fatalf("%s: edition %q was not given", tr.File, td.Edition)
				}
			}
			for name := range td.Fields {
				if _, ok := tpl.Field(name); !ok {
					t.Errorf("%s: field %s is not one of %s's", tr.File, name, tpl.ID())
				}
			}
			for _, f := range td.Findings {
				if _, ok := tpl.Field(f.Field); f.Field != "" && !ok {
					t.Errorf("%s: finding %s names %s, not a field of %s", tr.File, f.Code, f.Field, tpl.ID())
				}
			}
		}
	}
	if other == 0 {
		t.Fatal("no extra form was filled in on another edition")
	}
}

// TestPrintableOwnBlank: a document on an edition given with its own blank
// (an edition another tool drew) is printed as that blank filled in, not
// drawn from the template; one without is drawn.
func TestPrintableOwnBlank(t *testing.T) {
	needTools(t)
	first := templates(t)[form.Kind9445]
	other, err := OtherNames(first)
	if err != nil {
		t.Fatal(err)
	}
	blank, err := BlankPDF(other) // stands in for the other tool's blank
	if err != nil {
		t.Fatal(err)
	}
	values := map[string]string{}
	for _, f := range other.Fields {
		if f.Type == form.TypeText {
			values[f.Name] = "Ängelholms kommun"
			break
		}
	}
	d := doc{kind: form.Kind9445, tpl: other, values: values}
	want, err := FillPDF(other, blank, values)
	if err != nil {
		t.Fatal(err)
	}
	g := &generator{opts: Options{Blanks: map[string][]byte{other.ID(): blank}}, tpls: templates(t)}
	got, err := g.printable(d, defaultFill)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("with its own blank: not printed as the blank filled in")
	}
	g.opts.Blanks = nil
	drawn, err := g.printable(d, defaultFill)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(drawn, want) {
		t.Error("without a blank: printed as the blank filled in, not drawn")
	}
}

// TestFitRooms: a number too wide for its field in a blank drawn by
// another tool, at the size the blank sets it, is written again shorter,
// as who fills it in does on seeing its end cut off; its value stays. A
// number that fits, and a name too wide (which has no shorter way), are
// left as written.
func TestFitRooms(t *testing.T) {
	blank, err := os.ReadFile(filepath.Join("..", "extract", "testdata", "outside", "9463-reportlab-blank.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	rooms, err := blankRooms(blank)
	if err != nil {
		t.Fatal(err)
	}
	if got := rooms["Rad4_Tel"]; math.Abs(got.Width-66) > 0.5 || got.Size != 8 {
		t.Fatalf("Rad4_Tel's room %+v, want 66 points wide at 8 points", got)
	}
	tpl := &form.Template{Fields: []form.Field{
		{Name: "Rad1_Tel", Type: form.TypePhone},
		{Name: "Rad4_Tel", Type: form.TypePhone},
		{Name: "Rad4_Pnr", Type: form.TypePersonnummer},
		{Name: "Rad4_Namn", Type: form.TypeText},
	}}
	long := "Anna-Karin Margareta Wästerlund-Öhrnberg af Klercker"
	d := doc{values: map[string]string{
		"Rad1_Tel": "070-602 29 92", "Rad4_Tel": "+46 (0)72-532 18 39", "Rad4_Pnr": "19790713 9864", "Rad4_Namn": long,
	}}
	fitRooms(&d, tpl, rooms)
	want := map[string]string{"Rad1_Tel": "070-602 29 92", "Rad4_Tel": "0725321839", "Rad4_Pnr": "19790713 9864", "Rad4_Namn": long}
	for n, w := range want {
		if got := d.values[n]; got != w {
			t.Errorf("%s written %q, want %q", n, got, w)
		}
	}
	if normValue(form.TypePhone, d.values["Rad4_Tel"]) != normValue(form.TypePhone, "+46 (0)72-532 18 39") {
		t.Errorf("the number's value changed: %q", d.values["Rad4_Tel"])
	}
}
