package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"blankett/form"
	"blankett/letter"
	"blankett/storage"
	"blankett/validate"
)

// Termination is a written notice ending a Part's agreement (§5): from the
// Part or from FK, received on Received, asking it to end on End.
type Termination struct {
	OrgNumber   string
	RequestedBy string // "part" or "fk"
	Received    time.Time
	End         time.Time
	// Overrides holds a reviewer's written reason per error finding (an
	// end date sooner than six months after receipt, agreed by both).
	Overrides map[string]string
	Actor     string
}

// ErrNoAgreementInForce is returned when a termination names a Part with
// no agreement in force on the day it arrived.
var ErrNoAgreementInForce = errors.New("the organisation has no agreement in force")

// TerminationFindings checks a termination before it is recorded.
func TerminationFindings(t Termination) []form.Finding {
	return validate.Termination(t.Received, t.End)
}

// RecordTermination records a received termination in one transaction:
// the agreement in force ends on the end date, and the Part's orderers
// lose their rights that day (the registry's "as of" answers change from
// it). An error finding (notice shorter than six months) needs a written
// override reason; without one nothing is recorded and ErrUnresolvedFindings
// is returned with the findings.
func (p *Pipeline) RecordTermination(ctx context.Context, t Termination) (int64, []form.Finding, error) {
	orgnr, err := validate.ParseOrgnr(t.OrgNumber)
	if err != nil {
		return 0, nil, fmt.Errorf("record termination: %w: %w", ErrInvalidInput, err)
	}
	if t.RequestedBy != "part" && t.RequestedBy != "fk" {
		return 0, nil, fmt.Errorf("record termination: %w: requested by %q", ErrInvalidInput, t.RequestedBy)
	}
	if t.Received.IsZero() || t.End.IsZero() {
		return 0, nil, fmt.Errorf("record termination: %w: received and end dates are required", ErrInvalidInput)
	}
	findings := TerminationFindings(t)
	var reasons []string
	for _, f := range findings {
		why := strings.TrimSpace(t.Overrides[f.Code])
		if f.Severity == form.SeverityError && why == "" {
			return 0, findings, fmt.Errorf("record termination of %s: %s: %w", orgnr, f.Code, ErrUnresolvedFindings)
		}
		if why != "" {
			reasons = append(reasons, why)
		}
	}
	var id int64
	err = p.db.InTx(ctx, func(tx storage.Tx) error {
		received := form.Day(t.Received)
		agreements, err := storage.NewRegistry(nil).InTx(tx).Agreements(ctx, orgnr, form.Day(time.Now()))
		if err != nil {
			return err
		}
		var inForce *form.Agreement
		for i := range agreements {
			if agreements[i].InForce(received) {
				inForce = &agreements[i]
			}
		}
		if inForce == nil {
			return fmt.Errorf("record termination of %s: %w", orgnr, ErrNoAgreementInForce)
		}
		id, err = storage.RecordTermination(ctx, tx, storage.TerminationRow{OrgNumber: orgnr, AgreementID: inForce.ID,
			RequestedBy: t.RequestedBy, Received: received, End: form.Day(t.End), OverrideReason: strings.Join(reasons, " "),
			RecordedBy: t.Actor})
		if err != nil {
			return err
		}
		return p.terminationLetter(ctx, tx, id, *inForce, t)
	})
	return id, findings, err
}

// terminationLetter confirms termination id to the Part, in tx; with no
// postal address known the letter is held (logged, never printed blind).
func (p *Pipeline) terminationLetter(ctx context.Context, tx storage.Tx, id int64, a form.Agreement, t Termination) error {
	addr, err := p.partAddress(ctx, tx, a)
	if err != nil {
		return err
	}
	sendTo, err := p.returnAddresses(ctx, tx)
	if err != nil {
		return err
	}
	l, err := letter.ComposeTermination(letter.Termination{Organisation: a.OrgName, Address: addr, ByPart: t.RequestedBy == "part",
		Received: t.Received, End: t.End, RecordedAt: time.Now(), Reference: fmt.Sprintf("SUS-U-%06d", id),
		ReturnAddress: sendTo[form.KindAgreement]})
	if err != nil {
		return fmt.Errorf("termination %d: letter: %w", id, err)
	}
	pdf, err := letter.Render(l, p.sender)
	if errors.Is(err, letter.ErrNoAddress) {
		p.logger.WarnContext(ctx, "termination letter held: no postal address", "termination_id", id)
		return nil
	}
	if err != nil {
		return fmt.Errorf("termination %d: letter: %w", id, err)
	}
	sum := sha256.Sum256(pdf)
	row := storage.LetterRow{TerminationID: id, Kind: l.Kind, RecipientKey: l.RecipientKey, RecipientName: a.OrgName,
		ObjectKey: storage.TerminationLetterKey(id, l.RecipientKey), SHA256: hex.EncodeToString(sum[:]),
		SizeBytes: int64(len(pdf))}
	if err := p.blob.Put(ctx, row.ObjectKey, bytes.NewReader(pdf), row.SizeBytes, row.SHA256, "application/pdf"); err != nil {
		return fmt.Errorf("termination %d: letter: %w", id, err)
	}
	_, err = storage.InsertTerminationLetter(ctx, tx, row)
	return err
}

// ErrInvalidInput is returned for a request that lacks what a use case
// needs (a valid org number, a date).
var ErrInvalidInput = errors.New("invalid input")
