package review

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"blankett/pipeline"
	"blankett/storage"
)

// letterPrintBatch makes one PDF of every letter not yet printed and
// answers it as an attachment. The letters are marked printed only once
// the whole PDF is built (and each letter checked against its SHA-256);
// if marking fails, no PDF is sent and the letters stay in the next
// batch. With nothing to print it goes back to the letters page and says
// so. The batch is audited against the admin who made it.
func (s *Server) letterPrintBatch(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if s.cfg.Letters == nil {
		s.fail(w, r, &userError{kind: errUnavailable, message: "Utskrift av brev är inte ansluten."})
		return
	}
	pdf, ids, err := s.cfg.Letters.PrintBatch(ctx)
	if errors.Is(err, pipeline.ErrNothingToPrint) {
		http.Redirect(w, r, "/letters?klart=inga-brev", http.StatusSeeOther)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := time.Now()
	batch := now.Format("20060102-150405")
	marked, err := s.cfg.Letters.MarkPrinted(ctx, ids, batch, now)
	if err != nil {
		s.fail(w, r, fmt.Errorf("print batch %s: %w", batch, err))
		return
	}
	if err := s.cfg.DB.Audit(ctx, storage.AuditEvent{Actor: actor(r), Action: "letters.batch_printed",
		After:  map[string]any{"print_batch": batch, "letter_ids": ids, "marked": marked},
		Detail: fmt.Sprintf("utskriftsomgång %s: %d brev", batch, len(ids))}); err != nil {
		// The letters are marked: the admin must get the PDF anyway.
		s.cfg.Logger.ErrorContext(ctx, "audit print batch", "print_batch", batch, "error", err)
	}
	if marked < int64(len(ids)) {
		s.cfg.Logger.WarnContext(ctx, "print batch: some letters were printed in another batch meanwhile",
			"print_batch", batch, "letters", len(ids), "marked", marked)
	}
	s.cfg.Logger.InfoContext(ctx, "print batch", "print_batch", batch, "letters", len(ids), "marked", marked, "bytes", len(pdf))
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="brev-utskrift-%s.pdf"`, batch))
	h.Set("Content-Length", strconv.Itoa(len(pdf)))
	h.Set("Cache-Control", "private, no-store")
	if _, err := w.Write(pdf); err != nil {
		s.cfg.Logger.ErrorContext(ctx, "send print batch: its letters are marked printed", "print_batch", batch, "error", err)
	}
}
