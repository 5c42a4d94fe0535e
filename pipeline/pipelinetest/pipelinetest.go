// Package pipelinetest gives tests a pipeline that works its jobs in the
// test's process, reading files with Tesseract, and a way to wait for a
// document to be read.
package pipelinetest

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"blankett/extract"
	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
	"blankett/validate"
)

// Working starts a pipeline with one worker on db and blob, reading files
// in this process; it is stopped when the test ends.
func Working(t testing.TB, db *storage.DB, blob pipeline.Blob) *pipeline.Pipeline {
	t.Helper()
	ocr, err := extract.NewOCR(1, extract.Languages...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ocr.Close)
	normalise := func(ft form.FieldType, raw string) (string, bool) { return validate.Normalise(ft, raw, time.Now()) }
	ex, err := extract.New(ocr, normalise, extract.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	p, err := pipeline.New(db, blob, ex, slog.New(slog.DiscardHandler), pipeline.Config{Workers: 1, SpoolDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	if err := p.Start(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stop, done := context.WithTimeout(context.Background(), 20*time.Second)
		defer done()
		_ = p.Stop(stop)
		cancel()
	})
	return p
}

// Settled waits until a document has been read (it has left received and
// extracted), at most two minutes, and returns it.
func Settled(t testing.TB, db *storage.DB, id int64) storage.Document {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		doc, err := storage.GetDocument(context.Background(), db, id)
		if err != nil {
			t.Fatal(err)
		}
		if doc.State != form.StateReceived && doc.State != form.StateExtracted {
			return doc
		}
		if time.Now().After(deadline) {
			t.Fatalf("document %d still %s after 2 minutes", id, doc.State)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
