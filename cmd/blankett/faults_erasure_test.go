package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"blankett/storage/storagetest"
)

// TestFaultErasureDriveWiped runs a batch against MinIO in erasure-coded
// mode (one node, four drive folders) and wipes one drive's folder in the
// middle of it: the server serves every object from the other three
// (parity 2), so every original and letter reads back whole, the batch
// completes exactly once, and `blankett fsck` finds nothing wrong.
func TestFaultErasureDriveWiped(t *testing.T) {
	withDataKey(t)
	if testing.Short() {
		t.Skip("runs a batch on a four-drive MinIO")
	}
	const docs = 24
	m := storagetest.StartMinIO(t, storagetest.MinIOOptions{KMS: true, Drives: 4})
	a, _, cfg := testApp(t, 0, func(c *config) { c.Blob = m.BlobConfig() })
	bin := buildBinary(t)
	recordAgreement(t, a, faultOrgnr, faultOrgName) // letters to the samples' Part need its address
	worker := startWorker(t, bin, cfg, faultEnv...)

	start := time.Now()
	ingestBatch(t, a, docs)
	deadline := time.Now().Add(90 * time.Second)
	for count(a.db, "select count(*) from documents where state = 'done'") < docs/4 {
		decideWaiting(a)
		if time.Now().After(deadline) {
			t.Fatalf("the worker made no progress in 90 s: %s", stateSummary(a.db))
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Wipe drive 2: everything in its folder, MinIO's format included.
	wiped := m.DriveDir(2)
	if entries, err := os.ReadDir(wiped); err != nil || len(entries) == 0 {
		t.Fatalf("drive folder %s: %d entries, %v", wiped, len(entries), err)
	}
	if err := wipe(wiped); err != nil {
		t.Fatal(err)
	}
	wipedAt := time.Now()
	doneAtWipe := count(a.db, "select count(*) from documents where state = 'done'")
	if doneAtWipe >= docs {
		t.Fatal("the batch was done before the drive was wiped: the test did not wipe it mid-batch")
	}
	waitAll(t, a, docs, 180*time.Second)
	finished := time.Since(wipedAt)

	worker.Process.Signal(syscall.SIGTERM)
	if err := worker.Wait(); err != nil {
		t.Errorf("worker did not stop cleanly on SIGTERM: %v", err)
	}
	f := checkExactlyOnce(t, a, docs)

	// Every original and letter reads back whole.
	ctx := context.Background()
	rows, err := a.db.Query(ctx, `select object_key, sha256 from documents
		union all select object_key, '' from letters order by 1`)
	if err != nil {
		t.Fatal(err)
	}
	type object struct{ key, sum string }
	var objects []object
	for rows.Next() {
		var o object
		if err := rows.Scan(&o.key, &o.sum); err != nil {
			t.Fatal(err)
		}
		objects = append(objects, o)
	}
	rows.Close()
	originals, letters := 0, 0
	for _, o := range objects {
		r, _, err := a.blob.Get(ctx, o.key)
		if err != nil {
			t.Errorf("%s: %v", o.key, err)
			continue
		}
		b, err := io.ReadAll(r)
		r.Close()
		switch {
		case err != nil:
			t.Errorf("read %s: %v", o.key, err)
		case o.sum != "":
			originals++
			if h := sha256.Sum256(b); hex.EncodeToString(h[:]) != o.sum {
				t.Errorf("%s reads back with other bytes", o.key)
			}
		default:
			letters++
			if !bytes.HasPrefix(b, []byte("%PDF-")) {
				t.Errorf("letter %s reads back as %d bytes that are no PDF", o.key, len(b))
			}
		}
	}
	// The batch's originals and the agreement that gives the Part its
	// address.
	if originals != docs+1 || letters != f.letters {
		t.Errorf("read back %d originals and %d letters, want %d and %d", originals, letters, docs+1, f.letters)
	}

	// And the command the operators run.
	fsck := exec.Command(bin, "fsck")
	fsck.Env = append(os.Environ(),
		"BLANKETT_DATABASE_URL="+cfg.DatabaseURL,
		"BLANKETT_S3_ENDPOINT="+cfg.Blob.Endpoint,
		"BLANKETT_S3_ACCESS_KEY="+cfg.Blob.AccessKey,
		"BLANKETT_S3_SECRET_KEY="+cfg.Blob.SecretKey,
		"BLANKETT_S3_BUCKET="+cfg.Blob.Bucket,
		"BLANKETT_S3_SSE="+strconv.FormatBool(cfg.Blob.SSE))
	out, err := fsck.CombinedOutput()
	if err != nil {
		t.Errorf("blankett fsck: %v\n%s", err, out)
	}
	summary := ""
	for _, l := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(l, "bucket ") {
			summary = l
		}
	}
	if summary == "" {
		t.Errorf("blankett fsck printed no report:\n%s", out)
	}
	healed := 0
	if e, err := os.ReadDir(wiped); err == nil {
		healed = len(e)
	}
	fmt.Printf("fault: one of four MinIO drives wiped mid-batch: documents=%d done_at_wipe=%d originals_read=%d letters_read=%d jobs=%d retried=%d failed_attempts=%d all_done_after_wipe=%.1fs entries_back_on_wiped_drive=%d total=%.1fs fsck=%q\n",
		docs, doneAtWipe, originals, letters, f.jobs, f.retried, f.failures, finished.Seconds(), healed, time.Since(start).Seconds(),
		summary)
}

// wipe removes everything in dir. MinIO goes on writing to the drive while
// it is wiped, so a folder can gain an entry between being emptied and
// being removed ("directory not empty"); a pass that meets one is run
// again.
func wipe(dir string) error {
	var err error
	for range 50 {
		entries, rerr := os.ReadDir(dir)
		if rerr != nil {
			return fmt.Errorf("wipe %s: %w", dir, rerr)
		}
		err = nil
		for _, e := range entries {
			if rerr := os.RemoveAll(filepath.Join(dir, e.Name())); rerr != nil {
				err = rerr
			}
		}
		if err == nil {
			return nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("wipe %s: %w", dir, err)
}
