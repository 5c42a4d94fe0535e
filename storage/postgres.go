// Package storage keeps Blankett's state: PostgreSQL (documents, audit
// events, the registry, River's queue) through pgx, and original files and
// page images in an S3 bucket through minio-go.
package storage

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// ErrNotFound is returned when a row or object does not exist.
var ErrNotFound = errors.New("not found")

// Open connects to PostgreSQL and checks the connection. cipher seals and
// opens personal data (nil: a process that never touches it).
func Open(ctx context.Context, url string, cipher *Cipher) (*DB, error) {
	if url == "" {
		return nil, errors.New("open database: no URL (set BLANKETT_DATABASE_URL)")
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open database: parse URL: %w", err)
	}
	// Plan each query for its own values: pgx prepares statements, and
	// after five runs PostgreSQL may keep one generic plan for all values,
	// although the best plan depends on them (a state, kind or finding of
	// very different frequency; a name part). The queue filtered by kind
	// and finding took 56 ms on a generic plan and 1 ms on its own.
	if _, set := cfg.ConnConfig.RuntimeParams["plan_cache_mode"]; !set {
		cfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("open database: ping: %w", err)
	}
	return NewDB(pool, cipher), nil
}

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrationLock is the advisory lock key that serialises migrations when
// several processes start at once.
const migrationLock = 0x626c616e6b657474 // "blankett"

// Migrate applies River's migrations and then Blankett's own embedded
// migrations (storage/migrations/NNNN_name.sql, in lexical order, each in
// its own transaction with the Go step migrationSteps may name for it,
// recorded in schema_migrations). It is safe to run
// from several processes at once and to run again.
func Migrate(ctx context.Context, db *DB, logger *slog.Logger) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("migrate: acquire connection: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "select pg_advisory_lock($1)", int64(migrationLock)); err != nil {
		return fmt.Errorf("migrate: lock: %w", err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "select pg_advisory_unlock($1)", int64(migrationLock)) //nolint:errcheck // released with the session anyway

	migrator, err := rivermigrate.New(riverpgxv5.New(db.pool), &rivermigrate.Config{Logger: logger})
	if err != nil {
		return fmt.Errorf("migrate: river: %w", err)
	}
	res, err := migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("migrate: river: %w", err)
	}
	for _, v := range res.Versions {
		logger.InfoContext(ctx, "applied river migration", "version", v.Version)
	}

	if _, err := conn.Exec(ctx, `create table if not exists schema_migrations (
		name text primary key, applied_at timestamptz not null default now())`); err != nil {
		return fmt.Errorf("migrate: schema_migrations: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("migrate: list: %w", err)
	}
	sort.Strings(names)
	for _, path := range names {
		name := strings.TrimPrefix(path, "migrations/")
		var done bool
		if err := conn.QueryRow(ctx, "select exists(select 1 from schema_migrations where name = $1)", name).Scan(&done); err != nil {
			return fmt.Errorf("migrate: check %s: %w", name, err)
		}
		if done {
			continue
		}
		sql, err := migrationFS.ReadFile(path)
		if err != nil {
			return fmt.Errorf("migrate: read %s: %w", name, err)
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, string(sql)); err != nil {
				return err
			}
			if step := migrationSteps[name]; step != nil {
				if err := step(ctx, tx); err != nil {
					return err
				}
			}
			_, err := tx.Exec(ctx, "insert into schema_migrations (name) values ($1)", name)
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate: apply %s: %w", name, err)
		}
		logger.InfoContext(ctx, "applied migration", "name", name)
	}
	return nil
}

// SchemaDigest identifies the schema Migrate makes: Blankett's migrations
// and River's version. Tests key their migrated template database on it.
func SchemaDigest() string {
	h := sha256.New()
	names, _ := fs.Glob(migrationFS, "migrations/*.sql")
	sort.Strings(names)
	for _, name := range names {
		b, _ := migrationFS.ReadFile(name)
		fmt.Fprintf(h, "%s %d\n", name, len(b))
		h.Write(b)
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, d := range info.Deps {
			if strings.HasPrefix(d.Path, "github.com/riverqueue/river") {
				fmt.Fprintf(h, "%s %s\n", d.Path, d.Version)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
