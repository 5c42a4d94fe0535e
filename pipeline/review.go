package pipeline

import (
	"blankett/form"
	"blankett/storage"
	"blankett/validate"
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNotDecidable is returned when a document is not awaiting a decision.
var ErrNotDecidable = errors.New("document is not awaiting a decision")

// ErrUnresolvedFindings is returned when an approval leaves an error
// finding without a written override reason.
var ErrUnresolvedFindings = errors.New("error findings need an override reason before approval")

// Decide records a reviewer's decision (d.DocumentID, d.Outcome, d.Actor
// and the rest): the document moves to approved or rejected, an approval
// is applied to the registry, and the letters job is inserted, all in one
// transaction. An approval must give a reason for every error finding in
// d.Overrides.
func (p *Pipeline) Decide(ctx context.Context, d storage.Decision) (decisionID int64, err error) {
	if d.Outcome != form.StateApproved && d.Outcome != form.StateRejected {
		return 0, fmt.Errorf("decide document %d: outcome %q is not approved or rejected", d.DocumentID, d.Outcome)
	}
	err = p.db.InTx(ctx, func(tx storage.Tx) error {
		doc, err := storage.LockDocument(ctx, tx, d.DocumentID)
		if err != nil {
			return err
		}
		if p.NeedsSecondReviewer(doc.Kind, d.Outcome) {
			return fmt.Errorf("decide document %d: %w", d.DocumentID, ErrNeedsSecondReviewer)
		}
		decisionID, err = p.decide(ctx, tx, doc, d)
		return err
	})
	return decisionID, err
}

// decide records decision d on doc (locked in tx).
func (p *Pipeline) decide(ctx context.Context, tx storage.Tx, doc storage.Document, d storage.Decision) (decisionID int64, err error) {
	{
		if doc.State != form.StateNeedsReview {
			return 0, fmt.Errorf("decide document %d in state %s: %w", d.DocumentID, doc.State, ErrNotDecidable)
		}
		if d.Outcome == form.StateApproved {
			for _, f := range doc.Findings {
				if f.Severity == form.SeverityError && strings.TrimSpace(d.Overrides[f.Code]) == "" {
					return 0, fmt.Errorf("decide document %d: %s: %w", d.DocumentID, f.Code, ErrUnresolvedFindings)
				}
			}
		}
		decisionID, err = storage.InsertDecision(ctx, tx, d)
		if err != nil {
			return 0, err
		}
		var changes []form.Change
		if d.Outcome == form.StateApproved && doc.Kind.Known() {
			if changes, err = p.applyToRegistry(ctx, tx, doc, time.Now()); err != nil {
				return 0, fmt.Errorf("apply document %d to the registry: %w", d.DocumentID, err)
			}
		}
		if doc.Kind == form.KindAgreement {
			if err := p.releaseWaiting(ctx, tx, doc, d, changes); err != nil {
				return 0, err
			}
		}
		if _, err := storage.Advance(ctx, tx, storage.Transition{
			DocumentID: d.DocumentID, From: []form.State{form.StateNeedsReview}, To: d.Outcome, Message: d.Reason, Actor: d.Actor,
		}); err != nil {
			return 0, err
		}
		if _, err := p.river.InsertTx(ctx, tx, LettersArgs{DocumentID: d.DocumentID, DecisionID: decisionID}, nil); err != nil {
			return 0, fmt.Errorf("insert letters job: %w", err)
		}
		return decisionID, nil
	}
}

// ErrNeedsSecondReviewer is returned when an approval that changes the
// registry is decided without a second reviewer: it must be proposed and
// confirmed by someone else.
var ErrNeedsSecondReviewer = errors.New("an approval that changes the registry needs a second reviewer")

// ErrOwnProposal is returned when the reviewer who proposed a decision
// tries to confirm it.
var ErrOwnProposal = errors.New("a proposal must be confirmed by another reviewer than the one who made it")

// ErrProposalGone is returned when a proposal was confirmed or withdrawn
// meanwhile.
var ErrProposalGone = errors.New("the proposal was confirmed or withdrawn meanwhile")

// NeedsSecondReviewer reports whether a decision with outcome on a
// document of kind k must be proposed and confirmed by a second reviewer:
// an approval that changes who may sign or order, unless the office chose
// single review.
func (p *Pipeline) NeedsSecondReviewer(k form.Kind, outcome form.State) bool {
	return outcome == form.StateApproved && !p.cfg.SingleReview && (k == form.KindAgreement || k == form.Kind9463)
}

// Propose records a reviewer's decision on a document in review as a
// proposal that a second reviewer must confirm. Only an approval that
// changes the registry is proposed; anything else is decided at once.
func (p *Pipeline) Propose(ctx context.Context, d storage.Decision) (proposalID int64, err error) {
	err = p.db.InTx(ctx, func(tx storage.Tx) error {
		doc, err := storage.LockDocument(ctx, tx, d.DocumentID)
		if err != nil {
			return err
		}
		if doc.State != form.StateNeedsReview {
			return fmt.Errorf("propose decision on document %d in state %s: %w", d.DocumentID, doc.State, ErrNotDecidable)
		}
		proposalID, err = storage.InsertProposal(ctx, tx, storage.Proposal{DocumentID: d.DocumentID, Outcome: d.Outcome, Reason: d.Reason,
			RequestCompletion: d.RequestCompletion, Overrides: d.Overrides, ProposedBy: d.Actor})
		return err
	})
	return proposalID, err
}

// ConfirmProposal is the second reviewer's confirmation of proposal pid on
// document docID: in one transaction the proposal is locked (so a
// concurrent withdrawal or confirmation waits, then finds it gone), the
// decision is recorded with both names and the proposal marked confirmed.
// The proposer cannot confirm their own proposal.
func (p *Pipeline) ConfirmProposal(ctx context.Context, docID, pid int64, actor string) (decisionID int64, err error) {
	err = p.db.InTx(ctx, func(tx storage.Tx) error {
		doc, err := storage.LockDocument(ctx, tx, docID)
		if err != nil {
			return err
		}
		prop, err := storage.LockProposal(ctx, tx, pid)
		if errors.Is(err, storage.ErrNotFound) {
			return fmt.Errorf("confirm proposal %d: %w", pid, ErrProposalGone)
		}
		if err != nil {
			return err
		}
		if prop.DocumentID != docID {
			return fmt.Errorf("confirm proposal %d on document %d: %w", pid, docID, storage.ErrNotFound)
		}
		if prop.ProposedBy == actor {
			return fmt.Errorf("confirm proposal %d: %w", pid, ErrOwnProposal)
		}
		decisionID, err = p.decide(ctx, tx, doc, storage.Decision{DocumentID: docID, Outcome: prop.Outcome, Reason: prop.Reason,
			Actor: prop.ProposedBy, RequestCompletion: prop.RequestCompletion, Overrides: prop.Overrides, ConfirmedBy: actor})
		if err != nil {
			return err
		}
		return storage.ConfirmProposal(ctx, tx, prop, actor, decisionID)
	})
	return decisionID, err
}

// WithdrawProposal ends proposal pid on document docID without a decision:
// the proposer takes it back, or a second reviewer does not agree (then a
// reason is required). It locks the proposal, so it and a confirmation
// never both succeed.
func (p *Pipeline) WithdrawProposal(ctx context.Context, docID, pid int64, actor, reason string) error {
	return p.db.InTx(ctx, func(tx storage.Tx) error {
		prop, err := storage.LockProposal(ctx, tx, pid)
		if errors.Is(err, storage.ErrNotFound) {
			return fmt.Errorf("withdraw proposal %d: %w", pid, ErrProposalGone)
		}
		if err != nil {
			return err
		}
		if prop.DocumentID != docID {
			return fmt.Errorf("withdraw proposal %d on document %d: %w", pid, docID, storage.ErrNotFound)
		}
		if prop.ProposedBy != actor && strings.TrimSpace(reason) == "" {
			return fmt.Errorf("withdraw proposal %d: %w", pid, ErrReasonRequired)
		}
		return storage.WithdrawProposal(ctx, tx, pid, actor, reason)
	})
}

// ErrReasonRequired is returned when a second reviewer withdraws another's
// proposal without saying why.
var ErrReasonRequired = errors.New("a reason is required")

// CorrectField records a reviewer's value for one field of a document in
// review: the value is normalised by the field's type (as extraction
// normalises what it reads), the rules re-run at once, and the correction,
// the document's fields and findings and the audit event written in one
// transaction. It returns the updated document. A value that normalises to
// the one the field holds changes nothing and records no correction.
func (p *Pipeline) CorrectField(ctx context.Context, id int64, field, value, actor string) (storage.Document, error) {
	var out storage.Document
	err := p.db.InTx(ctx, func(tx storage.Tx) error {
		doc, err := storage.LockDocument(ctx, tx, id)
		if err != nil {
			return err
		}
		if doc.State != form.StateNeedsReview {
			return fmt.Errorf("correct document %d in state %s: %w", id, doc.State, storage.ErrNotInReview)
		}
		t, err := p.editionOf(ctx, tx, doc)
		if err != nil {
			return fmt.Errorf("correct document %d: %w", id, err)
		}
		v := correctedValue(t, doc, field, value)
		if old, had := doc.Fields[field]; had && old.Value == v.Value && (v.Value != "" || old.Raw == "") {
			// The same value (as normalised) as it stands: a key press or a
			// form sent again is no correction.
			out = doc
			return nil
		}
		fields := make(form.Fields, len(doc.Fields)+1)
		for k, x := range doc.Fields {
			fields[k] = x
		}
		fields[field] = v
		checked := doc
		checked.Fields = fields
		findings, err := p.check(ctx, tx, storage.NewRegistry(nil).InTx(tx), checked)
		if err != nil {
			return fmt.Errorf("correct document %d: re-check: %w", id, err)
		}
		if err := storage.SaveCorrection(ctx, tx, doc, v, findings, actor); err != nil {
			return err
		}
		checked.Findings = findings
		out = checked
		return nil
	})
	return out, err
}

// correctedValue is what a reviewer typed for a field, normalised by the
// field's type: a tick box "x" is "true", a personnummer 12 digits. A
// field the extraction did not return takes its type, role and row from
// the document's edition t.
func correctedValue(t *form.Template, doc storage.Document, field, typed string) form.Value {
	v := doc.Fields[field]
	v.Name = field
	if f, ok := t.Field(field); ok && v.Type == "" {
		v.Type, v.Role, v.Row = f.Type, f.Role, f.Row
	}
	raw := strings.TrimSpace(typed)
	norm, _ := validate.Normalise(v.Type, raw, doc.ReceivedAt)
	v.Raw, v.Value, v.Confidence = raw, norm, 1
	return v
}

// releaseWaiting sends the 9463s that waited for agreement document doc,
// now decided with d, to be checked again: as of the day the agreement
// came into force when it was approved, or knowing why it was not.
func (p *Pipeline) releaseWaiting(ctx context.Context, tx storage.Tx, doc storage.Document, d storage.Decision, changes []form.Change) error {
	ids, err := storage.Waiting(ctx, tx, doc.ID)
	if err != nil || len(ids) == 0 {
		return err
	}
	var inForce time.Time
	rejected := ""
	if d.Outcome == form.StateApproved {
		inForce = form.Day(time.Now())
		for _, c := range changes {
			if c.Kind == form.ChangeAgreementRecorded {
				inForce = c.Date
			}
		}
	} else {
		rejected = cmp.Or(strings.TrimSpace(d.Reason), "Överenskommelsen kunde inte godkännas.")
	}
	for _, id := range ids {
		w, err := storage.LockDocument(ctx, tx, id)
		if err != nil {
			return err
		}
		asOf := inForce
		if !asOf.IsZero() && asOf.Before(form.Day(w.ReceivedAt)) {
			asOf = form.Day(w.ReceivedAt)
		}
		if err := storage.Release(ctx, tx, id, asOf, rejected); err != nil {
			return err
		}
		moved, err := storage.Advance(ctx, tx, storage.Transition{DocumentID: id, From: []form.State{form.StateWaiting},
			To: form.StateExtracted, Actor: d.Actor, Message: "Överenskommelsen är beslutad; anmälan kontrolleras på nytt."})
		if err != nil {
			return err
		}
		if !moved {
			continue
		}
		if _, err := p.river.InsertTx(ctx, tx, ValidateArgs{DocumentID: id}, nil); err != nil {
			return fmt.Errorf("insert validate job for document %d: %w", id, err)
		}
	}
	return nil
}

// ErrNotClosable is returned when a document that is neither unreadable
// nor unclassified is closed without a decision.
var ErrNotClosable = errors.New("only unreadable and unclassified documents can be closed without a decision")

// CloseDocument ends an unreadable or unclassified document without a
// decision, with the reviewer's note (kept in its state message and the
// audit trail). The original stays kept.
func (p *Pipeline) CloseDocument(ctx context.Context, id int64, note, actor string) error {
	return p.db.InTx(ctx, func(tx storage.Tx) error {
		ok, err := storage.Advance(ctx, tx, storage.Transition{DocumentID: id,
			From: []form.State{form.StateUnreadable, form.StateUnclassified}, To: form.StateDone,
			Message: "Avslutat utan beslut: " + note, Actor: actor})
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("close document %d: %w", id, ErrNotClosable)
		}
		return nil
	})
}

// Confirmed says which fields of doc have the values the registry holds
// as they were read, and how it spells names and orderers' addresses near
// those read otherwise (validate.Confirmed), as of now: the review does
// not flag the first and shows the second.
func (p *Pipeline) Confirmed(ctx context.Context, doc storage.Document) (validate.Registered, error) {
	if !doc.Kind.Known() {
		return validate.Registered{}, nil
	}
	fd, err := p.formOf(ctx, p.db, doc)
	if err != nil {
		return validate.Registered{}, err
	}
	return validate.Confirmed(ctx, storage.NewRegistry(p.db), fd, time.Now())
}
