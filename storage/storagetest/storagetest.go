// Package storagetest gives tests their own PostgreSQL database and MinIO
// bucket on the real servers that scripts/services.sh starts. A test that
// cannot reach them fails when CI=true and is skipped, saying why, otherwise.
package storagetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"blankett/storage"
)

// unavailable fails in CI and skips elsewhere.
func unavailable(t testing.TB, what string, err error) {
	t.Helper()
	msg := fmt.Sprintf("%s unavailable (run scripts/services.sh and source .local/env): %v", what, err)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func randomSuffix() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// DatabaseURL returns the configured server URL (BLANKETT_DATABASE_URL or
// the local default).
func DatabaseURL() string {
	if u := os.Getenv("BLANKETT_DATABASE_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// NewDatabase gives this test its own database, a copy of a template
// database migrated once (per schema, shared by every test process), and
// drops it when the test ends. It returns the database handle and its URL
// (for child processes).
func NewDatabase(t testing.TB) (*storage.DB, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	admin, err := storage.Open(ctx, DatabaseURL(), nil)
	if err != nil {
		unavailable(t, "PostgreSQL", err)
	}
	tmpl, err := templateDatabase(ctx, admin)
	if err != nil {
		admin.Close()
		t.Fatalf("template database: %v", err)
	}
	name := "blankett_test_" + randomSuffix()
	if err := copyDatabase(ctx, admin, tmpl, name); err != nil {
		admin.Close()
		t.Fatalf("create test database: %v", err)
	}
	dbURL := databaseURL(t, name)
	db, err := storage.Open(ctx, dbURL, Cipher(t))
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() {
		db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.Exec(ctx, "drop database if exists "+name+" with (force)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
		admin.Close()
	})
	return db, dbURL
}

func databaseURL(t testing.TB, name string) string {
	t.Helper()
	u, err := url.Parse(DatabaseURL())
	if err != nil {
		t.Fatalf("parse database URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// templateDatabase returns the name of the migrated template database for
// the current schema, making it the first time.
func templateDatabase(ctx context.Context, admin *storage.DB) (string, error) {
	name := "blankett_tmpl_" + storage.SchemaDigest()[:16]
	if exists, err := templateExists(ctx, admin, name); err != nil || exists {
		return name, err
	}
	building := name + "_" + randomSuffix()
	if _, err := admin.Exec(ctx, "create database "+building); err != nil {
		return "", err
	}
	u, err := url.Parse(DatabaseURL())
	if err != nil {
		return "", err
	}
	u.Path = "/" + building
	db, err := storage.Open(ctx, u.String(), nil)
	if err != nil {
		return "", err
	}
	err = storage.Migrate(ctx, db, slog.New(slog.DiscardHandler))
	db.Close()
	if err != nil {
		return "", fmt.Errorf("migrate: %w", err)
	}
	// Renaming makes the finished template appear at once; a process that
	// lost the race drops its own copy.
	if _, err := admin.Exec(ctx, "alter database "+building+" rename to "+name); err != nil {
		_, _ = admin.Exec(ctx, "drop database if exists "+building+" with (force)")
		if exists, _ := templateExists(ctx, admin, name); exists {
			return name, nil
		}
		return "", fmt.Errorf("rename template: %w", err)
	}
	return name, nil
}

func templateExists(ctx context.Context, admin *storage.DB, name string) (bool, error) {
	var exists bool
	err := admin.QueryRow(ctx, "select exists(select 1 from pg_database where datname = $1)", name).Scan(&exists)
	return exists, err
}

// copyDatabase makes name a copy of tmpl, retrying while another session
// still holds the template.
func copyDatabase(ctx context.Context, admin *storage.DB, tmpl, name string) error {
	var err error
	for attempt := 0; attempt < 50; attempt++ {
		if _, err = admin.Exec(ctx, "create database "+name+" template "+tmpl); err == nil {
			return nil
		}
		if !strings.Contains(err.Error(), "being accessed by other users") {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}

// testDataKey is the data key of tests run without one in the
// environment. It guards nothing: test databases hold made-up people.
const testDataKey = "YmxhbmtldHQgdGVzdCBkYXRhIGtleSwgbm90IHNlY3I="

// Cipher is the data key tests seal personal data with: the environment's
// (BLANKETT_DATA_KEY, or the file BLANKETT_DATA_KEY_FILE names, as child
// processes started by tests see it), else a fixed test key.
func Cipher(t testing.TB) *storage.Cipher {
	t.Helper()
	keys := os.Getenv("BLANKETT_DATA_KEY")
	if path := os.Getenv("BLANKETT_DATA_KEY_FILE"); path != "" {
		b, err := os.ReadFile(path) // #nosec G304 G703 -- a test key file named in the test environment (scripts/services.sh)
		if err != nil {
			t.Fatalf("data key: %v", err)
		}
		keys = string(b)
	}
	if strings.TrimSpace(keys) == "" {
		keys = testDataKey
	}
	c, err := storage.ParseDataKeys(keys)
	if err != nil {
		t.Fatalf("data key: %v", err)
	}
	return c
}

// BlobConfig returns the configured object store with a fresh bucket name.
// Objects are encrypted at rest when BLANKETT_S3_SSE=true (scripts/services.sh
// sets it when it started MinIO with its KMS key).
func BlobConfig() storage.BlobConfig {
	endpoint := os.Getenv("BLANKETT_S3_ENDPOINT")
	if endpoint == "" {
		endpoint = "127.0.0.1:9100"
	}
	access, secret := os.Getenv("BLANKETT_S3_ACCESS_KEY"), os.Getenv("BLANKETT_S3_SECRET_KEY")
	if access == "" {
		access, secret = "blankett", "blankett-dev-secret" // #nosec G101 -- dev credentials of the local test MinIO (scripts/services.sh)
	}
	return storage.BlobConfig{Endpoint: endpoint, AccessKey: access, SecretKey: secret,
		Bucket: "test-" + strings.ToLower(randomSuffix()), SSE: os.Getenv("BLANKETT_S3_SSE") == "true"}
}

// NewBlob creates a fresh bucket for this test and empties and removes it
// when the test ends.
func NewBlob(t testing.TB) (*storage.Blob, storage.BlobConfig) {
	t.Helper()
	cfg := BlobConfig()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	blob, err := storage.OpenBlob(ctx, cfg)
	if err != nil {
		unavailable(t, "MinIO", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		keys, err := blob.List(ctx, "")
		if err != nil {
			t.Logf("list test bucket: %v", err)
			return
		}
		for _, k := range keys {
			_ = blob.Delete(ctx, k)
		}
		if err := blob.RemoveBucket(ctx); err != nil {
			t.Logf("remove test bucket: %v", err)
		}
	})
	return blob, cfg
}
