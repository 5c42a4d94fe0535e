package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"blankett/form"
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
