package pipeline_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"blankett/corpus"
	"blankett/form"
	"blankett/pipeline"
	"blankett/pipeline/pipelinetest"
	"blankett/storage"
	"blankett/storage/storagetest"
)

// workingPipeline is a pipeline with one worker reading files in this
// process (Tesseract included), on its own database and bucket.
func workingPipeline(t *testing.T) (*pipeline.Pipeline, *storage.DB) {
	t.Helper()
	db, _ := storagetest.NewDatabase(t)
	blob, _ := storagetest.NewBlob(t)
	return pipelinetest.Working(t, db, blob), db
}

// filledSecondEdition fills the blank fillable PDF of the second 9445
// edition with the values of the n-th digital corpus 9445.
func filledSecondEdition(t *testing.T, tpl *form.Template, n int) []byte {
	t.Helper()
	paths, _ := filepath.Glob("../testdata/corpus/digital/9445-valid-*.truth.json")
	sort.Strings(paths)
	if len(paths) <= n {
		t.Fatalf("want %d 9445 samples, have %d", n+1, len(paths))
	}
	var tr corpus.Truth
	b, err := os.ReadFile(paths[n])
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatal(err)
	}
	values := map[string]string{}
	for name, f := range tr.Documents[0].Fields {
		values[name] = f.Raw
	}
	blank, err := corpus.BlankPDF(tpl)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := corpus.FillPDF(tpl, blank, values)
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}

func ingest(t *testing.T, p *pipeline.Pipeline, name string, data []byte) int64 {
	t.Helper()
	r, err := p.Ingest(context.Background(), pipeline.Upload{Filename: name, Source: "cli", Actor: "test", Body: bytes.NewReader(data)})
	if err != nil {
		t.Fatal(err)
	}
	return r.DocumentID
}

// settled waits until a document has been read and returns it.
func settled(t *testing.T, db *storage.DB, id int64) storage.Document {
	t.Helper()
	return pipelinetest.Settled(t, db, id)
}

// TestTemplateAddedAtRunTime imports the second 9445 edition into a
// running pipeline and activates it: the next document of that edition is
// read with it, without a restart, while the first edition stays active
// beside it; a document read with the first edition before keeps it on
// re-extraction, even once the first edition is retired; a document that
// was unclassified is read once a person picks the new edition.
func TestTemplateAddedAtRunTime(t *testing.T) {
	p, db := workingPipeline(t)
	ctx := context.Background()
	body, err := os.ReadFile("../testdata/editions/9445-002.json")
	if err != nil {
		t.Fatal(err)
	}
	second, err := form.ParseTemplate(body)
	if err != nil {
		t.Fatal(err)
	}
	builtin, err := form.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	first, _ := builtin.Primary(form.Kind9445)

	// Before: the built-in editions are seeded and active; a filled
	// second-edition PDF is no form the office knows.
	set, err := p.ActiveSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if set.Len() != builtin.Len() {
		t.Fatalf("active set before the import: %d editions, want the %d built-in", set.Len(), builtin.Len())
	}
	oldDoc := ingest(t, p, "first.pdf", mustRead(t, firstEditionSample(t)))
	early := ingest(t, p, "early.pdf", filledSecondEdition(t, second, 0))
	if d := settled(t, db, oldDoc); d.Kind != form.Kind9445 || d.Edition != first.Edition {
		t.Fatalf("first-edition sample read as %s %q (%s)", d.Kind, d.Edition, d.State)
	}
	if d := settled(t, db, early); d.State != form.StateUnclassified {
		t.Fatalf("second-edition sample before the import: %s %s %q, want unclassified", d.State, d.Kind, d.Edition)
	}

	// Import: a draft, not yet read with.
	v, err := p.ImportTemplate(ctx, body, "admin")
	if err != nil {
		t.Fatal(err)
	}
	if v.State != storage.TemplateDraft || v.Kind != form.Kind9445 || v.Edition != second.Edition || v.Version != 1 {
		t.Fatalf("imported %+v", v)
	}
	if again, err := p.ImportTemplate(ctx, body, "admin"); err != nil || again.ID != v.ID {
		t.Fatalf("the same body imported again: %+v %v, want version %d", again, err, v.ID)
	}
	if set, err = p.ActiveSet(ctx); err != nil || set.Len() != builtin.Len() {
		t.Fatalf("a draft is in the active set: %d %v", set.Len(), err)
	}
	if _, err := p.ActivateTemplate(ctx, second.Kind, second.Edition, time.Now().AddDate(0, 0, 3), "admin"); err != nil {
		t.Fatal(err)
	}
	if set, err = p.ActiveSet(ctx); err != nil || set.Len() != builtin.Len() {
		t.Fatalf("a version valid from a later day is read with today: %d %v", set.Len(), err)
	}
	if _, err := p.ActivateTemplate(ctx, second.Kind, second.Edition, time.Time{}, "admin"); err != nil {
		t.Fatal(err)
	}
	set, err = p.ActiveSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if eds := set.Editions(form.Kind9445); len(eds) != 2 {
		t.Fatalf("9445 editions active: %d, want both", len(eds))
	}

	// The running worker reads the new edition with it.
	fresh := ingest(t, p, "fresh.pdf", filledSecondEdition(t, second, 1))
	d := settled(t, db, fresh)
	if d.Kind != form.Kind9445 || d.Edition != second.Edition || d.State != form.StateNeedsReview {
		t.Fatalf("second-edition sample after activation: %s %s %q (%s)", d.State, d.Kind, d.Edition, d.StateMessage)
	}
	if d.Fields.Get("org_number") == "" || d.Fields.Get("user_personnummer") == "" {
		t.Errorf("second-edition sample read without its org number or personnummer (%d fields)", len(d.Fields))
	}

	// A person classifies the early document as the new edition.
	if err := p.Classify(ctx, oldDoc, second.Kind, second.Edition, "rita"); !errors.Is(err, pipeline.ErrNotUnclassified) {
		t.Fatalf("classify a document that was read: %v, want ErrNotUnclassified", err)
	}
	if err := p.Classify(ctx, early, form.Kind9445, "FK 9445 (999)", "rita"); !errors.Is(err, pipeline.ErrNoSuchTemplate) {
		t.Fatalf("classify as an edition there is none of: %v", err)
	}
	if err := p.Classify(ctx, early, second.Kind, second.Edition, "rita"); err != nil {
		t.Fatal(err)
	}
	if d := settled(t, db, early); d.Edition != second.Edition || d.State != form.StateNeedsReview {
		t.Fatalf("classified document: %s %s %q (%s)", d.State, d.Kind, d.Edition, d.StateMessage)
	}

	// The first edition retired: the document read with it keeps it.
	if err := p.RetireTemplate(ctx, first.Kind, first.Edition, "admin"); err != nil {
		t.Fatal(err)
	}
	if set, _ = p.ActiveSet(ctx); len(set.Editions(form.Kind9445)) != 1 {
		t.Fatalf("after retiring the first edition: %d 9445 editions active", len(set.Editions(form.Kind9445)))
	}
	if err := p.Reextract(ctx, oldDoc, "rita"); err != nil {
		t.Fatal(err)
	}
	d = settled(t, db, oldDoc)
	if d.Edition != first.Edition || d.ExtractionVersion != 2 || d.State != form.StateNeedsReview {
		t.Fatalf("re-extracted: %s %q version %d (%s), want %q version 2", d.State, d.Edition, d.ExtractionVersion, d.StateMessage, first.Edition)
	}
	var recorded string
	if err := db.QueryRow(ctx, `select edition from extractions where document_id = $1 and version = 2`, oldDoc).Scan(&recorded); err != nil || recorded != first.Edition {
		t.Fatalf("extraction version 2 recorded edition %q (%v)", recorded, err)
	}

	list, err := p.ListTemplates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]storage.TemplateState{}
	for _, v := range list {
		states[string(v.Kind)+" "+v.Edition] = v.State
	}
	if states[first.ID()] != storage.TemplateRetired || states[second.ID()] != storage.TemplateActive || len(list) != builtin.Len()+1 {
		t.Fatalf("listed %v", states)
	}
	out, err := p.ExportTemplate(ctx, second.Kind, second.Edition)
	if err != nil || !bytes.Equal(out, body) {
		t.Fatalf("export: %d bytes (%v), want the %d imported", len(out), err, len(body))
	}
}

func firstEditionSample(t *testing.T) string {
	t.Helper()
	paths, _ := filepath.Glob("../testdata/corpus/digital/9445-valid-*.pdf")
	sort.Strings(paths)
	if len(paths) == 0 {
		t.Fatal("no digital 9445 in the corpus")
	}
	return paths[0]
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestTemplateRefusals: a template lacking a role its kind needs, with a
// zone off the page, or not JSON at all is refused with a message naming
// the problem, and nothing is stored.
func TestTemplateRefusals(t *testing.T) {
	t.Parallel()
	p, db := reviewSetup(t)
	ctx := context.Background()
	body, err := os.ReadFile("../testdata/editions/9445-002.json")
	if err != nil {
		t.Fatal(err)
	}
	edit := func(change func(fields []any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
		change(m["fields"].([]any))
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	before, err := p.ListTemplates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		body     []byte
		detail   string // in the parser's message
		swedish  string // in the message to people
		mentions string
	}{
		{"missing role", edit(func(fs []any) {
			for _, f := range fs {
				if f.(map[string]any)["role"] == string(form.FieldUserPersonnummer) {
					delete(f.(map[string]any), "role")
				}
			}
		}), "no field has the role", "saknar en roll", string(form.FieldUserPersonnummer)},
		{"zone off the page", edit(func(fs []any) {
			zone := fs[0].(map[string]any)["zone"].(map[string]any)
			zone["x"] = 900.0
		}), "off the", "utanför sidan", "zone"},
		{"invalid JSON", body[:len(body)/2], "not valid JSON", "inte korrekt JSON", "JSON"},
	} {
		_, err := p.ImportTemplate(ctx, c.body, "admin")
		var refused *pipeline.TemplateRefusedError
		if !errors.As(err, &refused) {
			t.Errorf("%s: %v, want a refusal", c.name, err)
			continue
		}
		if !strings.Contains(err.Error(), c.detail) || !strings.Contains(err.Error(), c.mentions) {
			t.Errorf("%s: %q does not name the problem (%q, %q)", c.name, err, c.detail, c.mentions)
		}
		if !strings.Contains(refused.Message(), c.swedish) {
			t.Errorf("%s: message to people %q, want %q", c.name, refused.Message(), c.swedish)
		}
	}
	after, err := p.ListTemplates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(ctx, `select count(*) from template_versions`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) || n != len(before) {
		t.Fatalf("refused templates stored: %d versions listed, %d in the table, want %d", len(after), n, len(before))
	}
}
