package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strconv"

	"blankett/form"
)

// runReextract queues documents to be read again, each as a new
// extraction version that keeps reviewers' corrections and the edition it
// was read with (or, with --kind and --edition, as that edition).
func runReextract(ctx context.Context, logger *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("reextract", flag.ContinueOnError)
	kind := fs.String("kind", "", "with --edition: read as this kind's edition")
	edition := fs.String("edition", "", `read as this edition, as its template names it (default: the one each document was read with)`)
	if err := fs.Parse(reorder(args)); err != nil {
		return err
	}
	if fs.NArg() == 0 || (*kind == "") != (*edition == "") {
		return errors.New("usage: blankett reextract [--kind K --edition E] ID…")
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
			err = a.pipeline.ReextractAs(ctx, id, form.Kind(*kind), *edition, "cli")
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
