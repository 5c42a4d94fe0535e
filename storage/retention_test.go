package storage_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"blankett/form"
	"blankett/storage"
	"blankett/storage/storagetest"
)

func TestParseRetention(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Duration{"90d": 90 * 24 * time.Hour, "2y": 730 * 24 * time.Hour, "36h": 36 * time.Hour} {
		if got, err := storage.ParseRetention(in); err != nil || got != want {
			t.Errorf("ParseRetention(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "x", "-1d", "2.5y"} {
		if _, err := storage.ParseRetention(in); err == nil {
			t.Errorf("ParseRetention(%q) accepted", in)
		}
	}
}

// seedDecided stores a decided document with an original, a page image, an
// extraction, a correction and a letter, decided decidedAgo ago.
func seedDecided(t *testing.T, pool *storage.DB, blob *storage.Blob, name string, kind form.Kind, decidedAgo time.Duration) int64 {
	t.Helper()
	ctx := context.Background()
	put := func(key string) {
		if err := blob.Put(ctx, key, bytes.NewReader([]byte(key)), int64(len(key)), "", "application/octet-stream"); err != nil {
			t.Fatal(err)
		}
	}
	orig, page, letter := "originals/"+name, "pages/"+name+"/v1/1.jpg", "letters/"+name+"/user.pdf"
	for _, k := range []string{orig, page, letter, "pages/" + name + "/v0/1.jpg"} {
		put(k)
	}
	id, _, err := storage.InsertDocument(ctx, pool, storage.NewDocument{SHA256: name, ObjectKey: orig, Filename: name + "-Ulla.pdf",
		MediaType: "application/pdf", SizeBytes: 1, Source: "test", State: form.StateReceived, Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	fields := form.Fields{
		"user_name":         {Name: "user_name", Type: form.TypeText, Value: "Ulla Användare"},
		"user_personnummer": {Name: "user_personnummer", Type: form.TypePersonnummer, Value: userPnr, Raw: userPnr},
	}
	if _, err := storage.RecordExtraction(ctx, pool, storage.Extraction{DocumentID: id, Version: 1, Engine: "test", Kind: kind,
		Fields: fields, Pages: []form.PageImage{{Key: page}}}); err != nil {
		t.Fatal(err)
	}
	mustExec(t, pool, `update documents set state = 'done' where id = $1`, id)
	mustExec(t, pool, `insert into corrections (document_id, field, value, actor) values ($1, 'user_name', 'Ulla A', 'rita')`, id)
	var dec int64
	if err := pool.QueryRow(ctx, `insert into decisions (document_id, outcome, reason, actor, decided_at)
		values ($1, 'approved', 'ok', 'rita', now() - $2::interval) returning id`, id, decidedAgo.String()).Scan(&dec); err != nil {
		t.Fatal(err)
	}
	mustExec(t, pool, `insert into letters (decision_id, document_id, kind, recipient_key, recipient_name, object_key, sha256, size_bytes)
		values ($1, $2, 'user', 'user', 'Ulla Användare', $3, 'x', 1)`, dec, id, letter)
	return id
}

func mustExec(t *testing.T, pool *storage.DB, sql string, args ...any) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func TestPurgeAfterRetention(t *testing.T) {
	t.Parallel()
	pool, _ := storagetest.NewDatabase(t)
	blob, _ := storagetest.NewBlob(t)
	ctx := context.Background()
	r := storage.Retention{Order9445: time.Hour, Orderers9463: time.Hour, Agreement: time.Hour, RejectedAgreement: time.Hour, Unreadable: time.Hour}

	old := seedDecided(t, pool, blob, "old", form.Kind9445, 2*time.Hour)
	recent := seedDecided(t, pool, blob, "recent", form.Kind9445, time.Minute)
	unreadable, _, err := storage.InsertDocument(ctx, pool, storage.NewDocument{SHA256: "junk", ObjectKey: "originals/junk", Filename: "junk.bin",
		MediaType: "application/octet-stream", SizeBytes: 1, Source: "test", State: form.StateUnreadable, Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, pool, `update documents set received_at = now() - interval '2 hours' where id = $1`, unreadable)
	if err := blob.Put(ctx, "originals/junk", bytes.NewReader([]byte("j")), 1, "", "application/octet-stream"); err != nil {
		t.Fatal(err)
	}
	// An agreement in force is kept however old its decision.
	agreement := seedDecided(t, pool, blob, "agreement", form.KindAgreement, 2*time.Hour)
	mustExec(t, pool, `insert into organisations (org_number) values ($1)`, orgA)
	mustExec(t, pool, `insert into agreements (org_number, countersigned_on, source_document, recorded_on) values ($1, current_date - 3, $2, current_date - 3)`, orgA, agreement)

	done, err := storage.Purge(ctx, pool, blob, r, time.Now(), "retention")
	if err != nil {
		t.Fatal(err)
	}
	var purged []int64
	for _, p := range done {
		purged = append(purged, p.DocumentID)
	}
	if len(purged) != 2 || purged[0] != old || purged[1] != unreadable {
		t.Fatalf("purged %v, want [%d %d]", purged, old, unreadable)
	}
	if done[0].Objects != 4 {
		t.Errorf("objects deleted for the old document: %d, want 4 (original, two page versions, letter)", done[0].Objects)
	}

	keys, err := blob.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if strings.Contains(k, "old") || strings.Contains(k, "junk") {
			t.Errorf("object %s left after the purge", k)
		}
	}
	if !strings.Contains(strings.Join(keys, " "), "originals/recent") || !strings.Contains(strings.Join(keys, " "), "letters/agreement") {
		t.Errorf("objects of kept documents gone: %v", keys)
	}

	doc, err := storage.GetDocument(ctx, pool, old)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Fields) != 0 || len(doc.Pages) != 0 || doc.Filename != "" || doc.State != form.StateDone {
		t.Fatalf("purged row %+v", doc)
	}
	var rest int
	if err := pool.QueryRow(ctx, `select (select count(*) from extractions where document_id = $1)
		+ (select count(*) from corrections where document_id = $1) + (select count(*) from letters where document_id = $1)
		+ (select count(*) from documents where id = $1 and purged_at is not null and cardinality(person_hashes) = 0) - 1`, old).Scan(&rest); err != nil || rest != 0 {
		t.Fatalf("rows left about the purged document: %d %v", rest, err)
	}
	if kept, err := storage.GetDocument(ctx, pool, recent); err != nil || kept.Fields.Get("user_personnummer") != userPnr {
		t.Fatalf("recent document: %+v %v", kept, err)
	}

	log, err := storage.AuditLog(ctx, pool, storage.AuditFilter{DocumentID: old})
	if err != nil || len(log) == 0 || log[0].Action != "document.purged" || log[0].Actor != "retention" {
		t.Fatalf("purge not audited: %+v %v", log, err)
	}
	b, _ := json.Marshal(log[0])
	if strings.Contains(string(b), userPnr) || strings.Contains(string(b), "Ulla") {
		t.Fatalf("purge audit holds personal data: %s", b)
	}

	again, err := storage.Purge(ctx, pool, blob, r, time.Now(), "retention")
	if err != nil || len(again) != 0 {
		t.Fatalf("second run purged %+v %v", again, err)
	}
	if _, err := storage.PurgeDocument(ctx, pool, blob, old, "x", ""); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("purging twice: %v", err)
	}
}
