package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// LetterRow is one letters row: a letter made after a decision, its PDF in
// the blob store under ObjectKey.
type LetterRow struct {
	ID            int64
	DecisionID    int64  // 0 for a letter after a termination
	DocumentID    int64  // 0 for a letter after a termination
	TerminationID int64  // 0 for a letter after a decision
	Kind          string // letter.Letter.Kind
	RecipientKey  string // unique within the decision
	RecipientName string
	ObjectKey     string
	SHA256        string
	SizeBytes     int64
	CreatedAt     time.Time
	PrintedAt     time.Time // zero: not printed yet
	PrintBatch    string    // the print batch's key, "" until printed
}

// InsertLetter records a letter. A letter for the same decision and
// recipient exists already when inserted is false: nothing is written and
// the existing letter's id is returned, so a rerun of the letters step
// makes no second letter. A new letter is audited.
func InsertLetter(ctx context.Context, q Querier, l LetterRow) (id int64, inserted bool, err error) {
	err = q.QueryRow(ctx, `
		insert into letters (decision_id, document_id, kind, recipient_key, recipient_name, object_key, sha256, size_bytes)
		values ($1, $2, $3, $4, $5, $6, $7, $8)
		on conflict (decision_id, recipient_key) do nothing
		returning id`,
		l.DecisionID, l.DocumentID, l.Kind, l.RecipientKey, l.RecipientName, l.ObjectKey, l.SHA256, l.SizeBytes,
	).Scan(&id)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		if err := q.QueryRow(ctx, "select id from letters where decision_id = $1 and recipient_key = $2",
			l.DecisionID, l.RecipientKey).Scan(&id); err != nil {
			return 0, false, fmt.Errorf("insert letter for decision %d (%s): find the existing letter: %w", l.DecisionID, l.RecipientKey, err)
		}
		return id, false, nil
	case err != nil:
		return 0, false, fmt.Errorf("insert letter for decision %d (%s): %w", l.DecisionID, l.RecipientKey, err)
	}
	if err := Audit(ctx, q, AuditEvent{Actor: "pipeline", Action: "letter.created", DocumentID: l.DocumentID,
		After: map[string]any{"letter_id": id, "decision_id": l.DecisionID, "kind": l.Kind, "recipient_key": l.RecipientKey}}); err != nil {
		return 0, false, fmt.Errorf("insert letter for decision %d: %w", l.DecisionID, err)
	}
	return id, true, nil
}

const letterColumns = `id, coalesce(decision_id, 0), coalesce(document_id, 0), coalesce(termination_id, 0), kind,
	recipient_key, recipient_name, object_key, sha256, size_bytes, created_at, printed_at, coalesce(print_batch, '')`

func scanLetters(rows pgx.Rows) ([]LetterRow, error) {
	defer rows.Close()
	var out []LetterRow
	for rows.Next() {
		var l LetterRow
		var printed *time.Time
		if err := rows.Scan(&l.ID, &l.DecisionID, &l.DocumentID, &l.TerminationID, &l.Kind, &l.RecipientKey, &l.RecipientName,
			&l.ObjectKey, &l.SHA256, &l.SizeBytes, &l.CreatedAt, &printed, &l.PrintBatch); err != nil {
			return nil, err
		}
		if printed != nil {
			l.PrintedAt = *printed
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// LettersForDocument lists a document's letters, oldest first.
func LettersForDocument(ctx context.Context, q Querier, documentID int64) ([]LetterRow, error) {
	rows, err := q.Query(ctx, "select "+letterColumns+" from letters where document_id = $1 order by id", documentID)
	if err != nil {
		return nil, fmt.Errorf("letters of document %d: %w", documentID, err)
	}
	ls, err := scanLetters(rows)
	if err != nil {
		return nil, fmt.Errorf("letters of document %d: %w", documentID, err)
	}
	return ls, nil
}

// GetLetter reads one letter. It returns ErrNotFound when there is none.
func GetLetter(ctx context.Context, q Querier, id int64) (LetterRow, error) {
	rows, err := q.Query(ctx, "select "+letterColumns+" from letters where id = $1", id)
	if err != nil {
		return LetterRow{}, fmt.Errorf("letter %d: %w", id, err)
	}
	ls, err := scanLetters(rows)
	if err != nil {
		return LetterRow{}, fmt.Errorf("letter %d: %w", id, err)
	}
	if len(ls) == 0 {
		return LetterRow{}, fmt.Errorf("letter %d: %w", id, ErrNotFound)
	}
	return ls[0], nil
}

// UnprintedLetters lists the letters not yet in a print batch, oldest
// first: the next batch, in print order.
func UnprintedLetters(ctx context.Context, q Querier) ([]LetterRow, error) {
	rows, err := q.Query(ctx, "select "+letterColumns+" from letters where printed_at is null order by id")
	if err != nil {
		return nil, fmt.Errorf("unprinted letters: %w", err)
	}
	ls, err := scanLetters(rows)
	if err != nil {
		return nil, fmt.Errorf("unprinted letters: %w", err)
	}
	return ls, nil
}

// MarkPrinted records that the letters ids went out in print batch
// batchKey at time at. Letters already printed keep their first batch;
// marked counts the letters this call marked. Each marked letter is
// audited against its document.
func MarkPrinted(ctx context.Context, q Querier, ids []int64, batchKey string, at time.Time) (marked int64, err error) {
	if batchKey == "" {
		return 0, errors.New("mark letters printed: empty batch key")
	}
	if len(ids) == 0 {
		return 0, nil
	}
	rows, err := q.Query(ctx, `
		update letters set printed_at = $3, print_batch = $2
		where id = any($1) and printed_at is null
		returning id, document_id`, ids, batchKey, at)
	if err != nil {
		return 0, fmt.Errorf("mark letters printed in batch %s: %w", batchKey, err)
	}
	type hit struct{ id, doc int64 }
	var hits []hit
	for rows.Next() {
		var h hit
		if err := rows.Scan(&h.id, &h.doc); err != nil {
			rows.Close()
			return 0, fmt.Errorf("mark letters printed in batch %s: %w", batchKey, err)
		}
		hits = append(hits, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("mark letters printed in batch %s: %w", batchKey, err)
	}
	for _, h := range hits {
		if err := Audit(ctx, q, AuditEvent{Action: "letter.printed", DocumentID: h.doc,
			After: map[string]any{"letter_id": h.id, "print_batch": batchKey}}); err != nil {
			return 0, fmt.Errorf("mark letters printed in batch %s: %w", batchKey, err)
		}
	}
	return int64(len(hits)), nil
}

// HeldLetter is a letter that was not made for want of a postal address.
type HeldLetter struct {
	ID           int64
	DecisionID   int64
	DocumentID   int64
	Kind         string
	RecipientKey string
	Reason       string
	CreatedAt    time.Time
}

// HoldLetter records, once per decision and recipient, a letter that
// could not be made, and audits it.
func HoldLetter(ctx context.Context, tx Tx, h HeldLetter) error {
	tag, err := tx.Exec(ctx, `insert into held_letters (decision_id, document_id, kind, recipient_key, reason)
		values ($1, $2, $3, $4, $5) on conflict (decision_id, recipient_key) do nothing`,
		h.DecisionID, h.DocumentID, h.Kind, h.RecipientKey, h.Reason)
	if err != nil {
		return fmt.Errorf("hold letter for decision %d (%s): %w", h.DecisionID, h.RecipientKey, err)
	}
	if tag.RowsAffected() == 0 {
		return nil
	}
	return Audit(ctx, tx, AuditEvent{Actor: "pipeline", Action: "letter.held", DocumentID: h.DocumentID,
		After: map[string]any{"decision_id": h.DecisionID, "kind": h.Kind, "recipient_key": h.RecipientKey}, Detail: h.Reason})
}

// HeldLetters lists the letters held for want of an address, oldest first.
func HeldLetters(ctx context.Context, q Querier) ([]HeldLetter, error) {
	rows, err := q.Query(ctx, `select id, decision_id, document_id, kind, recipient_key, reason, created_at
		from held_letters order by id`)
	if err != nil {
		return nil, fmt.Errorf("held letters: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (HeldLetter, error) {
		var h HeldLetter
		err := row.Scan(&h.ID, &h.DecisionID, &h.DocumentID, &h.Kind, &h.RecipientKey, &h.Reason, &h.CreatedAt)
		return h, err
	})
	if err != nil {
		return nil, fmt.Errorf("held letters: %w", err)
	}
	return out, nil
}

// InsertTerminationLetter records a letter after a termination, once per
// termination and recipient, and audits it.
func InsertTerminationLetter(ctx context.Context, tx Tx, l LetterRow) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `
		insert into letters (termination_id, kind, recipient_key, recipient_name, object_key, sha256, size_bytes)
		values ($1, $2, $3, $4, $5, $6, $7)
		on conflict (termination_id, recipient_key) where termination_id is not null do nothing
		returning id`,
		l.TerminationID, l.Kind, l.RecipientKey, l.RecipientName, l.ObjectKey, l.SHA256, l.SizeBytes).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("insert letter for termination %d: %w", l.TerminationID, err)
	}
	return id, Audit(ctx, tx, AuditEvent{Actor: "pipeline", Action: "letter.created",
		After: map[string]any{"letter_id": id, "termination_id": l.TerminationID, "kind": l.Kind, "recipient_key": l.RecipientKey}})
}

// TerminationLetters lists the letters made after a termination.
func TerminationLetters(ctx context.Context, q Querier, terminationID int64) ([]LetterRow, error) {
	rows, err := q.Query(ctx, "select "+letterColumns+" from letters where termination_id = $1 order by id", terminationID)
	if err != nil {
		return nil, fmt.Errorf("letters of termination %d: %w", terminationID, err)
	}
	out, err := scanLetters(rows)
	if err != nil {
		return nil, fmt.Errorf("letters of termination %d: %w", terminationID, err)
	}
	return out, nil
}
