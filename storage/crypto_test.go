package storage_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"blankett/form"
	"blankett/storage"
	"blankett/storage/storagetest"
)

func newKey(t *testing.T) []byte {
	t.Helper()
	k := make([]byte, storage.DataKeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

func TestCipher(t *testing.T) {
	t.Parallel()
	k1, k2 := newKey(t), newKey(t)
	c1, err := storage.NewCipher(k1)
	if err != nil {
		t.Fatal(err)
	}
	a, b := c1.Seal([]byte(userPnr)), c1.Seal([]byte(userPnr))
	if bytes.Equal(a, b) {
		t.Fatal("two seals of the same number are equal: the nonce is not random")
	}
	if bytes.Contains(a, []byte(userPnr)) {
		t.Fatal("sealed value holds the plaintext")
	}
	if p, err := c1.Open(a); err != nil || string(p) != userPnr {
		t.Fatalf("open: %q %v", p, err)
	}

	t.Run("wrong key fails clearly", func(t *testing.T) {
		c2, _ := storage.NewCipher(k2)
		_, err := c2.Open(a)
		if !errors.Is(err, storage.ErrDecrypt) || !strings.Contains(err.Error(), "not configured") {
			t.Fatalf("open with another key: %v", err)
		}
	})
	t.Run("altered value fails", func(t *testing.T) {
		bad := bytes.Clone(a)
		bad[len(bad)-1] ^= 1
		if _, err := c1.Open(bad); !errors.Is(err, storage.ErrDecrypt) {
			t.Fatalf("open altered: %v", err)
		}
	})
	t.Run("rotation: the new key seals, the old still opens and finds", func(t *testing.T) {
		rotated, err := storage.ParseDataKeys("# current\n" + base64.StdEncoding.EncodeToString(k2) + "\n" + base64.StdEncoding.EncodeToString(k1) + "\n")
		if err != nil {
			t.Fatal(err)
		}
		if p, err := rotated.Open(a); err != nil || string(p) != userPnr {
			t.Fatalf("open old value after rotation: %q %v", p, err)
		}
		if rotated.KeyID() == c1.KeyID() {
			t.Fatal("rotated cipher seals with the old key")
		}
		hs := rotated.Hashes(userPnr)
		if len(hs) != 2 || !bytes.Equal(hs[1], c1.Hash(userPnr)) || bytes.Equal(hs[0], hs[1]) {
			t.Fatalf("hashes after rotation: %x", hs)
		}
	})
	t.Run("keys are checked, never echoed", func(t *testing.T) {
		if _, err := storage.NewCipher(k1[:16]); err == nil {
			t.Fatal("16-byte key accepted")
		}
		secret := "bm90IGEga2V5!!"
		if _, err := storage.ParseDataKeys(secret); err == nil || strings.Contains(err.Error(), secret) {
			t.Fatalf("bad key: %v", err)
		}
	})
}

// TestPersonalDataAtRest writes personnummer every way storage takes them
// (registry approvals, extraction, a state change with fields, a
// reviewer's correction) and then looks for them in every column of every
// table: they must only be there sealed.
func TestPersonalDataAtRest(t *testing.T) {
	t.Parallel()
	pool, dbURL := storagetest.NewDatabase(t)
	ctx := context.Background()
	const correctedPnr = "191212121212"

	id, _, err := storage.InsertDocument(ctx, pool, storage.NewDocument{SHA256: "pd", ObjectKey: "originals/pd", Filename: "pd.pdf",
		MediaType: "application/pdf", SizeBytes: 1, Source: "test", State: form.StateReceived, Actor: "test"})
	if err != nil {
		t.Fatal(err)
	}
	u := userDoc(id, orgA, "2025-03-10", "new", form.RoleInsatsansvarig)
	fields := u.Fields
	for name, v := range fields {
		if strings.HasSuffix(name, "personnummer") {
			v.Type, v.Raw = form.TypePersonnummer, "19811218-9876"
			fields[name] = v
		}
	}
	if _, err := storage.RecordExtraction(ctx, pool, storage.Extraction{DocumentID: id, Version: 1, Engine: "test", Kind: form.Kind9445, Fields: fields}); err != nil {
		t.Fatal(err)
	}
	if ok, err := storage.Advance(ctx, pool, storage.Transition{DocumentID: id, From: []form.State{form.StateReceived},
		To: form.StateNeedsReview, Actor: "test", Kind: form.Kind9445, Fields: fields, Findings: []form.Finding{}}); err != nil || !ok {
		t.Fatalf("advance: %v %v", ok, err)
	}
	if err := pool.InTx(ctx, func(tx storage.Tx) error {
		doc, err := storage.LockDocument(ctx, tx, id)
		if err != nil {
			return err
		}
		v := form.Value{Name: "orderer_personnummer", Type: form.TypePersonnummer, Raw: correctedPnr, Value: correctedPnr, Confidence: 1}
		return storage.SaveCorrection(ctx, tx, doc, v, nil, "rita")
	}); err != nil {
		t.Fatal(err)
	}
	reg := storage.NewRegistry(pool)
	err = pool.InTx(ctx, func(tx storage.Tx) error {
		if err := applyDoc(ctx, tx, agreementDoc(0, orgA, "2025-01-10", "2025-01-15", "2"), d("2025-01-20")); err != nil {
			return err
		}
		if err := applyDoc(ctx, tx, orderersDoc(0, orgA, "2025-03-01", [3]string{"add", "Olle Beställare", ordererPnr}), d("2025-03-02")); err != nil {
			return err
		}
		return applyDoc(ctx, tx, u, d("2025-03-11"))
	})
	if err != nil {
		t.Fatal(err)
	}

	t.Run("no plaintext personnummer in any table", func(t *testing.T) {
		rows, err := pool.Query(ctx, `select table_name from information_schema.tables
			where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)
		if err != nil {
			t.Fatal(err)
		}
		tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		for _, table := range tables {
			rows, err := pool.Query(ctx, `select t::text from "`+table+`" t`)
			if err != nil {
				t.Fatal(err)
			}
			texts, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				t.Fatal(err)
			}
			for _, text := range texts {
				digits := strings.NewReplacer("-", "", "+", "").Replace(text)
				for _, pnr := range []string{userPnr, ordererPnr, correctedPnr} {
					if strings.Contains(digits, pnr) || strings.Contains(digits, pnr[2:]) {
						t.Errorf("table %s holds a personnummer in plaintext: %.200s", table, text)
					}
				}
			}
		}
	})

	t.Run("reads open what was sealed", func(t *testing.T) {
		doc, err := storage.GetDocument(ctx, pool, id)
		if err != nil {
			t.Fatal(err)
		}
		if v := doc.Fields["user_personnummer"]; v.Value != userPnr || v.Raw != "19811218-9876" {
			t.Fatalf("user_personnummer read back as %+v", v)
		}
		if got := doc.Fields.Get("orderer_personnummer"); got != correctedPnr {
			t.Fatalf("corrected personnummer read back as %q", got)
		}
		corr, err := storage.Corrections(ctx, pool, id)
		if err != nil || len(corr) != 1 || corr[0].Value != correctedPnr {
			t.Fatalf("corrections %+v %v", corr, err)
		}
		items, err := storage.Queue(ctx, pool, storage.QueueFilter{State: form.StateNeedsReview})
		if err != nil || len(items) != 1 || items[0].PersonPnr != userPnr {
			t.Fatalf("queue %+v %v", items, err)
		}
		org, err := storage.Organisation(ctx, pool, orgA)
		if err != nil || len(org.Orderers) != 1 || org.Orderers[0].Personnummer != ordererPnr || len(org.Users) != 1 || org.Users[0].Personnummer != userPnr {
			t.Fatalf("organisation %+v %v", org, err)
		}
		log, err := storage.AuditLog(ctx, pool, storage.AuditFilter{DocumentID: id})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range log {
			if e.Action == "document.corrected" && !strings.Contains(e.After, "19121212-****") {
				t.Fatalf("correction audited as %s", e.After)
			}
		}
	})

	t.Run("lookups go by the hash", func(t *testing.T) {
		ords, err := reg.OrderersByPersonnummer(ctx, ordererPnr, d("2025-06-01"))
		if err != nil || len(ords) != 1 || ords[0].Personnummer != ordererPnr || ords[0].Name != "Olle Beställare" {
			t.Fatalf("orderers by personnummer: %+v %v", ords, err)
		}
		us, err := reg.UsersByPersonnummer(ctx, userPnr, d("2025-06-01"))
		if err != nil || len(us) != 1 || us[0].Personnummer != userPnr {
			t.Fatalf("users by personnummer: %+v %v", us, err)
		}
		if none, err := reg.UsersByPersonnummer(ctx, ordererPnr, d("2025-06-01")); err != nil || len(none) != 0 {
			t.Fatalf("users by another number: %+v %v", none, err)
		}
	})

	t.Run("another key fails clearly, no key refuses", func(t *testing.T) {
		other, _ := storage.NewCipher(newKey(t))
		wrong, err := storage.Open(ctx, dbURL, (other))
		if err != nil {
			t.Fatal(err)
		}
		defer wrong.Close()
		if _, err := storage.GetDocument(ctx, wrong, id); !errors.Is(err, storage.ErrDecrypt) {
			t.Fatalf("document with another key: %v", err)
		}
		if _, err := storage.NewRegistry(wrong).Orderers(ctx, orgA, d("2025-06-01")); !errors.Is(err, storage.ErrDecrypt) {
			t.Fatalf("orderers with another key: %v", err)
		}
		none, err := storage.Open(ctx, dbURL, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer none.Close()
		if _, err := storage.GetDocument(ctx, none, id); !errors.Is(err, storage.ErrNoCipher) {
			t.Fatalf("document without a key: %v", err)
		}
		_, err = storage.Advance(ctx, none, storage.Transition{DocumentID: id, From: []form.State{form.StateNeedsReview},
			To: form.StateNeedsReview, Fields: fields})
		if !errors.Is(err, storage.ErrNoCipher) {
			t.Fatalf("sealing without a key: %v", err)
		}
	})
}

// TestHashPrefixNeverDigitsOnly: a person's label in the audit log is hex;
// where the first six bytes' twelve hex digits are all decimal it would
// read as a personnummer (a review test failed on "person 264033615454"),
// and the label is then longer. Labels of many numbers under one key are
// checked, among them some hundred such.
func TestHashPrefixNeverDigitsOnly(t *testing.T) {
	t.Parallel()
	c, err := storage.NewCipher(newKey(t))
	if err != nil {
		t.Fatal(err)
	}
	longer := 0
	for i := range 100000 {
		pnr := fmt.Sprintf("19%010d", i)
		label := c.HashPrefix(pnr)
		if strings.Trim(label, "0123456789") == "" {
			t.Fatalf("label %q of %s is all digits", label, pnr)
		}
		if label != c.HashPrefix(pnr) {
			t.Fatalf("label of %s differs from one call to the next", pnr)
		}
		if len(label) != 12 {
			longer++
		}
	}
	if longer == 0 {
		t.Error("no label of 100,000 was longer: the all-digit case was never met")
	}
}
