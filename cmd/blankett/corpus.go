package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"blankett/corpus"
	"blankett/form"
)

// runCorpus writes a synthetic test corpus (forms, scans, truth, registry)
// with corpus.Generate. It needs no database.
func runCorpus(ctx context.Context, logger *slog.Logger, args []string) error {
	fset := flag.NewFlagSet("corpus", flag.ContinueOnError)
	seed := fset.Int64("seed", 1, "random seed: the same seed gives the same files")
	out := fset.String("out", "", "write the corpus into this folder (required)")
	count := fset.Int("count", 0, "extra random documents on top of the fixed scenarios")
	editions := fset.String("editions", "", "folders (separated by commas) of further editions' templates (*.json) a share of the extra documents is filled in on; NAME.pdf beside NAME.json is that edition's blank (else one is drawn from the template)")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if *out == "" || fset.NArg() > 0 {
		return errors.New("usage: blankett corpus --seed N --out DIR [--count N] [--editions DIR[,DIR]]")
	}
	if *count < 0 {
		return fmt.Errorf("--count: want a whole number ≥ 0, got %d", *count)
	}
	var others []*form.Template
	blanks := map[string][]byte{}
	if *editions != "" {
		for dir := range strings.SplitSeq(*editions, ",") {
			if err := readEditions(dir, &others, blanks); err != nil {
				return fmt.Errorf("--editions: %w", err)
			}
		}
	}
	logger.Info("generating corpus", "seed", *seed, "out", *out, "count", *count, "editions", len(others))
	if err := corpus.Generate(ctx, corpus.Options{Seed: *seed, OutDir: *out, Count: *count, Editions: others, Blanks: blanks}); err != nil {
		return err
	}
	files := 0
	err := filepath.WalkDir(*out, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files++
		}
		return err
	})
	if err != nil {
		return err
	}
	fmt.Printf("%d filer i %s (seed %d)\n", files, *out, *seed)
	return nil
}

// readEditions adds the templates (*.json) in dir to others, and to
// blanks, by template ID, the blank fillable PDF beside each (NAME.pdf
// beside NAME.json) that has one: an edition drawn by another tool.
func readEditions(dir string, others *[]*form.Template, blanks map[string][]byte) error {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	names, err := fs.Glob(root.FS(), "*.json")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := fs.ReadFile(root.FS(), n)
		if err != nil {
			return err
		}
		t, err := form.ParseTemplate(b)
		if err != nil {
			return fmt.Errorf("%s: %w", n, err)
		}
		*others = append(*others, t)
		pdf := strings.TrimSuffix(n, ".json") + ".pdf"
		if b, err := fs.ReadFile(root.FS(), pdf); err == nil {
			blanks[t.ID()] = b
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
