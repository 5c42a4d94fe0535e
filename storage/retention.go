package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"blankett/form"
)

// Retention says how long documents are kept before the purge deletes
// their files (original, page images, letters) and clears the personal
// data from their rows. The defaults below are the project's proposal;
// the office must confirm them against Försäkringskassan's records
// decision (gallringsbeslut) before production.
type Retention struct {
	// Order9445 keeps a decided user order from its decision: two years.
	// What the order did lives on in the registry (users); the form is
	// the evidence for questions about the decision, which come within
	// the renewal cycle of the orderer who signed it (two years).
	Order9445 time.Duration
	// Orderers9463 keeps a decided notice of orderers from its decision:
	// two years, the longest an orderer registration lasts; after that
	// the form proves nothing still in force.
	Orderers9463 time.Duration
	// Agreement keeps an approved agreement (and further copies of it)
	// from the day the Part's agreement ended: ten years, the general
	// limitation period for claims (preskriptionslagen). An agreement in
	// force is never purged.
	Agreement time.Duration
	// RejectedAgreement keeps an agreement that was not approved from its
	// decision: two years, as the other decided forms.
	RejectedAgreement time.Duration
	// Unreadable keeps files nobody could read or classify (unreadable,
	// unclassified, duplicate) from receipt: 90 days, long enough for a
	// sender to ask after a form, and nothing more can be done with them.
	Unreadable time.Duration
}

const oneDay = 24 * time.Hour

// DefaultRetention is the proposal documented on Retention.
func DefaultRetention() Retention {
	return Retention{
		Order9445:         2 * 365 * oneDay,
		Orderers9463:      2 * 365 * oneDay,
		Agreement:         10 * 365 * oneDay,
		RejectedAgreement: 2 * 365 * oneDay,
		Unreadable:        90 * oneDay,
	}
}

// ParseRetention reads a retention period: "90d", "2y" (365 days a year)
// or a Go duration ("36h", for tests).
func ParseRetention(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	for suffix, unit := range map[string]time.Duration{"d": oneDay, "y": 365 * oneDay} {
		if n, ok := strings.CutSuffix(s, suffix); ok {
			v, err := strconv.Atoi(n)
			if err != nil || v < 0 {
				return 0, fmt.Errorf("retention %q: want a whole number of days (90d) or years (2y)", s)
			}
			return time.Duration(v) * unit, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("retention %q: want 90d, 2y or a duration", s)
	}
	return d, nil
}

// PurgeCandidates returns the documents past retention on now, parts of
// batches before the batch file they were split from.
func PurgeCandidates(ctx context.Context, q Querier, r Retention, now time.Time) ([]int64, error) {
	rows, err := q.Query(ctx, `
		select d.id from documents d
		left join lateral (select outcome, decided_at from decisions where document_id = d.id
			order by id desc limit 1) last on true
		where d.purged_at is null and (
			(d.state in ('unreadable', 'unclassified', 'duplicate') and d.received_at < $1)
			or (d.state in ('done', 'rejected') and (
				(d.kind = '9445' and coalesce(last.decided_at, d.updated_at) < $2)
				or (d.kind = '9463' and coalesce(last.decided_at, d.updated_at) < $3)
				or (d.kind = 'agreement' and last.outcome = 'rejected' and last.decided_at < $4)
				or (d.kind = 'agreement' and last.outcome = 'approved'
					and exists (select 1 from agreements a where a.source_document = d.id
						or a.org_number = d.org_number)
					and not exists (select 1 from agreements a where (a.source_document = d.id
						or a.org_number = d.org_number)
						and (a.terminated_on is null or a.terminated_on >= $5)))))
			or (d.state = 'split' and d.received_at < $1 and not exists (
				select 1 from documents p where p.parent_id = d.id and p.purged_at is null)))
		order by d.state = 'split', d.id`,
		now.Add(-r.Unreadable), now.Add(-r.Order9445), now.Add(-r.Orderers9463), now.Add(-r.RejectedAgreement),
		date(now.Add(-r.Agreement)))
	if err != nil {
		return nil, fmt.Errorf("purge candidates: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("purge candidates: %w", err)
	}
	return ids, nil
}

// ObjectDeleter deletes objects from the bucket (a *Blob); deleting a
// missing object is not an error.
type ObjectDeleter interface {
	Delete(ctx context.Context, key string) error
	List(ctx context.Context, prefix string) ([]string, error)
}

// PurgeResult is what one purge did.
type PurgeResult struct {
	DocumentID int64
	Kind       form.Kind
	State      form.State
	Objects    int // objects deleted
}

// PurgeDocument deletes a document's files (its original unless another
// live document shares it, every page image of every extraction, its
// letters) and clears the personal data from its rows, in one
// transaction that commits only once the objects are gone: a failure
// leaves it to the next run, which repeats what was done. The row stays,
// marked purged_at, so decisions and the audit trail keep their document;
// the purge itself is audited ("document.purged"), without personal data.
func PurgeDocument(ctx context.Context, db *DB, blob ObjectDeleter, id int64, actor, reason string) (PurgeResult, error) {
	res := PurgeResult{DocumentID: id}
	err := db.InTx(ctx, func(tx Tx) error {
		var sha, key string
		err := tx.QueryRow(ctx, `select kind, state, sha256, object_key from documents
			where id = $1 and purged_at is null for update`, id).Scan(&res.Kind, &res.State, &sha, &key)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("document %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		keys := map[string]bool{}
		var shared bool
		if err := tx.QueryRow(ctx, `select exists(select 1 from documents where object_key = $1 and id <> $2
			and purged_at is null)`, key, id).Scan(&shared); err != nil {
			return err
		}
		if !shared && key != "" {
			keys[key] = true
		}
		rows, err := tx.Query(ctx, `
			select p->>'key' from documents, jsonb_array_elements(pages) p where id = $1
			union select p->>'key' from extractions, jsonb_array_elements(pages) p where document_id = $1
			union select object_key from letters where document_id = $1`, id)
		if err != nil {
			return err
		}
		more, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		// Page images of versions no row names any more.
		listed, err := blob.List(ctx, pagesOf(sha))
		if err != nil {
			return err
		}
		for _, k := range append(more, listed...) {
			if k != "" {
				keys[k] = true
			}
		}
		if _, err := tx.Exec(ctx, `delete from extractions where document_id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `delete from corrections where document_id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `delete from letters where document_id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `update receipts set filename = '' where document_id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `update decisions set reason = '', overrides = '{}' where document_id = $1`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `update decision_proposals set reason = '', overrides = '{}' where document_id = $1`, id); err != nil {
			return err
		}
		// Corrected values (names, phone numbers) leave the audit trail;
		// who corrected which field when stays.
		if _, err := tx.Exec(ctx, `update audit_events set before = before - 'value', after = after - 'value'
			where document_id = $1 and action = 'document.corrected'`, id); err != nil {
			return err
		}
		// The sha256 is released so that the same file, sent again, is
		// received as new.
		if _, err := tx.Exec(ctx, `update documents set fields = '{}', findings = '[]', pages = '[]', person_hashes = '{}',
			filename = '', state_message = '', sha256 = 'purged:' || id, purged_at = now(), updated_at = now()
			where id = $1`, id); err != nil {
			return err
		}
		for k := range keys {
			if err := blob.Delete(ctx, k); err != nil {
				return err
			}
		}
		res.Objects = len(keys)
		return Audit(ctx, tx, AuditEvent{Actor: actor, Action: "document.purged", DocumentID: id,
			Before: map[string]any{"kind": res.Kind, "state": res.State},
			After:  map[string]any{"objects_deleted": res.Objects}, Detail: reason})
	})
	if err != nil {
		return res, fmt.Errorf("purge document %d: %w", id, err)
	}
	return res, nil
}

// Purge purges every document past retention on now and returns what it
// did. It stops at the first failure; what was purged stays purged.
func Purge(ctx context.Context, db *DB, blob ObjectDeleter, r Retention, now time.Time, actor string) ([]PurgeResult, error) {
	ids, err := PurgeCandidates(ctx, db, r, now)
	if err != nil {
		return nil, err
	}
	var out []PurgeResult
	for _, id := range ids {
		res, err := PurgeDocument(ctx, db, blob, id, actor, "retention")
		if errors.Is(err, ErrNotFound) {
			continue // purged meanwhile by another run
		}
		if err != nil {
			return out, err
		}
		out = append(out, res)
	}
	return out, nil
}
