package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"

	"blankett/form"
	"blankett/storage"
	"blankett/validate"
)

// ExtractArgs asks for a document to be read. Version grows with each
// re-extraction so a new run is not taken for a duplicate of the last.
// Edition (with TemplateKind), when given, reads the document as that
// edition: the one it was read with before, or one a person chose.
type ExtractArgs struct {
	DocumentID   int64     `json:"document_id" river:"unique"`
	Version      int       `json:"version" river:"unique"`
	TemplateKind form.Kind `json:"template_kind,omitempty"`
	Edition      string    `json:"edition,omitempty"`
}

// Kind implements river.JobArgs.
func (ExtractArgs) Kind() string { return "extract" }

// InsertOpts makes one extract job per document and version.
func (ExtractArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// ValidateArgs asks for a document's fields to be checked.
type ValidateArgs struct {
	DocumentID int64 `json:"document_id"`
}

// Kind implements river.JobArgs.
func (ValidateArgs) Kind() string { return "validate" }

// LettersArgs asks for the letters of one decision.
type LettersArgs struct {
	DocumentID int64 `json:"document_id"`
	DecisionID int64 `json:"decision_id" river:"unique"`
}

// Kind implements river.JobArgs.
func (LettersArgs) Kind() string { return "letters" }

// InsertOpts makes one letters job per decision, ever.
func (LettersArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// finish records a step's result, inserts the next job (if any) and
// completes this job, all in one transaction. When the document is no longer
// in one of t.From the step was done before: the job completes and nothing
// else changes.
func finish[T river.JobArgs](ctx context.Context, p *Pipeline, job *river.Job[T], t storage.Transition, next river.JobArgs, also func(storage.Tx) error) error {
	if p.cfg.StepDelay > 0 {
		select {
		case <-time.After(p.cfg.StepDelay):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return p.db.InTx(ctx, func(tx storage.Tx) error {
		moved, err := storage.Advance(ctx, tx, t)
		if err != nil {
			return err
		}
		if moved {
			if also != nil {
				if err := also(tx); err != nil {
					return err
				}
			}
			if next != nil {
				if _, err := p.river.InsertTx(ctx, tx, next, nil); err != nil {
					return fmt.Errorf("insert %s job: %w", next.Kind(), err)
				}
			}
		}
		if _, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx.Tx, job); err != nil {
			return fmt.Errorf("complete %s job %d: %w", job.Kind, job.ID, err)
		}
		return nil
	})
}

// load reads the document a step works on. skip is true when there is
// nothing to do: the document is gone (the job is cancelled) or has already
// left the states the step works on (the step ran before; the job
// completes without doing its work again).
func load[T river.JobArgs](ctx context.Context, p *Pipeline, job *river.Job[T], id int64, from ...form.State) (doc storage.Document, skip bool, err error) {
	doc, err = storage.GetDocument(ctx, p.db, id)
	if errors.Is(err, storage.ErrNotFound) {
		return doc, true, river.JobCancel(err)
	}
	if err != nil {
		return doc, true, err
	}
	for _, s := range from {
		if doc.State == s {
			return doc, false, nil
		}
	}
	return doc, true, completeOnly(ctx, p, job)
}

// completeOnly completes a job whose work was done before.
func completeOnly[T river.JobArgs](ctx context.Context, p *Pipeline, job *river.Job[T]) error {
	return p.db.InTx(ctx, func(tx storage.Tx) error {
		_, err := river.JobCompleteTx[*riverpgxv5.Driver](ctx, tx.Tx, job)
		return err
	})
}

type extractWorker struct {
	river.WorkerDefaults[ExtractArgs]
	p *Pipeline
}

// Timeout allows for large scans.
func (w *extractWorker) Timeout(*river.Job[ExtractArgs]) time.Duration { return w.p.cfg.StepTimeout }

// Work reads the document (see extract.go).
func (w *extractWorker) Work(ctx context.Context, job *river.Job[ExtractArgs]) error {
	p := w.p
	doc, skip, err := load(ctx, p, job, job.Args.DocumentID, form.StateReceived)
	if skip || err != nil {
		return err
	}
	return p.extract(ctx, job, doc)
}

type validateWorker struct {
	river.WorkerDefaults[ValidateArgs]
	p *Pipeline
}

// Work checks the fields against the rules and the registry.
func (w *validateWorker) Work(ctx context.Context, job *river.Job[ValidateArgs]) error {
	p := w.p
	doc, skip, err := load(ctx, p, job, job.Args.DocumentID, form.StateExtracted)
	if skip || err != nil {
		return err
	}
	findings, err := p.check(ctx, p.db, storage.NewRegistry(p.db), doc)
	if err != nil {
		return err
	}
	if agreement, wait, err := p.awaitAgreement(ctx, job, doc, findings); wait || err != nil {
		if err != nil || agreement == 0 {
			return err // snoozed until the envelope is read
		}
		return finish(ctx, p, job, storage.Transition{
			DocumentID: doc.ID, From: []form.State{form.StateExtracted}, To: form.StateWaiting, Actor: "pipeline",
			Message:  fmt.Sprintf("Väntar på beslut om överenskommelsen (dokument %d) som kom in samtidigt eller före.", agreement),
			Findings: findings,
		}, nil, func(tx storage.Tx) error { return storage.Wait(ctx, tx, doc.ID, agreement) })
	}
	return finish(ctx, p, job, storage.Transition{
		DocumentID: doc.ID, From: []form.State{form.StateExtracted}, To: form.StateNeedsReview,
		Actor: "pipeline", Findings: findings,
	}, nil, nil)
}

// envelopeWait is how long a 9463's check waits, at most, for the other
// files of its envelope to be read before it goes on without them.
const envelopeWait = time.Hour

// awaitAgreement decides whether a 9463 that found no agreement in force
// waits for one: the Part's agreement came with it (or earlier) and is
// read but not decided. While files of its envelope are still unread, the
// job is snoozed (wait true, agreement 0, a snooze error). A 9463 checked
// again after its agreement's decision never waits a second time.
func (p *Pipeline) awaitAgreement(ctx context.Context, job *river.Job[ValidateArgs], doc storage.Document, findings []form.Finding) (agreement int64, wait bool, err error) {
	if doc.Kind != form.Kind9463 || !doc.RegistryAsOf.IsZero() || doc.AgreementRejected != "" {
		return 0, false, nil
	}
	notInForce := false
	for _, f := range findings {
		notInForce = notInForce || f.Code == form.CodeAgreementNotInForce
	}
	if !notInForce {
		return 0, false, nil
	}
	unread, err := storage.UnreadSiblings(ctx, p.db, doc)
	if err != nil {
		return 0, false, err
	}
	if unread > 0 && time.Since(job.CreatedAt) < envelopeWait {
		return 0, true, river.JobSnooze(10 * time.Second)
	}
	orgnr, err := p.roleValue(ctx, p.db, doc, form.FieldOrgNumber)
	if err != nil {
		return 0, false, err
	}
	agreement, err = storage.PendingAgreement(ctx, p.db, doc, orgnr)
	if err != nil || agreement == 0 {
		return 0, false, err
	}
	return agreement, true, nil
}

type lettersWorker struct {
	river.WorkerDefaults[LettersArgs]
	p *Pipeline
}

// Work makes the decision's letters (see letters.go) in the transaction
// that completes the job, so a rerun after a crash never makes a second
// set.
func (w *lettersWorker) Work(ctx context.Context, job *river.Job[LettersArgs]) error {
	p := w.p
	doc, skip, err := load(ctx, p, job, job.Args.DocumentID, form.StateApproved, form.StateRejected)
	if skip || err != nil {
		return err
	}
	also := func(tx storage.Tx) error {
		dec, err := storage.GetDecision(ctx, tx, job.Args.DecisionID)
		if err != nil {
			return err
		}
		return p.writeLetters(ctx, tx, doc, dec)
	}
	return finish(ctx, p, job, storage.Transition{
		DocumentID: doc.ID, From: []form.State{form.StateApproved, form.StateRejected}, To: form.StateDone,
		Actor: "pipeline",
	}, nil, also)
}

// ErrNotReextractable is returned for a document that is decided, being
// read, or a batch (its parts are re-read one by one).
var ErrNotReextractable = errors.New("document cannot be read again in its state")

// Reextract reads a document again (after a template or engine change):
// it goes back to received with a job for a new extraction version, in one
// transaction. The new version keeps every correction a reviewer made, and
// the edition the document was read with (see ReextractAs).
func (p *Pipeline) Reextract(ctx context.Context, documentID int64, actor string) error {
	return p.reextract(ctx, documentID, "", "", false, actor)
}

// ReextractAs reads a document again as the given edition of kind
// (Reextract with an empty edition keeps the document's own).
func (p *Pipeline) ReextractAs(ctx context.Context, documentID int64, kind form.Kind, edition, actor string) error {
	return p.reextract(ctx, documentID, kind, edition, false, actor)
}

// ErrNotUnclassified is returned when a person classifies a document that
// is not waiting to be classified.
var ErrNotUnclassified = errors.New("document is not unclassified")

// Classify is a person's choice of kind and edition for an unclassified
// document: it is read again as that edition.
func (p *Pipeline) Classify(ctx context.Context, documentID int64, kind form.Kind, edition, actor string) error {
	if edition == "" {
		return fmt.Errorf("classify document %d: %w", documentID, ErrNoSuchTemplate)
	}
	return p.reextract(ctx, documentID, kind, edition, true, actor)
}

func (p *Pipeline) reextract(ctx context.Context, documentID int64, kind form.Kind, edition string, classify bool, actor string) error {
	if edition != "" {
		// The edition must exist before the document is queued.
		if _, err := p.currentVersion(ctx, p.db, kind, edition); err != nil {
			return fmt.Errorf("re-extract document %d: %w", documentID, err)
		}
	}
	return p.db.InTx(ctx, func(tx storage.Tx) error {
		doc, err := storage.LockDocument(ctx, tx, documentID)
		if err != nil {
			return err
		}
		if classify && doc.State != form.StateUnclassified {
			return fmt.Errorf("classify document %d in state %s: %w", documentID, doc.State, ErrNotUnclassified)
		}
		msg := "Läses om med den senaste mallen och tolkningen."
		if edition == "" && doc.Edition != "" {
			kind, edition = doc.Kind, doc.Edition
			msg = fmt.Sprintf("Läses om med samma blankettutgåva som förut (%s).", edition)
		} else if edition != "" {
			msg = fmt.Sprintf("Läses om som blankettutgåvan %s.", edition)
		}
		from := []form.State{form.StateExtracted, form.StateNeedsReview, form.StateUnclassified, form.StateUnreadable}
		moved, err := storage.Advance(ctx, tx, storage.Transition{DocumentID: documentID, From: from, To: form.StateReceived,
			Message: msg, Actor: actor})
		if err != nil {
			return err
		}
		if !moved {
			return fmt.Errorf("re-extract document %d in state %s: %w", documentID, doc.State, ErrNotReextractable)
		}
		if classify {
			if err := storage.Audit(ctx, tx, storage.AuditEvent{Actor: actor, Action: "document.classified", DocumentID: documentID,
				After: map[string]any{"kind": kind, "edition": edition}}); err != nil {
				return err
			}
		}
		_, err = p.river.InsertTx(ctx, tx, ExtractArgs{DocumentID: documentID, Version: doc.ExtractionVersion + 1,
			TemplateKind: kind, Edition: edition}, nil)
		if err != nil {
			return fmt.Errorf("insert extract job: %w", err)
		}
		return nil
	})
}

// check runs the rules on a document's fields against reg, its edition
// read through q. A document of no known kind has nothing to check
// against.
func (p *Pipeline) check(ctx context.Context, q storage.Querier, reg validate.Registry, doc storage.Document) ([]form.Finding, error) {
	if !doc.Kind.Known() {
		return []form.Finding{}, nil
	}
	v, err := validate.NewValidator(reg)
	if err != nil {
		return nil, err
	}
	fd, err := p.formOf(ctx, q, doc)
	if err != nil {
		return nil, fmt.Errorf("validate document %d: %w", doc.ID, err)
	}
	findings, err := v.Validate(ctx, fd)
	if err != nil {
		return nil, fmt.Errorf("validate document %d: %w", doc.ID, err)
	}
	if findings == nil {
		findings = []form.Finding{}
	}
	return findings, nil
}

// registryPlan is what approving doc on decidedAt does to the registry
// reg, its values read through its own edition (as q reads it).
func (p *Pipeline) registryPlan(ctx context.Context, q storage.Querier, reg validate.Registry, doc storage.Document, decidedAt time.Time) (form.RegistryPlan, error) {
	fd, err := p.formOf(ctx, q, doc)
	if err != nil {
		return form.RegistryPlan{}, err
	}
	return validate.Changes(ctx, reg, fd, decidedAt)
}

// applyToRegistry works out and records, in tx, what approving doc on
// decidedAt does to the registry.
func (p *Pipeline) applyToRegistry(ctx context.Context, tx storage.Tx, doc storage.Document, decidedAt time.Time) ([]form.Change, error) {
	plan, err := p.registryPlan(ctx, tx, storage.NewRegistry(nil).InTx(tx), doc, decidedAt)
	if err != nil {
		return nil, err
	}
	return storage.ApplyPlan(ctx, tx, plan)
}
