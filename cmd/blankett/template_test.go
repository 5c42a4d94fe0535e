package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"blankett/corpus"
	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
)

// TestTemplateCommands runs `blankett template import|list|export|
// activate|retire` against a fresh database: a refused template stores
// nothing; an imported one is a draft until activated from a date;
// export gives back the bytes imported.
func TestTemplateCommands(t *testing.T) {
	a, dbURL, cfg := testApp(t, 0, nil)
	t.Setenv("BLANKETT_DATABASE_URL", dbURL)
	t.Setenv("BLANKETT_S3_ENDPOINT", cfg.Blob.Endpoint)
	t.Setenv("BLANKETT_S3_ACCESS_KEY", cfg.Blob.AccessKey)
	t.Setenv("BLANKETT_S3_SECRET_KEY", cfg.Blob.SecretKey)
	t.Setenv("BLANKETT_S3_SECRET_KEY_FILE", "")
	t.Setenv("BLANKETT_S3_BUCKET", cfg.Blob.Bucket)
	ctx := context.Background()
	logger := slog.New(slog.DiscardHandler)
	run := func(args ...string) error { return runTemplate(ctx, logger, args) }
	body, err := os.ReadFile("../../testdata/editions/9445-002.json")
	if err != nil {
		t.Fatal(err)
	}
	second, err := form.ParseTemplate(body)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, body[:100], 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run("import", bad); err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Fatalf("import of half a template: %v", err)
	}
	if err := run("list"); err != nil {
		t.Fatal(err)
	}
	builtin, _ := form.BuiltinSet()
	if vs, err := a.pipeline.ListTemplates(ctx); err != nil || len(vs) != builtin.Len() {
		t.Fatalf("after a refused import: %d versions (%v), want the %d built-in", len(vs), err, builtin.Len())
	}
	if err := run("import", "../../testdata/editions/9445-002.json"); err != nil {
		t.Fatal(err)
	}
	if err := run("activate", "9445", second.Edition, "--from", "2026-13-01"); err == nil {
		t.Fatal("activated from a day that is no day")
	}
	if err := run("activate", "9445", second.Edition, "--from", "2020-01-01"); err != nil {
		t.Fatal(err)
	}
	vs, err := a.pipeline.ListTemplates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got storage.TemplateVersion
	for _, v := range vs {
		if v.Edition == second.Edition {
			got = v
		}
	}
	if got.State != storage.TemplateActive || got.ValidFrom.Format("2006-01-02") != "2020-01-01" || got.ImportedBy != "cli" {
		t.Fatalf("after activate: %+v", got)
	}
	out := filepath.Join(dir, "out.json")
	if err := run("export", "9445", second.Edition, "--out", out); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(out); err != nil || string(b) != string(body) {
		t.Fatalf("exported %d bytes (%v), imported %d", len(b), err, len(body))
	}
	if err := run("retire", "9445", second.Edition); err != nil {
		t.Fatal(err)
	}
	if err := run("retire", "9445", second.Edition); err == nil {
		t.Fatal("retired twice")
	}
	set, err := a.pipeline.ActiveSet(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := set.Edition(form.Kind9445, second.Edition); ok {
		t.Fatal("a retired edition is in the active set")
	}
	if err := run("activate", "9445", second.Edition); err != nil {
		t.Fatalf("a retired edition taken into use again: %v", err)
	}
	if set, err = a.pipeline.ActiveSet(ctx); err != nil || len(set.Editions(form.Kind9445)) != 2 {
		t.Fatalf("after activating again: %v", err)
	}
	if err := run("export", "9445", "FK 9445 (999)"); err == nil {
		t.Fatal("exported an edition there is none of")
	}
}

// TestRunTimeEditionInTheSandbox: a running worker, reading in its
// sandbox's child processes, reads a second-edition 9445 as unclassified,
// then — once that edition is imported and activated, with no restart —
// reads the next one with it.
func TestRunTimeEditionInTheSandbox(t *testing.T) {
	t.Parallel()
	a, _, _ := testApp(t, 1, nil)
	startServer(t, a)
	ctx := context.Background()
	body, err := os.ReadFile("../../testdata/editions/9445-002.json")
	if err != nil {
		t.Fatal(err)
	}
	second, err := form.ParseTemplate(body)
	if err != nil {
		t.Fatal(err)
	}
	blank, err := corpus.BlankPDF(second)
	if err != nil {
		t.Fatal(err)
	}
	fill := func(org string) []byte {
		pdf, err := corpus.FillPDF(second, blank, map[string]string{"org_number": org, "org_name": "Exempelby kommun",
			"user_name": "Tolvan Tolvansson", "user_personnummer": "19850704-1237"})
		if err != nil {
			t.Fatal(err)
		}
		return pdf
	}
	ingest := func(name string, data []byte) int64 {
		res, err := a.pipeline.Ingest(ctx, pipeline.Upload{Filename: name, Source: "test", Body: newReader(data)})
		if err != nil {
			t.Fatal(err)
		}
		return res.DocumentID
	}
	before := waitState(t, a, ingest("before.pdf", fill("212000-0142")), form.StateUnclassified)
	if before.Edition != "" {
		t.Fatalf("read as %q before the edition was imported", before.Edition)
	}
	if _, err := a.pipeline.ImportTemplate(ctx, body, "admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.pipeline.ActivateTemplate(ctx, second.Kind, second.Edition, time.Time{}, "admin"); err != nil {
		t.Fatal(err)
	}
	after := waitState(t, a, ingest("after.pdf", fill("212000-1355")), form.StateNeedsReview)
	if after.Kind != form.Kind9445 || after.Edition != second.Edition || after.Fields.Get("org_number") != "212000-1355" {
		t.Fatalf("after activation: %s %q org %q", after.Kind, after.Edition, after.Fields.Get("org_number"))
	}
}
