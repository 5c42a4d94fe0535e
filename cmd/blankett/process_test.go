package main

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"blankett/corpus"
	"blankett/form"
	"blankett/letter"
	"blankett/storage"
)

// filledPDF fills the blank fillable PDF of kind with values, as a Part
// fills it in a PDF viewer.
func filledPDF(t *testing.T, kind form.Kind, values map[string]string) []byte {
	t.Helper()
	tmpl, err := form.LoadTemplate(kind)
	if err != nil {
		t.Fatal(err)
	}
	blank, err := corpus.BlankPDF(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := corpus.FillPDF(tmpl, blank, values)
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}

// envelopeOrg is the new Part of the one-envelope tests.
const (
	envelopeOrg     = "212000-1355"
	envelopeOrgName = "Samordningsförbundet Kuststaden"
	envelopeSigner  = "Maja Lindqvist"
)

// envelopeForms are what a new Part posts together (seed 000): two signed
// copies of the agreement and one 9463 naming two orderers, all signed
// days before they arrive.
func envelopeForms(t *testing.T) map[string][]byte {
	t.Helper()
	signed := time.Now().AddDate(0, 0, -5).Format(time.DateOnly)
	agreement := func(place string) []byte {
		return filledPDF(t, form.KindAgreement, map[string]string{
			"org_name": envelopeOrgName, "org_number": envelopeOrg,
			"org_address": "Hamngatan 4", "org_postcode": "45130", "org_town": "Uddevalla",
			"contact_name": "Erik Strand", "contact_title": "Förbundschef", "contact_phone": "0522-69 60 00",
			"contact_email":  "erik.strand@kuststaden.se",
			"signatory_name": envelopeSigner, "signatory_title": "Ordförande",
			"signatory_phone": "0522-69 60 01", "signatory_email": "maja.lindqvist@kuststaden.se",
			"part_sign_place": place, "part_sign_date": signed, "part_signature": "true", "part_signer_name": envelopeSigner,
		})
	}
	return map[string][]byte{
		// Two copies: the same agreement, signed twice (the place written
		// a little differently, so the files differ as two scans would).
		"overenskommelse-1.pdf": agreement("Uddevalla"),
		"overenskommelse-2.pdf": agreement("Uddevalla "),
		"9463.pdf": filledPDF(t, form.Kind9463, map[string]string{
			"org_name": envelopeOrgName, "org_number": envelopeOrg,
			"orderer1_add": "true", "orderer1_name": "Per Holm", "orderer1_personnummer": personnummer(t, "19750312", 123),
			"orderer1_phone": "070-123 45 67", "orderer1_email": "per.holm@kuststaden.se",
			"orderer2_add": "true", "orderer2_name": "Lina Berg", "orderer2_personnummer": personnummer(t, "19820704", 456),
			"orderer2_phone": "070-765 43 21", "orderer2_email": "lina.berg@kuststaden.se",
			"signature": "true", "signer_name": envelopeSigner, "signer_title": "Ordförande",
			"sign_place": "Uddevalla", "sign_date": signed,
		}),
	}
}

// uploadEnvelope posts the envelope's files in one request and returns
// the agreements' and the 9463's document ids once they are read.
func uploadEnvelope(t *testing.T, a *app, url string) (agreements []int64, notice int64) {
	t.Helper()
	resp, out := upload(t, url, envelopeForms(t))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d %v", resp.StatusCode, out)
	}
	ctx := context.Background()
	for _, x := range out["documents"].([]any) {
		id := int64(x.(map[string]any)["id"].(float64))
		deadline := time.Now().Add(90 * time.Second)
		for {
			d, err := storage.GetDocument(ctx, a.db, id)
			if err != nil {
				t.Fatal(err)
			}
			if d.Kind == form.Kind9463 && d.State == form.StateWaiting {
				notice = id
				break
			}
			if d.Kind == form.KindAgreement && d.State == form.StateNeedsReview {
				agreements = append(agreements, id)
				break
			}
			if time.Now().After(deadline) || d.State == form.StateNeedsReview || d.State == form.StateUnclassified || d.State == form.StateUnreadable {
				t.Fatalf("document %d (%s) is %s: %s; want agreements in review and the 9463 waiting", id, d.Kind, d.State, d.StateMessage)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	if len(agreements) != 2 || notice == 0 {
		t.Fatalf("agreements %v, 9463 %d", agreements, notice)
	}
	d, _ := storage.GetDocument(ctx, a.db, notice)
	if !slices.Contains(agreements, d.WaitingFor) {
		t.Fatalf("the 9463 waits for %d, want one of the agreements %v", d.WaitingFor, agreements)
	}
	return agreements, notice
}

// overrideAll is a decision that approves doc with a reason for each of its
// error findings.
func overrideAll(t *testing.T, a *app, id int64) storage.Decision {
	t.Helper()
	d, err := storage.GetDocument(context.Background(), a.db, id)
	if err != nil {
		t.Fatal(err)
	}
	dec := storage.Decision{DocumentID: id, Outcome: form.StateApproved, Overrides: map[string]string{}}
	for _, f := range d.Findings {
		if f.Severity == form.SeverityError {
			dec.Overrides[f.Code] = "Kontrollerat mot originalet."
		}
	}
	return dec
}

func codes(fs []form.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

// TestOneEnvelopeApproved follows seed 000: the agreement in two copies and
// the 9463 in one upload; the 9463 waits; the agreement is approved and
// confirmed by a second reviewer; the 9463 is checked again as of the day
// it came into force and is approved; each orderer gets a letter.
func TestOneEnvelopeApproved(t *testing.T) {
	t.Parallel()
	a, _, _ := testApp(t, 2, nil)
	srv := startServer(t, a)
	agreements, notice := uploadEnvelope(t, a, srv.URL)
	for _, id := range agreements {
		decide(t, a, overrideAll(t, a, id))
	}
	d := waitState(t, a, notice, form.StateNeedsReview)
	if slices.Contains(codes(d.Findings), form.CodeAgreementNotInForce) || d.RegistryAsOf.IsZero() {
		t.Fatalf("after the agreement's approval the 9463 has findings %v, checked as of %v", codes(d.Findings), d.RegistryAsOf)
	}
	decID := decide(t, a, overrideAll(t, a, notice))
	waitState(t, a, notice, form.StateDone)
	ls, err := storage.LettersForDocument(context.Background(), a.db, notice)
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(ls); !slices.Equal(got, []string{letter.OrdererRecipient(1), letter.OrdererRecipient(2)}) {
		t.Fatalf("letters for the 9463 (decision %d): %v, want one per orderer", decID, got)
	}
	reg := storage.NewRegistry(a.db)
	orderers, err := reg.Orderers(context.Background(), envelopeOrg, form.Day(time.Now()))
	if err != nil || len(orderers) != 2 {
		t.Fatalf("orderers %+v %v, want two", orderers, err)
	}
}

// TestOneEnvelopeRejected: the same envelope, the agreement rejected; the
// 9463 is checked again and its finding says the agreement was not
// approved, with the reviewer's reason.
func TestOneEnvelopeRejected(t *testing.T) {
	t.Parallel()
	a, _, _ := testApp(t, 2, nil)
	srv := startServer(t, a)
	agreements, notice := uploadEnvelope(t, a, srv.URL)
	const reason = "Överenskommelsen är undertecknad av någon som inte är firmatecknare."
	for _, id := range agreements {
		decide(t, a, storage.Decision{DocumentID: id, Outcome: form.StateRejected, Reason: reason})
	}
	d := waitState(t, a, notice, form.StateNeedsReview)
	if d.AgreementRejected != reason {
		t.Fatalf("the 9463 knows the agreement was rejected for %q, want %q", d.AgreementRejected, reason)
	}
	found := false
	for _, f := range d.Findings {
		found = found || f.Code == form.CodeAgreementRejected
	}
	if !found {
		t.Fatalf("findings %v, want %s", codes(d.Findings), form.CodeAgreementRejected)
	}
}
