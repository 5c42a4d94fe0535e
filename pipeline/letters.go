package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"blankett/form"
	"blankett/letter"
	"blankett/storage"
	"blankett/validate"
)

// ErrNothingToPrint is returned by PrintBatch when every letter has been
// printed.
var ErrNothingToPrint = errors.New("no letters to print")

// PrintBatch merges every letter not yet printed, oldest first, into one
// PDF and returns it with the letters' ids in print order. It marks
// nothing: the caller marks the ids printed (MarkPrinted) once the PDF is
// safely delivered, so a batch that never reaches the printer is made
// again next time. Each letter's bytes are checked against the SHA-256 its
// row recorded. With nothing to print it returns ErrNothingToPrint.
func (p *Pipeline) PrintBatch(ctx context.Context) (pdf []byte, ids []int64, err error) {
	rows, err := storage.UnprintedLetters(ctx, p.db)
	if err != nil {
		return nil, nil, fmt.Errorf("print batch: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil, ErrNothingToPrint
	}
	pdfs := make([][]byte, 0, len(rows))
	ids = make([]int64, 0, len(rows))
	for _, l := range rows {
		b, err := p.LetterPDF(ctx, l)
		if err != nil {
			return nil, nil, fmt.Errorf("print batch: %w", err)
		}
		pdfs = append(pdfs, b)
		ids = append(ids, l.ID)
	}
	pdf, err = letter.Merge(pdfs)
	if err != nil {
		return nil, nil, fmt.Errorf("print batch: %w", err)
	}
	return pdf, ids, nil
}

// LetterPDF reads a letter's PDF from the blob store and checks it against
// the SHA-256 its row recorded: a letter whose object was changed or lost
// is an error, never sent.
func (p *Pipeline) LetterPDF(ctx context.Context, l storage.LetterRow) ([]byte, error) {
	rc, _, err := p.blob.Get(ctx, l.ObjectKey)
	if err != nil {
		return nil, fmt.Errorf("letter %d: %w", l.ID, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("letter %d: read object %s: %w", l.ID, l.ObjectKey, err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != l.SHA256 {
		return nil, fmt.Errorf("letter %d: object %s has SHA-256 %s, its row says %s", l.ID, l.ObjectKey, got, l.SHA256)
	}
	return b, nil
}

// MarkPrinted records, in one transaction, that the letters ids went out
// in print batch batch at time at. Letters another batch printed
// meanwhile keep that batch; marked counts the ones this call marked.
func (p *Pipeline) MarkPrinted(ctx context.Context, ids []int64, batch string, at time.Time) (marked int64, err error) {
	err = p.db.InTx(ctx, func(tx storage.Tx) error {
		marked, err = storage.MarkPrinted(ctx, tx, ids, batch, at)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("mark %d letters printed: %w", len(ids), err)
	}
	return marked, nil
}

// reference is the case's diarienummer: the year the form came in and the
// document's number.
func reference(doc storage.Document) string {
	year := form.Day(doc.ReceivedAt).Year()
	if doc.ReceivedAt.IsZero() {
		year = form.Day(time.Now()).Year()
	}
	return fmt.Sprintf("SUS-%d-%06d", year, doc.ID)
}

// WriteLetters makes the letters of decision decisionID on document
// documentID, in one transaction; letters made before are not made again.
// The letters job does the same when it completes.
func (p *Pipeline) WriteLetters(ctx context.Context, documentID, decisionID int64) error {
	return p.db.InTx(ctx, func(tx storage.Tx) error {
		doc, err := storage.GetDocument(ctx, tx, documentID)
		if err != nil {
			return err
		}
		dec, err := storage.GetDecision(ctx, tx, decisionID)
		if err != nil {
			return err
		}
		return p.writeLetters(ctx, tx, doc, dec)
	})
}

// writeLetters composes a decision's letters from the document and the
// registry, renders each as a PDF, puts it into the blob store and records
// it, all inside the letters job's transaction tx. Each PDF is put into the
// blob store before its row is inserted in tx: a crash before the commit
// leaves objects that the rerun overwrites under the same keys. A decision
// the letters cannot be composed for (letter.ErrNothingToWrite) gets no
// letters and is not an error. Nothing here logs a personnummer or a name.
func (p *Pipeline) writeLetters(ctx context.Context, tx storage.Tx, doc storage.Document, dec storage.Decision) error {
	letters, err := p.composeLetters(ctx, tx, doc, dec)
	if errors.Is(err, letter.ErrNothingToWrite) {
		p.logger.WarnContext(ctx, "no letters for decision", "document_id", doc.ID, "decision_id", dec.ID,
			"kind", string(doc.Kind), "outcome", string(dec.Outcome), "reason", err.Error())
		return nil
	}
	if err != nil {
		return err
	}

	existing, err := storage.LettersForDocument(ctx, tx, doc.ID)
	if err != nil {
		return fmt.Errorf("letters for decision %d: %w", dec.ID, err)
	}
	made := map[string]bool{}
	for _, l := range existing {
		if l.DecisionID == dec.ID {
			made[l.RecipientKey] = true
		}
	}
	for _, l := range letters {
		if made[l.RecipientKey] {
			continue // recorded before; its object is the one the row names
		}
		pdf, err := letter.Render(l, p.sender)
		if errors.Is(err, letter.ErrNoAddress) {
			// Never printed blind: held and listed until someone finds the
			// address (blankett letters held).
			p.logger.WarnContext(ctx, "letter held: no postal address", "document_id", doc.ID, "decision_id", dec.ID,
				"kind", l.Kind, "recipient", l.RecipientKey)
			if err := storage.HoldLetter(ctx, tx, storage.HeldLetter{DecisionID: dec.ID, DocumentID: doc.ID, Kind: l.Kind,
				RecipientKey: l.RecipientKey, Reason: "Ingen postadress: varken blanketten eller registret anger adressen."}); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("letters for decision %d: %s: %w", dec.ID, l.RecipientKey, err)
		}
		sum := sha256.Sum256(pdf)
		row := storage.LetterRow{
			DecisionID: dec.ID, DocumentID: doc.ID, Kind: l.Kind, RecipientKey: l.RecipientKey,
			RecipientName: l.Recipient.Name, ObjectKey: storage.DecisionLetterKey(dec.ID, l.RecipientKey),
			SHA256: hex.EncodeToString(sum[:]), SizeBytes: int64(len(pdf)),
		}
		if row.RecipientName == "" {
			row.RecipientName = l.Recipient.Organisation
		}
		if err := p.blob.Put(ctx, row.ObjectKey, bytes.NewReader(pdf), row.SizeBytes, row.SHA256, "application/pdf"); err != nil {
			return fmt.Errorf("letters for decision %d: %w", dec.ID, err)
		}
		id, inserted, err := storage.InsertLetter(ctx, tx, row)
		if err != nil {
			return err
		}
		p.logger.InfoContext(ctx, "letter made", "document_id", doc.ID, "decision_id", dec.ID, "letter_id", id,
			"kind", l.Kind, "recipient", l.RecipientKey, "new", inserted)
	}
	return nil
}

// composeLetters is the letters decision dec on doc calls for, from the
// document (read through its own edition) and the registry as read in tx.
func (p *Pipeline) composeLetters(ctx context.Context, tx storage.Tx, doc storage.Document, dec storage.Decision) ([]letter.Letter, error) {
	reg := storage.NewRegistry(nil).InTx(tx)
	facts, err := p.letterFacts(ctx, reg, tx, doc, dec.DecidedAt)
	if err != nil {
		return nil, fmt.Errorf("letters for decision %d: %w", dec.ID, err)
	}
	ld := letter.Decision{
		Outcome:           dec.Outcome,
		Reason:            dec.Reason,
		RequestCompletion: dec.RequestCompletion,
		DecidedAt:         dec.DecidedAt,
		Reference:         reference(doc),
	}
	if dec.RequestCompletion {
		ld.ReplyBy = form.Day(dec.DecidedAt).AddDate(0, 0, completionDays)
	}
	fd, err := p.formOf(ctx, tx, doc)
	if err != nil {
		return nil, fmt.Errorf("letters for decision %d: %w", dec.ID, err)
	}
	letters, err := letter.Compose(fd, askable(doc.Findings, dec), ld, facts)
	if err != nil {
		return nil, fmt.Errorf("letters for decision %d: %w", dec.ID, err)
	}
	return letters, nil
}

// partAddress is the Part's postal address on agreement a's document, as
// read with that document's edition (empty when the agreement was loaded
// without one).
func (p *Pipeline) partAddress(ctx context.Context, tx storage.Tx, a form.Agreement) (letter.Address, error) {
	if a.SourceDocument == 0 {
		return letter.Address{}, nil
	}
	ad, err := storage.GetDocument(ctx, tx, a.SourceDocument)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return letter.Address{}, nil
	case err != nil:
		return letter.Address{}, fmt.Errorf("agreement of %s: %w", a.OrgNumber, err)
	}
	t, err := p.editionOf(ctx, tx, ad)
	if err != nil {
		return letter.Address{}, fmt.Errorf("agreement of %s: %w", a.OrgNumber, err)
	}
	return letter.Address{
		Street:   t.RoleText(ad.Fields, form.FieldOrgAddress, 0),
		Postcode: t.RoleText(ad.Fields, form.FieldOrgPostcode, 0),
		Town:     t.RoleText(ad.Fields, form.FieldOrgTown, 0),
		Name:     t.RoleText(ad.Fields, form.FieldContactName, 0),
	}, nil
}

// completionDays is how long a sender has to answer a request for
// completion.
const completionDays = 30

// ReturnAddresses is where each kind's forms are to be sent, as the
// editions read with today print it ("Skickas till"; the first edition of
// the kind that gives one), one line per comma-separated part.
func (p *Pipeline) ReturnAddresses(ctx context.Context) (map[form.Kind][]string, error) {
	return p.returnAddresses(ctx, p.db)
}

// returnAddresses is ReturnAddresses as q reads the editions.
func (p *Pipeline) returnAddresses(ctx context.Context, q storage.Querier) (map[form.Kind][]string, error) {
	set, err := p.activeSet(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("return addresses: %w", err)
	}
	out := map[form.Kind][]string{}
	for _, t := range set.Templates() {
		if lines := addressLines(t.ReturnAddress); len(out[t.Kind]) == 0 && len(lines) > 0 {
			out[t.Kind] = lines
		}
	}
	return out, nil
}

// addressLines splits an edition's return address into lines.
func addressLines(s string) []string {
	var lines []string
	for _, l := range strings.Split(s, ",") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// facts reads what the letters need from the registry as of the decision
// day, inside tx.
func (p *Pipeline) letterFacts(ctx context.Context, reg *storage.Registry, tx storage.Tx, doc storage.Document, decidedAt time.Time) (letter.Facts, error) {
	sendTo, err := p.returnAddresses(ctx, tx)
	if err != nil {
		return letter.Facts{}, err
	}
	facts := letter.Facts{SendTo: sendTo}
	if !doc.Kind.Known() {
		return facts, nil
	}
	t, err := p.editionOf(ctx, tx, doc)
	if err != nil {
		return facts, err
	}
	if own := addressLines(t.ReturnAddress); len(own) > 0 {
		facts.SendTo[doc.Kind] = own // where the sender's own edition says it goes
	}
	orgnr, err := validate.ParseOrgnr(t.RoleText(doc.Fields, form.FieldOrgNumber, 0))
	if err != nil {
		return facts, nil // no Part to look up: the letters say what the form says
	}
	day := form.Day(decidedAt)
	agreements, err := reg.Agreements(ctx, orgnr, day)
	if err != nil {
		return facts, err
	}
	var inForce, latest *form.Agreement
	for i := range agreements {
		a := &agreements[i]
		if a.SourceDocument != 0 && (latest == nil || a.ID > latest.ID) {
			latest = a
		}
		if a.InForce(day) && (inForce == nil || a.Countersigned.After(inForce.Countersigned) ||
			(a.Countersigned.Equal(inForce.Countersigned) && a.ID > inForce.ID)) {
			inForce = a
		}
		if doc.Kind == form.KindAgreement && a.SourceDocument == doc.ID {
			facts.AgreementFrom = a.Countersigned
		}
	}
	if doc.Kind == form.KindAgreement {
		// Addressed from the agreement itself; a 9463 of the Part that came
		// with it (or since) is handled now.
		facts.OrdererFormWaiting, err = storage.OrdererFormPending(ctx, tx, orgnr)
		return facts, err
	}
	facts.NoAgreement = inForce == nil

	// The Part's postal address is on its agreement: the one in force,
	// else the latest one recorded.
	from := latest
	if inForce != nil && inForce.SourceDocument != 0 {
		from = inForce
	}
	if from != nil {
		if facts.OrgAddress, err = p.partAddress(ctx, tx, *from); err != nil {
			return facts, err
		}
	}

	if doc.Kind == form.Kind9463 {
		orderers, err := reg.Orderers(ctx, orgnr, day)
		if err != nil {
			return facts, err
		}
		for row := 1; row <= t.RoleRows(form.FieldOrdererRowName); row++ {
			if !t.RoleChecked(doc.Fields, form.FieldOrdererRowAdd, row) {
				continue
			}
			name := t.RoleText(doc.Fields, form.FieldOrdererRowName, row)
			pnr, _ := form.NormalisePersonnummer(t.RoleText(doc.Fields, form.FieldOrdererRowPersonnummer, row), day)
			for _, o := range orderers {
				if o.SourceDocument != doc.ID {
					continue
				}
				if (pnr != "" && o.Personnummer == pnr) || (pnr == "" && name != "" && validate.SameName(o.Name, name)) {
					if facts.OrdererValidTo == nil {
						facts.OrdererValidTo = map[int]time.Time{}
					}
					facts.OrdererValidTo[row] = o.ValidTo
					break
				}
			}
		}
	}
	return facts, nil
}

// InForceListPDF is the list FK publishes of the organisations with an
// agreement in force on day d, as a PDF/A document.
func (p *Pipeline) InForceListPDF(ctx context.Context, d time.Time) ([]byte, error) {
	agreements, err := storage.NewRegistry(p.db).AgreementsInForce(ctx, d)
	if err != nil {
		return nil, err
	}
	sendTo, err := p.ReturnAddresses(ctx)
	if err != nil {
		return nil, err
	}
	list := letter.InForceList{Date: form.Day(d), ReturnAddress: sendTo[form.KindAgreement]}
	for _, a := range agreements {
		list.Rows = append(list.Rows, letter.InForceRow{Organisation: a.OrgName, OrgNumber: a.OrgNumber, Since: a.Countersigned})
	}
	pdf, err := letter.RenderInForce(list, p.sender)
	if err != nil {
		return nil, fmt.Errorf("in-force list of %s: %w", d.Format(time.DateOnly), err)
	}
	return pdf, nil
}

// askable are the findings a decision's letter may put to the sender: a
// request to complete asks only for what the reviewer confirmed missing on
// the page image, never for what the reading merely missed.
func askable(findings []form.Finding, dec storage.Decision) []form.Finding {
	if !dec.RequestCompletion {
		return findings
	}
	out := make([]form.Finding, 0, len(findings))
	for _, f := range findings {
		if form.ReportsMissing(f.Code) && !slices.Contains(dec.ConfirmedMissing, f.Field) {
			continue
		}
		out = append(out, f)
	}
	return out
}
