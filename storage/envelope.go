package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"blankett/form"
)

// UnreadSiblings counts the other documents of d's envelope that are not
// read yet (received: their kind is still unknown).
func UnreadSiblings(ctx context.Context, q Querier, d Document) (int, error) {
	if d.Envelope == "" {
		return 0, nil
	}
	var n int
	err := q.QueryRow(ctx, `select count(*) from documents where envelope = $1 and id <> $2 and state = $3`,
		d.Envelope, d.ID, form.StateReceived).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("unread documents of envelope of document %d: %w", d.ID, err)
	}
	return n, nil
}

// PendingAgreement returns the agreement document of org number orgnr
// that is read but not yet decided — from d's envelope first, else the
// latest — or 0 when there is none.
func PendingAgreement(ctx context.Context, q Querier, d Document, orgnr string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `select id from documents
		where kind = $1 and id <> $2 and purged_at is null and state = any($3)
		  and org_number = $5
		order by (envelope <> '' and envelope = $4) desc, id desc limit 1`,
		form.KindAgreement, d.ID, []string{string(form.StateExtracted), string(form.StateNeedsReview)}, d.Envelope, orgnr).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("pending agreement of %s: %w", orgnr, err)
	}
	return id, nil
}

// Wait records that 9463 document id waits for agreement document
// agreementID (in the transaction that moves it to waiting).
func Wait(ctx context.Context, tx Tx, id, agreementID int64) error {
	if _, err := tx.Exec(ctx, `update documents set waiting_for = $2 where id = $1`, id, agreementID); err != nil {
		return fmt.Errorf("document %d waits for %d: %w", id, agreementID, err)
	}
	return nil
}

// Waiting lists the documents waiting for agreement document agreementID.
func Waiting(ctx context.Context, tx Tx, agreementID int64) ([]int64, error) {
	rows, err := tx.Query(ctx, `select id from documents where waiting_for = $1 and state = $2 order by id`,
		agreementID, form.StateWaiting)
	if err != nil {
		return nil, fmt.Errorf("documents waiting for %d: %w", agreementID, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("documents waiting for %d: %w", agreementID, err)
	}
	return ids, nil
}

// Release records how a waiting document is to be checked again: as of
// the day its agreement came into force (asOf), or knowing why the
// agreement was not approved (rejected). The caller moves it on.
func Release(ctx context.Context, tx Tx, id int64, asOf time.Time, rejected string) error {
	if _, err := tx.Exec(ctx, `update documents set waiting_for = null, registry_as_of = $2, agreement_rejected = $3 where id = $1`,
		id, date(asOf), rejected); err != nil {
		return fmt.Errorf("release document %d: %w", id, err)
	}
	return nil
}

// OrdererFormPending reports whether a 9463 of org number orgnr is
// received and not yet decided (waiting, read, or in review).
func OrdererFormPending(ctx context.Context, q Querier, orgnr string) (bool, error) {
	var pending bool
	err := q.QueryRow(ctx, `select exists(select 1 from documents where kind = $1 and purged_at is null
		and state = any($2) and org_number = $3)`, form.Kind9463,
		[]string{string(form.StateWaiting), string(form.StateExtracted), string(form.StateNeedsReview)}, orgnr).Scan(&pending)
	if err != nil {
		return false, fmt.Errorf("9463 pending for %s: %w", orgnr, err)
	}
	return pending, nil
}
