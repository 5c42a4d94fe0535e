package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"

	"blankett/letter"
	"blankett/storage"
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
	rows, err := storage.UnprintedLetters(ctx, p.pool)
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
	err = pgx.BeginFunc(ctx, p.pool, func(tx pgx.Tx) error {
		marked, err = storage.MarkPrinted(ctx, tx, ids, batch, at)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("mark %d letters printed: %w", len(ids), err)
	}
	return marked, nil
}
