package storage_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"blankett/form"
	"blankett/storage"
	"blankett/storage/storagetest"
)

func TestMigrateIsRepeatable(t *testing.T) {
	t.Parallel()
	pool, _ := storagetest.NewDatabase(t)
	ctx := context.Background()
	if err := storage.Migrate(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	var n int
	if err := pool.QueryRow(ctx, "select count(*) from river_job").Scan(&n); err != nil {
		t.Fatalf("river tables missing after migrate: %v", err)
	}
	if err := pool.QueryRow(ctx, "select count(*) from schema_migrations where name = '0001_core.sql'").Scan(&n); err != nil || n != 1 {
		t.Fatalf("0001_core.sql recorded %d times, err %v", n, err)
	}
}

func TestDocuments(t *testing.T) {
	t.Parallel()
	pool, _ := storagetest.NewDatabase(t)
	ctx := context.Background()
	nd := storage.NewDocument{SHA256: "abc", ObjectKey: "originals/abc", Filename: "a.pdf",
		MediaType: "application/pdf", SizeBytes: 3, Source: "test", State: form.StateReceived, Actor: "test"}

	id, dup, err := storage.InsertDocument(ctx, pool, nd)
	if err != nil || dup {
		t.Fatalf("first insert: id %d dup %v err %v", id, dup, err)
	}
	id2, dup, err := storage.InsertDocument(ctx, pool, nd)
	if err != nil || !dup || id2 != id {
		t.Fatalf("second insert: id %d (want %d) dup %v err %v", id2, id, dup, err)
	}
	var receipts int
	if err := pool.QueryRow(ctx, "select count(*) from receipts where document_id = $1", id).Scan(&receipts); err != nil || receipts != 2 {
		t.Fatalf("receipts = %d, err %v; want 2", receipts, err)
	}

	t.Run("advance is idempotent", func(t *testing.T) {
		tr := storage.Transition{DocumentID: id, From: []form.State{form.StateReceived}, To: form.StateExtracted,
			Kind: form.Kind9445, Fields: form.Fields{"user_name": {Name: "user_name", Value: "Åsa Öberg"}}}
		ok, err := storage.Advance(ctx, pool, tr)
		if err != nil || !ok {
			t.Fatalf("advance: %v %v", ok, err)
		}
		ok, err = storage.Advance(ctx, pool, tr)
		if err != nil || ok {
			t.Fatalf("second advance changed something: %v %v", ok, err)
		}
		d, err := storage.GetDocument(ctx, pool, id)
		if err != nil {
			t.Fatal(err)
		}
		if d.State != form.StateExtracted || d.Kind != form.Kind9445 || d.Fields.Get("user_name") != "Åsa Öberg" {
			t.Fatalf("document after advance: %+v", d)
		}
		var events int
		if err := pool.QueryRow(ctx, "select count(*) from audit_events where document_id = $1 and action = 'document.state'", id).Scan(&events); err != nil || events != 1 {
			t.Fatalf("state audit events = %d, err %v; want 1", events, err)
		}
	})

	t.Run("missing document", func(t *testing.T) {
		if _, err := storage.GetDocument(ctx, pool, 999999); !errors.Is(err, storage.ErrNotFound) {
			t.Fatalf("err = %v, want ErrNotFound", err)
		}
	})

	t.Run("counts", func(t *testing.T) {
		counts, err := storage.CountByState(ctx, pool)
		if err != nil || counts[form.StateExtracted] != 1 {
			t.Fatalf("counts %v err %v", counts, err)
		}
	})
}

func TestBlob(t *testing.T) {
	t.Parallel()
	blob, _ := storagetest.NewBlob(t)
	ctx := context.Background()
	data := bytes.Repeat([]byte("blankett "), 1000)
	sum := sha256.Sum256(data)
	key := "originals/" + hex.EncodeToString(sum[:])

	if err := blob.Put(ctx, key, bytes.NewReader(data), int64(len(data)), hex.EncodeToString(sum[:]), "application/pdf"); err != nil {
		t.Fatal(err)
	}
	st, err := blob.Stat(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size != int64(len(data)) || st.ContentType != "application/pdf" || st.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatalf("stat = %+v", st)
	}
	rc, _, err := blob.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("get returned %d bytes, err %v", len(got), err)
	}

	u, err := blob.PresignedGet(ctx, key, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(u.String())
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Equal(body, data) {
		t.Fatalf("presigned GET: status %d, %d bytes", resp.StatusCode, len(body))
	}

	if err := blob.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := blob.Stat(ctx, key); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("stat after delete: %v, want ErrNotFound", err)
	}
	if _, _, err := blob.Get(ctx, key); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("get after delete: %v, want ErrNotFound", err)
	}
}
