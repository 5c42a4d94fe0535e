package storage

import "context"

// FillRoles runs migration 0014's Go step (fillRoles) again, for its test.
func FillRoles(ctx context.Context, db *DB) error {
	return db.InTx(ctx, func(tx Tx) error { return fillRoles(ctx, tx.Tx) })
}
