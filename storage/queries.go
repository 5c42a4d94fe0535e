package storage

import (
	"context"
	"time"

	"blankett/form"
)

// The reads the review pages make, as methods of the DB, so that review
// can declare the read-only interface it needs and hold nothing that
// writes. Each runs outside any transaction on the pool.

// Document returns a stored document with its fields opened.
func (db *DB) Document(ctx context.Context, id int64) (Document, error) {
	return GetDocument(ctx, db, id)
}

// NextInQueue is the document after id in the review queue (0: none).
func (db *DB) NextInQueue(ctx context.Context, id int64) (int64, error) {
	return NextInQueue(ctx, db, id)
}

// DocumentPages are a document's page images.
func (db *DB) DocumentPages(ctx context.Context, id int64) ([]Page, error) {
	return DocumentPages(ctx, db, id)
}

// Corrections are a document's corrections, oldest first.
func (db *DB) Corrections(ctx context.Context, id int64) ([]Correction, error) {
	return Corrections(ctx, db, id)
}

// OpenProposal is the document's proposal awaiting confirmation.
func (db *DB) OpenProposal(ctx context.Context, documentID int64) (Proposal, error) {
	return OpenProposal(ctx, db, documentID)
}

// DocumentDecisions are a document's decisions, oldest first.
func (db *DB) DocumentDecisions(ctx context.Context, id int64) ([]Decision, error) {
	return DocumentDecisions(ctx, db, id)
}

// LettersForDocument are the letters made for a document.
func (db *DB) LettersForDocument(ctx context.Context, documentID int64) ([]LetterRow, error) {
	return LettersForDocument(ctx, db, documentID)
}

// Letter is one letter's row.
func (db *DB) Letter(ctx context.Context, id int64) (LetterRow, error) { return GetLetter(ctx, db, id) }

// UnprintedLetters are the letters not yet printed, oldest first.
func (db *DB) UnprintedLetters(ctx context.Context) ([]LetterRow, error) {
	return UnprintedLetters(ctx, db)
}

// UploadsBy are the latest uploads of one account.
func (db *DB) UploadsBy(ctx context.Context, actor string, limit int) ([]Upload, error) {
	return UploadsBy(ctx, db, actor, limit)
}

// Queue lists documents by the filter.
func (db *DB) Queue(ctx context.Context, f QueueFilter) ([]QueueItem, error) {
	return Queue(ctx, db, f)
}

// CountByState counts documents per state.
func (db *DB) CountByState(ctx context.Context) (map[form.State]int64, error) {
	return CountByState(ctx, db)
}

// Organisations lists the registry's organisations as of today.
func (db *DB) Organisations(ctx context.Context, today time.Time) ([]OrganisationSummary, error) {
	return Organisations(ctx, db, today)
}

// Organisation is one organisation's registry history.
func (db *DB) Organisation(ctx context.Context, orgnr string) (OrganisationHistory, error) {
	return Organisation(ctx, db, orgnr)
}

// AuditLog lists audit events by the filter.
func (db *DB) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	return AuditLog(ctx, db, f)
}

// ListAccounts lists every account.
func (db *DB) ListAccounts(ctx context.Context) ([]Account, error) { return ListAccounts(ctx, db) }

// Parts lists the documents split from a batch, in page order.
func (db *DB) Parts(ctx context.Context, batchID int64) ([]Document, error) {
	return Parts(ctx, db, batchID)
}

// Overview is the office lead's overview as of now.
func (db *DB) Overview(ctx context.Context, now time.Time, days int, loc *time.Location) (OfficeOverview, error) {
	return Overview(ctx, db, now, days, loc)
}
