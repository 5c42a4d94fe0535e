// Command blankett reads SUS access forms: it ingests scans, extracts and
// checks their fields, serves the review UI and writes the letters.
//
//	blankett serve            API, review UI and workers
//	blankett worker           workers only (run more of these to scale out)
//	blankett ingest FILE|DIR… ingest files; --watch DIR for a hot folder
//	blankett letters print-batch [--out FILE]  one PDF of the letters not yet printed
//	blankett registry import-signatories FILE | registry in-force [--date D]
//	blankett migrate          apply database migrations
//	blankett demo             run the pipeline on testdata's samples and serve
//	blankett corpus --seed N --out DIR [--count N]  generate test forms
//	blankett jobs failed      list jobs that gave up; jobs retry ID
//	blankett reextract ID…    read documents again (new extraction version)
//	blankett fsck [--repair]  check the database against the bucket
//	blankett objects export|import DIR  copy the bucket (backup and restore)
//	blankett template draft|check  draft a form edition's template from its blank PDF; try one on samples
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

type command struct {
	summary string
	run     func(ctx context.Context, logger *slog.Logger, args []string) error
}

var commands = map[string]command{
	"serve":     {"serve the API, the review UI and workers", runServe},
	"worker":    {"work pipeline jobs (no HTTP but /healthz and /metrics)", runWorker},
	"ingest":    {"ingest files or directories; --watch DIR for a hot folder", runIngest},
	"letters":   {"letters print-batch [--out FILE]: one PDF of the unprinted letters, marked printed", runLetters},
	"registry":  {"registry import-signatories FILE | registry in-force [--date YYYY-MM-DD]", runRegistry},
	"migrate":   {"apply database migrations (ours and River's)", runMigrate},
	"demo":      {"run the pipeline on the sample forms and serve the UI", runDemo},
	"corpus":    {"corpus --seed N --out DIR [--count N]: generate test forms with truth", runCorpus},
	"jobs":      {"jobs failed | jobs retry ID", runJobs},
	"reextract": {"reextract [--kind K --edition E] ID...: read documents again as a new extraction version, corrections and edition kept", runReextract},
	"users":     {"users add --role admin|reviewer|mailroom NAME (password on stdin or prompted)", runUsers},
	"fsck":      {"fsck [--stuck 1h] [--repair]: objects without rows, rows without objects, stuck documents", runFsck},
	"objects":   {"objects export DIR | objects import DIR: copy the bucket to or from a directory (backups)", runObjects},
	"person":    {"person export PERSONNUMMER: everything held about one person, as JSON (audited)", runPerson},
	"template":  {"template draft BLANK.pdf --kind K --edition E --form-number F [--roles MAP.json] | check TEMPLATE SAMPLE... | import FILE | list | export KIND EDITION [--out F] | activate KIND EDITION [--from YYYY-MM-DD] | retire KIND EDITION", runTemplate},

	"extract-one": {"(internal) the extraction sandbox's child: requests on stdin, results on stdout", runExtractOne},
}

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	cmd, ok := commands[os.Args[1]]
	if !ok {
		usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cmd.run(ctx, logger, os.Args[2:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintf(os.Stderr, "blankett %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: blankett COMMAND [flags]")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-8s %s\n", n, commands[n].summary)
	}
}
