package storage

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Querier is a database handle: the pool (DB) or one of its transactions
// (Tx), each with the cipher that seals personal data. Only this package's
// handles satisfy it, so no caller can pass a bare connection that lacks
// the cipher.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	// Cipher is the data key's cipher; nil when the handle was made
	// without one (then sealing fails with ErrNoCipher).
	Cipher() *Cipher
	// inTx runs fn in a transaction: a new one on a DB, a nested one
	// (a savepoint) in a Tx.
	inTx(ctx context.Context, fn func(tx Tx) error) error
}

// DB is the PostgreSQL pool together with the cipher for personal data.
type DB struct {
	pool   *pgxpool.Pool
	cipher *Cipher
}

// NewDB wraps pool; cipher may be nil for a process that never touches
// personal data (reads and writes of it then fail with ErrNoCipher).
func NewDB(pool *pgxpool.Pool, cipher *Cipher) *DB { return &DB{pool: pool, cipher: cipher} }

// Pool is the underlying pool, for River and migrations.
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Cipher implements Querier.
func (db *DB) Cipher() *Cipher { return db.cipher }

func (db *DB) inTx(ctx context.Context, fn func(tx Tx) error) error { return db.InTx(ctx, fn) }

// Exec implements Querier.
func (db *DB) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return db.pool.Exec(ctx, sql, args...)
}

// Query implements Querier.
func (db *DB) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return db.pool.Query(ctx, sql, args...)
}

// QueryRow implements Querier.
func (db *DB) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return db.pool.QueryRow(ctx, sql, args...)
}

// Ping checks the connection.
func (db *DB) Ping(ctx context.Context) error { return db.pool.Ping(ctx) }

// Close closes the pool.
func (db *DB) Close() { db.pool.Close() }

// Tx is a transaction with the cipher. It is a pgx.Tx too, so River can
// insert and complete jobs in it.
type Tx struct {
	pgx.Tx
	cipher *Cipher
}

// Cipher implements Querier.
func (tx Tx) Cipher() *Cipher { return tx.cipher }

func (tx Tx) inTx(ctx context.Context, fn func(tx Tx) error) error {
	return pgx.BeginFunc(ctx, tx.Tx, func(sub pgx.Tx) error { return fn(Tx{Tx: sub, cipher: tx.cipher}) })
}

// InTx runs fn in one transaction: committed when fn returns nil, rolled
// back otherwise.
func (db *DB) InTx(ctx context.Context, fn func(tx Tx) error) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error { return fn(Tx{Tx: tx, cipher: db.cipher}) })
}

// Begin starts a transaction the caller commits or rolls back (tests roll
// one back to leave nothing behind).
func (db *DB) Begin(ctx context.Context) (Tx, error) {
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return Tx{}, fmt.Errorf("begin: %w", err)
	}
	return Tx{Tx: tx, cipher: db.cipher}, nil
}
