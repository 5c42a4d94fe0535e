package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// LoginFailures are the failed logins of one key (an account name, a
// client address, or both) in the window, not counting the attempt being
// admitted: attempts still in flight count as failures.
type LoginFailures struct {
	Count int
	// Since is how long ago the latest of them was made.
	Since time.Duration
}

// LoginAttempt is an attempt recorded before its password is checked, with
// the failures that came before it. Recording first and counting after
// makes the check atomic across goroutines and processes: the k-th attempt
// to commit sees at least k-1 others, so no more attempts pass a limit than
// it allows, however many arrive at once.
type LoginAttempt struct {
	ID     int64
	Pair   LoginFailures // this account name from this client
	Name   LoginFailures // this account name from any client
	Client LoginFailures // any account name from this client
}

// LoginOutcome is how an attempt ended.
type LoginOutcome int

// Login outcomes.
const (
	LoginRefused   LoginOutcome = iota // not tried (rate limit, busy): forgotten
	LoginFailed                        // wrong name or password: kept as a failure
	LoginSucceeded                     // right password: the pair's failures are cleared
)

// BeginLoginAttempt records an attempt for name from client and counts the
// failures before it in the window.
func BeginLoginAttempt(ctx context.Context, q Querier, name, client string, window time.Duration) (LoginAttempt, error) {
	var a LoginAttempt
	if err := q.QueryRow(ctx, `insert into login_attempts (account_name, ip, success) values ($1, $2, false) returning id`,
		name, client).Scan(&a.ID); err != nil {
		return a, fmt.Errorf("record login attempt: %w", err)
	}
	var pairSince, nameSince, clientSince *float64
	err := q.QueryRow(ctx, `select
			count(*) filter (where account_name = $1 and ip = $2),
			extract(epoch from clock_timestamp() - max(at) filter (where account_name = $1 and ip = $2))::float8,
			count(*) filter (where account_name = $1),
			extract(epoch from clock_timestamp() - max(at) filter (where account_name = $1))::float8,
			count(*) filter (where ip = $2),
			extract(epoch from clock_timestamp() - max(at) filter (where ip = $2))::float8
		from login_attempts
		where (account_name = $1 or ip = $2) and not success and id <> $3
			and at >= clock_timestamp() - make_interval(secs => $4)`,
		name, client, a.ID, window.Seconds()).Scan(&a.Pair.Count, &pairSince, &a.Name.Count, &nameSince, &a.Client.Count, &clientSince)
	if err != nil {
		return a, fmt.Errorf("count failed logins: %w", err)
	}
	for _, s := range []struct {
		secs *float64
		f    *LoginFailures
	}{{pairSince, &a.Pair}, {nameSince, &a.Name}, {clientSince, &a.Client}} {
		if s.secs != nil {
			s.f.Since = time.Duration(max(*s.secs, 0) * float64(time.Second))
		}
	}
	return a, nil
}

// FinishLoginAttempt records how an attempt begun by BeginLoginAttempt
// ended.
func FinishLoginAttempt(ctx context.Context, q Querier, a LoginAttempt, name, client string, outcome LoginOutcome) error {
	var err error
	switch outcome {
	case LoginRefused:
		_, err = q.Exec(ctx, `delete from login_attempts where id = $1`, a.ID)
	case LoginSucceeded:
		_, err = q.Exec(ctx, `with ok as (update login_attempts set success = true where id = $1)
			delete from login_attempts where account_name = $2 and ip = $3 and not success and id <> $1`, a.ID, name, client)
	}
	if err != nil {
		return fmt.Errorf("finish login attempt: %w", err)
	}
	return nil
}

// UnlockLogins forgets the failed logins of an account, from every client,
// so that its back-off ends at once, and audits it.
func UnlockLogins(ctx context.Context, q Querier, accountID int64, actor string) error {
	var name string
	err := q.QueryRow(ctx, `select name from accounts where id = $1`, accountID).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("unlock account %d: %w", accountID, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("unlock account %d: %w", accountID, err)
	}
	tag, err := q.Exec(ctx, `delete from login_attempts where account_name = $1 and not success`, name)
	if err != nil {
		return fmt.Errorf("unlock account %d: %w", accountID, err)
	}
	return Audit(ctx, q, AuditEvent{Actor: actor, Action: "account.unlocked",
		After: map[string]any{"account": name, "failures_forgotten": tag.RowsAffected()}})
}
