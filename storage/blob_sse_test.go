package storage_test

import (
	"bytes"
	"context"
	"testing"

	"blankett/storage"
	"blankett/storage/storagetest"
)

// TestBlobServerSideEncryption: against a MinIO with its built-in KMS key
// (the test's own), every object put with SSE on is encrypted at rest, as
// StatObject reports.
func TestBlobServerSideEncryption(t *testing.T) {
	t.Parallel()
	m := storagetest.StartMinIO(t, storagetest.MinIOOptions{KMS: true})
	cfg := m.BlobConfig()
	cfg.SSE = true
	ctx := context.Background()
	blob, err := storage.OpenBlob(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("%PDF-1.7 a scanned form")
	if err := blob.Put(ctx, "originals/sse", bytes.NewReader(data), int64(len(data)), "", "application/pdf"); err != nil {
		t.Fatal(err)
	}
	info, err := blob.Stat(ctx, "originals/sse")
	if err != nil {
		t.Fatal(err)
	}
	if info.Encryption != "AES256" {
		t.Fatalf("X-Amz-Server-Side-Encryption = %q, want AES256", info.Encryption)
	}
	r, _, err := blob.Get(ctx, "originals/sse")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got bytes.Buffer
	if _, err := got.ReadFrom(r); err != nil || !bytes.Equal(got.Bytes(), data) {
		t.Fatalf("read back %q %v", got.Bytes(), err)
	}
}
