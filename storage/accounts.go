package storage

import (
	"blankett/form"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Account is a person who logs in to the review web app.
type Account struct {
	ID        int64
	Name      string
	Role      form.AccountRole
	Disabled  bool
	CreatedAt time.Time
}

// ErrAccountExists is returned when an account name is taken.
var ErrAccountExists = errors.New("account exists")

// InsertAccount adds an account with its password hash and audits it.
func InsertAccount(ctx context.Context, q Querier, name string, role form.AccountRole, hash, actor string) (Account, error) {
	a := Account{Name: name, Role: role}
	err := q.QueryRow(ctx, `insert into accounts (name, role, password_hash) values ($1, $2, $3) returning id, created_at`,
		name, role, hash).Scan(&a.ID, &a.CreatedAt)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return Account{}, fmt.Errorf("create account %s: %w", name, ErrAccountExists)
	}
	if err != nil {
		return Account{}, fmt.Errorf("create account %s: %w", name, err)
	}
	if err := Audit(ctx, q, AuditEvent{Actor: actor, Action: "account.created", After: map[string]any{"account": name, "role": role}}); err != nil {
		return Account{}, fmt.Errorf("create account %s: %w", name, err)
	}
	return a, nil
}

// SetAccountDisabled enables or disables an account; disabling ends its
// sessions.
func SetAccountDisabled(ctx context.Context, q Querier, id int64, disabled bool, actor string) error {
	var name string
	err := q.QueryRow(ctx, `update accounts set disabled = $2, updated_at = now() where id = $1 returning name`, id, disabled).Scan(&name)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("account %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("disable account %d: %w", id, err)
	}
	if disabled {
		if _, err := q.Exec(ctx, `delete from sessions where account_id = $1`, id); err != nil {
			return fmt.Errorf("disable account %d: end sessions: %w", id, err)
		}
	}
	return Audit(ctx, q, AuditEvent{Actor: actor, Action: "account.disabled",
		Before: map[string]any{"account": name, "disabled": !disabled}, After: map[string]any{"account": name, "disabled": disabled}})
}

// ListAccounts returns every account by name.
func ListAccounts(ctx context.Context, q Querier) ([]Account, error) {
	rows, err := q.Query(ctx, `select id, name, role, disabled, created_at from accounts order by name`)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	accounts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Account, error) {
		var a Account
		err := row.Scan(&a.ID, &a.Name, &a.Role, &a.Disabled, &a.CreatedAt)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	return accounts, nil
}

// AccountCredentials returns the named account and its password hash, or
// ErrNotFound.
func AccountCredentials(ctx context.Context, q Querier, name string) (Account, string, error) {
	var a Account
	var hash string
	err := q.QueryRow(ctx, `select id, name, role, disabled, created_at, password_hash from accounts where name = $1`, name).
		Scan(&a.ID, &a.Name, &a.Role, &a.Disabled, &a.CreatedAt, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return Account{}, "", fmt.Errorf("account: %w", ErrNotFound)
	}
	if err != nil {
		return Account{}, "", fmt.Errorf("account: %w", err)
	}
	return a, hash, nil
}

// SessionPolicy says how long sessions last.
type SessionPolicy struct {
	Idle     time.Duration // ends after this long without a request
	Absolute time.Duration // ends this long after login, whatever happens
}

// Session is a logged-in account.
type Session struct {
	Account   Account
	CreatedAt time.Time
	ExpiresAt time.Time
}

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// CreateSession starts a session for the account and returns its token
// (32 random bytes, base64url). Only the token's SHA-256 is stored. When
// previous is a token, that session is ended first (the session id is
// renewed at login).
func CreateSession(ctx context.Context, q Querier, accountID int64, previous string, p SessionPolicy) (string, error) {
	if previous != "" {
		if err := DeleteSession(ctx, q, previous); err != nil {
			return "", err
		}
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	if _, err := q.Exec(ctx, `insert into sessions (token_hash, account_id, expires_at) values ($1, $2, now() + make_interval(secs => $3))`,
		tokenHash(token), accountID, p.Absolute.Seconds()); err != nil {
		return "", fmt.Errorf("create session: %w", err)
	}
	if _, err := q.Exec(ctx, `delete from sessions where expires_at < now()`); err != nil {
		return "", fmt.Errorf("create session: clean up expired: %w", err)
	}
	return token, nil
}

// LookupSession returns the session of a token, and notes the request so
// the idle expiry starts again. It returns ErrNotFound when the token is
// unknown, expired or idle too long, or its account is disabled.
//
// The request is noted only when the last one noted is older than a
// sixtieth of p.Idle (at most a minute): most page views then only read,
// and wait for no write to reach the disk. A session so ends at most that
// much before p.Idle after its last request.
func LookupSession(ctx context.Context, q Querier, token string, p SessionPolicy) (Session, error) {
	var s Session
	touch := min(p.Idle/60, time.Minute)
	err := q.QueryRow(ctx, `
		with found as (
			select s.token_hash, s.last_seen_at, a.id, a.name, a.role, a.disabled, a.created_at, s.created_at as since, s.expires_at
			from sessions s join accounts a on a.id = s.account_id
			where s.token_hash = $1 and not a.disabled
			  and s.expires_at > now() and s.last_seen_at > now() - make_interval(secs => $2)),
		touched as (
			update sessions s set last_seen_at = now() from found f
			where s.token_hash = f.token_hash and f.last_seen_at < now() - make_interval(secs => $3))
		select id, name, role, disabled, created_at, since, expires_at from found`,
		tokenHash(token), p.Idle.Seconds(), touch.Seconds()).
		Scan(&s.Account.ID, &s.Account.Name, &s.Account.Role, &s.Account.Disabled, &s.Account.CreatedAt, &s.CreatedAt, &s.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return Session{}, fmt.Errorf("session: %w", ErrNotFound)
	}
	if err != nil {
		return Session{}, fmt.Errorf("session: %w", err)
	}
	return s, nil
}

// DeleteSession ends a session (logout). An unknown token is no error.
func DeleteSession(ctx context.Context, q Querier, token string) error {
	if _, err := q.Exec(ctx, `delete from sessions where token_hash = $1`, tokenHash(token)); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// SetPasswordHash replaces the named account's password hash, ends its
// sessions and audits it; ErrNotFound when there is no such account.
func SetPasswordHash(ctx context.Context, q Querier, name, hash, actor string) error {
	var id int64
	err := q.QueryRow(ctx, `update accounts set password_hash = $2, updated_at = now() where name = $1 returning id`, name, hash).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("account %s: %w", name, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("set password of %s: %w", name, err)
	}
	if _, err := q.Exec(ctx, `delete from sessions where account_id = $1`, id); err != nil {
		return fmt.Errorf("set password of %s: end sessions: %w", name, err)
	}
	return Audit(ctx, q, AuditEvent{Actor: actor, Action: "account.password_set", After: map[string]any{"account": name}})
}
