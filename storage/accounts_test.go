package storage_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
	"blankett/storage/storagetest"
)

func TestPasswordHash(t *testing.T) {
	t.Parallel()
	h, err := pipeline.HashPassword("rätt lösenord här")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$") {
		t.Fatalf("hash %q is not argon2id PHC", h)
	}
	if !pipeline.CheckPassword(h, "rätt lösenord här") {
		t.Fatal("right password refused")
	}
	for _, wrong := range []string{"", "rätt lösenord hä", "RÄTT LÖSENORD HÄR"} {
		if pipeline.CheckPassword(h, wrong) {
			t.Fatalf("wrong password %q accepted", wrong)
		}
	}
	if pipeline.CheckPassword("$2a$10$notargon", "x") || pipeline.CheckPassword("", "") {
		t.Fatal("garbage hash accepted")
	}
	h2, _ := pipeline.HashPassword("rätt lösenord här")
	if h == h2 {
		t.Fatal("same salt twice")
	}
}

func TestAccountsAndSessions(t *testing.T) {
	t.Parallel()
	pool, _ := storagetest.NewDatabase(t)
	ctx := context.Background()
	policy := storage.SessionPolicy{Idle: time.Hour, Absolute: 2 * time.Hour}

	if _, err := pipeline.CreateAccount(ctx, pool, "kort", form.AccountReviewer, "kort", "test"); !errors.Is(err, pipeline.ErrWeakPassword) {
		t.Fatalf("short password: %v", err)
	}
	acc, err := pipeline.CreateAccount(ctx, pool, "rita", form.AccountReviewer, "ett långt lösenord", "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.CreateAccount(ctx, pool, "rita", form.AccountAdmin, "ett långt lösenord", "test"); !errors.Is(err, storage.ErrAccountExists) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := pipeline.Authenticate(ctx, pool, "rita", "fel"); !errors.Is(err, pipeline.ErrBadCredentials) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := pipeline.Authenticate(ctx, pool, "ingen", "ett långt lösenord"); !errors.Is(err, pipeline.ErrBadCredentials) {
		t.Fatalf("unknown account: %v", err)
	}
	got, err := pipeline.Authenticate(ctx, pool, "rita", "ett långt lösenord")
	if err != nil || got.ID != acc.ID || got.Role != form.AccountReviewer {
		t.Fatalf("authenticate: %+v %v", got, err)
	}

	token, err := storage.CreateSession(ctx, pool, acc.ID, "", policy)
	if err != nil {
		t.Fatal(err)
	}
	var stored int
	if err := pool.QueryRow(ctx, `select count(*) from sessions where token_hash = sha256($1::bytea)`, []byte(token)).Scan(&stored); err != nil || stored != 1 {
		t.Fatalf("session not stored by its SHA-256: %d %v", stored, err)
	}
	if err := pool.QueryRow(ctx, `select count(*) from sessions where encode(token_hash, 'escape') like '%' || $1 || '%'`, token).Scan(&stored); err != nil || stored != 0 {
		t.Fatalf("token stored in the clear: %d %v", stored, err)
	}
	s, err := storage.LookupSession(ctx, pool, token, policy)
	if err != nil || s.Account.Name != "rita" {
		t.Fatalf("lookup: %+v %v", s, err)
	}

	renewed, err := storage.CreateSession(ctx, pool, acc.ID, token, policy)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := storage.LookupSession(ctx, pool, token, policy); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("old session after renewal: %v", err)
	}
	if _, err := storage.LookupSession(ctx, pool, renewed, policy); err != nil {
		t.Fatalf("renewed session: %v", err)
	}

	// Idle and absolute expiry.
	if _, err := pool.Exec(ctx, `update sessions set last_seen_at = now() - interval '2 hours'`); err != nil {
		t.Fatal(err)
	}
	if _, err := storage.LookupSession(ctx, pool, renewed, policy); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("idle session: %v", err)
	}
	fresh, _ := storage.CreateSession(ctx, pool, acc.ID, "", policy)
	if _, err := pool.Exec(ctx, `update sessions set expires_at = now() - interval '1 second'`); err != nil {
		t.Fatal(err)
	}
	if _, err := storage.LookupSession(ctx, pool, fresh, policy); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("expired session: %v", err)
	}

	// Disabling an account ends its sessions and its logins.
	live, _ := storage.CreateSession(ctx, pool, acc.ID, "", policy)
	if err := storage.SetAccountDisabled(ctx, pool, acc.ID, true, "adam"); err != nil {
		t.Fatal(err)
	}
	if _, err := storage.LookupSession(ctx, pool, live, policy); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("session of a disabled account: %v", err)
	}
	if _, err := pipeline.Authenticate(ctx, pool, "rita", "ett långt lösenord"); !errors.Is(err, pipeline.ErrBadCredentials) {
		t.Fatalf("disabled account logged in: %v", err)
	}
}
