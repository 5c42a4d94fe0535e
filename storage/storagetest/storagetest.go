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

	"github.com/jackc/pgx/v5/pgxpool"

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

// NewDatabase creates an empty database for this test, migrated with
// storage.Migrate, and drops it when the test ends. It returns a pool and
// the database's URL (for child processes).
func NewDatabase(t testing.TB) (*pgxpool.Pool, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin, err := storage.Open(ctx, DatabaseURL())
	if err != nil {
		unavailable(t, "PostgreSQL", err)
	}
	name := "blankett_test_" + randomSuffix()
	if _, err := admin.Exec(ctx, "create database "+name); err != nil {
		admin.Close()
		t.Fatalf("create test database: %v", err)
	}
	u, err := url.Parse(DatabaseURL())
	if err != nil {
		t.Fatalf("parse database URL: %v", err)
	}
	u.Path = "/" + name
	dbURL := u.String()
	pool, err := storage.Open(ctx, dbURL, storage.WithCipher(Cipher(t)))
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() {
		pool.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.Exec(ctx, "drop database if exists "+name+" with (force)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
		admin.Close()
	})
	if err := storage.Migrate(ctx, pool, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return pool, dbURL
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
