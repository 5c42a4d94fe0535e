package pipeline

// Accounts: who may log in to the review web app, and how well their
// passwords are kept. The policy lives here; storage keeps the hashes.

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"blankett/form"
	"blankett/storage"
)

// ErrBadCredentials is returned when a name and password do not match an
// enabled account. It does not say which part was wrong.
var ErrBadCredentials = errors.New("wrong account name or password")

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
func CreateAccount(ctx context.Context, q storage.Querier, name string, role form.AccountRole, password, actor string) (storage.Account, error) {
	if !role.Valid() {
		return storage.Account{}, fmt.Errorf("create account %s: unknown role %q", name, role)
	}
	if len([]rune(password)) < MinPasswordLength {
		return storage.Account{}, fmt.Errorf("create account %s: %w", name, ErrWeakPassword)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return storage.Account{}, fmt.Errorf("create account %s: %w", name, err)
	}
	return storage.InsertAccount(ctx, q, name, role, hash, actor)
}

// Authenticate checks a name and password. It returns ErrBadCredentials
// for an unknown or disabled account or a wrong password, taking as long
// whether or not the name is known.
func Authenticate(ctx context.Context, q storage.Querier, name, password string) (storage.Account, error) {
	a, hash, err := storage.AccountCredentials(ctx, q, name)
	if errors.Is(err, storage.ErrNotFound) {
		CheckPassword(dummyHash, password)
		return storage.Account{}, ErrBadCredentials
	}
	if err != nil {
		return storage.Account{}, fmt.Errorf("authenticate: %w", err)
	}
	if !CheckPassword(hash, password) || a.Disabled {
		return storage.Account{}, ErrBadCredentials
	}
	return a, nil
}

// SetPassword gives the named account a new password (the policy as for a
// new account) and ends its sessions, audited.
func SetPassword(ctx context.Context, q storage.Querier, name, password, actor string) error {
	if len([]rune(password)) < MinPasswordLength {
		return fmt.Errorf("set password of %s: %w", name, ErrWeakPassword)
	}
	hash, err := HashPassword(password)
	if err != nil {
		return fmt.Errorf("set password of %s: %w", name, err)
	}
	return storage.SetPasswordHash(ctx, q, name, hash, actor)
}

// CreateAccount adds an account on the pipeline's database (the
// function CreateAccount), for the web app's administrators.
func (p *Pipeline) CreateAccount(ctx context.Context, name string, role form.AccountRole, password, actor string) (storage.Account, error) {
	return CreateAccount(ctx, p.db, name, role, password, actor)
}

// Authenticate checks a name and password on the pipeline's database
// (the function Authenticate), for the web app's login.
func (p *Pipeline) Authenticate(ctx context.Context, name, password string) (storage.Account, error) {
	return Authenticate(ctx, p.db, name, password)
}
