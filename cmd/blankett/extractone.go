package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"blankett/extract"
	"blankett/form"
	"blankett/pipeline"
	"blankett/validate"
)

// runExtractOne is the sandbox's child (`blankett extract-one [--serve]`):
// it reads untrusted files from stdin under memory and CPU limits and
// writes their extraction to stdout. Only the sandbox starts it. It logs
// warnings to stderr, which the sandbox keeps, not to the caller's logger.
func runExtractOne(ctx context.Context, _ *slog.Logger, args []string) error {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return extract.RunChild(ctx, args, os.Stdin, logger, func() (*extract.Extractor, error) {
		// One Tesseract client per model: a child reads one document at
		// a time.
		ocr, err := extract.NewOCR(1, extract.Languages...)
		if err != nil {
			return nil, err
		}
		normalise := func(t form.FieldType, raw string) (string, bool) { return validate.Normalise(t, raw, time.Now()) }
		return extract.New(ocr, normalise, extract.DefaultLimits())
	})
}

// In a test binary (which has no commands), the sandbox's children are
// the test binary itself started as `extract-one`: serve them here.
func init() {
	if testing.Testing() && len(os.Args) > 1 && os.Args[1] == "extract-one" {
		if err := runExtractOne(context.Background(), nil, os.Args[2:]); err != nil {
			_, _ = os.Stderr.WriteString("blankett extract-one: " + err.Error() + "\n") // exiting anyway
			os.Exit(1)
		}
		os.Exit(0)
	}
}

// extractConfig is how files are extracted (see README: Configuration).
type extractConfig struct {
	Limits    extract.Limits // zero: extract.DefaultLimits
	Memory    int64          // a child's address space in bytes (0: default)
	CPU       time.Duration  // processor time per document (0: default)
	Timeout   time.Duration  // wall time per document (0: default)
	MaxRSS    int64          // a child is replaced after a document that grew it past this (0: default)
	InProcess bool           // no child processes (BLANKETT_EXTRACT_SANDBOX=off)
}

// loadExtractConfig reads BLANKETT_MAX_PAGES, BLANKETT_MAX_PIXELS,
// BLANKETT_MAX_RATIO, BLANKETT_EXTRACT_MEMORY (bytes),
// BLANKETT_EXTRACT_CPU (seconds), BLANKETT_EXTRACT_TIMEOUT (a duration),
// BLANKETT_MAX_PAGE_MEMORY (bytes), BLANKETT_PAGE_TIMEOUT (a duration),
// BLANKETT_EXTRACT_CHILD_RSS (bytes) and BLANKETT_EXTRACT_SANDBOX (off:
// extract in the worker's process).
func loadExtractConfig(maxFileBytes int64) (extractConfig, error) {
	ec := extractConfig{Limits: extract.DefaultLimits()}
	if maxFileBytes > 0 {
		ec.Limits.MaxFileBytes = maxFileBytes
	}
	var err error
	if ec.Limits.MaxPages, err = envInt("BLANKETT_MAX_PAGES", ec.Limits.MaxPages); err != nil {
		return ec, err
	}
	pixels, err := envInt("BLANKETT_MAX_PIXELS", int(ec.Limits.MaxPixels))
	if err != nil {
		return ec, err
	}
	ec.Limits.MaxPixels = int64(pixels)
	ratio, err := envInt("BLANKETT_MAX_RATIO", int(ec.Limits.MaxRatio))
	if err != nil {
		return ec, err
	}
	ec.Limits.MaxRatio = int64(ratio)
	memory, err := envInt("BLANKETT_EXTRACT_MEMORY", extract.DefaultSandboxMemory)
	if err != nil {
		return ec, err
	}
	ec.Memory = int64(memory)
	cpu, err := envInt("BLANKETT_EXTRACT_CPU", int(extract.DefaultSandboxCPU/time.Second))
	if err != nil {
		return ec, err
	}
	ec.CPU = time.Duration(cpu) * time.Second
	if v := os.Getenv("BLANKETT_EXTRACT_TIMEOUT"); v != "" {
		if ec.Timeout, err = time.ParseDuration(v); err != nil {
			return ec, fmt.Errorf("BLANKETT_EXTRACT_TIMEOUT: %w", err)
		}
	}
	pageMemory, err := envInt("BLANKETT_MAX_PAGE_MEMORY", int(ec.Limits.PageMemory))
	if err != nil {
		return ec, err
	}
	ec.Limits.PageMemory = int64(pageMemory)
	if v := os.Getenv("BLANKETT_PAGE_TIMEOUT"); v != "" {
		if ec.Limits.PageTime, err = time.ParseDuration(v); err != nil {
			return ec, fmt.Errorf("BLANKETT_PAGE_TIMEOUT: %w", err)
		}
	}
	maxRSS, err := envInt("BLANKETT_EXTRACT_CHILD_RSS", extract.DefaultSandboxMaxRSS)
	if err != nil {
		return ec, err
	}
	ec.MaxRSS = int64(maxRSS)
	switch v := os.Getenv("BLANKETT_EXTRACT_SANDBOX"); v {
	case "", "on":
	case "off":
		ec.InProcess = true
	default:
		return ec, fmt.Errorf("BLANKETT_EXTRACT_SANDBOX: want on or off, got %q", v)
	}
	return ec, nil
}

// newExtractStep makes the pipeline's extractor: a sandbox of workers
// children, or (InProcess) Tesseract in this process.
func newExtractStep(ec extractConfig, workers int, logger *slog.Logger) (pipeline.Extractor, error) {
	if ec.Limits == (extract.Limits{}) {
		ec.Limits = extract.DefaultLimits()
	}
	if ec.InProcess {
		// One Tesseract client per worker and model.
		ocr, err := extract.NewOCR(workers, extract.Languages...)
		if err != nil {
			return nil, err
		}
		normalise := func(t form.FieldType, raw string) (string, bool) { return validate.Normalise(t, raw, time.Now()) }
		return extract.New(ocr, normalise, ec.Limits)
	}
	return extract.NewSandbox(extract.SandboxConfig{Limits: ec.Limits, Memory: ec.Memory, CPU: ec.CPU, Timeout: ec.Timeout, MaxRSS: ec.MaxRSS,
		Children: workers, Logger: logger})
}
