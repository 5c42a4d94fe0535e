package storage_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"blankett/form"
	"blankett/storage"
	"blankett/storage/storagetest"
)

func TestExportPerson(t *testing.T) {
	t.Parallel()
	pool, _ := storagetest.NewDatabase(t)
	blob, _ := storagetest.NewBlob(t)
	ctx := context.Background()

	// The user's 9445, with a decision and a letter; someone else's 9463.
	mine := seedDecided(t, pool, blob, "mine", form.Kind9445, 0)
	other, _, err := storage.InsertDocument(ctx, pool, storage.NewDocument{SHA256: "other", ObjectKey: "originals/other", Filename: "o.pdf",
		MediaType: "application/pdf", SizeBytes: 1, Source: "test", State: form.StateReceived, Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := storage.RecordExtraction(ctx, pool, storage.Extraction{DocumentID: other, Version: 1, Engine: "test", Kind: form.Kind9463,
		Fields: form.Fields{"orderer1_personnummer": {Type: form.TypePersonnummer, Value: ordererPnr}}}); err != nil {
		t.Fatal(err)
	}
	err = pool.InTx(ctx, func(tx storage.Tx) error {
		if err := applyDoc(ctx, tx, agreementDoc(0, orgA, "2025-01-10", "2025-01-15", "2"), d("2025-01-20")); err != nil {
			return err
		}
		if err := applyDoc(ctx, tx, orderersDoc(0, orgA, "2025-03-01", [3]string{"add", "Olle Beställare", ordererPnr}), d("2025-03-02")); err != nil {
			return err
		}
		return applyDoc(ctx, tx, userDoc(mine, orgA, "2025-03-10", "new", form.RoleInsatsansvarig), d("2025-03-11"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := storage.Audit(ctx, pool, storage.AuditEvent{Actor: "rita", Action: "registry.viewed", Detail: orgA}); err != nil {
		t.Fatal(err)
	}

	// Asked for in the form people write it.
	exp, err := storage.ExportPerson(ctx, pool, "19811218-9876", "admin")
	if err != nil {
		t.Fatal(err)
	}
	if exp.Personnummer != userPnr || len(exp.Documents) != 1 || exp.Documents[0].ID != mine ||
		exp.Documents[0].Fields["user_personnummer"] != userPnr || len(exp.Documents[0].Decisions) != 1 {
		t.Fatalf("documents %+v", exp.Documents)
	}
	if len(exp.Users) != 1 || exp.Users[0].Personnummer != userPnr || exp.Users[0].SourceDocument != mine || len(exp.Orderers) != 0 {
		t.Fatalf("registry: users %+v orderers %+v", exp.Users, exp.Orderers)
	}
	if len(exp.Letters) != 1 || exp.Letters[0].DocumentID != mine {
		t.Fatalf("letters %+v", exp.Letters)
	}
	actions := map[string]bool{}
	for _, e := range exp.AccessLog {
		actions[e.Action] = true
		if e.DocumentID == other {
			t.Fatalf("someone else's document in the access log: %+v", e)
		}
	}
	if !actions["document.received"] || !actions["registry.viewed"] {
		t.Fatalf("access log %+v", exp.AccessLog)
	}
	if _, err := json.Marshal(exp); err != nil {
		t.Fatal(err)
	}

	// The export is audited by a hash prefix, and shows in the next one.
	log, err := storage.AuditLog(ctx, pool, storage.AuditFilter{Actor: "admin"})
	if err != nil || len(log) != 1 || log[0].Action != "person.exported" || !strings.HasPrefix(log[0].Detail, "person ") {
		t.Fatalf("export audit %+v %v", log, err)
	}
	if strings.Contains(log[0].Detail+log[0].After, "9876") {
		t.Fatalf("export audit names the person: %+v", log[0])
	}
	again, err := storage.ExportPerson(ctx, pool, userPnr, "admin")
	if err != nil {
		t.Fatal(err)
	}
	if last := again.AccessLog[len(again.AccessLog)-1]; last.Action != "person.exported" {
		t.Fatalf("earlier export missing from the access log: %+v", last)
	}

	orderer, err := storage.ExportPerson(ctx, pool, ordererPnr, "admin")
	if err != nil || len(orderer.Orderers) != 1 || len(orderer.Documents) != 1 || orderer.Documents[0].ID != other {
		t.Fatalf("orderer export %+v %v", orderer, err)
	}

	_, err = storage.ExportPerson(ctx, pool, "811218-98", "admin")
	if !errors.Is(err, storage.ErrInvalidPersonnummer) || strings.Contains(err.Error(), "811218") {
		t.Fatalf("invalid number: %v", err)
	}
}
