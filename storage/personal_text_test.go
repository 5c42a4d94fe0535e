package storage_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"blankett/form"
	"blankett/storage"
	"blankett/storage/storagetest"
)

// TestPersonnummerInFreeText: a personnummer typed into a name, an
// organisation name, a correction or an audit detail is sealed at rest
// like a personnummer field, found by the subject access export, and
// masked in the audit log; other numbers in free text are left alone.
func TestPersonnummerInFreeText(t *testing.T) {
	t.Parallel()
	pool, _ := storagetest.NewDatabase(t)
	ctx := context.Background()
	const (
		inName       = "198505051238" // typed as 850505-1238 into the user's name
		inCorrection = "191212121212" // typed as 19121212-1212 into the organisation's name
	)
	id, _, err := storage.InsertDocument(ctx, pool, storage.NewDocument{SHA256: "ft", ObjectKey: "originals/ft", Filename: "ft.pdf",
		MediaType: "application/pdf", SizeBytes: 1, Source: "test", State: form.StateReceived, Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	fields := form.Fields{
		"user_name":   {Name: "user_name", Role: form.FieldUserName, Type: form.TypeText, Value: "Bertil Bengtsson 850505-1238", Raw: "Bertil Bengtsson 850505-1238"},
		"org_name":    {Name: "org_name", Role: form.FieldOrgName, Type: form.TypeText, Value: "Exempelby kommun", Raw: "Exempelby kommun"},
		"sign_place":  {Name: "sign_place", Type: form.TypeText, Value: "Box 1234567890", Raw: "Box 1234567890"}, // fails the check: not one
		"user_mobile": {Name: "user_mobile", Type: form.TypePhone, Value: "+46701234567", Raw: "070-123 45 67"},
	}
	if _, err := storage.RecordExtraction(ctx, pool, storage.Extraction{DocumentID: id, Version: 1, Engine: "test", Kind: form.Kind9445, Fields: fields}); err != nil {
		t.Fatal(err)
	}
	if ok, err := storage.Advance(ctx, pool, storage.Transition{DocumentID: id, From: []form.State{form.StateReceived},
		To: form.StateNeedsReview, Actor: "test", Kind: form.Kind9445, Fields: fields, Findings: []form.Finding{}}); err != nil || !ok {
		t.Fatalf("advance: %v %v", ok, err)
	}
	if err := pool.InTx(ctx, func(tx storage.Tx) error {
		doc, err := storage.LockDocument(ctx, tx, id)
		if err != nil {
			return err
		}
		v := form.Value{Name: "org_name", Type: form.TypeText, Raw: "Firma 19121212-1212", Value: "Firma 19121212-1212", Confidence: 1}
		return storage.SaveCorrection(ctx, tx, doc, v, nil, "rita")
	}); err != nil {
		t.Fatal(err)
	}
	if err := storage.Audit(ctx, pool, storage.AuditEvent{Actor: "rita", Action: "document.note", DocumentID: id,
		Detail: "ringde om 850505-1238", After: map[string]any{"note": "gäller 19121212-1212", "nested": []any{"850505-1238"}}}); err != nil {
		t.Fatal(err)
	}

	t.Run("no plaintext personnummer in any table", func(t *testing.T) {
		rows, err := pool.Query(ctx, `select table_name from information_schema.tables
			where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)
		if err != nil {
			t.Fatal(err)
		}
		tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		for _, table := range tables {
			rows, err := pool.Query(ctx, `select t::text from "`+table+`" t`)
			if err != nil {
				t.Fatal(err)
			}
			texts, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				t.Fatal(err)
			}
			for _, text := range texts {
				digits := strings.NewReplacer("-", "", "+", "").Replace(text)
				for _, pnr := range []string{inName, inCorrection} {
					if strings.Contains(digits, pnr) || strings.Contains(digits, pnr[2:]) {
						t.Errorf("table %s holds a personnummer in plaintext: %.300s", table, text)
					}
				}
			}
		}
	})

	t.Run("read back, exported, masked in the audit log", func(t *testing.T) {
		doc, err := storage.GetDocument(ctx, pool, id)
		if err != nil {
			t.Fatal(err)
		}
		if got := doc.Fields["user_name"].Value; got != "Bertil Bengtsson 850505-1238" {
			t.Errorf("user_name read back as %q", got)
		}
		if got := doc.Fields["org_name"].Value; got != "Firma 19121212-1212" {
			t.Errorf("corrected org_name read back as %q", got)
		}
		corr, err := storage.Corrections(ctx, pool, id)
		if err != nil || len(corr) != 1 || corr[0].Value != "Firma 19121212-1212" {
			t.Errorf("corrections %+v %v", corr, err)
		}
		var place, mobile string
		if err := pool.QueryRow(ctx, `select fields->'sign_place'->>'value', fields->'user_mobile'->>'raw' from documents where id = $1`, id).Scan(&place, &mobile); err != nil {
			t.Fatal(err)
		}
		if place != "Box 1234567890" || mobile != "070-123 45 67" {
			t.Errorf("text without a personnummer was sealed: %q %q", place, mobile)
		}
		items, err := storage.Queue(ctx, pool, storage.QueueFilter{State: form.StateNeedsReview})
		if err != nil || len(items) != 1 || items[0].Person != "Bertil Bengtsson 850505-1238" || items[0].OrgName != "Firma 19121212-1212" {
			t.Errorf("queue %+v %v", items, err)
		}
		for _, pnr := range []string{inName, inCorrection} {
			exp, err := storage.ExportPerson(ctx, pool, pnr, "admin")
			if err != nil || len(exp.Documents) != 1 || exp.Documents[0].ID != id {
				t.Errorf("export of %s: %d documents, %v", pnr[:8], len(exp.Documents), err)
			}
		}
		log, err := storage.AuditLog(ctx, pool, storage.AuditFilter{DocumentID: id})
		if err != nil {
			t.Fatal(err)
		}
		var seen int
		for _, e := range log {
			switch e.Action {
			case "document.corrected":
				seen++
				if !strings.Contains(e.After, "Firma 19121212-****") {
					t.Errorf("correction audited as %s", e.After)
				}
			case "document.note":
				seen++
				if !strings.Contains(e.Detail, "850505-****") || !strings.Contains(e.After, "19121212-****") || strings.Contains(e.After, "1238") {
					t.Errorf("audit note kept as %q %s", e.Detail, e.After)
				}
			}
		}
		if seen != 2 {
			t.Errorf("%d of the 2 audit events found", seen)
		}
	})
}
