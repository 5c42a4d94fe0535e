package pipeline

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertest"

	"blankett/form"
	"blankett/storage"
	"blankett/storage/storagetest"
)

// TestPurgeWorker works one purge job with rivertest's worker, in a
// transaction of the test: a file past retention loses its original, one
// within retention keeps it, and the job completes. The purge's own writes
// go through the pipeline's database, so they are checked there.
func TestPurgeWorker(t *testing.T) {
	db, _ := storagetest.NewDatabase(t)
	blob, _ := storagetest.NewBlob(t)
	ctx := context.Background()
	insert := func(key string) int64 {
		t.Helper()
		if err := blob.Put(ctx, key, bytes.NewReader([]byte("j")), 1, "", "application/octet-stream"); err != nil {
			t.Fatal(err)
		}
		id, _, err := storage.InsertDocument(ctx, db, storage.NewDocument{SHA256: key, ObjectKey: key, Filename: "junk.bin",
			MediaType: "application/octet-stream", SizeBytes: 1, Source: "test", State: form.StateUnreadable, Actor: "test"})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	stale := insert("originals/stale")
	if _, err := db.Exec(ctx, `update documents set received_at = now() - interval '2 days' where id = $1`, stale); err != nil {
		t.Fatal(err)
	}
	fresh := insert("originals/fresh")

	r := storage.DefaultRetention()
	r.Unreadable = 24 * time.Hour
	p := &Pipeline{db: db, blob: blob, logger: slog.New(slog.DiscardHandler), cfg: Config{Retention: &r}}
	worker := rivertest.NewWorker(t, riverpgxv5.New(nil), &river.Config{}, river.Worker[PurgeArgs](&purgeWorker{p: p}))

	tx, err := db.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	res, err := worker.Work(ctx, t, tx, PurgeArgs{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.EventKind != river.EventKindJobCompleted {
		t.Fatalf("purge job ended as %s, want completed", res.EventKind)
	}
	purged := func(id int64) bool {
		t.Helper()
		var done bool
		if err := db.QueryRow(ctx, `select purged_at is not null from documents where id = $1`, id).Scan(&done); err != nil {
			t.Fatal(err)
		}
		return done
	}
	if !purged(stale) || purged(fresh) {
		t.Fatalf("purged: stale %v (want true), fresh %v (want false)", purged(stale), purged(fresh))
	}
	if _, err := blob.Stat(ctx, "originals/stale"); err == nil {
		t.Fatal("the stale original is still in the bucket")
	}
	if _, err := blob.Stat(ctx, "originals/fresh"); err != nil {
		t.Fatalf("the fresh original is gone: %v", err)
	}
}
