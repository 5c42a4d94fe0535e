package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strconv"
)

// runReextract queues documents to be read again, each as a new
// extraction version that keeps reviewers' corrections.
func runReextract(ctx context.Context, logger *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("reextract", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("usage: blankett reextract ID…")
	}
	a, err := openTool(ctx, logger)
	if err != nil {
		return err
	}
	defer a.close()
	failed := 0
	for _, arg := range fs.Args() {
		id, err := strconv.ParseInt(arg, 10, 64)
		if err == nil {
			err = a.pipeline.Reextract(ctx, id, "cli")
		}
		if err != nil {
			failed++
			fmt.Printf("%s: %v\n", arg, err)
			continue
		}
		fmt.Printf("%d: queued to be read again\n", id)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d documents were not queued", failed, fs.NArg())
	}
	return nil
}
