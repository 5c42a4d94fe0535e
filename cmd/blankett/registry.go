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
	"blankett/pipeline"
	"blankett/storage"
	"blankett/validate"
)

const registryUsage = "usage: blankett registry import-signatories|import-orderers|import-users FILE | " +
	"blankett registry terminate ORGNR --received YYYY-MM-DD --end YYYY-MM-DD [--by part|fk] [--override REASON] | " +
	"blankett registry in-force [--date YYYY-MM-DD] [--pdf FILE]"

func runRegistry(ctx context.Context, logger *slog.Logger, args []string) error {
	if len(args) == 0 {
		return errors.New(registryUsage)
	}
	var run func(a *app) error
	switch args[0] {
	case "import-signatories", "import-orderers", "import-users":
		if len(args) != 2 {
			return fmt.Errorf("usage: blankett registry %s FILE", args[0])
		}
		run = func(a *app) error {
			imp := map[string]func(context.Context, io.Reader) (pipeline.ImportReport, error){
				"import-signatories": a.pipeline.ImportSignatories,
				"import-orderers":    a.pipeline.ImportOrderers,
				"import-users":       a.pipeline.ImportUsers,
			}[args[0]]
			return importCSV(ctx, imp, args[1], os.Stdout)
		}
	case "terminate":
		t, err := terminationArgs(args[1:])
		if err != nil {
			return err
		}
		run = func(a *app) error { return terminate(ctx, a, t, os.Stdout) }
	case "in-force":
		fset := flag.NewFlagSet("registry in-force", flag.ContinueOnError)
		day := fset.String("date", "", "the day asked about, YYYY-MM-DD (default today)")
		pdf := fset.String("pdf", "", "write the list as a PDF/A document to this file instead")
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
		run = func(a *app) error {
			if *pdf != "" {
				return writeInForcePDF(ctx, a, d, *pdf, os.Stdout)
			}
			return listInForce(ctx, a, d, os.Stdout)
		}
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

// importCSV imports the CSV file at path with imp and prints the import
// report. Rejected rows make it fail after the valid rows are imported, so
// a script sees that the file needs a look.
func importCSV(ctx context.Context, imp func(context.Context, io.Reader) (pipeline.ImportReport, error), path string, w io.Writer) error {
	f, err := os.Open(path) // #nosec G304 G703 -- a CSV file given by the operator on the command line
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := imp(ctx, f)
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

// terminationArgs reads `registry terminate`'s arguments.
func terminationArgs(args []string) (pipeline.Termination, error) {
	var t pipeline.Termination
	if len(args) == 0 {
		return t, errors.New(registryUsage)
	}
	t.OrgNumber = args[0]
	fset := flag.NewFlagSet("registry terminate", flag.ContinueOnError)
	received := fset.String("received", "", "the day the written termination arrived, YYYY-MM-DD")
	end := fset.String("end", "", "the day the agreement ends (no longer in force from it), YYYY-MM-DD")
	by := fset.String("by", "part", "who terminates: part or fk")
	override := fset.String("override", "", "a reason to record an end date sooner than six months' notice")
	if err := fset.Parse(args[1:]); err != nil {
		return t, err
	}
	var err error
	if t.Received, err = time.Parse(time.DateOnly, *received); err != nil {
		return t, fmt.Errorf("--received: want YYYY-MM-DD, got %q", *received)
	}
	if t.End, err = time.Parse(time.DateOnly, *end); err != nil {
		return t, fmt.Errorf("--end: want YYYY-MM-DD, got %q", *end)
	}
	t.RequestedBy, t.Actor = *by, "cli"
	if *override != "" {
		t.Overrides = map[string]string{}
		for _, f := range pipeline.TerminationFindings(t) {
			t.Overrides[f.Code] = *override
		}
	}
	return t, nil
}

// terminate records a termination and says what it did, or which finding
// stops it.
func terminate(ctx context.Context, a *app, t pipeline.Termination, w io.Writer) error {
	id, findings, err := a.pipeline.RecordTermination(ctx, t)
	for _, f := range findings {
		fmt.Fprintln(w, f.Message)
	}
	if errors.Is(err, pipeline.ErrUnresolvedFindings) {
		return errors.New("nothing recorded: give --override REASON to record it anyway")
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Uppsägning %d registrerad: överenskommelsen gäller till och med dagen före %s.\n", id, form.DayInWords(t.End))
	return nil
}

// writeInForcePDF writes the in-force list of day d as a PDF to path.
func writeInForcePDF(ctx context.Context, a *app, d time.Time, path string, w io.Writer) error {
	pdf, err := a.pipeline.InForceListPDF(ctx, d)
	if err != nil {
		return err
	}
	if err := writeFileSynced(path, pdf); err != nil {
		return fmt.Errorf("in-force list: %w", err)
	}
	fmt.Fprintf(w, "Listan över organisationer med gällande överenskommelse den %s finns i %s\n", form.DayInWords(d), path)
	return nil
}
