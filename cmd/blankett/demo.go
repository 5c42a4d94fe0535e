package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"blankett/corpus"
	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
)

// runDemo serves the API, UI and workers, ingests the sample forms, waits
// until the pipeline has settled, prints each document's state, and keeps
// serving until interrupted.
func runDemo(ctx context.Context, logger *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	addr := fs.String("addr", "", "listen address (default BLANKETT_HTTP_ADDR, else 127.0.0.1:8080)")
	wait := fs.Duration("wait", 10*time.Minute, "how long to wait for the samples to settle")
	exit := fs.Bool("exit", false, "exit once the table is printed instead of serving")
	if err := fs.Parse(args); err != nil {
		return err
	}
	samples := fs.Args()
	if len(samples) == 0 {
		samples = []string{filepath.Join("testdata", "corpus"), filepath.Join("testdata", "bad")}
	}
	if os.Getenv("BLANKETT_API_TOKEN") == "" && os.Getenv("BLANKETT_API_TOKEN_FILE") == "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		if err := os.Setenv("BLANKETT_API_TOKEN", hex.EncodeToString(b)); err != nil {
			return err
		}
	}
	// The demo serves plain http on localhost: cookies cannot be Secure.
	if os.Getenv("BLANKETT_INSECURE_COOKIES") == "" {
		if err := os.Setenv("BLANKETT_INSECURE_COOKIES", "true"); err != nil {
			return err
		}
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	a, err := openApp(ctx, logger, cfg, max(cfg.Pipeline.Workers, 1))
	if err != nil {
		return err
	}
	defer a.close()
	accounts, err := demoAccounts(ctx, a)
	if err != nil {
		return err
	}
	if err := demoRegistry(ctx, a, filepath.Join("testdata", "corpus", "registry.json")); err != nil {
		return err
	}
	if *addr == "" {
		*addr = a.cfg.HTTPAddr
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", *addr, err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	served := make(chan error, 1)
	ready := make(chan string, 1)
	go func() { served <- a.serve(ctx, ln, func(url string) { ready <- url }) }()
	var url string
	select {
	case url = <-ready:
	case err := <-served:
		return err
	}

	var existing []string
	for _, s := range samples {
		if _, err := os.Stat(s); err == nil {
			existing = append(existing, s)
		}
	}
	paths, err := expand(existing)
	if err != nil {
		return err
	}
	ids := map[int64]string{}
	var order []int64
	duplicates := 0
	for _, p := range paths {
		res, err := a.pipeline.IngestFile(ctx, p, pipeline.Upload{Source: "cli", ReceivedAt: truthReceived(p)})
		if err != nil {
			logger.Error("demo: ingest", "file", filepath.Base(p), "error", err)
			continue
		}
		if res.Duplicate {
			duplicates++
		}
		if _, ok := ids[res.DocumentID]; !ok {
			order = append(order, res.DocumentID)
		}
		ids[res.DocumentID] = filepath.Base(p)
	}
	fmt.Printf("Ingested %d files: %d new documents, %d duplicates of files received before; waiting for the pipeline…\n",
		len(paths), len(order)-duplicates, duplicates)
	docs := settle(ctx, a, order, *wait)
	// A batch is split into documents of its own: list them under it.
	var all []storage.Document
	for _, d := range docs {
		all = append(all, d)
		if d.State == form.StateSplit {
			parts, err := storage.Parts(ctx, a.db, d.ID)
			if err != nil {
				return err
			}
			for _, p := range parts {
				ids[p.ID] = fmt.Sprintf("  └ sida %d–%d", p.PageFrom, p.PageTo)
			}
			all = append(all, settle(ctx, a, partIDs(parts), *wait)...)
		}
	}
	docs = all

	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tFILE\tKIND\tSTATE\tFINDINGS\tMESSAGE")
	for _, d := range docs {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%s\n", d.ID, ids[d.ID], d.Kind, d.State, len(d.Findings), d.StateMessage)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Printf("\nBlankett is running at %s/login\n%s  jobs UI: %s/admin/jobs/ (as admin)\n  API token: %s\nPress Ctrl-C to stop.\n",
		url, accounts, url, a.cfg.APIToken)
	if *exit {
		cancel()
	}
	return <-served
}

// demoRegistry loads the sample forms' registry (organisations, their
// firmatecknare, agreements, orderers, users) into an empty registry, so
// that the samples meet the findings they were made for.
func demoRegistry(ctx context.Context, a *app, path string) error {
	empty, err := storage.RegistryEmpty(ctx, a.db)
	if err != nil || !empty {
		return err
	}
	b, err := os.ReadFile(path) // #nosec G304 -- the fixed sample registry testdata/corpus/registry.json
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("demo registry: %w", err)
	}
	var fixture corpus.Registry
	if err := json.Unmarshal(b, &fixture); err != nil {
		return fmt.Errorf("demo registry %s: %w", path, err)
	}
	return storage.LoadReference(ctx, a.db, fixture.Reference())
}

// demoAccounts makes an administrator, two reviewers (decisions that
// change the registry need a second one) and a mailroom account with one
// fresh password, when the database has no accounts yet, and says how to
// log in.
func demoAccounts(ctx context.Context, a *app) (string, error) {
	existing, err := storage.ListAccounts(ctx, a.db)
	if err != nil {
		return "", err
	}
	if len(existing) > 0 {
		names := make([]string, len(existing))
		for i, acc := range existing {
			names[i] = acc.Name
		}
		return "  log in with your accounts: " + strings.Join(names, ", ") + "\n" +
			"  (forgotten the password? bin/blankett users password NAME sets a new one; users add makes more)\n", nil
	}
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	password := hex.EncodeToString(b)
	var lines string
	for _, acc := range []struct {
		name string
		role form.AccountRole
	}{{"admin", form.AccountAdmin}, {"granskare1", form.AccountReviewer}, {"granskare2", form.AccountReviewer}, {"post", form.AccountMailroom}} {
		if _, err := pipeline.CreateAccount(ctx, a.db, acc.name, acc.role, password, "demo"); err != nil {
			return "", fmt.Errorf("demo account %s: %w", acc.name, err)
		}
		lines += fmt.Sprintf("  %-10s (%s)\n", acc.name, acc.role.Title())
	}
	return "  accounts, all with the password " + password + ":\n" + lines, nil
}

func partIDs(parts []storage.Document) []int64 {
	ids := make([]int64, len(parts))
	for i, p := range parts {
		ids[i] = p.ID
	}
	return ids
}

// settle waits until none of the documents is still on its way through the
// automatic steps, or until wait has passed, and returns them.
func settle(ctx context.Context, a *app, ids []int64, wait time.Duration) []storage.Document {
	deadline := time.Now().Add(wait)
	for {
		docs := make([]storage.Document, 0, len(ids))
		busy := false
		for _, id := range ids {
			d, err := storage.GetDocument(ctx, a.db, id)
			if err != nil {
				continue
			}
			if d.State == form.StateReceived || d.State == form.StateExtracted {
				busy = true
			}
			docs = append(docs, d)
		}
		if !busy || time.Now().After(deadline) || ctx.Err() != nil {
			return docs
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// truthReceived is the day a sample was received by its truth file
// (x.pdf → x.truth.json, "received": "YYYY-MM-DD"), so that its findings
// are the ones it was made for; zero when it has none.
func truthReceived(path string) time.Time {
	b, err := os.ReadFile(strings.TrimSuffix(path, filepath.Ext(path)) + ".truth.json") // #nosec G304 -- a sample of the demo's own corpus
	if err != nil {
		return time.Time{}
	}
	var truth struct {
		Received string `json:"received"`
	}
	if json.Unmarshal(b, &truth) != nil {
		return time.Time{}
	}
	d, err := time.ParseInLocation(time.DateOnly, truth.Received, form.Stockholm())
	if err != nil {
		return time.Time{}
	}
	return d.Add(10 * time.Hour) // in office hours
}
