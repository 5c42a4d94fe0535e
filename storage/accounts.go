package storage

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"golang.org/x/crypto/argon2"
)

// Role is what an account may do in the review web app.
type Role string

// Account roles.
const (
	RoleAdmin    Role = "admin"    // accounts, registry, operations; may also review
	RoleReviewer Role = "reviewer" // reviews and decides
	RoleMailroom Role = "mailroom" // uploads and sees statuses
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return r == RoleAdmin || r == RoleReviewer || r == RoleMailroom
}

// Title is the role's Swedish name.
func (r Role) Title() string {
	switch r {
	case RoleAdmin:
		return "Administratör"
	case RoleReviewer:
		return "Handläggare"
	case RoleMailroom:
		return "Postöppning"
	}
	return string(r)
}

// Account is a person who logs in to the review web app.
type Account struct {
	ID        int64
	Name      string
	Role      Role
	Disabled  bool
	CreatedAt time.Time
}

// ErrBadCredentials is returned when a name and password do not match an
// enabled account. It does not say which part was wrong.
var ErrBadCredentials = errors.New("wrong account name or password")

// ErrAccountExists is returned when an account name is taken.
var ErrAccountExists = errors.New("account exists")

// ErrWeakPassword is returned for a password shorter than MinPasswordLength.
var ErrWeakPassword = errors.New("password too short")

// MinPasswordLength is the shortest password accepted, in characters.
const MinPasswordLength = 12

// argon2id parameters (RFC 9106's second recommended option, with less
// memory: 64 MiB, 3 passes).
const (
	argonTime    = 3
	argonMemory  = 64 << 10
	argonThreads = 2
	argonKeyLen  = 32
)

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches a hash made by
// HashPassword.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var memory, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	// HashPassword makes argonKeyLen bytes; refuse anything absurd.
	keyLen := len(want)
	if err != nil || keyLen == 0 || keyLen > 1024 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, passes, memory, threads, uint32(keyLen))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when an account does not exist, so that a
// login takes as long whether or not the name is known.
var dummyHash, _ = HashPassword("no such account: constant time")

// CreateAccount adds an account with a new password and audits it.
func CreateAccount(ctx context.Context, q Querier, name string, role Role, password, actor string) (Account, error) {
	if !role.Valid() {
		return Account{}, fmt.Errorf("create account %s: unknown role %q", name, role)
	}
	if len([]rune(password)) < MinPasswordLength {
		return Account{}, fmt.Errorf("create account %s: %w", name, ErrWeakPassword)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return Account{}, fmt.Errorf("create account %s: %w", name, err)
	}
	a := Account{Name: name, Role: role}
	err = q.QueryRow(ctx, `insert into accounts (name, role, password_hash) values ($1, $2, $3) returning id, created_at`,
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

// Authenticate checks a name and password. It returns ErrBadCredentials
// for an unknown or disabled account or a wrong password.
func Authenticate(ctx context.Context, q Querier, name, password string) (Account, error) {
	var a Account
	var hash string
	err := q.QueryRow(ctx, `select id, name, role, disabled, created_at, password_hash from accounts where name = $1`, name).
		Scan(&a.ID, &a.Name, &a.Role, &a.Disabled, &a.CreatedAt, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		CheckPassword(dummyHash, password)
		return Account{}, ErrBadCredentials
	}
	if err != nil {
		return Account{}, fmt.Errorf("authenticate: %w", err)
	}
	if !CheckPassword(hash, password) || a.Disabled {
		return Account{}, ErrBadCredentials
	}
	return a, nil
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
func LookupSession(ctx context.Context, q Querier, token string, p SessionPolicy) (Session, error) {
	var s Session
	err := q.QueryRow(ctx, `
		update sessions s set last_seen_at = now()
		from accounts a
		where s.token_hash = $1 and a.id = s.account_id and not a.disabled
		  and s.expires_at > now() and s.last_seen_at > now() - make_interval(secs => $2)
		returning a.id, a.name, a.role, a.disabled, a.created_at, s.created_at, s.expires_at`,
		tokenHash(token), p.Idle.Seconds()).
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
