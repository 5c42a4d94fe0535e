package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"

	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
	"blankett/storage/storagetest"
)

// reviewSetup is a pipeline that works no jobs (decisions insert letters
// jobs; none run) on its own database and bucket.
func reviewSetup(t *testing.T) (*pipeline.Pipeline, *storage.DB) {
	t.Helper()
	db, _ := storagetest.NewDatabase(t)
	blob, _ := storagetest.NewBlob(t)
	p, err := pipeline.New(db, blob, nil, slog.New(slog.DiscardHandler), pipeline.Config{SpoolDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return p, db
}

// inReview records a document of kind with fields, waiting for review.
func inReview(t *testing.T, db *storage.DB, n int, kind form.Kind, fields form.Fields) int64 {
	t.Helper()
	ctx := context.Background()
	sha := fmt.Sprintf("review-%s-%d", kind, n)
	id, _, err := storage.InsertDocument(ctx, db, storage.NewDocument{SHA256: sha, ObjectKey: "originals/" + sha, Filename: sha + ".pdf",
		MediaType: "application/pdf", SizeBytes: 1, Source: "test", State: form.StateReceived, Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := storage.Advance(ctx, db, storage.Transition{DocumentID: id, From: []form.State{form.StateReceived},
		To: form.StateNeedsReview, Actor: "test", Kind: kind, Fields: fields, Findings: []form.Finding{}}); err != nil || !ok {
		t.Fatalf("advance: %v %v", ok, err)
	}
	return id
}

func TestConfirmAndWithdrawRace(t *testing.T) {
	t.Parallel()
	p, db := reviewSetup(t)
	ctx := context.Background()
	const runs = 12
	for i := range runs {
		// An approved agreement changes the registry: it is proposed by one
		// reviewer, then confirmed by a second while the first withdraws it.
		id := inReview(t, db, i, form.KindAgreement, form.Fields{
			"org_number": {Name: "org_number", Type: form.TypeOrgnr, Value: "212000-0142", Raw: "212000-0142"},
			"org_name":   {Name: "org_name", Type: form.TypeText, Value: "Testkommunen", Raw: "Testkommunen"},
		})
		pid, err := p.Propose(ctx, storage.Decision{DocumentID: id, Outcome: form.StateApproved, Actor: "rita"})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var confirmErr, withdrawErr error
		wg.Add(2)
		go func() { defer wg.Done(); _, confirmErr = p.ConfirmProposal(ctx, id, pid, "rolf") }()
		go func() { defer wg.Done(); withdrawErr = p.WithdrawProposal(ctx, id, pid, "rita", "") }()
		wg.Wait()
		if (confirmErr == nil) == (withdrawErr == nil) {
			t.Fatalf("run %d: confirm %v, withdraw %v: want exactly one to succeed", i, confirmErr, withdrawErr)
		}
		loser := confirmErr
		if loser == nil {
			loser = withdrawErr
		}
		if !errors.Is(loser, pipeline.ErrProposalGone) {
			t.Fatalf("run %d: the loser's error %v, want ErrProposalGone", i, loser)
		}
		decisions, err := storage.DocumentDecisions(ctx, db, id)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := storage.GetDocument(ctx, db, id)
		if err != nil {
			t.Fatal(err)
		}
		var jobs int
		if err := db.QueryRow(ctx, `select count(*) from river_job where kind = 'letters' and (args->>'document_id')::bigint = $1`, id).Scan(&jobs); err != nil {
			t.Fatal(err)
		}
		if withdrawErr == nil {
			if len(decisions) != 0 || doc.State != form.StateNeedsReview || jobs != 0 {
				t.Fatalf("run %d: withdrawn, yet %d decisions, state %s, %d letters jobs", i, len(decisions), doc.State, jobs)
			}
		} else if len(decisions) != 1 || doc.State != form.StateApproved || jobs != 1 || decisions[0].ConfirmedBy != "rolf" {
			t.Fatalf("run %d: confirmed, yet %d decisions, state %s, %d letters jobs", i, len(decisions), doc.State, jobs)
		}
	}
}

func TestOwnProposalCannotBeConfirmed(t *testing.T) {
	t.Parallel()
	p, db := reviewSetup(t)
	ctx := context.Background()
	id := inReview(t, db, 1, form.Kind9463, form.Fields{})
	if _, err := p.Decide(ctx, storage.Decision{DocumentID: id, Outcome: form.StateApproved, Actor: "rita"}); !errors.Is(err, pipeline.ErrNeedsSecondReviewer) {
		t.Fatalf("a 9463 approved by one reviewer: %v, want ErrNeedsSecondReviewer", err)
	}
	pid, err := p.Propose(ctx, storage.Decision{DocumentID: id, Outcome: form.StateApproved, Actor: "rita"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.ConfirmProposal(ctx, id, pid, "rita"); !errors.Is(err, pipeline.ErrOwnProposal) {
		t.Fatalf("confirmed by the proposer: %v, want ErrOwnProposal", err)
	}
	if err := p.WithdrawProposal(ctx, id, pid, "rolf", ""); !errors.Is(err, pipeline.ErrReasonRequired) {
		t.Fatalf("withdrawn by another without a reason: %v, want ErrReasonRequired", err)
	}
	if decisions, _ := storage.DocumentDecisions(ctx, db, id); len(decisions) != 0 {
		t.Fatalf("decisions %+v, want none", decisions)
	}
}

func TestCorrectionIsNormalised(t *testing.T) {
	t.Parallel()
	p, db := reviewSetup(t)
	ctx := context.Background()
	id := inReview(t, db, 1, form.Kind9445, form.Fields{
		"login_sms": {Name: "login_sms", Type: form.TypeCheckbox, Value: "false", Raw: ""},
	})
	doc, err := p.CorrectField(ctx, id, "login_sms", " x ", "rita")
	if err != nil {
		t.Fatal(err)
	}
	if v := doc.Fields["login_sms"]; v.Value != "true" || v.Raw != "x" || !v.Checked() {
		t.Fatalf("corrected tick box %+v, want value true, raw x", v)
	}
	stored, err := storage.GetDocument(ctx, db, id)
	if err != nil {
		t.Fatal(err)
	}
	if !stored.Fields.Checked("login_sms") {
		t.Fatalf("stored tick box %+v", stored.Fields["login_sms"])
	}
	// The rules see it ticked: SMS login chosen without a mobile number.
	found := false
	for _, f := range stored.Findings {
		found = found || f.Code == form.CodeSMSMobileMissing
	}
	if !found {
		t.Fatalf("findings %+v, want %s", stored.Findings, form.CodeSMSMobileMissing)
	}
	// The same value again, written otherwise, is no correction.
	if _, err := p.CorrectField(ctx, id, "login_sms", "Ja", "rita"); err != nil {
		t.Fatal(err)
	}
	corr, err := storage.Corrections(ctx, db, id)
	if err != nil || len(corr) != 1 || corr[0].Value != "true" {
		t.Fatalf("corrections %+v %v, want one, with the normalised value", corr, err)
	}
	if _, err := db.Exec(ctx, `update documents set state = 'approved' where id = $1`, id); err != nil {
		t.Fatal(err)
	}
	if _, err := p.CorrectField(ctx, id, "login_sms", "x", "rita"); !errors.Is(err, storage.ErrNotInReview) {
		t.Fatalf("correction after decision: %v", err)
	}
}
