package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"text/tabwriter"
	"time"

	"blankett/form"
	"blankett/storage"
	"blankett/validate"
)

const registryUsage = "usage: blankett registry import-signatories FILE | blankett registry in-force [--date YYYY-MM-DD]"

func runRegistry(ctx context.Context, logger *slog.Logger, args []string) error {
	if len(args) == 0 {
		return errors.New(registryUsage)
	}
	var run func(a *app) error
	switch args[0] {
	case "import-signatories":
		if len(args) != 2 {
			return errors.New("usage: blankett registry import-signatories FILE")
		}
		run = func(a *app) error { return importSignatories(ctx, a, args[1], os.Stdout) }
	case "in-force":
		fset := flag.NewFlagSet("registry in-force", flag.ContinueOnError)
		day := fset.String("date", "", "the day asked about, YYYY-MM-DD (default today)")
		if err := fset.Parse(args[1:]); err != nil {
			return err
		}
		d := form.Day(time.Now())
		if *day != "" {
			var err error
			if d, err = time.Parse(validate.DateLayout, *day); err != nil {
				return fmt.Errorf("--date: want YYYY-MM-DD, got %q", *day)
			}
		}
		run = func(a *app) error { return listInForce(ctx, a, d, os.Stdout) }
	default:
		return errors.New(registryUsage)
	}
	a, err := openTool(ctx, logger)
	if err != nil {
		return err
	}
	defer a.close()
	return run(a)
}

// importSignatories imports the firmatecknare in the CSV file at path and
// prints the import report. Rejected rows make it fail after the valid
// rows are imported, so a script sees that the file needs a look.
func importSignatories(ctx context.Context, a *app, path string, w io.Writer) error {
	f, err := os.Open(path) // #nosec G304 G703 -- a CSV file given by the operator on the command line
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := a.pipeline.ImportSignatories(ctx, f)
	if err != nil {
		return err
	}
	fmt.Fprint(w, rep.String())
	if n := len(rep.Rejected); n > 0 {
		return fmt.Errorf("%d of %d rows were rejected", n, rep.Rows)
	}
	return nil
}

// listInForce prints the organisations with an agreement in force on day d.
func listInForce(ctx context.Context, a *app, d time.Time, w io.Writer) error {
	agreements, err := storage.NewRegistry(a.db).AgreementsInForce(ctx, d)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ORGANISATIONSNUMMER\tORGANISATION\tGÄLLER FRÅN\tPARTENS UNDERSKRIFT")
	for _, ag := range agreements {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", ag.OrgNumber, ag.OrgName, dateText(ag.Countersigned), dateText(ag.PartSigned))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d organisationer har en gällande överenskommelse den %s\n", len(agreements), d.Format(validate.DateLayout))
	return nil
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(validate.DateLayout)
}
