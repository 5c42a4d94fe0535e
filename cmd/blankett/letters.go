package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"blankett/pipeline"
	"blankett/storage"
)

// readObject reads a whole object from the blob store.
func readObject(ctx context.Context, blob *storage.Blob, key string) ([]byte, error) {
	rc, _, err := blob.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("read object %s: %w", key, err)
	}
	return b, nil
}

func runLetters(ctx context.Context, logger *slog.Logger, args []string) error {
	if len(args) == 1 && args[0] == "held" {
		a, err := openTool(ctx, logger)
		if err != nil {
			return err
		}
		defer a.close()
		return listHeld(ctx, a, os.Stdout)
	}
	if len(args) == 0 || args[0] != "print-batch" {
		return errors.New("usage: blankett letters print-batch [--out FILE] | blankett letters held")
	}
	fset := flag.NewFlagSet("letters print-batch", flag.ContinueOnError)
	out := fset.String("out", "", "write the batch here (default letters-YYYYMMDD-HHMMSS.pdf)")
	if err := fset.Parse(args[1:]); err != nil {
		return err
	}
	a, err := openTool(ctx, logger)
	if err != nil {
		return err
	}
	defer a.close()
	_, err = writeBatch(ctx, a, *out, time.Now(), os.Stdout)
	return err
}

// writeBatch writes the print batch to path (default from now), syncs it,
// marks its letters printed and reports to w. With nothing to print it
// writes no file and says so.
func writeBatch(ctx context.Context, a *app, path string, now time.Time, w io.Writer) (marked int64, err error) {
	pdf, ids, err := a.pipeline.PrintBatch(ctx)
	if errors.Is(err, pipeline.ErrNothingToPrint) {
		fmt.Fprintln(w, "Inga brev att skriva ut.")
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	batch := now.Format("20060102-150405")
	if path == "" {
		path = "letters-" + batch + ".pdf"
	}
	if err := writeFileSynced(path, pdf); err != nil {
		return 0, fmt.Errorf("print batch: %w", err)
	}
	marked, err = a.pipeline.MarkPrinted(ctx, ids, batch, now)
	if err != nil {
		return 0, fmt.Errorf("print batch %s written to %s, but its letters are not marked printed: %w", batch, path, err)
	}
	fmt.Fprintf(w, "%d brev i %s (utskriftsomgång %s), %d markerade som utskrivna\n", len(ids), path, batch, marked)
	if marked < int64(len(ids)) {
		fmt.Fprintf(w, "%d av breven hade redan skrivits ut i en annan omgång samtidigt\n", int64(len(ids))-marked)
	}
	return marked, nil
}

// writeFileSynced writes b to path through a temporary file in the same
// folder, synced before it is renamed into place, so path is either
// absent or complete.
func writeFileSynced(path string, b []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after the rename
	if _, err := f.Write(b); err != nil {
		_ = f.Close() // the write error is the one to report
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	// Letters carry personal data: readable by the service's user only.
	if err := os.Chmod(tmp, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	d, err := os.Open(dir) // #nosec G304 -- the folder of the output file given by the operator on the command line
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// listHeld prints the letters held for want of a postal address.
func listHeld(ctx context.Context, a *app, w io.Writer) error {
	held, err := storage.HeldLetters(ctx, a.db)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DOKUMENT\tBESLUT\tBREV\tMOTTAGARE\tSKÄL")
	for _, h := range held {
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\n", h.DocumentID, h.DecisionID, h.Kind, h.RecipientKey, h.Reason)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d brev väntar på en postadress\n", len(held))
	return nil
}
