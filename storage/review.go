package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"blankett/form"
)

// The review web app's reads and writes: the queue, page images,
// corrections, proposals awaiting a second reviewer, the registry's
// history and the audit log.

// QueueFilter selects documents for the queue.
type QueueFilter struct {
	State   form.State // required
	Kind    form.Kind  // "" for all
	Finding string     // a finding code, "" for all
	// After is the keyset cursor: the last row of the previous page.
	AfterReceived time.Time
	AfterID       int64
	Limit         int
}

// QueueItem is one row of the queue. It holds no unmasked personnummer:
// only the fields a list shows.
type QueueItem struct {
	ID         int64
	Kind       form.Kind
	State      form.State
	Filename   string
	ReceivedAt time.Time
	OrgName    string
	OrgNumber  string
	Person     string // the user's, first orderer's or signatory's name
	PersonPnr  string // that person's personnummer: mask before showing
	Errors     int
	Warnings   int
	WaitingFor int64 // the agreement document a waiting 9463 waits for
}

// queueColumns are a QueueItem's columns of documents (scanQueueItem).
// The organisation and the person are the columns migration 0014 keeps
// from the values' roles, whatever the document's edition names them.
const queueColumns = `id, kind, state, filename, received_at, org_name, org_number, person_name, person_personnummer,
	(select count(*) from jsonb_array_elements(findings) e where e->>'severity' = 'error'),
	(select count(*) from jsonb_array_elements(findings) e where e->>'severity' = 'warning'),
	coalesce(waiting_for, 0)`

// scanQueueItem reads a row of queueColumns, opening what c sealed: the
// personnummer, and a name or organisation holding one.
func scanQueueItem(row pgx.Row, c *Cipher) (QueueItem, error) {
	var it QueueItem
	err := row.Scan(&it.ID, &it.Kind, &it.State, &it.Filename, &it.ReceivedAt, &it.OrgName, &it.OrgNumber,
		&it.Person, &it.PersonPnr, &it.Errors, &it.Warnings, &it.WaitingFor)
	if err != nil {
		return it, err
	}
	if it.PersonPnr, err = c.openString(it.PersonPnr); err != nil {
		return it, fmt.Errorf("document %d: personnummer: %w", it.ID, err)
	}
	if it.Person, err = c.openString(it.Person); err != nil {
		return it, fmt.Errorf("document %d: name: %w", it.ID, err)
	}
	if it.OrgName, err = c.openString(it.OrgName); err != nil {
		return it, fmt.Errorf("document %d: organisation: %w", it.ID, err)
	}
	return it, nil
}

// Queue returns documents in f.State, oldest first, after the cursor. It
// uses the index documents_state_received (or documents_kind_state_received
// with a kind) and reads at most f.Limit rows.
func Queue(ctx context.Context, q Querier, f QueueFilter) ([]QueueItem, error) {
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	args := []any{f.State, f.Limit}
	where := "state = $1"
	if !f.AfterReceived.IsZero() {
		args = append(args, f.AfterReceived, f.AfterID)
		where += fmt.Sprintf(" and (received_at, id) > ($%d, $%d)", len(args)-1, len(args))
	}
	if f.Kind != "" {
		args = append(args, f.Kind)
		where += fmt.Sprintf(" and kind = $%d", len(args))
	}
	if f.Finding != "" {
		b, err := json.Marshal([]map[string]string{{"code": f.Finding}})
		if err != nil {
			return nil, fmt.Errorf("queue: %w", err)
		}
		args = append(args, string(b))
		where += fmt.Sprintf(" and findings @> $%d::jsonb", len(args))
	}
	c := q.Cipher()
	rows, err := q.Query(ctx, `
		select `+queueColumns+`
		from documents
		where `+where+`
		order by received_at, id
		limit $2`, args...)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (QueueItem, error) { return scanQueueItem(row, c) })
	if err != nil {
		return nil, fmt.Errorf("queue: %w", err)
	}
	return items, nil
}

// NextInQueue returns the id of the document after id in its state's
// queue order, or 0 when it is the last.
func NextInQueue(ctx context.Context, q Querier, id int64) (int64, error) {
	var next int64
	err := q.QueryRow(ctx, `
		select n.id from documents d, lateral (
			select id from documents n
			where n.state = $2 and (n.received_at, n.id) > (d.received_at, d.id)
			order by n.received_at, n.id limit 1) n
		where d.id = $1`, id, form.StateNeedsReview).Scan(&next)
	if errors.Is(err, pgx.ErrNoRows) {
		err = q.QueryRow(ctx, `select id from documents where state = $1 and id <> $2 order by received_at, id limit 1`,
			form.StateNeedsReview, id).Scan(&next)
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("next in queue after %d: %w", id, err)
	}
	return next, nil
}

// Page is one normalised page image of a document (documents.pages).
type Page struct {
	Page         int    `json:"page"`
	TemplatePage int    `json:"template_page"`
	Key          string `json:"key"`
	Width        int    `json:"width"`
	Height       int    `json:"height"`
	DPI          int    `json:"dpi"`
}

// DocumentPages returns a document's page images.
func DocumentPages(ctx context.Context, q Querier, id int64) ([]Page, error) {
	var raw []byte
	err := q.QueryRow(ctx, `select pages from documents where id = $1`, id).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("pages of document %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("pages of document %d: %w", id, err)
	}
	var pages []Page
	if err := json.Unmarshal(raw, &pages); err != nil {
		return nil, fmt.Errorf("pages of document %d: %w", id, err)
	}
	return pages, nil
}

// ErrNotInReview is returned when a document is changed that is not
// awaiting review.
var ErrNotInReview = errors.New("document is not awaiting review")

// Checker re-runs the rules on a document's fields.
type Checker interface {
	Validate(ctx context.Context, doc form.Document) ([]form.Finding, error)
}

// Correction is one reviewer's change of a field's value.
type Correction struct {
	ID          int64
	DocumentID  int64
	Field       string
	Value       string
	Actor       string
	CorrectedAt time.Time
}

// SaveCorrection records a reviewer's value v for one field of doc (locked
// in tx by LockDocument): a corrections row, the document's fields with v,
// and its findings as the caller re-checked them, audited with before and
// after. A personnummer is sealed in the corrections row too, and only
// masked in the audit log. A value given without a role keeps the role the
// field's value had.
func SaveCorrection(ctx context.Context, tx Tx, doc Document, v form.Value, findings []form.Finding, actor string) error {
	id := doc.ID
	old := doc.Fields[v.Name]
	if v.Role == "" && old.Role != "" {
		v.Role, v.Row = old.Role, old.Row // a corrected value means what it meant
	}
	if doc.Fields == nil {
		doc.Fields = form.Fields{}
	}
	fieldsNow := make(form.Fields, len(doc.Fields)+1)
	for k, x := range doc.Fields {
		fieldsNow[k] = x
	}
	fieldsNow[v.Name] = v
	c := tx.Cipher()
	sealed, hashes, err := sealFields(c, fieldsNow)
	if err != nil {
		return fmt.Errorf("correct document %d: %w", id, err)
	}
	fields, err := json.Marshal(sealed)
	if err != nil {
		return fmt.Errorf("correct document %d: %w", id, err)
	}
	stored, oldShown, newShown := v.Value, old.Value, v.Value
	if holdsPersonalNumber(v) || holdsPersonalNumber(old) {
		if c == nil {
			return fmt.Errorf("correct document %d: %w", id, ErrNoCipher)
		}
		stored = c.sealString(v.Value)
		if isPersonnummerField(v) {
			oldShown, newShown = maskPnr(old.Value), maskPnr(v.Value)
		}
	}
	if findings == nil {
		findings = []form.Finding{}
	}
	fjson, err := json.Marshal(findings)
	if err != nil {
		return fmt.Errorf("correct document %d: %w", id, err)
	}
	if _, err := tx.Exec(ctx, `insert into corrections (document_id, field, value, actor) values ($1, $2, $3, $4)`,
		id, v.Name, stored, actor); err != nil {
		return fmt.Errorf("correct document %d: %w", id, err)
	}
	if _, err := tx.Exec(ctx, `update documents set fields = $2, findings = $3, person_hashes = $4, updated_at = now() where id = $1`,
		id, fields, fjson, hashes); err != nil {
		return fmt.Errorf("correct document %d: %w", id, err)
	}
	return Audit(ctx, tx, AuditEvent{
		Actor: actor, Action: "document.corrected", DocumentID: id,
		Before: map[string]any{"field": v.Name, "value": oldShown, "confidence": old.Confidence, "findings": findingCodes(doc.Findings)},
		After:  map[string]any{"field": v.Name, "value": newShown, "findings": findingCodes(findings)},
	})
}

func findingCodes(fs []form.Finding) []string {
	codes := make([]string, 0, len(fs))
	for _, f := range fs {
		codes = append(codes, f.Code)
	}
	return codes
}

// Corrections returns a document's corrections, oldest first.
func Corrections(ctx context.Context, q Querier, id int64) ([]Correction, error) {
	ci := q.Cipher()
	rows, err := q.Query(ctx, `select id, document_id, field, value, actor, corrected_at from corrections
		where document_id = $1 order by id`, id)
	if err != nil {
		return nil, fmt.Errorf("corrections of document %d: %w", id, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Correction, error) {
		var c Correction
		if err := row.Scan(&c.ID, &c.DocumentID, &c.Field, &c.Value, &c.Actor, &c.CorrectedAt); err != nil {
			return c, err
		}
		var err error
		c.Value, err = ci.openString(c.Value)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("corrections of document %d: %w", id, err)
	}
	return out, nil
}

// Proposal is a decision proposed by one reviewer that a second must
// confirm before it takes effect.
type Proposal struct {
	ID                int64
	DocumentID        int64
	Outcome           form.State
	Reason            string
	RequestCompletion bool
	Overrides         map[string]string
	ProposedBy        string
	ProposedAt        time.Time
	ConfirmedBy       string
	DecisionID        int64
}

// ErrProposalOpen is returned when a document already has an open proposal.
var ErrProposalOpen = errors.New("document already has a proposal awaiting confirmation")

// InsertProposal records a proposal and audits it.
func InsertProposal(ctx context.Context, q Querier, p Proposal) (int64, error) {
	overrides, err := json.Marshal(p.Overrides)
	if err != nil || p.Overrides == nil {
		overrides = []byte("{}")
	}
	var id int64
	err = q.QueryRow(ctx, `insert into decision_proposals (document_id, outcome, reason, request_completion, overrides, proposed_by)
		values ($1, $2, $3, $4, $5, $6) returning id`,
		p.DocumentID, p.Outcome, p.Reason, p.RequestCompletion, overrides, p.ProposedBy).Scan(&id)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return 0, fmt.Errorf("propose decision on document %d: %w", p.DocumentID, ErrProposalOpen)
	}
	if err != nil {
		return 0, fmt.Errorf("propose decision on document %d: %w", p.DocumentID, err)
	}
	err = Audit(ctx, q, AuditEvent{Actor: p.ProposedBy, Action: "decision.proposed", DocumentID: p.DocumentID,
		After: map[string]any{"proposal": id, "outcome": p.Outcome, "reason": p.Reason, "overrides": p.Overrides}})
	return id, err
}

const proposalColumns = `id, document_id, outcome, reason, request_completion, overrides, proposed_by, proposed_at,
	coalesce(confirmed_by, ''), coalesce(decision_id, 0)`

func scanProposal(row pgx.Row) (Proposal, error) {
	var p Proposal
	var overrides []byte
	if err := row.Scan(&p.ID, &p.DocumentID, &p.Outcome, &p.Reason, &p.RequestCompletion, &overrides, &p.ProposedBy,
		&p.ProposedAt, &p.ConfirmedBy, &p.DecisionID); err != nil {
		return Proposal{}, err
	}
	if err := json.Unmarshal(overrides, &p.Overrides); err != nil {
		return Proposal{}, fmt.Errorf("overrides: %w", err)
	}
	return p, nil
}

// OpenProposal returns the document's proposal awaiting confirmation, or
// ErrNotFound.
func OpenProposal(ctx context.Context, q Querier, documentID int64) (Proposal, error) {
	p, err := scanProposal(q.QueryRow(ctx, `select `+proposalColumns+` from decision_proposals
		where document_id = $1 and confirmed_at is null and withdrawn_at is null`, documentID))
	if errors.Is(err, pgx.ErrNoRows) {
		return Proposal{}, fmt.Errorf("open proposal on document %d: %w", documentID, ErrNotFound)
	}
	if err != nil {
		return Proposal{}, fmt.Errorf("open proposal on document %d: %w", documentID, err)
	}
	return p, nil
}

// LockProposal reads an open proposal and locks it until tx ends.
func LockProposal(ctx context.Context, tx Tx, id int64) (Proposal, error) {
	p, err := scanProposal(tx.QueryRow(ctx, `select `+proposalColumns+` from decision_proposals
		where id = $1 and confirmed_at is null and withdrawn_at is null for update`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return Proposal{}, fmt.Errorf("proposal %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Proposal{}, fmt.Errorf("proposal %d: %w", id, err)
	}
	return p, nil
}

// ConfirmProposal marks a proposal confirmed by actor with the decision
// it led to, and audits it.
func ConfirmProposal(ctx context.Context, q Querier, p Proposal, actor string, decisionID int64) error {
	tag, err := q.Exec(ctx, `update decision_proposals set confirmed_by = $2, confirmed_at = now(), decision_id = $3
		where id = $1 and confirmed_at is null and withdrawn_at is null`, p.ID, actor, decisionID)
	if err != nil {
		return fmt.Errorf("confirm proposal %d: %w", p.ID, err)
	}
	if tag.RowsAffected() != 1 {
		return fmt.Errorf("confirm proposal %d: %w", p.ID, ErrNotFound)
	}
	return Audit(ctx, q, AuditEvent{Actor: actor, Action: "decision.confirmed", DocumentID: p.DocumentID,
		Before: map[string]any{"proposal": p.ID, "proposed_by": p.ProposedBy},
		After:  map[string]any{"proposal": p.ID, "decision": decisionID, "outcome": p.Outcome}})
}

// WithdrawProposal ends an open proposal without a decision (the proposer
// takes it back, or a second reviewer disagrees).
func WithdrawProposal(ctx context.Context, q Querier, id int64, actor, reason string) error {
	var doc int64
	err := q.QueryRow(ctx, `update decision_proposals set withdrawn_by = $2, withdrawn_at = now()
		where id = $1 and confirmed_at is null and withdrawn_at is null returning document_id`, id, actor).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("withdraw proposal %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("withdraw proposal %d: %w", id, err)
	}
	return Audit(ctx, q, AuditEvent{Actor: actor, Action: "decision.withdrawn", DocumentID: doc,
		Before: map[string]any{"proposal": id}, Detail: reason})
}

// DocumentDecisions returns a document's decisions, oldest first.
func DocumentDecisions(ctx context.Context, q Querier, id int64) ([]Decision, error) {
	rows, err := q.Query(ctx, `select id from decisions where document_id = $1 order by id`, id)
	if err != nil {
		return nil, fmt.Errorf("decisions of document %d: %w", id, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("decisions of document %d: %w", id, err)
	}
	var out []Decision
	for _, did := range ids {
		d, err := GetDecision(ctx, q, did)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// AuditEntry is one audit_events row as read back.
type AuditEntry struct {
	ID         int64
	At         time.Time
	Actor      string
	Action     string
	DocumentID int64
	Before     string // JSON, "" for none
	After      string
	Detail     string
	// Kind and Edition are those of the event's document ("" without
	// one): its fields are named as that edition names them.
	Kind    form.Kind
	Edition string
}

// AuditFilter selects audit events, newest first.
type AuditFilter struct {
	Actor      string
	DocumentID int64
	// Personnummer keeps the events about one person: those on documents
	// that hold the number, and the searches and exports naming them
	// (looked up by the number's keyed hashes; never stored or shown).
	Personnummer string
	// BeforeAt and BeforeID are the keyset cursor: the last event of the
	// previous page (BeforeAt zero: by id alone).
	BeforeAt time.Time
	BeforeID int64
	// From and To, when set, keep events at or after From and before To.
	From, To time.Time
	Limit    int
}

// AuditLog returns audit events, newest first by time (then id). Every
// filter reads an index in that order and stops after one page
// (migration 0013).
func AuditLog(ctx context.Context, q Querier, f AuditFilter) ([]AuditEntry, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	args := []any{f.Limit}
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	where := "true"
	if f.Actor != "" {
		where += " and actor = " + arg(f.Actor)
	}
	if f.DocumentID != 0 {
		where += " and document_id = " + arg(f.DocumentID)
	}
	switch {
	case !f.BeforeAt.IsZero():
		where += fmt.Sprintf(" and (at, id) < (%s, %s)", arg(f.BeforeAt), arg(f.BeforeID))
	case f.BeforeID != 0:
		where += " and id < " + arg(f.BeforeID)
	}
	if !f.From.IsZero() {
		where += " and at >= " + arg(f.From)
	}
	if !f.To.IsZero() {
		where += " and at < " + arg(f.To)
	}
	const columns = `id, at, actor, action, coalesce(document_id, 0) as document_id, coalesce(before::text, '') as before,
		coalesce(after::text, '') as after, detail`
	sql := `select ` + columns + ` from audit_events where ` + where + ` order by at desc, id desc limit $1`
	if f.Personnummer != "" {
		hashes, label, err := personKeys(q, f.Personnummer)
		if err != nil {
			return nil, fmt.Errorf("audit log: %w", err)
		}
		// The person's documents' events and the events naming them, each
		// read newest first from its own index, then merged.
		h, l := arg(hashes), arg(label)
		sql = `select ` + columns + ` from (
			(select * from audit_events where ` + where + ` and document_id in (select id from documents where person_hashes && ` + h + `::bytea[])
				order by at desc, id desc limit $1)
			union all
			(select * from audit_events where ` + where + ` and document_id is null and detail like 'person %' and detail = ` + l + `
				order by at desc, id desc limit $1)) e
		order by at desc, id desc limit $1`
	}
	// The page's events with their documents' kind and edition, one
	// primary-key read each.
	sql = `select e.*, coalesce(d.kind, ''), coalesce(d.edition, '')
		from (` + sql + `) e left join documents d on d.id = e.document_id
		order by e.at desc, e.id desc`
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (AuditEntry, error) {
		var e AuditEntry
		err := row.Scan(&e.ID, &e.At, &e.Actor, &e.Action, &e.DocumentID, &e.Before, &e.After, &e.Detail, &e.Kind, &e.Edition)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return out, nil
}

// personKeys are a personnummer's lookup hashes (one per data key) and
// the label the audit log names the person by.
func personKeys(q Querier, pnr string) ([][]byte, string, error) {
	norm, err := form.NormalisePersonnummer(pnr, time.Now())
	if err != nil {
		norm = pnr // twelve digits that fail the check are still looked for as written
	}
	norm, ok := canonicalPersonnummer(norm)
	if !ok {
		return nil, "", ErrInvalidPersonnummer
	}
	c := q.Cipher()
	if c == nil {
		return nil, "", ErrNoCipher
	}
	return c.Hashes(norm), personLabel(c, norm), nil
}

// personLabelPrefix begins the label the audit log names a person by: a
// short prefix of the keyed hash, a code for lookups and never for people.
const personLabelPrefix = "person "

func personLabel(c *Cipher, pnr string) string { return personLabelPrefix + c.HashPrefix(pnr) }

// IsPersonLabel reports whether an audit event's detail is the label of a
// person (the detail of a search for or an export of a person), which a
// page shows in words, not as the code it is.
func IsPersonLabel(detail string) bool {
	code, ok := strings.CutPrefix(detail, personLabelPrefix)
	if !ok || code == "" {
		return false
	}
	for _, r := range code {
		if !strings.ContainsRune("0123456789abcdef", r) {
			return false
		}
	}
	return true
}

// AuditPersonLookup records that actor looked for a person (a search, or
// the audit log filtered by the person), naming them by their label only.
func AuditPersonLookup(ctx context.Context, q Querier, actor, pnr string) error {
	_, label, err := personKeys(q, pnr)
	if err != nil {
		return fmt.Errorf("audit a person lookup: %w", err)
	}
	return Audit(ctx, q, AuditEvent{Actor: actor, Action: "person.searched", Detail: label})
}

// Upload is one file an account uploaded, with its document's state now.
type Upload struct {
	DocumentID   int64
	Filename     string
	Duplicate    bool
	ReceivedAt   time.Time
	State        form.State
	StateMessage string
	Kind         form.Kind
}

// UploadsBy returns the latest files an actor uploaded, newest first.
func UploadsBy(ctx context.Context, q Querier, actor string, limit int) ([]Upload, error) {
	rows, err := q.Query(ctx, `
		select e.document_id, d.filename, e.action = 'document.duplicate_received', e.at, d.state, d.state_message, d.kind
		from audit_events e join documents d on d.id = e.document_id
		where e.actor = $1 and e.action in ('document.received', 'document.duplicate_received')
		order by e.at desc, e.id desc limit $2`, actor, limit)
	if err != nil {
		return nil, fmt.Errorf("uploads by %s: %w", actor, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Upload, error) {
		var u Upload
		err := row.Scan(&u.DocumentID, &u.Filename, &u.Duplicate, &u.ReceivedAt, &u.State, &u.StateMessage, &u.Kind)
		return u, err
	})
	if err != nil {
		return nil, fmt.Errorf("uploads by %s: %w", actor, err)
	}
	return out, nil
}

// OrganisationSummary is one Part in the registry list.
type OrganisationSummary struct {
	OrgNumber   string
	Name        string
	Agreements  int
	InForce     bool
	Orderers    int // active today
	Signatories int
	Users       int // active today
}

// Organisations lists the registry's Parts by name.
func Organisations(ctx context.Context, q Querier, today time.Time) ([]OrganisationSummary, error) {
	rows, err := q.Query(ctx, `
		select o.org_number, o.name,
			(select count(*) from agreements a where a.org_number = o.org_number),
			exists(select 1 from agreements a where a.org_number = o.org_number and a.countersigned_on <= $1
				and (a.terminated_on is null or a.terminated_on > $1) and a.recorded_on <= $1),
			(select count(*) from orderers r where r.org_number = o.org_number and r.valid_from <= $1 and r.valid_to >= $1
				and (r.removed_on is null or r.removed_on > $1)),
			(select count(*) from signatories s where s.org_number = o.org_number),
			(select count(*) from users u where u.org_number = o.org_number and u.valid_from <= $1
				and (u.valid_until is null or u.valid_until > $1) and u.removed_on is null)
		from organisations o order by o.name, o.org_number`, date(today))
	if err != nil {
		return nil, fmt.Errorf("organisations: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (OrganisationSummary, error) {
		var o OrganisationSummary
		err := row.Scan(&o.OrgNumber, &o.Name, &o.Agreements, &o.InForce, &o.Orderers, &o.Signatories, &o.Users)
		return o, err
	})
	if err != nil {
		return nil, fmt.Errorf("organisations: %w", err)
	}
	return out, nil
}

// OrganisationHistory is everything the registry holds on one Part, all
// rows including ended ones (the history).
type OrganisationHistory struct {
	OrgNumber   string
	Name        string
	Agreements  []form.Agreement
	RecordedOn  map[int64]time.Time // agreement id → day recorded
	Signatories []form.Signatory
	Orderers    []form.Orderer
	Users       []form.User
}

// Organisation reads one Part's registry history. It returns ErrNotFound
// for an unknown org number.
func Organisation(ctx context.Context, q Querier, orgnr string) (OrganisationHistory, error) {
	h := OrganisationHistory{OrgNumber: orgnr, RecordedOn: map[int64]time.Time{}}
	c := q.Cipher()
	err := q.QueryRow(ctx, `select name from organisations where org_number = $1`, orgnr).Scan(&h.Name)
	if errors.Is(err, pgx.ErrNoRows) {
		return h, fmt.Errorf("organisation %s: %w", orgnr, ErrNotFound)
	}
	if err != nil {
		return h, fmt.Errorf("organisation %s: %w", orgnr, err)
	}
	rows, err := q.Query(ctx, `select a.id, a.org_number, o.name, a.part_signed_on, a.countersigned_on, a.terminated_on,
			a.copies_received, coalesce(a.source_document, 0), a.recorded_on
		from agreements a join organisations o using (org_number) where a.org_number = $1 order by a.id`, orgnr)
	if err != nil {
		return h, fmt.Errorf("organisation %s: agreements: %w", orgnr, err)
	}
	for rows.Next() {
		var a form.Agreement
		var part, counter, term, rec pgtype.Date
		if err := rows.Scan(&a.ID, &a.OrgNumber, &a.OrgName, &part, &counter, &term, &a.CopiesReceived, &a.SourceDocument, &rec); err != nil {
			rows.Close()
			return h, fmt.Errorf("organisation %s: agreements: %w", orgnr, err)
		}
		a.PartSigned, a.Countersigned, a.Terminated = day(part), day(counter), day(term)
		h.RecordedOn[a.ID] = day(rec)
		h.Agreements = append(h.Agreements, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return h, fmt.Errorf("organisation %s: agreements: %w", orgnr, err)
	}

	rows, err = q.Query(ctx, `select id, org_number, name, title, valid_from, valid_to, source, coalesce(source_document, 0)
		from signatories where org_number = $1 order by id`, orgnr)
	if err != nil {
		return h, fmt.Errorf("organisation %s: signatories: %w", orgnr, err)
	}
	for rows.Next() {
		var s form.Signatory
		var from, to pgtype.Date
		if err := rows.Scan(&s.ID, &s.OrgNumber, &s.Name, &s.Title, &from, &to, &s.Source, &s.SourceDocument); err != nil {
			rows.Close()
			return h, fmt.Errorf("organisation %s: signatories: %w", orgnr, err)
		}
		s.ValidFrom, s.ValidTo = day(from), day(to)
		h.Signatories = append(h.Signatories, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return h, fmt.Errorf("organisation %s: signatories: %w", orgnr, err)
	}

	// Every orderer registration, removals included whenever they happen.
	rows, err = q.Query(ctx, `select id, org_number, name, personnummer_enc, phone, email, valid_from, valid_to,
			removed_on, coalesce(source_document, 0)
		from orderers where org_number = $1 order by valid_from, id`, orgnr)
	if err != nil {
		return h, fmt.Errorf("organisation %s: orderers: %w", orgnr, err)
	}
	if h.Orderers, err = scanOrderers(rows, c); err != nil {
		return h, fmt.Errorf("organisation %s: orderers: %w", orgnr, err)
	}

	// A user's records stay together (same hash), in the order they were made.
	rows, err = q.Query(ctx, `select `+userColumns+`
		from users where org_number = $1 order by personnummer_hash, valid_from, id`, orgnr)
	if err != nil {
		return h, fmt.Errorf("organisation %s: users: %w", orgnr, err)
	}
	if h.Users, err = scanUsers(rows, c); err != nil {
		return h, fmt.Errorf("organisation %s: users: %w", orgnr, err)
	}
	return h, nil
}
