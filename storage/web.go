package storage

import (
	"context"
	"time"
)

// The writes the web app makes itself, as methods of the DB, so that
// review can declare the few it needs and hold nothing else that writes:
// sessions, login attempts, an account disabled or unlocked, and the
// audit events of views, downloads, searches and exports.

// LookupSession is LookupSession on the pool.
func (db *DB) LookupSession(ctx context.Context, token string, p SessionPolicy) (Session, error) {
	return LookupSession(ctx, db, token, p)
}

// CreateSession is CreateSession on the pool.
func (db *DB) CreateSession(ctx context.Context, accountID int64, previous string, p SessionPolicy) (string, error) {
	return CreateSession(ctx, db, accountID, previous, p)
}

// DeleteSession is DeleteSession on the pool.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	return DeleteSession(ctx, db, token)
}

// BeginLoginAttempt is BeginLoginAttempt on the pool.
func (db *DB) BeginLoginAttempt(ctx context.Context, name, client string, window time.Duration) (LoginAttempt, error) {
	return BeginLoginAttempt(ctx, db, name, client, window)
}

// FinishLoginAttempt is FinishLoginAttempt on the pool.
func (db *DB) FinishLoginAttempt(ctx context.Context, a LoginAttempt, name, client string, outcome LoginOutcome) error {
	return FinishLoginAttempt(ctx, db, a, name, client, outcome)
}

// UnlockLogins is UnlockLogins on the pool.
func (db *DB) UnlockLogins(ctx context.Context, accountID int64, actor string) error {
	return UnlockLogins(ctx, db, accountID, actor)
}

// SetAccountDisabled is SetAccountDisabled on the pool.
func (db *DB) SetAccountDisabled(ctx context.Context, id int64, disabled bool, actor string) error {
	return SetAccountDisabled(ctx, db, id, disabled, actor)
}

// Audit appends an event to the audit log.
func (db *DB) Audit(ctx context.Context, e AuditEvent) error { return Audit(ctx, db, e) }

// AuditPersonLookup is AuditPersonLookup on the pool.
func (db *DB) AuditPersonLookup(ctx context.Context, actor, pnr string) error {
	return AuditPersonLookup(ctx, db, actor, pnr)
}

// Search is Search on the pool (a search for a person is audited).
func (db *DB) Search(ctx context.Context, s SearchQuery) ([]QueueItem, error) {
	return Search(ctx, db, s)
}

// ExportPerson is ExportPerson on the pool (audited).
func (db *DB) ExportPerson(ctx context.Context, pnr, actor string) (PersonExport, error) {
	return ExportPerson(ctx, db, pnr, actor)
}
