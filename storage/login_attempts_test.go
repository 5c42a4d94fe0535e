package storage_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
	"blankett/storage/storagetest"
)

// TestLoginAttemptsAtomic: attempts begun at once see each other, so no
// more than the limit see fewer failures than the limit; refused attempts
// are forgotten, failures kept, a success clears its pair's failures, and
// an unlock forgets the account's failures from every client.
func TestLoginAttemptsAtomic(t *testing.T) {
	t.Parallel()
	pool, _ := storagetest.NewDatabase(t)
	ctx := context.Background()
	const n, limit = 40, 5
	attempts := make([]storage.LoginAttempt, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := storage.BeginLoginAttempt(ctx, pool, "olle", "192.0.2.1", 15*time.Minute)
			if err != nil {
				t.Error(err)
			}
			attempts[i] = a
		}()
	}
	wg.Wait()
	under := 0
	for _, a := range attempts {
		if a.Pair.Count < limit {
			under++
		}
		if a.Pair.Count != a.Name.Count || a.Pair.Count != a.Client.Count {
			t.Errorf("one name from one client, yet counts differ: %+v", a)
		}
	}
	if under > limit {
		t.Fatalf("%d of %d parallel attempts saw fewer than %d failures before them", under, n, limit)
	}
	for i, a := range attempts {
		outcome := storage.LoginRefused
		if i < 3 {
			outcome = storage.LoginFailed
		}
		if err := storage.FinishLoginAttempt(ctx, pool, a, "olle", "192.0.2.1", outcome); err != nil {
			t.Fatal(err)
		}
	}
	next, err := storage.BeginLoginAttempt(ctx, pool, "olle", "192.0.2.2", 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if next.Name.Count != 3 || next.Pair.Count != 0 || next.Client.Count != 0 || next.Name.Since > time.Minute {
		t.Fatalf("after 3 failures and 37 refusals: %+v", next)
	}
	if err := storage.FinishLoginAttempt(ctx, pool, next, "olle", "192.0.2.2", storage.LoginSucceeded); err != nil {
		t.Fatal(err)
	}
	acc, err := pipeline.CreateAccount(ctx, pool, "olle", form.AccountReviewer, "ett långt lösenord", "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := storage.UnlockLogins(ctx, pool, acc.ID, "adam"); err != nil {
		t.Fatal(err)
	}
	after, err := storage.BeginLoginAttempt(ctx, pool, "olle", "192.0.2.1", 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if after.Name.Count != 0 {
		t.Fatalf("after unlock: %+v", after)
	}
	if err := storage.UnlockLogins(ctx, pool, 999999, "adam"); err == nil {
		t.Fatal("unlocked an account that does not exist")
	}
}
