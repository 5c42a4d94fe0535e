package storage_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"blankett/form"
	"blankett/storage"
	"blankett/storage/storagetest"
)

func insertReviewDoc(t *testing.T, ctx context.Context, q storage.Querier, n int, kind form.Kind, findings string) int64 {
	t.Helper()
	id, _, err := storage.InsertDocument(ctx, q, storage.NewDocument{SHA256: fmt.Sprintf("%064d", n), ObjectKey: "k", Filename: "f.pdf",
		MediaType: "application/pdf", SizeBytes: 1, Source: "http", State: form.StateReceived})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.Exec(ctx, `update documents set state = 'needs_review', kind = $2, findings = $3::jsonb,
		fields = '{"user_personnummer": {"name": "user_personnummer", "role": "user.personnummer", "value": "191212121212"}}',
		received_at = now() - make_interval(secs => 1000 - $4) where id = $1`, id, string(kind), findings, n); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestQueueKeysetAndFilters(t *testing.T) {
	t.Parallel()
	pool, _ := storagetest.NewDatabase(t)
	ctx := context.Background()
	var ids []int64
	for n := 0; n < 7; n++ {
		kind, findings := form.Kind9445, `[]`
		if n%2 == 1 {
			kind, findings = form.Kind9463, `[{"code": "SIGNATORY_UNKNOWN", "severity": "error"}]`
		}
		ids = append(ids, insertReviewDoc(t, ctx, pool, n, kind, findings))
	}
	var seen []int64
	f := storage.QueueFilter{State: form.StateNeedsReview, Limit: 3}
	for {
		page, err := storage.Queue(ctx, pool, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range page {
			seen = append(seen, it.ID)
		}
		if len(page) < 3 {
			break
		}
		f.AfterReceived, f.AfterID = page[len(page)-1].ReceivedAt, page[len(page)-1].ID
	}
	if fmt.Sprint(seen) != fmt.Sprint(ids) {
		t.Fatalf("keyset pages %v, want oldest first %v", seen, ids)
	}
	items, err := storage.Queue(ctx, pool, storage.QueueFilter{State: form.StateNeedsReview, Kind: form.Kind9463, Finding: "SIGNATORY_UNKNOWN"})
	if err != nil || len(items) != 3 || items[0].Errors != 1 || items[0].PersonPnr != "191212121212" {
		t.Fatalf("filtered: %+v %v", items, err)
	}
	next, err := storage.NextInQueue(ctx, pool, ids[2])
	if err != nil || next != ids[3] {
		t.Fatalf("next after %d: %d %v", ids[2], next, err)
	}
	if next, _ := storage.NextInQueue(ctx, pool, ids[6]); next != ids[0] {
		t.Fatalf("next after the last: %d, want the first", next)
	}
}

func TestSaveCorrectionAudits(t *testing.T) {
	t.Parallel()
	pool, _ := storagetest.NewDatabase(t)
	ctx := context.Background()
	id := insertReviewDoc(t, ctx, pool, 1, form.Kind9445, `[{"code": "SMS_MOBILE_INVALID", "severity": "error", "field": "user_mobile"}]`)
	v := form.Value{Name: "user_mobile", Type: form.TypePhone, Raw: "070-1234567", Value: "+46701234567", Confidence: 1}
	err := pool.InTx(ctx, func(tx storage.Tx) error {
		doc, err := storage.LockDocument(ctx, tx, id)
		if err != nil {
			return err
		}
		return storage.SaveCorrection(ctx, tx, doc, v, nil, "rita")
	})
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := storage.GetDocument(ctx, pool, id)
	if len(stored.Findings) != 0 || stored.Fields.Get("user_mobile") != "+46701234567" || stored.Fields["user_mobile"].Raw != "070-1234567" {
		t.Fatalf("stored %+v", stored)
	}
	corr, err := storage.Corrections(ctx, pool, id)
	if err != nil || len(corr) != 1 || corr[0].Actor != "rita" || corr[0].Value != "+46701234567" {
		t.Fatalf("corrections %+v %v", corr, err)
	}
	log, err := storage.AuditLog(ctx, pool, storage.AuditFilter{DocumentID: id, Actor: "rita"})
	if err != nil || len(log) != 1 || log[0].Action != "document.corrected" ||
		log[0].Before == "" || log[0].After == "" {
		t.Fatalf("audit %+v %v", log, err)
	}
}

func TestProposals(t *testing.T) {
	t.Parallel()
	pool, _ := storagetest.NewDatabase(t)
	ctx := context.Background()
	id := insertReviewDoc(t, ctx, pool, 1, form.Kind9463, `[]`)
	pid, err := storage.InsertProposal(ctx, pool, storage.Proposal{DocumentID: id, Outcome: form.StateApproved, ProposedBy: "rita",
		Overrides: map[string]string{"X": "skäl"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := storage.InsertProposal(ctx, pool, storage.Proposal{DocumentID: id, Outcome: form.StateApproved, ProposedBy: "rolf"}); !errors.Is(err, storage.ErrProposalOpen) {
		t.Fatalf("second open proposal: %v", err)
	}
	p, err := storage.OpenProposal(ctx, pool, id)
	if err != nil || p.ID != pid || p.Overrides["X"] != "skäl" || p.ProposedAt.After(time.Now().Add(time.Minute)) {
		t.Fatalf("open proposal %+v %v", p, err)
	}
	if err := storage.WithdrawProposal(ctx, pool, pid, "rita", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := storage.OpenProposal(ctx, pool, id); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("withdrawn proposal still open: %v", err)
	}
	pid2, err := storage.InsertProposal(ctx, pool, storage.Proposal{DocumentID: id, Outcome: form.StateApproved, ProposedBy: "rita"})
	if err != nil {
		t.Fatal(err)
	}
	p2, _ := storage.OpenProposal(ctx, pool, id)
	if p2.ID != pid2 {
		t.Fatal("new proposal not open")
	}
}
