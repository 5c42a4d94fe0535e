package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
	"blankett/storage/storagetest"
)

const testToken = "test-token"

// testApp wires the real application against a fresh database and bucket.
func testApp(t testing.TB, workers int, tweak func(*config)) (*app, string, config) {
	t.Helper()
	pool, dbURL := storagetest.NewDatabase(t)
	_, blobCfg := storagetest.NewBlob(t)
	pool.Close()
	// A step's timeout well above a scan's reading under make test's load
	// (the race-built reader beside the image packages' tests): a reading
	// cut off at 30 s was tried again after River's backoff, and a scan
	// waited out waitState's 180 s. No test here waits for a timeout.
	cfg := config{DatabaseURL: dbURL, Blob: blobCfg, APIToken: testToken,
		Pipeline: pipeline.Config{StepTimeout: 150 * time.Second, SpoolDir: t.TempDir()}}
	if tweak != nil {
		tweak(&cfg)
	}
	ctx := context.Background()
	a, err := openApp(ctx, slog.New(slog.DiscardHandler), cfg, workers)
	if err != nil {
		t.Fatalf("open app: %v", err)
	}
	t.Cleanup(a.close)
	return a, dbURL, cfg
}

// startServer serves a's routes and workers until the test ends.
func startServer(t *testing.T, a *app) *httptest.Server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	h, jobsUI, err := a.handler(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := jobsUI.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.pipeline.Start(ctx); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		cancel()
		if err := a.shutdown(nil); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return srv
}

// upload posts files as one multipart request.
func upload(t *testing.T, url string, files map[string][]byte) (*http.Response, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for name, data := range files {
		fw, err := mw.CreateFormFile("file", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", url+"/api/v1/documents", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	json.NewDecoder(resp.Body).Decode(&out)
	return resp, out
}

// fakePDF returns unique bytes that sniff as PDF.
func fakePDF(size int) []byte {
	b := make([]byte, size)
	rand.Read(b)
	copy(b, "%PDF-1.7\n")
	return b
}

func firstDoc(t *testing.T, out map[string]any) map[string]any {
	t.Helper()
	docs, ok := out["documents"].([]any)
	if !ok || len(docs) == 0 {
		t.Fatalf("no documents in answer %v", out)
	}
	return docs[0].(map[string]any)
}

// waitState polls until the document is in state want.
func waitState(t *testing.T, a *app, id int64, want form.State) storage.Document {
	t.Helper()
	// Generous: under `make test` the race-built server reads beside the
	// image packages' tests, and a scan's first reading loads the models.
	deadline := time.Now().Add(180 * time.Second)
	for {
		d, err := storage.GetDocument(context.Background(), a.db, id)
		if err != nil {
			t.Fatal(err)
		}
		if d.State == want {
			return d
		}
		if time.Now().After(deadline) {
			t.Fatalf("document %d is %s after 180 s, want %s (%s)", id, d.State, want, stateSummary(a.db))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestUploadRunsTheChain(t *testing.T) {
	t.Parallel()
	a, _, _ := testApp(t, 2, nil)
	srv := startServer(t, a)
	ctx := context.Background()
	data := sample(t, "scan/9445-valid-new.pdf")

	resp, out := upload(t, srv.URL, map[string][]byte{"skanning 1.pdf": data})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d %v", resp.StatusCode, out)
	}
	doc := firstDoc(t, out)
	id := int64(doc["id"].(float64))

	t.Run("bytes in MinIO equal the upload", func(t *testing.T) {
		d, err := storage.GetDocument(ctx, a.db, id)
		if err != nil {
			t.Fatal(err)
		}
		rc, info, err := a.blob.Get(ctx, d.ObjectKey)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(got, data) || info.ContentType != "application/pdf" || info.SHA256 != d.SHA256 {
			t.Fatalf("stored %d bytes (want %d), type %s, sha %s vs %s", len(got), len(data), info.ContentType, info.SHA256, d.SHA256)
		}
	})

	waitState(t, a, id, form.StateNeedsReview)

	t.Run("document API", func(t *testing.T) {
		req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/documents/%d", srv.URL, id), nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if resp.StatusCode != 200 || got["state"] != "needs_review" || got["filename"] != "skanning 1.pdf" || got["kind"] != "9445" {
			t.Fatalf("GET document: %d %v", resp.StatusCode, got)
		}
		fields, ok := got["fields"].(map[string]any)
		if !ok || len(fields) < 20 {
			t.Fatalf("fields missing: %v", got)
		}
		if _, ok := got["findings"].([]any); !ok {
			t.Fatalf("findings missing: %v", got)
		}
		var views int
		a.db.QueryRow(ctx, "select count(*) from audit_events where document_id=$1 and action='document.viewed'", id).Scan(&views)
		if views != 1 {
			t.Fatalf("views audited: %d, want 1", views)
		}
	})

	t.Run("unauthenticated requests are refused", func(t *testing.T) {
		resp, err := http.Get(fmt.Sprintf("%s/api/v1/documents/%d", srv.URL, id))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", resp.StatusCode)
		}
		resp, err = http.Get(srv.URL + "/admin/jobs/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("jobs UI status %d, want 401", resp.StatusCode)
		}
	})

	t.Run("page images are stored", func(t *testing.T) {
		d, err := storage.GetDocument(ctx, a.db, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Pages) != 1 || !d.Pages[0].Registered || d.Pages[0].DPI != 150 {
			t.Fatalf("pages = %+v", d.Pages)
		}
		if _, err := a.blob.Stat(ctx, d.Pages[0].Key); err != nil {
			t.Fatalf("page image: %v", err)
		}
	})

	t.Run("decision leads to done, each state once", func(t *testing.T) {
		d, err := storage.GetDocument(ctx, a.db, id)
		if err != nil {
			t.Fatal(err)
		}
		overrides := map[string]string{}
		for _, f := range d.Findings {
			if f.Severity == form.SeverityError {
				overrides[f.Code] = "Kontrollerat mot originalet."
			}
		}
		if len(overrides) > 0 {
			_, err := a.pipeline.Decide(ctx, storage.Decision{DocumentID: id, Outcome: form.StateApproved, Actor: "reviewer"})
			if !errors.Is(err, pipeline.ErrUnresolvedFindings) {
				t.Fatalf("approval without overriding %d error findings: %v", len(overrides), err)
			}
		}
		if _, err := a.pipeline.Decide(ctx, storage.Decision{DocumentID: id, Outcome: form.StateApproved, Actor: "reviewer", Overrides: overrides}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.pipeline.Decide(ctx, storage.Decision{DocumentID: id, Outcome: form.StateApproved, Actor: "reviewer", Overrides: overrides}); err == nil {
			t.Fatal("a second decision on a decided document was accepted")
		}
		waitState(t, a, id, form.StateDone)
		rows, err := a.db.Query(ctx, "select after->>'state', count(*) from audit_events where document_id=$1 and action='document.state' group by 1", id)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		for rows.Next() {
			var s string
			var n int
			rows.Scan(&s, &n)
			seen[s] = n
		}
		rows.Close()
		for _, s := range []string{"extracted", "needs_review", "approved", "done"} {
			if seen[s] != 1 {
				t.Fatalf("state %s reached %d times, want once (all: %v)", s, seen[s], seen)
			}
		}
	})

	t.Run("duplicate", func(t *testing.T) {
		resp, out := upload(t, srv.URL, map[string][]byte{"igen.pdf": data})
		doc := firstDoc(t, out)
		if resp.StatusCode != http.StatusCreated || doc["duplicate"] != true || int64(doc["duplicate_of"].(float64)) != id || doc["state"] != "duplicate" {
			t.Fatalf("second upload: %d %v", resp.StatusCode, doc)
		}
		var n int
		a.db.QueryRow(ctx, "select count(*) from documents").Scan(&n)
		if n != 1 {
			t.Fatalf("%d documents after a duplicate, want 1", n)
		}
	})

	t.Run("metrics", func(t *testing.T) {
		// Job durations come from River's events, which arrive a moment
		// after the jobs complete.
		wants := []string{`blankett_documents{state="done"} 1`, `blankett_job_duration_seconds_count{kind="extract",outcome="job_completed"}`,
			`blankett_job_duration_seconds_count{kind="letters",outcome="job_completed"}`}
		deadline := time.Now().Add(15 * time.Second)
		for {
			req, _ := http.NewRequest("GET", srv.URL+"/metrics", nil)
			req.Header.Set("Authorization", "Bearer "+testToken)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			missing := ""
			for _, want := range wants {
				if !bytes.Contains(body, []byte(want)) {
					missing = want
				}
			}
			if missing == "" {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("metrics lack %q", missing)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})

	t.Run("health and readiness", func(t *testing.T) {
		for _, path := range []string{"/healthz", "/readyz"} {
			resp, err := http.Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d", path, resp.StatusCode)
			}
		}
	})
}

func TestUnsupportedFileIsKeptAsUnreadable(t *testing.T) {
	t.Parallel()
	a, _, _ := testApp(t, 1, nil)
	srv := startServer(t, a)
	ctx := context.Background()
	for name, data := range map[string][]byte{
		"brev.pdf":  []byte("<html><body>Hej</body></html>"),
		"tom.pdf":   {},
		"bild.docx": []byte("PK\x03\x04 a zip file"),
	} {
		resp, out := upload(t, srv.URL, map[string][]byte{name: data})
		doc := firstDoc(t, out)
		if resp.StatusCode != http.StatusCreated || doc["state"] != "unreadable" || doc["message"] == "" {
			t.Fatalf("%s: %d %v", name, resp.StatusCode, doc)
		}
		d, err := storage.GetDocument(ctx, a.db, int64(doc["id"].(float64)))
		if err != nil {
			t.Fatal(err)
		}
		rc, _, err := a.blob.Get(ctx, d.ObjectKey)
		if err != nil {
			t.Fatalf("%s: original not kept: %v", name, err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(got, data) {
			t.Fatalf("%s: kept bytes differ", name)
		}
	}
	// The periodic retention purge may run once the leader is elected; it
	// is about no file, so only other kinds count.
	var jobs int
	if err := a.db.QueryRow(ctx, "select count(*) from river_job where kind <> $1", pipeline.PurgeArgs{}.Kind()).Scan(&jobs); err != nil {
		t.Fatal(err)
	}
	if jobs != 0 {
		t.Fatalf("%d jobs queued for unreadable files, want 0", jobs)
	}
}

func TestOversizeIsRefusedAndNothingStored(t *testing.T) {
	t.Parallel()
	spool := t.TempDir()
	a, _, _ := testApp(t, 1, func(c *config) {
		c.Pipeline.MaxUploadBytes = 64 << 10
		c.Pipeline.SpoolDir = spool
	})
	srv := startServer(t, a)
	ctx := context.Background()
	resp, out := upload(t, srv.URL, map[string][]byte{"stor.pdf": fakePDF(200 << 10)})
	if resp.StatusCode != http.StatusRequestEntityTooLarge || out["error"] == "" {
		t.Fatalf("oversize upload: %d %v", resp.StatusCode, out)
	}
	var docs int
	a.db.QueryRow(ctx, "select count(*) from documents").Scan(&docs)
	keys, err := a.blob.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	left, _ := os.ReadDir(spool)
	if docs != 0 || len(keys) != 0 || len(left) != 0 {
		t.Fatalf("after a refused upload: %d documents, %d objects, %d spool files; want none", docs, len(keys), len(left))
	}
	// Just under the limit is fine.
	resp, out = upload(t, srv.URL, map[string][]byte{"liten.pdf": fakePDF(64 << 10)})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload at the limit: %d %v", resp.StatusCode, out)
	}
}

func TestHotFolder(t *testing.T) {
	t.Parallel()
	a, _, _ := testApp(t, 1, func(c *config) { c.Pipeline.MaxUploadBytes = 64 << 10 })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.pdf"), fakePDF(10<<10), 0o600)
	os.WriteFile(filepath.Join(dir, "b.tif"), []byte("II*\x00rest of a tiff"), 0o600)
	os.WriteFile(filepath.Join(dir, "stor.pdf"), fakePDF(100<<10), 0o600)
	done := make(chan error, 1)
	go func() { done <- a.pipeline.Watch(ctx, dir, 50*time.Millisecond) }()

	deadline := time.Now().Add(30 * time.Second)
	for {
		ok, _ := os.ReadDir(filepath.Join(dir, "done"))
		bad, _ := os.ReadDir(filepath.Join(dir, "failed"))
		if len(ok) == 2 && len(bad) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("hot folder: done %d, failed %d files after 30 s", len(ok), len(bad))
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var n int
	a.db.QueryRow(context.Background(), "select count(*) from documents where source='hotfolder'").Scan(&n)
	if n != 2 {
		t.Fatalf("%d hot-folder documents, want 2", n)
	}
	msg, err := os.ReadFile(filepath.Join(dir, "failed", "stor.pdf.error.txt"))
	if err != nil || !bytes.Contains(msg, []byte("för stor")) {
		t.Fatalf("failed file has no reason: %q %v", msg, err)
	}
}

func newReader(b []byte) io.Reader { return bytes.NewReader(b) }

// sample reads a file of the committed corpus (testdata/corpus).
func sample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// uniqueCopy returns the PDF with a comment after its end, so that the
// bytes (and the document) are new while the form stays the same.
func uniqueCopy(pdf []byte, n int) []byte {
	return append(bytes.Clone(pdf), fmt.Sprintf("\n%% copy %d\n", n)...)
}

// TestReextractKeepsCorrections: reading a document again makes a new
// extraction version, and a reviewer's correction stays.
func TestReextractKeepsCorrections(t *testing.T) {
	t.Parallel()
	a, _, _ := testApp(t, 1, nil)
	startServer(t, a)
	ctx := context.Background()
	res, err := a.pipeline.Ingest(ctx, pipeline.Upload{Filename: "9445.pdf", Source: "test", Body: newReader(sample(t, "scan/9445-valid-new.pdf"))})
	if err != nil {
		t.Fatal(err)
	}
	first := waitState(t, a, res.DocumentID, form.StateNeedsReview)
	if _, err := a.pipeline.CorrectField(ctx, res.DocumentID, "sign_place", "Rättat Ort", "granskare"); err != nil {
		t.Fatal(err)
	}
	if err := a.pipeline.Reextract(ctx, res.DocumentID, "test"); err != nil {
		t.Fatal(err)
	}
	again := waitState(t, a, res.DocumentID, form.StateNeedsReview)
	if again.ExtractionVersion != first.ExtractionVersion+1 {
		t.Fatalf("extraction version %d after re-extraction, want %d", again.ExtractionVersion, first.ExtractionVersion+1)
	}
	if got := again.Fields.Get("sign_place"); got != "Rättat Ort" {
		t.Fatalf("corrected field after re-extraction = %q", got)
	}
	if got, want := again.Fields.Get("user_name"), first.Fields.Get("user_name"); got != want || got == "" {
		t.Fatalf("user_name %q after re-extraction, %q before", got, want)
	}
	var versions int
	a.db.QueryRow(ctx, "select count(*) from extractions where document_id = $1", res.DocumentID).Scan(&versions)
	if versions != 2 {
		t.Fatalf("%d extraction versions kept, want 2", versions)
	}
	if _, err := a.pipeline.Decide(ctx, storage.Decision{DocumentID: res.DocumentID, Outcome: form.StateRejected, Actor: "granskare", Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	waitState(t, a, res.DocumentID, form.StateDone)
	if err := a.pipeline.Reextract(ctx, res.DocumentID, "test"); !errors.Is(err, pipeline.ErrNotReextractable) {
		t.Fatalf("re-extracting a decided document: %v", err)
	}
}
