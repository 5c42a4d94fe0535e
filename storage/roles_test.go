package storage_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"blankett/form"
	"blankett/storage"
	"blankett/storage/storagetest"
)

// TestFillRoles: documents stored before values recorded their roles get
// the roles their edition gives their fields (migration 0014's Go step),
// and so show their organisation and person in the queue and are found
// by organisation number; a value no built-in edition knows, and the
// values of an edition that is not built in, are left as they are.
func TestFillRoles(t *testing.T) {
	t.Parallel()
	db, _ := storagetest.NewDatabase(t)
	ctx := context.Background()
	set, err := form.BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	first9463, _ := set.Primary(form.Kind9463)
	const org = "212000-0142"
	n := 0
	insert := func(kind form.Kind, edition string, fields map[string]string) int64 {
		t.Helper()
		n++
		id, _, err := storage.InsertDocument(ctx, db, storage.NewDocument{SHA256: fmt.Sprintf("roles-%d", n), ObjectKey: "k", Filename: "f.pdf",
			MediaType: "application/pdf", SizeBytes: 1, Source: "test", State: form.StateReceived})
		if err != nil {
			t.Fatal(err)
		}
		stored := map[string]map[string]any{}
		for name, v := range fields {
			stored[name] = map[string]any{"name": name, "value": v, "raw": v, "confidence": 0.9} // no role, as stored before roles
		}
		b, err := json.Marshal(stored)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, `update documents set state = 'needs_review', kind = $2, edition = $3, fields = $4 where id = $1`,
			id, string(kind), edition, b); err != nil {
			t.Fatal(err)
		}
		return id
	}
	order := insert(form.Kind9445, "", map[string]string{"org_number": org, "org_name": "Exempelby kommun", "user_name": "Tolvan Tolvansson"})
	orderers := insert(form.Kind9463, first9463.Edition, map[string]string{"org_number": org, "org_name": "Exempelby kommun",
		"orderer1_name": "Bertil Beställare", "copies_of_something": "2"})
	own := insert(form.Kind9445, "Egen utgåva", map[string]string{"org_number": org})

	queue := func() map[int64]storage.QueueItem {
		t.Helper()
		items, err := storage.Queue(ctx, db, storage.QueueFilter{State: form.StateNeedsReview})
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]storage.QueueItem{}
		for _, it := range items {
			out[it.ID] = it
		}
		return out
	}
	if q := queue(); q[order].OrgNumber != "" || q[orderers].Person != "" {
		t.Fatalf("before: values without roles already give the queue's columns: %+v", q)
	}
	if err := storage.FillRoles(ctx, db); err != nil {
		t.Fatal(err)
	}
	q := queue()
	if it := q[order]; it.OrgNumber != org || it.OrgName != "Exempelby kommun" || it.Person != "Tolvan Tolvansson" {
		t.Errorf("9445 of no recorded edition: %+v", it)
	}
	if it := q[orderers]; it.OrgNumber != org || it.Person != "Bertil Beställare" {
		t.Errorf("9463 of the built-in edition: %+v", it)
	}
	if it := q[own]; it.OrgNumber != "" {
		t.Errorf("a document of an edition that is not built in got roles from a built-in one: %+v", it)
	}
	found, err := storage.Search(ctx, db, storage.SearchQuery{OrgNumber: org})
	if err != nil || len(found) != 2 {
		t.Errorf("search by organisation number after filling: %d documents, %v", len(found), err)
	}
	var row, copies string
	if err := db.QueryRow(ctx, `select fields->'orderer1_name'->>'row', coalesce(fields->'copies_of_something'->>'role', '')
		from documents where id = $1`, orderers).Scan(&row, &copies); err != nil || row != "1" || copies != "" {
		t.Errorf("9463's orderer row %q, role of a field no edition has %q (%v)", row, copies, err)
	}
}
