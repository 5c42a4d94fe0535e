package storage_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"blankett/form"
	"blankett/storage"
	"blankett/storage/storagetest"
)

func TestLetters(t *testing.T) {
	t.Parallel()
	pool, _ := storagetest.NewDatabase(t)
	ctx := context.Background()

	newDecision := func(t *testing.T, sha string) (docID, decisionID int64) {
		t.Helper()
		docID, _, err := storage.InsertDocument(ctx, pool, storage.NewDocument{SHA256: sha, ObjectKey: "originals/" + sha,
			Filename: sha + ".pdf", MediaType: "application/pdf", SizeBytes: 1, Source: "test", State: form.StateReceived, Actor: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if err := pool.QueryRow(ctx, `insert into decisions (document_id, outcome, actor) values ($1, 'approved', 'test') returning id`,
			docID).Scan(&decisionID); err != nil {
			t.Fatal(err)
		}
		return docID, decisionID
	}
	row := func(doc, dec int64, key string) storage.LetterRow {
		return storage.LetterRow{DecisionID: dec, DocumentID: doc, Kind: "9445_approved_" + key, RecipientKey: key,
			RecipientName: "Åsa Öberg", ObjectKey: "letters/x/" + key + ".pdf", SHA256: "ab", SizeBytes: 1234}
	}

	t.Run("second insert for the same decision and recipient is a no-op", func(t *testing.T) {
		t.Parallel()
		doc, dec := newDecision(t, "once")
		id, inserted, err := storage.InsertLetter(ctx, pool, row(doc, dec, "orderer"))
		if err != nil || !inserted || id == 0 {
			t.Fatalf("first insert: id %d inserted %v err %v", id, inserted, err)
		}
		again := row(doc, dec, "orderer")
		again.ObjectKey, again.SHA256 = "letters/other.pdf", "cd"
		id2, inserted, err := storage.InsertLetter(ctx, pool, again)
		if err != nil || inserted || id2 != id {
			t.Fatalf("second insert: id %d (want %d) inserted %v err %v", id2, id, inserted, err)
		}
		if _, inserted, err := storage.InsertLetter(ctx, pool, row(doc, dec, "user")); err != nil || !inserted {
			t.Fatalf("other recipient: inserted %v err %v", inserted, err)
		}
		ls, err := storage.LettersForDocument(ctx, pool, doc)
		if err != nil {
			t.Fatal(err)
		}
		if len(ls) != 2 || ls[0].RecipientKey != "orderer" || ls[0].ObjectKey != "letters/x/orderer.pdf" || ls[0].SHA256 != "ab" ||
			ls[0].RecipientName != "Åsa Öberg" || ls[0].SizeBytes != 1234 || ls[1].RecipientKey != "user" || ls[0].CreatedAt.IsZero() {
			t.Fatalf("letters = %+v", ls)
		}
		var audits int
		if err := pool.QueryRow(ctx, "select count(*) from audit_events where document_id = $1 and action = 'letter.created'", doc).Scan(&audits); err != nil || audits != 2 {
			t.Fatalf("letter.created audit events = %d, err %v; want 2", audits, err)
		}

		// A new decision on the same document gets its own letters.
		var dec2 int64
		if err := pool.QueryRow(ctx, `insert into decisions (document_id, outcome, actor) values ($1, 'rejected', 'test') returning id`, doc).Scan(&dec2); err != nil {
			t.Fatal(err)
		}
		if _, inserted, err := storage.InsertLetter(ctx, pool, row(doc, dec2, "orderer")); err != nil || !inserted {
			t.Fatalf("new decision: inserted %v err %v", inserted, err)
		}
	})

	t.Run("unknown decision is refused", func(t *testing.T) {
		t.Parallel()
		doc, _ := newDecision(t, "nodecision")
		if _, _, err := storage.InsertLetter(ctx, pool, row(doc, 999999, "orderer")); err == nil {
			t.Fatal("letter for a missing decision was accepted")
		}
	})

	t.Run("print batch", func(t *testing.T) {
		// Not parallel with the others: it reads every unprinted letter.
		doc, dec := newDecision(t, "print")
		a, _, err := storage.InsertLetter(ctx, pool, row(doc, dec, "orderer"))
		if err != nil {
			t.Fatal(err)
		}
		b, _, err := storage.InsertLetter(ctx, pool, row(doc, dec, "user"))
		if err != nil {
			t.Fatal(err)
		}
		unprinted := func() map[int64]bool {
			ls, err := storage.UnprintedLetters(ctx, pool)
			if err != nil {
				t.Fatal(err)
			}
			m := map[int64]bool{}
			for i, l := range ls {
				if i > 0 && ls[i-1].ID > l.ID {
					t.Fatalf("unprinted letters out of order: %+v", ls)
				}
				m[l.ID] = true
			}
			return m
		}
		if u := unprinted(); !u[a] || !u[b] {
			t.Fatalf("unprinted = %v, want %d and %d in it", u, a, b)
		}
		at := time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)
		n, err := storage.MarkPrinted(ctx, pool, []int64{a}, "batch-1", at)
		if err != nil || n != 1 {
			t.Fatalf("mark printed: %d %v", n, err)
		}
		if u := unprinted(); u[a] || !u[b] {
			t.Fatalf("after printing %d: unprinted = %v", a, u)
		}
		// Printing again does not move a letter to a later batch.
		n, err = storage.MarkPrinted(ctx, pool, []int64{a, b}, "batch-2", at.Add(time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("second batch: %d %v", n, err)
		}
		la, err := storage.GetLetter(ctx, pool, a)
		if err != nil {
			t.Fatal(err)
		}
		if la.PrintBatch != "batch-1" || !la.PrintedAt.Equal(at) {
			t.Fatalf("letter %d: batch %q at %v", a, la.PrintBatch, la.PrintedAt)
		}
		if _, err := storage.GetLetter(ctx, pool, 987654); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("missing letter: %v", err)
		}
		if _, err := storage.MarkPrinted(ctx, pool, []int64{b}, "", at); err == nil {
			t.Fatal("empty batch key accepted")
		}
	})
}
