package pipeline_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
)

// TestSetPassword: a new password works, the old one no longer does, the
// account's sessions end, and the policy holds as for a new account.
func TestSetPassword(t *testing.T) {
	t.Parallel()
	_, db := reviewSetup(t)
	ctx := context.Background()
	acc, err := pipeline.CreateAccount(ctx, db, "rita", form.AccountReviewer, "det gamla lösenordet", "test")
	if err != nil {
		t.Fatal(err)
	}
	policy := storage.SessionPolicy{Idle: time.Hour, Absolute: time.Hour}
	token, err := storage.CreateSession(ctx, db, acc.ID, "", policy)
	if err != nil {
		t.Fatal(err)
	}
	if err := pipeline.SetPassword(ctx, db, "rita", "kort", "admin"); !errors.Is(err, pipeline.ErrWeakPassword) {
		t.Fatalf("a short password: %v, want ErrWeakPassword", err)
	}
	if err := pipeline.SetPassword(ctx, db, "ingen", "ett nytt långt lösenord", "admin"); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("no such account: %v, want ErrNotFound", err)
	}
	if err := pipeline.SetPassword(ctx, db, "rita", "ett nytt långt lösenord", "admin"); err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.Authenticate(ctx, db, "rita", "det gamla lösenordet"); !errors.Is(err, pipeline.ErrBadCredentials) {
		t.Fatalf("the old password: %v", err)
	}
	if _, err := pipeline.Authenticate(ctx, db, "rita", "ett nytt långt lösenord"); err != nil {
		t.Fatalf("the new password: %v", err)
	}
	if _, err := storage.LookupSession(ctx, db, token, policy); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("a session from before the new password: %v", err)
	}
}
