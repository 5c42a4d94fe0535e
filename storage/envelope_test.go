package storage_test

import (
	"context"
	"fmt"
	"testing"

	"blankett/form"
	"blankett/storage"
	"blankett/storage/storagetest"
)

// TestPendingFormsByRole: the agreement a 9463 waits for, and the 9463
// an agreement's letter mentions, are found by the org number's role,
// whatever the edition they were read with calls the field.
func TestPendingFormsByRole(t *testing.T) {
	t.Parallel()
	pool, _ := storagetest.NewDatabase(t)
	ctx := context.Background()
	n := 0
	store := func(kind form.Kind, field string, orgnr string) storage.Document {
		t.Helper()
		n++
		sha := fmt.Sprintf("pending-%d", n)
		id, _, err := storage.InsertDocument(ctx, pool, storage.NewDocument{SHA256: sha, ObjectKey: "originals/" + sha, Filename: sha + ".pdf",
			MediaType: "application/pdf", SizeBytes: 1, Source: "test", State: form.StateReceived, Actor: "test", Envelope: "kuvert"})
		if err != nil {
			t.Fatal(err)
		}
		fields := form.Fields{field: {Name: field, Role: form.FieldOrgNumber, Type: form.TypeOrgnr, Value: orgnr, Raw: orgnr}}
		if ok, err := storage.Advance(ctx, pool, storage.Transition{DocumentID: id, From: []form.State{form.StateReceived},
			To: form.StateNeedsReview, Actor: "test", Kind: kind, Fields: fields, Findings: []form.Finding{}}); err != nil || !ok {
			t.Fatalf("advance: %v %v", ok, err)
		}
		d, err := storage.GetDocument(ctx, pool, id)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	agreement := store(form.KindAgreement, "Organisationsnummer (part)", orgA)
	notice := store(form.Kind9463, "fält 2", orgA)
	if got, err := storage.PendingAgreement(ctx, pool, notice, orgA); err != nil || got != agreement.ID {
		t.Errorf("pending agreement of %s: %d, %v; want %d", orgA, got, err, agreement.ID)
	}
	if got, err := storage.PendingAgreement(ctx, pool, notice, orgB); err != nil || got != 0 {
		t.Errorf("pending agreement of %s: %d, %v; want none", orgB, got, err)
	}
	if pending, err := storage.OrdererFormPending(ctx, pool, orgA); err != nil || !pending {
		t.Errorf("9463 pending for %s: %v, %v", orgA, pending, err)
	}
	if pending, err := storage.OrdererFormPending(ctx, pool, orgB); err != nil || pending {
		t.Errorf("9463 pending for %s: %v, %v", orgB, pending, err)
	}
}
