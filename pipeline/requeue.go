package pipeline

import (
	"blankett/form"
	"blankett/storage"
	"context"
	"fmt"

	"github.com/riverqueue/river"
)

// Requeue inserts the job a stuck document waits for, in one transaction
// with the row locked and the check repeated, so a job that appeared since
// the report is not doubled. It returns the job's kind, or "" when the
// document is no longer stuck.
func (p *Pipeline) Requeue(ctx context.Context, s storage.StuckDocument) (string, error) {
	var args river.JobArgs
	switch s.State {
	case form.StateReceived:
		// A new version: the last extract job (discarded, cancelled) keeps
		// its unique key.
		args = ExtractArgs{DocumentID: s.ID, Version: s.ExtractionVersion + 1}
	case form.StateExtracted:
		args = ValidateArgs{DocumentID: s.ID}
	case form.StateApproved, form.StateRejected:
		if s.DecisionID == 0 {
			return "", fmt.Errorf("requeue document %d: %s without a decision", s.ID, s.State)
		}
		args = LettersArgs{DocumentID: s.ID, DecisionID: s.DecisionID}
	default:
		return "", fmt.Errorf("requeue document %d: nothing to queue in state %s", s.ID, s.State)
	}
	kind := ""
	err := p.db.InTx(ctx, func(tx storage.Tx) error {
		if _, err := storage.LockDocument(ctx, tx, s.ID); err != nil {
			return err
		}
		still, err := storage.StillStuck(ctx, tx, s.ID, s.State)
		if err != nil || !still {
			return err
		}
		res, err := p.river.InsertTx(ctx, tx, args, nil)
		if err != nil {
			return fmt.Errorf("requeue document %d: insert %s job: %w", s.ID, args.Kind(), err)
		}
		if res.UniqueSkippedAsDuplicate {
			return fmt.Errorf("requeue document %d: a %s job like it exists already (job %d, %s)", s.ID, args.Kind(), res.Job.ID, res.Job.State)
		}
		kind = args.Kind()
		return storage.Audit(ctx, tx, storage.AuditEvent{Actor: "fsck", Action: "document.requeued", DocumentID: s.ID,
			After: map[string]any{"state": s.State, "job": kind, "job_id": res.Job.ID}})
	})
	if err != nil {
		return "", fmt.Errorf("requeue document %d: %w", s.ID, err)
	}
	return kind, nil
}
