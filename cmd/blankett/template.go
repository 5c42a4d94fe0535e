package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"blankett/extract"
	"blankett/form"
	"blankett/validate"
)

// runTemplate is `blankett template draft|check|import|list|export|
// activate|retire`: an office adds a form edition by drafting its template
// from the edition's blank fillable PDF, mapping roles, trying it on
// samples, and importing and activating it (README: Adding a form
// edition).
func runTemplate(ctx context.Context, logger *slog.Logger, args []string) error {
	if len(args) == 0 {
		return errors.New(templateUsage)
	}
	switch args[0] {
	case "draft":
		return templateDraft(ctx, args[1:])
	case "check":
		return templateCheck(ctx, args[1:])
	case "import", "list", "export", "activate", "retire":
		return templateStore(ctx, logger, args[0], args[1:])
	}
	return fmt.Errorf("unknown template command %q (draft, check, import, list, export, activate, retire)", args[0])
}

const templateUsage = "usage: template draft BLANK.pdf --kind K --edition E --form-number F [--roles MAP.json] [--out T.json]" +
	" | template check TEMPLATE.json SAMPLE [SAMPLE]" +
	" | template import TEMPLATE.json | template list | template export KIND EDITION [--out F]" +
	" | template activate KIND EDITION [--from YYYY-MM-DD] | template retire KIND EDITION"

// templateStore is the commands on the office's stored templates: wiring
// to the pipeline's use cases.
func templateStore(ctx context.Context, logger *slog.Logger, cmd string, args []string) error {
	fs := flag.NewFlagSet("template "+cmd, flag.ContinueOnError)
	out := fs.String("out", "", "export: write the template here (default: standard output)")
	from := fs.String("from", "", "activate: the first day it is read with, YYYY-MM-DD (default: today)")
	if err := fs.Parse(reorder(args)); err != nil {
		return err
	}
	want := map[string]int{"import": 1, "list": 0, "export": 2, "activate": 2, "retire": 2}[cmd]
	if fs.NArg() != want {
		return errors.New(templateUsage)
	}
	var body []byte
	if cmd == "import" {
		var err error
		if body, err = os.ReadFile(fs.Arg(0)); err != nil { // #nosec G304 G703 -- the template the operator names on the command line
			return fmt.Errorf("template import: %w", err)
		}
	}
	var day time.Time
	if *from != "" {
		var err error
		if day, err = time.Parse(time.DateOnly, *from); err != nil {
			return fmt.Errorf("template activate: --from %q: want YYYY-MM-DD", *from)
		}
	}
	a, err := openTool(ctx, logger)
	if err != nil {
		return err
	}
	defer a.close()
	p := a.pipeline
	kind, edition := form.Kind(fs.Arg(0)), fs.Arg(1)
	switch cmd {
	case "import":
		v, err := p.ImportTemplate(ctx, body, "cli")
		if err != nil {
			return err
		}
		fmt.Printf("%s %q version %d imported (%s); activate it with: blankett template activate %s %q\n", v.Kind, v.Edition, v.Version, v.State, v.Kind, v.Edition)
	case "list":
		vs, err := p.ListTemplates(ctx)
		if err != nil {
			return err
		}
		for _, v := range vs {
			from := "-"
			if !v.ValidFrom.IsZero() {
				from = v.ValidFrom.Format(time.DateOnly)
			}
			fmt.Printf("%-10s %-20q v%-3d %-8s from %-10s %s by %s\n", v.Kind, v.Edition, v.Version, v.State, from, v.Source, v.ImportedBy)
		}
	case "export":
		b, err := p.ExportTemplate(ctx, kind, edition)
		if err != nil {
			return err
		}
		if *out == "" {
			_, err = os.Stdout.Write(b)
			return err
		}
		return os.WriteFile(*out, b, 0o600) // #nosec G703 -- the file the operator names on the command line
	case "activate":
		v, err := p.ActivateTemplate(ctx, kind, edition, day, "cli")
		if err != nil {
			return err
		}
		fmt.Printf("%s %q version %d is read with from %s\n", v.Kind, v.Edition, v.Version, v.ValidFrom.Format(time.DateOnly))
	case "retire":
		if err := p.RetireTemplate(ctx, kind, edition, "cli"); err != nil {
			return err
		}
		fmt.Printf("%s %q retired; documents read with it keep it when read again\n", kind, edition)
	}
	return nil
}

func templateDraft(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("template draft", flag.ContinueOnError)
	kind := fs.String("kind", "", "the form's kind: agreement, 9463 or 9445")
	edition := fs.String("edition", "", `the edition as the form prints it (its form number and edition mark)`)
	number := fs.String("form-number", "", `the form number as the form prints it`)
	title := fs.String("title", "", "the printed title (default: the largest line on page 1)")
	address := fs.String("return-address", "", "where the edition says it is sent, lines separated by commas")
	roles := fs.String("roles", "", "a role mapping (JSON: roles, rows, repeats, rename) to apply to the draft")
	out := fs.String("out", "", "write the template here (default: standard output)")
	if err := fs.Parse(reorder(args)); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("template draft: one blank PDF, please")
	}
	blank, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("template draft: %w", err)
	}
	t, notes, err := extract.Draft(ctx, blank, extract.DraftOptions{Kind: form.Kind(*kind), Edition: *edition, FormNumber: *number, Title: *title, ReturnAddress: *address})
	if err != nil {
		return err
	}
	for _, n := range notes {
		fmt.Fprintln(os.Stderr, "note: "+n)
	}
	if *roles != "" {
		b, err := os.ReadFile(*roles)
		if err != nil {
			return fmt.Errorf("template draft: %w", err)
		}
		var m extract.RoleMapping
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("template draft: role mapping %s: %w", *roles, err)
		}
		if err := extract.ApplyRoles(t, m); err != nil {
			return fmt.Errorf("template draft: with the role mapping the template is refused: %w", err)
		}
	} else if err := t.Check(); err != nil {
		fmt.Fprintln(os.Stderr, "note: not yet a usable template: "+err.Error())
	}
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if *out == "" {
		_, err = os.Stdout.Write(b)
		return err
	}
	return os.WriteFile(*out, b, 0o600) // #nosec G703 -- the file the operator names on the command line
}

func templateCheck(ctx context.Context, args []string) error {
	if len(args) < 2 {
		return errors.New("usage: template check TEMPLATE.json SAMPLE [SAMPLE]")
	}
	b, err := os.ReadFile(args[0]) // #nosec G304 G703 -- the template the operator names on the command line
	if err != nil {
		return fmt.Errorf("template check: %w", err)
	}
	t, err := form.ParseTemplate(b)
	if err != nil {
		return fmt.Errorf("template check: %s is refused: %w", args[0], err)
	}
	ocr, err := extract.NewOCR(1, extract.Languages...)
	if err != nil {
		return err
	}
	defer ocr.Close()
	normalise := func(ft form.FieldType, raw string) (string, bool) { return validate.Normalise(ft, raw, time.Now()) }
	e, err := extract.New(ocr, normalise, extract.DefaultLimits())
	if err != nil {
		return err
	}
	for _, path := range args[1:] {
		data, err := os.ReadFile(path) // #nosec G304 G703 -- a sample the operator names on the command line
		if err != nil {
			return fmt.Errorf("template check: %w", err)
		}
		mt, ok := extract.Sniff(data[:min(len(data), extract.SniffLen)])
		if !ok {
			return fmt.Errorf("template check: %s is not a file Blankett reads", path)
		}
		res, err := e.ReadWith(ctx, t, mt, data)
		if err != nil {
			return fmt.Errorf("template check: %s: %w", path, err)
		}
		fmt.Printf("%s\n", path)
		if err := extract.WriteFields(os.Stdout, t, res); err != nil {
			return err
		}
	}
	return nil
}

// reorder puts flags before the arguments, so that `draft BLANK.pdf
// --kind K` parses like `draft --kind K BLANK.pdf`.
func reorder(args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if len(a) > 1 && a[0] == '-' {
			flags = append(flags, a)
			if !containsEq(a) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		rest = append(rest, a)
	}
	return append(flags, rest...)
}

func containsEq(s string) bool {
	for _, r := range s {
		if r == '=' {
			return true
		}
	}
	return false
}
