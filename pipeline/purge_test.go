package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"blankett/extract"
	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
	"blankett/storage/storagetest"
)

// TestPurgeRunsPeriodically starts a working pipeline with a short
// retention: the elected leader's periodic purge removes a stale unreadable
// file and audits it.
func TestPurgeRunsPeriodically(t *testing.T) {
	pool, _ := storagetest.NewDatabase(t)
	blob, _ := storagetest.NewBlob(t)
	ctx := context.Background()
	if err := blob.Put(ctx, "originals/junk", bytes.NewReader([]byte("j")), 1, "", "application/octet-stream"); err != nil {
		t.Fatal(err)
	}
	id, _, err := storage.InsertDocument(ctx, pool, storage.NewDocument{SHA256: "junk", ObjectKey: "originals/junk", Filename: "junk.bin",
		MediaType: "application/octet-stream", SizeBytes: 1, Source: "test", State: form.StateUnreadable, Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	r := storage.DefaultRetention()
	r.Unreadable = time.Millisecond
	p, err := pipeline.New(pool, blob, unread{}, slog.New(slog.DiscardHandler),
		pipeline.Config{Workers: 1, Retention: &r, SpoolDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	if err := p.Start(runCtx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = p.Stop(stop)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var purged bool
		if err := pool.QueryRow(ctx, `select purged_at is not null from documents where id = $1`, id).Scan(&purged); err != nil {
			t.Fatal(err)
		}
		if purged {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the periodic purge did not run within 30 s")
		}
		time.Sleep(200 * time.Millisecond)
	}
	if _, err := blob.Stat(ctx, "originals/junk"); err == nil {
		t.Fatal("original still in the bucket after the purge")
	}
	log, err := storage.AuditLog(ctx, pool, storage.AuditFilter{DocumentID: id})
	if err != nil || len(log) == 0 || log[0].Action != "document.purged" {
		t.Fatalf("purge not audited: %+v %v", log, err)
	}
}

// unread is the extractor of a pipeline whose tests read no files: the
// purge needs a working pipeline, not extraction.
type unread struct{}

func (unread) ExtractWith(context.Context, string, []byte, *form.Set, form.Kind, string) (*extract.Result, error) {
	return nil, errors.New("this test reads no files")
}
