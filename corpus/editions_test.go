package corpus

import (
	"context"
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
