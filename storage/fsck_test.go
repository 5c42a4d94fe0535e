package storage_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"blankett/form"
	"blankett/storage"
	"blankett/storage/storagetest"
)

func TestFsck(t *testing.T) {
	t.Parallel()
	pool, _ := storagetest.NewDatabase(t)
	blob, _ := storagetest.NewBlob(t)
	ctx := context.Background()

	put := func(t *testing.T, key string) {
		t.Helper()
		if err := blob.Put(ctx, key, bytes.NewReader([]byte("x")), 1, "", "application/octet-stream"); err != nil {
			t.Fatal(err)
		}
	}
	doc := func(t *testing.T, sha string, state form.State, withObject bool) int64 {
		t.Helper()
		key := "originals/" + sha
		if withObject {
			put(t, key)
		}
		id, _, err := storage.InsertDocument(ctx, pool, storage.NewDocument{SHA256: sha, ObjectKey: key, Filename: sha + ".pdf",
			MediaType: "application/pdf", SizeBytes: 1, Source: "test", State: state, Actor: "test"})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	age := func(t *testing.T, id int64) {
		t.Helper()
		if _, err := pool.Exec(ctx, "update documents set updated_at = now() - interval '2 hours' where id = $1", id); err != nil {
			t.Fatal(err)
		}
	}

	// A clean pair: a document with its original and a page, a letter with
	// its object.
	good := doc(t, "good", form.StateNeedsReview, true)
	put(t, "pages/good/v1/1.jpg")
	pages, _ := json.Marshal([]form.PageImage{{Page: 1, FilePage: 1, Key: "pages/good/v1/1.jpg"}})
	if _, err := pool.Exec(ctx, "update documents set pages = $2 where id = $1", good, pages); err != nil {
		t.Fatal(err)
	}
	var decision int64
	if err := pool.QueryRow(ctx, "insert into decisions (document_id, outcome, actor) values ($1, 'rejected', 'test') returning id", good).Scan(&decision); err != nil {
		t.Fatal(err)
	}
	put(t, "letters/1/orderer.pdf")
	if _, _, err := storage.InsertLetter(ctx, pool, storage.LetterRow{DecisionID: decision, DocumentID: good, Kind: "k",
		RecipientKey: "orderer", ObjectKey: "letters/1/orderer.pdf", SHA256: "ab", SizeBytes: 1}); err != nil {
		t.Fatal(err)
	}
	// A document waiting for extraction, with a live job: not stuck.
	queued := doc(t, "queued", form.StateReceived, true)
	age(t, queued)
	if _, err := pool.Exec(ctx, `insert into river_job (kind, args, state, max_attempts) values ('extract', $1, 'retryable', 8)`,
		map[string]any{"document_id": queued, "version": 0}); err != nil {
		t.Fatal(err)
	}
	// Recently received: not stuck yet.
	doc(t, "fresh", form.StateReceived, true)

	r, err := storage.Fsck(ctx, pool, blob, storage.FsckOptions{OrphanAge: -1})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Clean() || r.Objects != 5 || r.Documents != 3 || r.Letters != 1 {
		t.Fatalf("clean pair: problems %d, report %+v", r.Problems(), r)
	}

	// Now break it in every way fsck knows.
	stuck := doc(t, "stuck", form.StateReceived, true)
	age(t, stuck)
	lost := doc(t, "lost", form.StateReceived, false)
	put(t, "originals/nobody")
	put(t, "pages/nobody/v1/1.jpg")
	put(t, "letters/99/orderer.pdf")
	put(t, "elsewhere/readme.txt")
	if err := blob.Delete(ctx, "pages/good/v1/1.jpg"); err != nil {
		t.Fatal(err)
	}
	if err := blob.Delete(ctx, "letters/1/orderer.pdf"); err != nil {
		t.Fatal(err)
	}

	t.Run("young objects without rows are not orphans", func(t *testing.T) {
		r, err := storage.Fsck(ctx, pool, blob, storage.FsckOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Orphans) != 0 || len(r.YoungOrphans) != 3 || len(r.Foreign) != 1 {
			t.Fatalf("orphans %v, young %v, foreign %v", r.Orphans, r.YoungOrphans, r.Foreign)
		}
	})

	r, err = storage.Fsck(ctx, pool, blob, storage.FsckOptions{OrphanAge: -1})
	if err != nil {
		t.Fatal(err)
	}
	keys := func(objs []storage.StoredObject) []string {
		var out []string
		for _, o := range objs {
			out = append(out, o.Key)
		}
		return out
	}
	if got := keys(r.Orphans); len(got) != 3 || got[0] != "letters/99/orderer.pdf" || got[1] != "originals/nobody" || got[2] != "pages/nobody/v1/1.jpg" {
		t.Errorf("orphans = %v", got)
	}
	if len(r.MissingOriginals) != 1 || r.MissingOriginals[0].DocumentID != lost {
		t.Errorf("missing originals = %+v", r.MissingOriginals)
	}
	if len(r.MissingPages) != 1 || r.MissingPages[0].DocumentID != good || r.MissingPages[0].Key != "pages/good/v1/1.jpg" {
		t.Errorf("missing pages = %+v", r.MissingPages)
	}
	if len(r.MissingLetters) != 1 || r.MissingLetters[0].DocumentID != good {
		t.Errorf("missing letters = %+v", r.MissingLetters)
	}
	if len(r.Stuck) != 1 || r.Stuck[0].ID != stuck || r.Stuck[0].State != form.StateReceived {
		t.Errorf("stuck = %+v", r.Stuck)
	}
	if r.Problems() != 7 {
		t.Errorf("problems = %d, want 7", r.Problems())
	}

	t.Run("repairs", func(t *testing.T) {
		for _, o := range r.Orphans {
			if ok, err := storage.DeleteOrphan(ctx, pool, blob, o.Key, time.Hour); err != nil || ok {
				t.Fatalf("delete young orphan %s: deleted %v, %v", o.Key, ok, err)
			}
			if ok, err := storage.DeleteOrphan(ctx, pool, blob, o.Key, 0); err != nil || !ok {
				t.Fatalf("delete orphan %s: deleted %v, %v", o.Key, ok, err)
			}
		}
		if ok, err := storage.DeleteOrphan(ctx, pool, blob, "originals/good", 0); err != nil || ok {
			t.Fatalf("an owned object was deleted: %v %v", ok, err)
		}
		if ok, err := storage.MarkOriginalMissing(ctx, pool, lost, "fsck"); err != nil || !ok {
			t.Fatalf("mark lost: %v %v", ok, err)
		}
		d, err := storage.GetDocument(ctx, pool, lost)
		if err != nil || d.State != form.StateUnreadable || d.StateMessage != storage.MissingOriginalMessage {
			t.Fatalf("lost document: %+v %v", d, err)
		}
		if still, err := storage.StillStuck(ctx, pool, stuck, form.StateReceived); err != nil || !still {
			t.Fatalf("still stuck: %v %v", still, err)
		}
		if still, err := storage.StillStuck(ctx, pool, queued, form.StateReceived); err != nil || still {
			t.Fatalf("a document with a live job is stuck: %v %v", still, err)
		}
		r, err := storage.Fsck(ctx, pool, blob, storage.FsckOptions{OrphanAge: -1})
		if err != nil {
			t.Fatal(err)
		}
		// Left: the stuck document (re-queued by the command), the page
		// and the letter that cannot be made again.
		if len(r.Orphans) != 0 || len(r.MissingOriginals) != 1 || r.Problems() != 3 {
			t.Fatalf("after repair: problems %d, %+v", r.Problems(), r)
		}
	})
}
