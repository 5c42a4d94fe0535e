package pipeline_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"blankett/form"
	"blankett/letter"
	"blankett/pipeline"
	"blankett/storage"
	"blankett/validate"
)

func TestTermination(t *testing.T) {
	t.Parallel()
	p, db := reviewSetup(t)
	ctx := context.Background()
	const org = "212000-0142"
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if err := storage.LoadReference(ctx, db, form.Reference{
		Organisations: []form.Organisation{{Number: org, Name: "Testkommunen"}},
		Agreements:    []form.Agreement{{OrgNumber: org, PartSigned: day("2024-01-10"), Countersigned: day("2024-01-20"), CopiesReceived: 2}},
		Orderers: []form.Orderer{{OrgNumber: org, Name: "Olle Beställare", Personnummer: "198112189876",
			ValidFrom: day("2025-01-01"), ValidTo: day("2026-12-31")}},
	}); err != nil {
		t.Fatal(err)
	}
	// The Part's address is on its agreement's document.
	agreementDoc := inReview(t, db, 99, form.KindAgreement, form.Fields{
		"org_address":  {Name: "org_address", Value: "Storgatan 1", Raw: "Storgatan 1"},
		"org_postcode": {Name: "org_postcode", Value: "123 45", Raw: "12345"},
		"org_town":     {Name: "org_town", Value: "Teststad", Raw: "Teststad"},
		"contact_name": {Name: "contact_name", Value: "Karl Kontakt", Raw: "Karl Kontakt"},
	})
	if _, err := db.Exec(ctx, "update agreements set source_document = $1 where org_number = $2", agreementDoc, org); err != nil {
		t.Fatal(err)
	}
	term := pipeline.Termination{OrgNumber: org, RequestedBy: "part", Received: day("2025-03-01"), End: day("2025-06-30"), Actor: "rita"}

	t.Run("too short a notice needs a reason", func(t *testing.T) {
		_, findings, err := p.RecordTermination(ctx, term)
		if !errors.Is(err, pipeline.ErrUnresolvedFindings) || len(findings) != 1 || findings[0].Code != form.CodeTerminationNoticeShort {
			t.Fatalf("findings %+v, %v; want %s", findings, err, form.CodeTerminationNoticeShort)
		}
		var n int
		if err := db.QueryRow(ctx, "select count(*) from terminations").Scan(&n); err != nil || n != 0 {
			t.Fatalf("%d terminations recorded (%v), want none", n, err)
		}
	})
	t.Run("a Part without an agreement", func(t *testing.T) {
		other := term
		other.OrgNumber, other.End = "802002-3456", day("2025-12-31")
		if _, _, err := p.RecordTermination(ctx, other); !errors.Is(err, pipeline.ErrInvalidInput) && !errors.Is(err, pipeline.ErrNoAgreementInForce) {
			t.Fatalf("termination of a Part without an agreement: %v", err)
		}
	})

	term.End = day("2025-09-30")
	id, findings, err := p.RecordTermination(ctx, term)
	if err != nil || id == 0 || len(findings) != 0 {
		t.Fatalf("six months' notice: id %d, findings %+v, %v", id, findings, err)
	}
	ls, err := storage.TerminationLetters(ctx, db, id)
	if err != nil || len(ls) != 1 || ls[0].Kind != letter.KindAgreementTerminated {
		t.Fatalf("termination letters %+v %v, want one", ls, err)
	}
	if pdf, err := p.LetterPDF(ctx, ls[0]); err != nil || len(pdf) == 0 {
		t.Fatalf("the letter's PDF: %d bytes, %v", len(pdf), err)
	}
	reg := storage.NewRegistry(db)
	inForce := func(on string) bool {
		as, err := reg.AgreementsInForce(ctx, day(on))
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(as, func(a form.Agreement) bool { return a.OrgNumber == org })
	}
	if !inForce("2025-09-29") || inForce("2025-09-30") {
		t.Fatalf("in force on 2025-09-29: %v (want true), on 2025-09-30: %v (want false)", inForce("2025-09-29"), inForce("2025-09-30"))
	}

	// A 9445 from the Part's orderer after the end date.
	order := form.Document{Kind: form.Kind9445, Received: day("2025-10-15").Add(10 * time.Hour), Fields: form.Fields{}}
	for k, v := range map[string]string{"org_number": org, "org_name": "Testkommunen", "orderer_name": "Olle Beställare",
		"order_new": "true", "user_name": "Ulla Användare", "user_personnummer": "198507079872", "login_bankid": "true",
		"role_susrapport": "true", "signature": "true", "signer_name": "Olle Beställare", "sign_place": "Teststad", "sign_date": "2025-10-10"} {
		order.Fields[k] = form.Value{Name: k, Value: v, Raw: v}
	}
	got, err := validate.Document(ctx, reg, order)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, f := range got {
		codes = append(codes, f.Code)
	}
	if !slices.Contains(codes, form.CodeOrdererRemoved) || !slices.Contains(codes, form.CodeAgreementNotInForce) {
		t.Fatalf("a 9445 after the end date: %v, want %s and %s", codes, form.CodeOrdererRemoved, form.CodeAgreementNotInForce)
	}
}
