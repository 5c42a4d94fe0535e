package validate_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"blankett/corpus"
	"blankett/form"
	"blankett/storage"
	"blankett/storage/storagetest"
	"blankett/validate"
)

// TestCorpusFindings validates the truth values of every document in the
// committed corpus against the corpus's registry, loaded into a real
// PostgreSQL registry, and expects exactly the findings the truth lists.
func TestCorpusFindings(t *testing.T) {
	pool, _ := storagetest.NewDatabase(t)
	ctx := context.Background()
	root := filepath.Join("..", "testdata", "corpus")
	fixture, err := corpus.ReadRegistry(root)
	if err != nil {
		t.Fatal(err)
	}
	if err := storage.LoadReference(ctx, pool, fixture.Reference()); err != nil {
		t.Fatal(err)
	}
	reg := storage.NewRegistry(pool)

	truths, err := corpus.ReadTruths(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(truths) < 50 {
		t.Fatalf("only %d truth files", len(truths))
	}
	checked := 0
	for _, tr := range truths {
		received, err := tr.ReceivedOn()
		if err != nil {
			t.Fatal(err)
		}
		for i, td := range tr.Documents {
			fields := form.Fields{}
			for name, f := range td.Fields {
				fields[name] = form.Value{Name: name, Type: f.Type, Raw: f.Raw, Value: f.Value, Confidence: 1}
			}
			if td.Kind == form.KindAgreement {
				n := fmt.Sprint(tr.Copies(i))
				fields[validate.FieldCopies] = form.Value{Name: validate.FieldCopies, Value: n, Raw: n, Confidence: 1}
			}
			findings, err := validate.Document(ctx, reg, form.Document{ID: int64(i + 1), Kind: td.Kind, Received: received, Fields: fields})
			if err != nil {
				t.Fatalf("%s doc %d: %v", tr.File, i+1, err)
			}
			var got, want []string
			for _, f := range findings {
				got = append(got, f.Code+"@"+f.Field)
			}
			for _, f := range td.Findings {
				want = append(want, f.Code+"@"+f.Field)
			}
			sort.Strings(got)
			sort.Strings(want)
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%s doc %d (%s): findings\n  got  %v\n  want %v", tr.File, i+1, td.Case, got, want)
			}
			checked++
		}
	}
	t.Logf("%d documents validated against their truth", checked)
}
