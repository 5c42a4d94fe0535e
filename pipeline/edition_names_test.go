package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"blankett/corpus"
	"blankett/form"
	"blankett/letter"
	"blankett/storage"
	"blankett/storage/storagetest"
	"blankett/validate"
)

// moved is fields, read with edition from, as edition to reads them: each
// value under the name of the field with the same role and row. Fields no
// edition has (the pipeline's copies count) keep their name.
func moved(t *testing.T, fields form.Fields, from, to *form.Template) form.Fields {
	t.Helper()
	out := form.Fields{}
	for name, v := range fields {
		f, ok := from.Field(name)
		if !ok {
			out[name] = v
			continue
		}
		g, _, ok := to.ByRole(f.Role, f.Row)
		if !ok {
			t.Fatalf("%s has no field of role %s row %d", to.ID(), f.Role, f.Row)
		}
		v.Name, v.Role, v.Row = g.Name, g.Role, g.Row
		out[g.Name] = v
	}
	return out
}

// roleOf names a field by its role and row on edition t, so that findings
// of two editions compare.
func roleOf(t *form.Template, field string) string {
	if field == "" {
		return ""
	}
	r, row := t.FieldRole(field)
	if r == "" {
		return "name:" + field // a field no edition has
	}
	return fmt.Sprintf("%s#%d", r, row)
}

// TestEditionWithOtherFieldNames: every document of the committed corpus,
// stored once as read with a built-in edition and once as read with an
// edition of the same kind whose field names are all different (same
// roles), gets the same findings, the same registry changes and the same
// letters, and has its personnummer sealed the same way, in real
// PostgreSQL: nothing downstream of extraction knows a field by its name.
func TestEditionWithOtherFieldNames(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := storagetest.NewDatabase(t)
	blob, _ := storagetest.NewBlob(t)
	p, err := New(db, blob, nil, slog.New(slog.DiscardHandler), Config{SpoolDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join("..", "testdata", "corpus")
	fixture, err := corpus.ReadRegistry(root)
	if err != nil {
		t.Fatal(err)
	}
	truths, err := corpus.ReadTruths(root)
	if err != nil {
		t.Fatal(err)
	}
	if err := storage.LoadReference(ctx, db, fixture.Reference()); err != nil {
		t.Fatal(err)
	}

	// The second editions are imported and activated as an office does it.
	builtin, err := form.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	other := map[form.Kind]*form.Template{}
	for _, bt := range builtin.Templates() {
		if _, seen := other[bt.Kind]; seen {
			continue
		}
		r, err := corpus.OtherNames(bt)
		if err != nil {
			t.Fatal(err)
		}
		body, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.ImportTemplate(ctx, body, "admin"); err != nil {
			t.Fatalf("import %s: %v", r.ID(), err)
		}
		if _, err := p.ActivateTemplate(ctx, r.Kind, r.Edition, time.Time{}, "admin"); err != nil {
			t.Fatalf("activate %s: %v", r.ID(), err)
		}
		other[bt.Kind] = r
	}

	n := 0
	store := func(kind form.Kind, edition string, fields form.Fields, received time.Time) storage.Document {
		t.Helper()
		n++
		sha := fmt.Sprintf("editions-%d", n)
		id, _, err := storage.InsertDocument(ctx, db, storage.NewDocument{SHA256: sha, ObjectKey: "originals/" + sha, Filename: sha + ".pdf",
			MediaType: "application/pdf", SizeBytes: 1, Source: "test", State: form.StateReceived, Actor: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := storage.RecordExtraction(ctx, db, storage.Extraction{DocumentID: id, Version: 1, Engine: "test",
			Kind: kind, Edition: edition, Fields: fields}); err != nil {
			t.Fatal(err)
		}
		doc, err := storage.GetDocument(ctx, db, id)
		if err != nil {
			t.Fatal(err)
		}
		doc.ReceivedAt = received
		return doc
	}

	var docs, findings, ops, letters, renamedFindings int
	for _, tr := range truths {
		received, err := tr.ReceivedOn()
		if err != nil {
			t.Fatal(err)
		}
		for i, td := range tr.Documents {
			name := fmt.Sprintf("%s doc %d (%s)", tr.File, i+1, td.Case)
			first, ok := builtin.Primary(td.Kind)
			if !ok {
				t.Fatalf("%s: no built-in %s", name, td.Kind)
			}
			second := other[td.Kind]
			fields := form.Fields{}
			for fn, f := range td.Fields {
				tf, _ := first.Field(fn)
				fields[fn] = form.Value{Name: fn, Role: tf.Role, Row: tf.Row, Type: f.Type, Raw: f.Raw, Value: f.Value, Confidence: 1}
			}
			if td.Kind == form.KindAgreement {
				c := fmt.Sprint(tr.Copies(i))
				fields[validate.FieldCopies] = form.Value{Name: validate.FieldCopies, Value: c, Raw: c, Confidence: 1}
			}
			a := store(td.Kind, first.Edition, fields, received)
			b := store(td.Kind, second.Edition, moved(t, fields, first, second), received)
			docs++

			// Validation.
			fa, err := p.check(ctx, db, storage.NewRegistry(db), a)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			fb, err := p.check(ctx, db, storage.NewRegistry(db), b)
			if err != nil {
				t.Fatalf("%s, other names: %v", name, err)
			}
			key := func(tmpl *form.Template, fs []form.Finding) []string {
				var out []string
				for _, f := range fs {
					ev, _ := json.Marshal(f.Evidence)
					out = append(out, strings.Join([]string{f.Code, string(f.Severity), roleOf(tmpl, f.Field), f.Message, string(ev)}, " | "))
				}
				sort.Strings(out)
				return out
			}
			if ka, kb := key(first, fa), key(second, fb); !reflect.DeepEqual(ka, kb) {
				t.Errorf("%s: findings differ\n  built-in names: %q\n  other names:    %q", name, ka, kb)
			}
			findings += len(fa)
			for _, f := range fb {
				if _, ok := second.Field(f.Field); ok {
					renamedFindings++
				}
			}
			a.Findings, b.Findings = fa, fb

			// Registry changes on approval.
			decided := received.AddDate(0, 0, 3)
			pa, errA := p.registryPlan(ctx, db, storage.NewRegistry(db), a, decided)
			pb, errB := p.registryPlan(ctx, db, storage.NewRegistry(db), b, decided)
			if (errA == nil) != (errB == nil) || errors.Is(errA, validate.ErrNotApplicable) != errors.Is(errB, validate.ErrNotApplicable) {
				t.Errorf("%s: registry changes: %v with the built-in names, %v with the others", name, errA, errB)
			}
			if errA == nil && errB == nil {
				if ja, jb := planKey(t, pa), planKey(t, pb); ja != jb {
					t.Errorf("%s: registry changes differ\n  built-in names: %s\n  other names:    %s", name, ja, jb)
				}
				ops += len(pa.Ops)
			}

			// Letters: approved, rejected, and asked to complete what is missing.
			missing := func(tmpl *form.Template, fs []form.Finding) []string {
				var out []string
				for _, f := range fs {
					if f.Field != "" {
						out = append(out, f.Field)
					}
				}
				return out
			}
			for _, dec := range []storage.Decision{
				{ID: 1, Outcome: form.StateApproved, DecidedAt: decided},
				{ID: 2, Outcome: form.StateRejected, Reason: "Uppgifterna stämmer inte.", DecidedAt: decided},
				{ID: 3, Outcome: form.StateRejected, RequestCompletion: true, DecidedAt: decided},
			} {
				da, db2 := dec, dec
				da.ConfirmedMissing, db2.ConfirmedMissing = missing(first, fa), missing(second, fb)
				la, errA := composeIn(ctx, p, db, a, da)
				lb, errB := composeIn(ctx, p, db, b, db2)
				if (errA == nil) != (errB == nil) {
					t.Errorf("%s: letters (%s): %v with the built-in names, %v with the others", name, dec.Outcome, errA, errB)
					continue
				}
				if ja, jb := lettersKey(t, la), lettersKey(t, lb); ja != jb {
					t.Errorf("%s: letters (%s) differ\n  built-in names: %s\n  other names:    %s", name, dec.Outcome, ja, jb)
				}
				letters += len(la)
			}

			// Sealing: by field type, whatever the field is called.
			sa, ha := sealedRoles(t, ctx, db, first, a.ID)
			sb, hb := sealedRoles(t, ctx, db, second, b.ID)
			if !reflect.DeepEqual(sa, sb) || ha != hb {
				t.Errorf("%s: sealed %v (%d hashes) with the built-in names, %v (%d) with the others", name, sa, ha, sb, hb)
			}
			for fn, v := range b.Fields {
				if v.Type == form.TypePersonnummer && v.Value != "" && !sb[roleOf(second, fn)] {
					t.Errorf("%s: personnummer field %s stored unsealed", name, fn)
				}
			}
		}
	}
	if docs < 50 || findings == 0 || renamedFindings == 0 || ops == 0 || letters == 0 {
		t.Fatalf("too little compared: %d documents, %d findings (%d naming a renamed field), %d registry changes, %d letters",
			docs, findings, renamedFindings, ops, letters)
	}
	t.Logf("%d documents: %d findings, %d registry changes, %d letters the same with other field names", docs, findings, ops, letters)
}

// composeIn composes a decision's letters as the letters step does, in a
// transaction of its own.
func composeIn(ctx context.Context, p *Pipeline, db *storage.DB, doc storage.Document, dec storage.Decision) ([]letter.Letter, error) {
	var out []letter.Letter
	err := db.InTx(ctx, func(tx storage.Tx) error {
		var err error
		out, err = p.composeLetters(ctx, tx, doc, dec)
		return err
	})
	return out, err
}

// planKey writes a registry plan without the document it came from.
func planKey(t *testing.T, plan form.RegistryPlan) string {
	t.Helper()
	plan.DocumentID = 0
	for i := range plan.Ops {
		plan.Ops[i].Agreement.SourceDocument = 0
		plan.Ops[i].Orderer.SourceDocument = 0
		plan.Ops[i].User.SourceDocument = 0
		plan.Ops[i].Signatory.SourceDocument = 0
	}
	b, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// lettersKey writes letters without their case reference (the document's
// number), also where the text quotes it.
func lettersKey(t *testing.T, ls []letter.Letter) string {
	t.Helper()
	for i := range ls {
		if ref := ls[i].Reference; ref != "" {
			for j, para := range ls[i].Paragraphs {
				ls[i].Paragraphs[j] = strings.ReplaceAll(para, ref, "REFERENS")
			}
		}
		ls[i].Reference = ""
	}
	b, err := json.Marshal(ls)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// sealedRoles reads a document's fields as stored and returns the roles
// (and rows) of the values sealed there, and how many lookup hashes it has.
func sealedRoles(t *testing.T, ctx context.Context, db *storage.DB, tmpl *form.Template, id int64) (map[string]bool, int) {
	t.Helper()
	var raw []byte
	var hashes int
	if err := db.QueryRow(ctx, `select fields, cardinality(person_hashes) from documents where id = $1`, id).Scan(&raw, &hashes); err != nil {
		t.Fatal(err)
	}
	var stored form.Fields
	if err := json.Unmarshal(raw, &stored); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for fn, v := range stored {
		if strings.HasPrefix(v.Value, "enc:") || strings.HasPrefix(v.Raw, "enc:") {
			out[roleOf(tmpl, fn)] = true
		}
	}
	return out, hashes
}
