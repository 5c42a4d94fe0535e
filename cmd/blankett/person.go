package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/user"
	"strings"
	"time"

	"blankett/storage"
)

// loadPersonalDataConfig reads the settings for personal data:
//
//	BLANKETT_DATA_KEY, BLANKETT_DATA_KEY_FILE  the data key(s), base64 of
//	    32 bytes, one per line, current first (required: personnummer are
//	    sealed with it; scripts/services.sh makes a development key file)
//	BLANKETT_S3_SSE=true  objects encrypted at rest by the server's KMS
//	BLANKETT_RETENTION_9445, _9463, _AGREEMENT, _AGREEMENT_REJECTED,
//	_UNREADABLE  retention periods ("90d", "2y"; see storage.Retention)
//	BLANKETT_PURGE_INTERVAL  how often the purge runs (a Go duration)
func loadPersonalDataConfig(c *config) error {
	var err error
	if c.Cipher, err = loadDataKey(); err != nil {
		return err
	}
	if v := os.Getenv("BLANKETT_S3_SSE"); v != "" {
		c.Blob.SSE = v == "true"
	}
	r := storage.DefaultRetention()
	for name, d := range map[string]*time.Duration{
		"BLANKETT_RETENTION_9445": &r.Order9445, "BLANKETT_RETENTION_9463": &r.Orderers9463,
		"BLANKETT_RETENTION_AGREEMENT": &r.Agreement, "BLANKETT_RETENTION_AGREEMENT_REJECTED": &r.RejectedAgreement,
		"BLANKETT_RETENTION_UNREADABLE": &r.Unreadable,
	} {
		if v := os.Getenv(name); v != "" {
			if *d, err = storage.ParseRetention(v); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	c.Pipeline.Retention = &r
	if v := os.Getenv("BLANKETT_PURGE_INTERVAL"); v != "" {
		if c.Pipeline.PurgeEvery, err = time.ParseDuration(v); err != nil {
			return fmt.Errorf("BLANKETT_PURGE_INTERVAL: %w", err)
		}
	}
	return nil
}

// loadDataKey reads BLANKETT_DATA_KEY or the file BLANKETT_DATA_KEY_FILE
// names. The key is never part of an error or a log line.
func loadDataKey() (*storage.Cipher, error) {
	keys, err := secret("BLANKETT_DATA_KEY")
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(keys) == "" {
		return nil, errors.New("no data key: set BLANKETT_DATA_KEY or BLANKETT_DATA_KEY_FILE (base64 of 32 random bytes; scripts/services.sh writes a development key to .local/data.key)")
	}
	c, err := storage.ParseDataKeys(keys)
	if err != nil {
		return nil, fmt.Errorf("BLANKETT_DATA_KEY: %w", err)
	}
	return c, nil
}

// runPerson is `blankett person export PERSONNUMMER`: everything Blankett
// holds about the person, as JSON on stdout. The number is never logged.
func runPerson(ctx context.Context, logger *slog.Logger, args []string) error {
	if len(args) != 2 || args[0] != "export" {
		return errors.New("usage: blankett person export PERSONNUMMER")
	}
	a, err := openTool(ctx, logger)
	if err != nil {
		return err
	}
	defer a.close()
	actor := "cli"
	if u, err := user.Current(); err == nil {
		actor = "cli:" + u.Username
	}
	exp, err := storage.ExportPerson(ctx, a.db, args[1], actor)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(exp); err != nil {
		return fmt.Errorf("write export: %w", err)
	}
	return nil
}
