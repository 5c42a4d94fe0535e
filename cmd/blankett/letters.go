package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"blankett/form"
	"blankett/letter"
	"blankett/pipeline"
	"blankett/storage"
	"blankett/validate"
)

// letterBlob is what the letters step needs of the object store.
type letterBlob interface {
	Put(ctx context.Context, key string, r io.Reader, size int64, sha256hex, contentType string) error
}

// letterWriter is the pipeline's LetterWriter: it composes a decision's
// letters from the document and the registry, renders each as a PDF, puts
// it into the blob store and records it, all inside the letters job's
// transaction.
type letterWriter struct {
	reg    *storage.Registry
	blob   letterBlob
	sender letter.Sender
	logger *slog.Logger
}

var _ pipeline.LetterWriter = (*letterWriter)(nil)

func newLetterWriter(reg *storage.Registry, blob letterBlob, logger *slog.Logger) *letterWriter {
	return &letterWriter{reg: reg, blob: blob, sender: letter.DefaultSender(), logger: logger}
}

// letterKey is where a letter's PDF is stored. It depends only on the
// decision and the recipient, so a rerun of the step after a crash
// overwrites the object a failed run left instead of adding a second one.
func letterKey(decisionID int64, recipientKey string) string {
	return fmt.Sprintf("letters/%d/%s.pdf", decisionID, strings.ReplaceAll(recipientKey, ":", "-"))
}

// reference is the case's diarienummer: the year the form came in and the
// document's number.
func reference(doc storage.Document) string {
	year := validate.Day(doc.ReceivedAt).Year()
	if doc.ReceivedAt.IsZero() {
		year = validate.Day(time.Now()).Year()
	}
	return fmt.Sprintf("SUS-%d-%06d", year, doc.ID)
}

// WriteLetters implements pipeline.LetterWriter. Each PDF is put into the
// blob store before its row is inserted in tx: a crash before the commit
// leaves objects that the rerun overwrites under the same keys. A decision
// the letters cannot be composed for (letter.ErrNothingToWrite) gets no
// letters and is not an error. Nothing here logs a personnummer or a name.
func (w *letterWriter) WriteLetters(ctx context.Context, tx pgx.Tx, doc storage.Document, dec storage.Decision) error {
	reg := w.reg.InTx(tx)
	facts, err := w.facts(ctx, reg, tx, doc, dec.DecidedAt)
	if err != nil {
		return fmt.Errorf("letters for decision %d: %w", dec.ID, err)
	}
	ld := letter.Decision{
		Outcome:           dec.Outcome,
		Reason:            dec.Reason,
		RequestCompletion: dec.RequestCompletion,
		DecidedAt:         dec.DecidedAt,
		Reference:         reference(doc),
	}
	if dec.RequestCompletion {
		ld.ReplyBy = validate.Day(dec.DecidedAt).AddDate(0, 0, completionDays)
	}
	fd := form.Document{ID: doc.ID, Kind: doc.Kind, Received: doc.ReceivedAt, Fields: doc.Fields}
	letters, err := letter.Compose(fd, doc.Findings, ld, facts)
	if errors.Is(err, letter.ErrNothingToWrite) {
		w.logger.WarnContext(ctx, "no letters for decision", "document_id", doc.ID, "decision_id", dec.ID,
			"kind", string(doc.Kind), "outcome", string(dec.Outcome), "reason", err.Error())
		return nil
	}
	if err != nil {
		return fmt.Errorf("letters for decision %d: %w", dec.ID, err)
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
		pdf, err := letter.Render(l, w.sender)
		if errors.Is(err, letter.ErrNoAddress) {
			// Never printed blind: the letter is held until someone finds
			// the address. TODO(lead): record held letters and list them.
			w.logger.WarnContext(ctx, "letter held: no postal address", "document_id", doc.ID, "decision_id", dec.ID,
				"kind", l.Kind, "recipient", l.RecipientKey)
			continue
		}
		if err != nil {
			return fmt.Errorf("letters for decision %d: %s: %w", dec.ID, l.RecipientKey, err)
		}
		sum := sha256.Sum256(pdf)
		row := storage.LetterRow{
			DecisionID: dec.ID, DocumentID: doc.ID, Kind: l.Kind, RecipientKey: l.RecipientKey,
			RecipientName: l.Recipient.Name, ObjectKey: letterKey(dec.ID, l.RecipientKey),
			SHA256: hex.EncodeToString(sum[:]), SizeBytes: int64(len(pdf)),
		}
		if row.RecipientName == "" {
			row.RecipientName = l.Recipient.Organisation
		}
		if err := w.blob.Put(ctx, row.ObjectKey, bytes.NewReader(pdf), row.SizeBytes, row.SHA256, "application/pdf"); err != nil {
			return fmt.Errorf("letters for decision %d: %w", dec.ID, err)
		}
		id, inserted, err := storage.InsertLetter(ctx, tx, row)
		if err != nil {
			return err
		}
		w.logger.InfoContext(ctx, "letter made", "document_id", doc.ID, "decision_id", dec.ID, "letter_id", id,
			"kind", l.Kind, "recipient", l.RecipientKey, "new", inserted)
	}
	return nil
}

// completionDays is how long a sender has to answer a request for
// completion.
const completionDays = 30

// sendToPhrase finds the return address in a template's edition line:
// "… Skickas till: Försäkringskassan, SUS, Utvecklingsstyrning, 103 51
// Stockholm" or "… Skickas i två exemplar till Försäkringskassan, …".
var sendToPhrase = regexp.MustCompile(`Skickas\b[^:]*?\btill:?\s*(.+)$`)

// returnAddresses reads each known form's return address from its
// template, one line per comma-separated part.
func returnAddresses() map[form.Kind][]string {
	out := map[form.Kind][]string{}
	templates, err := form.LoadTemplates()
	if err != nil {
		return out // the letters refuse to be composed without it
	}
	for k, t := range templates {
		m := sendToPhrase.FindStringSubmatch(t.Edition)
		if m == nil {
			continue
		}
		var lines []string
		for _, s := range strings.Split(m[1], ",") {
			if s = strings.TrimSpace(s); s != "" {
				lines = append(lines, s)
			}
		}
		out[k] = lines
	}
	return out
}

// fieldText is a field's normalised value, else what was read, trimmed.
func fieldText(f form.Fields, name string) string {
	v := f[name]
	if s := strings.TrimSpace(v.Value); s != "" {
		return s
	}
	return strings.TrimSpace(v.Raw)
}

// facts reads what the letters need from the registry as of the decision
// day, inside tx.
func (w *letterWriter) facts(ctx context.Context, reg *storage.Registry, tx pgx.Tx, doc storage.Document, decidedAt time.Time) (letter.Facts, error) {
	facts := letter.Facts{SendTo: returnAddresses()}
	if !doc.Kind.Known() {
		return facts, nil
	}
	orgnr, err := validate.ParseOrgnr(fieldText(doc.Fields, "org_number"))
	if err != nil {
		return facts, nil // no Part to look up: the letters say what the form says
	}
	day := validate.Day(decidedAt)
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
		return facts, nil // addressed from the agreement itself
	}
	facts.NoAgreement = inForce == nil

	// The Part's postal address is on its agreement: the one in force,
	// else the latest one recorded.
	from := latest
	if inForce != nil && inForce.SourceDocument != 0 {
		from = inForce
	}
	if from != nil {
		ad, err := storage.GetDocument(ctx, tx, from.SourceDocument)
		switch {
		case errors.Is(err, storage.ErrNotFound):
		case err != nil:
			return facts, fmt.Errorf("agreement of %s: %w", orgnr, err)
		default:
			facts.OrgAddress = letter.Address{
				Street:   fieldText(ad.Fields, "org_address"),
				Postcode: fieldText(ad.Fields, "org_postcode"),
				Town:     fieldText(ad.Fields, "org_town"),
			}
		}
	}

	if doc.Kind == form.Kind9463 {
		orderers, err := reg.Orderers(ctx, orgnr, day)
		if err != nil {
			return facts, err
		}
		for row := 1; row <= validate.OrdererRows; row++ {
			if !doc.Fields.Checked(validate.OrdererField(row, "add")) {
				continue
			}
			name := fieldText(doc.Fields, validate.OrdererField(row, "name"))
			pnr, _ := validate.NormalisePersonnummer(fieldText(doc.Fields, validate.OrdererField(row, "personnummer")), day)
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

// readObject reads a whole object from the blob store.
func readObject(ctx context.Context, blob *storage.Blob, key string) ([]byte, error) {
	rc, _, err := blob.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("read object %s: %w", key, err)
	}
	return b, nil
}

func runLetters(ctx context.Context, logger *slog.Logger, args []string) error {
	if len(args) == 0 || args[0] != "print-batch" {
		return errors.New("usage: blankett letters print-batch [--out FILE]")
	}
	fset := flag.NewFlagSet("letters print-batch", flag.ContinueOnError)
	out := fset.String("out", "", "write the batch here (default letters-YYYYMMDD-HHMMSS.pdf)")
	if err := fset.Parse(args[1:]); err != nil {
		return err
	}
	a, err := openTool(ctx, logger)
	if err != nil {
		return err
	}
	defer a.close()
	_, err = writeBatch(ctx, a, *out, time.Now(), os.Stdout)
	return err
}

// writeBatch writes the print batch to path (default from now), syncs it,
// marks its letters printed and reports to w. With nothing to print it
// writes no file and says so.
func writeBatch(ctx context.Context, a *app, path string, now time.Time, w io.Writer) (marked int64, err error) {
	pdf, ids, err := a.pipeline.PrintBatch(ctx)
	if errors.Is(err, pipeline.ErrNothingToPrint) {
		fmt.Fprintln(w, "Inga brev att skriva ut.")
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	batch := now.Format("20060102-150405")
	if path == "" {
		path = "letters-" + batch + ".pdf"
	}
	if err := writeFileSynced(path, pdf); err != nil {
		return 0, fmt.Errorf("print batch: %w", err)
	}
	marked, err = a.pipeline.MarkPrinted(ctx, ids, batch, now)
	if err != nil {
		return 0, fmt.Errorf("print batch %s written to %s, but its letters are not marked printed: %w", batch, path, err)
	}
	fmt.Fprintf(w, "%d brev i %s (utskriftsomgång %s), %d markerade som utskrivna\n", len(ids), path, batch, marked)
	if marked < int64(len(ids)) {
		fmt.Fprintf(w, "%d av breven hade redan skrivits ut i en annan omgång samtidigt\n", int64(len(ids))-marked)
	}
	return marked, nil
}

// writeFileSynced writes b to path through a temporary file in the same
// folder, synced before it is renamed into place, so path is either
// absent or complete.
func writeFileSynced(path string, b []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // no-op after the rename
	if _, err := f.Write(b); err != nil {
		_ = f.Close() // the write error is the one to report
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	// Letters carry personal data: readable by the service's user only.
	if err := os.Chmod(tmp, 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	d, err := os.Open(dir) // #nosec G304 -- the folder of the output file given by the operator on the command line
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
