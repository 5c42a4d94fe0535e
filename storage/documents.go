package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"blankett/form"
)

// Document is one documents row.
type Document struct {
	ID           int64
	SHA256       string
	ObjectKey    string
	Filename     string
	MediaType    string
	SizeBytes    int64
	Source       string
	State        form.State
	StateMessage string
	Kind         form.Kind
	// Edition is the template edition the document was read with (""
	// when unclassified or read before editions were recorded).
	Edition           string
	Fields            form.Fields
	Findings          []form.Finding
	ExtractionVersion int
	Pages             []form.PageImage
	ParentID          int64 // the batch this document was split from, or 0
	PageFrom, PageTo  int   // the pages of the original file it spans (0 for all)
	ReceivedAt        time.Time
	UpdatedAt         time.Time
	// Envelope names the documents that arrived together ("" for one on
	// its own).
	Envelope string
	// WaitingFor is the agreement document a waiting 9463 waits for.
	WaitingFor int64
	// RegistryAsOf and AgreementRejected: see form.Document's AsOf and
	// AgreementRejected.
	RegistryAsOf      time.Time
	AgreementRejected string
}

// Form is what the rules, the registry changes and the letters see of d.
func (d Document) Form() form.Document {
	return form.Document{ID: d.ID, Kind: d.Kind, Received: d.ReceivedAt, Fields: d.Fields,
		AsOf: d.RegistryAsOf, AgreementRejected: d.AgreementRejected}
}

// NewDocument describes a file whose bytes are already in the blob store.
type NewDocument struct {
	SHA256       string
	ObjectKey    string
	Filename     string
	MediaType    string
	SizeBytes    int64
	Source       string
	State        form.State
	StateMessage string
	Actor        string
	Envelope     string
	ReceivedAt   time.Time // zero: now
}

// InsertDocument records a received file. When a document with the same
// SHA-256 exists already, no new document is made: the receipt is recorded
// as a duplicate and the first document's id is returned with
// duplicate=true. Every receipt is audited.
func InsertDocument(ctx context.Context, q Querier, d NewDocument) (id int64, duplicate bool, err error) {
	err = q.QueryRow(ctx, `
		insert into documents (sha256, object_key, filename, media_type, size_bytes, source, state, state_message, envelope, received_at)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10, now()))
		on conflict (sha256) do nothing
		returning id`,
		d.SHA256, d.ObjectKey, d.Filename, d.MediaType, d.SizeBytes, d.Source, d.State, d.StateMessage, d.Envelope, timeOrNull(d.ReceivedAt),
	).Scan(&id)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		duplicate = true
		if err := q.QueryRow(ctx, "select id from documents where sha256 = $1", d.SHA256).Scan(&id); err != nil {
			return 0, false, fmt.Errorf("insert document: find the first copy: %w", err)
		}
	case err != nil:
		return 0, false, fmt.Errorf("insert document: %w", err)
	}
	if _, err := q.Exec(ctx, `insert into receipts (document_id, filename, source, duplicate) values ($1, $2, $3, $4)`,
		id, d.Filename, d.Source, duplicate); err != nil {
		return 0, false, fmt.Errorf("insert document: receipt: %w", err)
	}
	action, after := "document.received", map[string]any{"state": d.State, "media_type": d.MediaType, "size_bytes": d.SizeBytes}
	if duplicate {
		action, after = "document.duplicate_received", map[string]any{"state": form.StateDuplicate, "duplicate_of": id}
	}
	if err := Audit(ctx, q, AuditEvent{Actor: d.Actor, Action: action, DocumentID: id, After: after, Detail: d.StateMessage}); err != nil {
		return 0, false, fmt.Errorf("insert document: %w", err)
	}
	return id, duplicate, nil
}

const documentColumns = `id, sha256, object_key, filename, media_type, size_bytes, source, state, state_message,
	kind, fields, findings, extraction_version, pages, coalesce(parent_id, 0), page_from, page_to, received_at, updated_at,
	envelope, coalesce(waiting_for, 0), registry_as_of, agreement_rejected, edition`

// scanDocument reads a documents row, opening the personnummer sealed in
// its fields with c.
func scanDocument(row pgx.Row, c *Cipher) (Document, error) {
	var d Document
	var fields, findings, pages []byte
	var asOf pgtype.Date
	err := row.Scan(&d.ID, &d.SHA256, &d.ObjectKey, &d.Filename, &d.MediaType, &d.SizeBytes, &d.Source,
		&d.State, &d.StateMessage, &d.Kind, &fields, &findings, &d.ExtractionVersion, &pages, &d.ParentID,
		&d.PageFrom, &d.PageTo, &d.ReceivedAt, &d.UpdatedAt, &d.Envelope, &d.WaitingFor, &asOf, &d.AgreementRejected, &d.Edition)
	if err != nil {
		return Document{}, err
	}
	d.RegistryAsOf = day(asOf)
	if err := json.Unmarshal(fields, &d.Fields); err != nil {
		return Document{}, fmt.Errorf("decode fields: %w", err)
	}
	if err := openFields(c, d.Fields); err != nil {
		return Document{}, err
	}
	if err := json.Unmarshal(findings, &d.Findings); err != nil {
		return Document{}, fmt.Errorf("decode findings: %w", err)
	}
	if err := json.Unmarshal(pages, &d.Pages); err != nil {
		return Document{}, fmt.Errorf("decode pages: %w", err)
	}
	return d, nil
}

// GetDocument reads one document. It returns ErrNotFound when there is none.
func GetDocument(ctx context.Context, q Querier, id int64) (Document, error) {
	c := q.Cipher()
	d, err := scanDocument(q.QueryRow(ctx, "select "+documentColumns+" from documents where id = $1", id), c)
	if errors.Is(err, pgx.ErrNoRows) {
		return Document{}, fmt.Errorf("document %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Document{}, fmt.Errorf("document %d: %w", id, err)
	}
	return d, nil
}

// LockDocument reads one document and locks its row until tx ends.
func LockDocument(ctx context.Context, tx Tx, id int64) (Document, error) {
	d, err := scanDocument(tx.QueryRow(ctx, "select "+documentColumns+" from documents where id = $1 for update", id), tx.Cipher())
	if errors.Is(err, pgx.ErrNoRows) {
		return Document{}, fmt.Errorf("document %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Document{}, fmt.Errorf("lock document %d: %w", id, err)
	}
	return d, nil
}

// Transition is one change of a document's state.
type Transition struct {
	DocumentID int64
	From       []form.State // the states the change is allowed from
	To         form.State
	Message    string // shown to people: Swedish
	Actor      string
	// Optional results recorded with the change.
	Kind     form.Kind
	Fields   form.Fields
	Findings []form.Finding
}

// Advance moves a document from one of t.From to t.To and audits the change.
// It reports false, changing nothing, when the document is not in one of
// t.From (the change was made before: steps are idempotent).
func Advance(ctx context.Context, q Querier, t Transition) (bool, error) {
	from := make([]string, len(t.From))
	for i, s := range t.From {
		from[i] = string(s)
	}
	c := q.Cipher()
	var fields, findings []byte
	var hashes [][]byte
	if t.Fields != nil {
		sealed, h, err := sealFields(c, t.Fields)
		if err != nil {
			return false, fmt.Errorf("advance document %d: %w", t.DocumentID, err)
		}
		if fields, err = json.Marshal(sealed); err != nil {
			return false, fmt.Errorf("advance document %d: %w", t.DocumentID, err)
		}
		hashes = h
	}
	if t.Findings != nil {
		var err error
		if findings, err = json.Marshal(t.Findings); err != nil {
			return false, fmt.Errorf("advance document %d: %w", t.DocumentID, err)
		}
	}
	var before form.State
	err := q.QueryRow(ctx, `
		with old as (select id, state from documents where id = $1 and state = any($2) for update)
		update documents d set
			state = $3, state_message = $4, updated_at = now(),
			kind = coalesce(nullif($5, ''), d.kind),
			fields = coalesce($6::jsonb, d.fields),
			findings = coalesce($7::jsonb, d.findings),
			person_hashes = case when $6::jsonb is null then d.person_hashes else $8::bytea[] end
		from old where d.id = old.id
		returning old.state`,
		t.DocumentID, from, t.To, t.Message, string(t.Kind), fields, findings, hashes,
	).Scan(&before)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("advance document %d to %s: %w", t.DocumentID, t.To, err)
	}
	err = Audit(ctx, q, AuditEvent{
		Actor: t.Actor, Action: "document.state", DocumentID: t.DocumentID,
		Before: map[string]any{"state": before}, After: map[string]any{"state": t.To}, Detail: t.Message,
	})
	return err == nil, err
}

// CountByState returns how many documents are in each state, from the
// counts a trigger keeps with every change (migration 0013): a few rows,
// however many documents there are.
func CountByState(ctx context.Context, q Querier) (map[form.State]int64, error) {
	rows, err := q.Query(ctx, "select state, sum(n)::bigint from document_counts group by state having sum(n) <> 0")
	if err != nil {
		return nil, fmt.Errorf("count documents by state: %w", err)
	}
	defer rows.Close()
	counts := map[form.State]int64{}
	for rows.Next() {
		var s form.State
		var n int64
		if err := rows.Scan(&s, &n); err != nil {
			return nil, fmt.Errorf("count documents by state: %w", err)
		}
		counts[s] = n
	}
	return counts, rows.Err()
}

// queryDocuments reads the documents that the where/order clause selects.
func queryDocuments(ctx context.Context, q Querier, clause string, args ...any) ([]Document, error) {
	c := q.Cipher()
	rows, err := q.Query(ctx, "select "+documentColumns+" from documents "+clause, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var docs []Document
	for rows.Next() {
		d, err := scanDocument(rows, c)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	return docs, rows.Err()
}

// Decision is a reviewer's outcome for a document.
type Decision struct {
	ID         int64
	DocumentID int64
	Outcome    form.State // approved or rejected
	Reason     string
	Actor      string
	DecidedAt  time.Time
	// RequestCompletion marks a rejection that asks the sender to complete
	// the form rather than refusing it.
	RequestCompletion bool
	// Overrides holds, per error finding code, the reviewer's written
	// reason for approving despite it.
	Overrides map[string]string
	// ConfirmedMissing are the fields a reviewer confirmed, on the page
	// image, are missing from the form: a request to complete names only
	// these among the findings of what is missing.
	ConfirmedMissing []string
	// ConfirmedBy is the second reviewer who confirmed the decision, where
	// one was required.
	ConfirmedBy string
}

// InsertDecision records a decision and returns its id.
func InsertDecision(ctx context.Context, q Querier, d Decision) (int64, error) {
	var id int64
	overrides, err := json.Marshal(d.Overrides)
	if err != nil {
		return 0, fmt.Errorf("insert decision for document %d: %w", d.DocumentID, err)
	}
	if d.Overrides == nil {
		overrides = []byte("{}")
	}
	confirmed := d.ConfirmedMissing
	if confirmed == nil {
		confirmed = []string{}
	}
	err = q.QueryRow(ctx, `insert into decisions (document_id, outcome, reason, actor, request_completion, overrides, confirmed_by, confirmed_missing)
		values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
		d.DocumentID, d.Outcome, d.Reason, d.Actor, d.RequestCompletion, overrides, d.ConfirmedBy, confirmed).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert decision for document %d: %w", d.DocumentID, err)
	}
	return id, nil
}

// AuditEvent is one line of the audit log.
type AuditEvent struct {
	Actor      string
	Action     string
	DocumentID int64 // 0 when the event concerns no document
	Before     any
	After      any
	Detail     string
}

// Audit appends an event to the audit log.
func Audit(ctx context.Context, q Querier, e AuditEvent) error {
	var before, after []byte
	var err error
	// A personnummer is never written to the audit log unmasked, whatever
	// field or text it was typed into.
	if e.Before, err = maskAuditValue(e.Before); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	if e.After, err = maskAuditValue(e.After); err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	e.Detail = maskPersonnummerIn(e.Detail)
	if e.Before != nil {
		if before, err = json.Marshal(e.Before); err != nil {
			return fmt.Errorf("audit %s: %w", e.Action, err)
		}
	}
	if e.After != nil {
		if after, err = json.Marshal(e.After); err != nil {
			return fmt.Errorf("audit %s: %w", e.Action, err)
		}
	}
	var doc *int64
	if e.DocumentID != 0 {
		doc = &e.DocumentID
	}
	if e.Actor == "" {
		e.Actor = "system"
	}
	_, err = q.Exec(ctx, `insert into audit_events (actor, action, document_id, before, after, detail) values ($1, $2, $3, $4, $5, $6)`,
		e.Actor, e.Action, doc, before, after, e.Detail)
	if err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// GetDecision reads one decision.
func GetDecision(ctx context.Context, q Querier, id int64) (Decision, error) {
	var d Decision
	var overrides []byte
	err := q.QueryRow(ctx, `select id, document_id, outcome, reason, actor, decided_at, request_completion, overrides, confirmed_by,
		confirmed_missing from decisions where id = $1`, id).
		Scan(&d.ID, &d.DocumentID, &d.Outcome, &d.Reason, &d.Actor, &d.DecidedAt, &d.RequestCompletion, &overrides, &d.ConfirmedBy,
			&d.ConfirmedMissing)
	if errors.Is(err, pgx.ErrNoRows) {
		return Decision{}, fmt.Errorf("decision %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Decision{}, fmt.Errorf("decision %d: %w", id, err)
	}
	if err := json.Unmarshal(overrides, &d.Overrides); err != nil {
		return Decision{}, fmt.Errorf("decision %d: overrides: %w", id, err)
	}
	return d, nil
}

// timeOrNull is t as a query argument, nil for zero.
func timeOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}
