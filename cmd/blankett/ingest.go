package main

import (
	"blankett/pipeline"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"
)

func runIngest(ctx context.Context, logger *slog.Logger, args []string) error {
	fset := flag.NewFlagSet("ingest", flag.ContinueOnError)
	watch := fset.String("watch", "", "watch this folder: ingest files dropped into it, then move them to done/ or failed/")
	every := fset.Duration("every", 2*time.Second, "how often the watched folder is scanned")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if *watch == "" && fset.NArg() == 0 {
		return errors.New("name files or folders to ingest, or --watch DIR")
	}
	a, err := openTool(ctx, logger)
	if err != nil {
		return err
	}
	defer a.close()
	if *watch != "" {
		logger.Info("watching hot folder", "dir", *watch)
		return a.pipeline.Watch(ctx, *watch, *every)
	}
	paths, err := expand(fset.Args())
	if err != nil {
		return err
	}
	// The files of one command arrived together: one envelope.
	envelope := ""
	if len(paths) > 1 {
		envelope = pipeline.NewEnvelope()
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tDOCUMENT\tSTATE\tMESSAGE")
	failed := 0
	for _, path := range paths {
		res, err := a.pipeline.IngestFile(ctx, path, pipeline.Upload{Source: "cli", Envelope: envelope})
		if err != nil {
			failed++
			fmt.Fprintf(tw, "%s\t-\tfailed\t%v\n", filepath.Base(path), err)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", filepath.Base(path), res.DocumentID, res.State, res.Message)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files were not received", failed, len(paths))
	}
	return nil
}

// expand turns files and folders into the files to ingest (folders
// recursively, hidden files and truth JSON left out).
func expand(args []string) ([]string, error) {
	var paths []string
	for _, arg := range args {
		err := filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if d.IsDir() {
				if path != arg && strings.HasPrefix(name, ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".md") {
				return nil
			}
			paths = append(paths, path)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("ingest %s: %w", arg, err)
		}
	}
	return paths, nil
}
