package review

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"blankett/storage"
)

// letterDownload sends one letter of a document as a PDF attachment,
// read from the object store through the server (never a presigned URL)
// after the role check, checked against the SHA-256 its row recorded, and
// audited. A letter of another document is not found.
func (s *Server) letterDownload(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := documentID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lid, err := strconv.ParseInt(r.PathValue("lid"), 10, 64)
	if err != nil || lid <= 0 {
		s.fail(w, r, errNotFound)
		return
	}
	if s.cfg.Blob == nil {
		s.fail(w, r, &userError{kind: errUnavailable, message: "Dokumentarkivet är inte anslutet."})
		return
	}
	l, err := s.cfg.Queries.Letter(ctx, lid)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if l.DocumentID != id {
		s.fail(w, r, errNotFound)
		return
	}
	body, _, err := s.cfg.Blob.Get(ctx, l.ObjectKey)
	if err != nil {
		s.fail(w, r, fmt.Errorf("letter %d: %w", lid, err))
		return
	}
	defer body.Close()
	pdf, err := io.ReadAll(io.LimitReader(body, l.SizeBytes+1))
	if err != nil {
		s.fail(w, r, fmt.Errorf("letter %d: read object: %w", lid, err))
		return
	}
	if sum := sha256.Sum256(pdf); hex.EncodeToString(sum[:]) != l.SHA256 {
		s.fail(w, r, fmt.Errorf("letter %d: its object does not match the SHA-256 its row recorded", lid))
		return
	}
	if err := s.cfg.DB.Audit(ctx, storage.AuditEvent{Actor: actor(r), Action: "letter.downloaded", DocumentID: id,
		After: map[string]any{"letter_id": lid}, Detail: "brev " + strconv.FormatInt(lid, 10)}); err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="brev-%d.pdf"`, lid))
	h.Set("Content-Length", strconv.Itoa(len(pdf)))
	h.Set("Cache-Control", "private, no-store")
	if _, err := w.Write(pdf); err != nil && ctx.Err() == nil {
		s.cfg.Logger.WarnContext(ctx, "send letter", "document_id", id, "letter_id", lid, "error", err)
	}
}
