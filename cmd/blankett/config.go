package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"blankett/pipeline"
	"blankett/review"
	"blankett/storage"
)

// config is read from the environment (see README: Configuration).
type config struct {
	DatabaseURL string
	Blob        storage.BlobConfig
	HTTPAddr    string
	APIToken    string
	Pipeline    pipeline.Config
	Extract     extractConfig
	// HTTP holds the review server's settings read from the environment:
	// trusted proxies, upload deadline and minimum rate.
	HTTP httpConfig
	// Cipher seals personnummer in the database (BLANKETT_DATA_KEY or
	// BLANKETT_DATA_KEY_FILE; see person.go).
	Cipher *storage.Cipher
}

func loadConfig() (config, error) {
	c := config{
		DatabaseURL: os.Getenv("BLANKETT_DATABASE_URL"),
		Blob: storage.BlobConfig{
			Endpoint:  os.Getenv("BLANKETT_S3_ENDPOINT"),
			AccessKey: os.Getenv("BLANKETT_S3_ACCESS_KEY"),
			Bucket:    envOr("BLANKETT_S3_BUCKET", "blankett"),
			UseTLS:    os.Getenv("BLANKETT_S3_TLS") == "true",
		},
		HTTPAddr: envOr("BLANKETT_HTTP_ADDR", "127.0.0.1:8080"),
	}
	var err error
	if c.Blob.SecretKey, err = secret("BLANKETT_S3_SECRET_KEY"); err != nil {
		return c, err
	}
	if c.APIToken, err = secret("BLANKETT_API_TOKEN"); err != nil {
		return c, err
	}
	if c.Pipeline.Workers, err = envInt("BLANKETT_WORKERS", runtime.NumCPU()); err != nil {
		return c, err
	}
	maxBytes, err := envInt("BLANKETT_MAX_UPLOAD_BYTES", 50<<20)
	if err != nil {
		return c, err
	}
	c.Pipeline.MaxUploadBytes = int64(maxBytes)
	if v := os.Getenv("BLANKETT_STEP_TIMEOUT"); v != "" {
		if c.Pipeline.StepTimeout, err = time.ParseDuration(v); err != nil {
			return c, fmt.Errorf("BLANKETT_STEP_TIMEOUT: %w", err)
		}
	}
	c.Pipeline.SpoolDir = os.Getenv("BLANKETT_SPOOL_DIR")
	// BLANKETT_SINGLE_REVIEW=true lets one reviewer approve agreements and
	// 9463s alone.
	c.Pipeline.SingleReview = os.Getenv("BLANKETT_SINGLE_REVIEW") == "true"
	if v := os.Getenv("BLANKETT_RESCUE_AFTER"); v != "" {
		if c.Pipeline.RescueAfter, err = time.ParseDuration(v); err != nil {
			return c, fmt.Errorf("BLANKETT_RESCUE_AFTER: %w", err)
		}
	}
	if v := os.Getenv("BLANKETT_STEP_DELAY"); v != "" {
		if c.Pipeline.StepDelay, err = time.ParseDuration(v); err != nil {
			return c, fmt.Errorf("BLANKETT_STEP_DELAY: %w", err)
		}
	}
	if c.HTTP, err = loadHTTPConfig(); err != nil {
		return c, err
	}
	if c.Extract, err = loadExtractConfig(c.Pipeline.MaxUploadBytes); err != nil {
		return c, err
	}
	if err := loadPersonalDataConfig(&c); err != nil {
		return c, err
	}
	return c, nil
}

// httpConfig is what the review server reads from the environment.
type httpConfig struct {
	TrustedProxies []netip.Prefix // BLANKETT_TRUSTED_PROXIES
	UploadTimeout  time.Duration  // BLANKETT_UPLOAD_TIMEOUT
	UploadMinRate  int64          // BLANKETT_UPLOAD_MIN_RATE, bytes a second
}

func loadHTTPConfig() (httpConfig, error) {
	c := httpConfig{UploadTimeout: 10 * time.Minute}
	var err error
	if c.TrustedProxies, err = review.ParseTrustedProxies(os.Getenv("BLANKETT_TRUSTED_PROXIES")); err != nil {
		return c, fmt.Errorf("BLANKETT_TRUSTED_PROXIES: %w", err)
	}
	if v := os.Getenv("BLANKETT_UPLOAD_TIMEOUT"); v != "" {
		if c.UploadTimeout, err = time.ParseDuration(v); err != nil || c.UploadTimeout <= 0 {
			return c, fmt.Errorf("BLANKETT_UPLOAD_TIMEOUT: want a duration above 0, got %q", v)
		}
	}
	rate, err := envInt("BLANKETT_UPLOAD_MIN_RATE", 16<<10)
	if err != nil {
		return c, err
	}
	c.UploadMinRate = int64(rate)
	return c, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func envInt(name string, def int) (int, error) {
	v := os.Getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s: want a whole number ≥ 0, got %q", name, v)
	}
	return n, nil
}

// secret reads NAME, or the file named by NAME_FILE.
func secret(name string) (string, error) {
	if path := os.Getenv(name + "_FILE"); path != "" {
		b, err := os.ReadFile(path) // #nosec G304 G703 -- a secret file the operator names in the service's environment
		if err != nil {
			return "", fmt.Errorf("%s_FILE: %w", name, err)
		}
		return strings.TrimSpace(string(b)), nil
	}
	return os.Getenv(name), nil
}

// app is the wiring every command shares.
type app struct {
	cfg      config
	logger   *slog.Logger
	db       *storage.DB
	blob     *storage.Blob
	pipeline *pipeline.Pipeline
	extract  pipeline.Extractor // the extraction sandbox's children end with the app
}

// openApp connects, migrates and builds the pipeline with workers workers
// (0: insert only).
func openApp(ctx context.Context, logger *slog.Logger, cfg config, workers int) (*app, error) {
	if cfg.Cipher == nil { // a config built in code: the key still comes from the environment
		var err error
		if cfg.Cipher, err = loadDataKey(); err != nil {
			return nil, err
		}
	}
	db, err := storage.Open(ctx, cfg.DatabaseURL, cfg.Cipher)
	if err != nil {
		return nil, err
	}
	if err := storage.Migrate(ctx, db, logger); err != nil {
		db.Close()
		return nil, err
	}
	blob, err := storage.OpenBlob(ctx, cfg.Blob)
	if err != nil {
		db.Close()
		return nil, err
	}
	pcfg := cfg.Pipeline
	pcfg.Workers = workers
	var ex pipeline.Extractor
	if workers > 0 {
		// Untrusted files are read in child processes, one per worker; a
		// process that works no jobs starts none.
		if ex, err = newExtractStep(cfg.Extract, workers, logger); err != nil {
			db.Close()
			return nil, err
		}
	}
	p, err := pipeline.New(db, blob, ex, logger, pcfg)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &app{cfg: cfg, logger: logger, db: db, blob: blob, pipeline: p, extract: ex}, nil
}

// openTool opens the app for a command that works no jobs itself
// (ingest, jobs, fsck, letters, …): configuration from the environment, no
// workers, no OCR.
func openTool(ctx context.Context, logger *slog.Logger) (*app, error) {
	cfg, err := loadConfig()
	if err != nil {
		return nil, err
	}
	return openApp(ctx, logger, cfg, 0)
}

func (a *app) close() {
	if c, ok := a.extract.(interface{ Close() }); ok {
		c.Close()
	}
	a.db.Close()
}
