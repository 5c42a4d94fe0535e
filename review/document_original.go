package review

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"

	"blankett/storage"
)

// documentOriginal streams the file as it was received, for a reviewer
// to look at what could not be read. It goes through the server (role
// checked: reviewers and admins, not the mailroom) and every download is
// audited.
func (s *Server) documentOriginal(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := documentID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.cfg.Blob == nil {
		s.fail(w, r, &userError{kind: errUnavailable, message: "Filarkivet är inte anslutet."})
		return
	}
	doc, err := s.cfg.Queries.Document(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if doc.ObjectKey == "" {
		s.fail(w, r, errNotFound)
		return
	}
	body, info, err := s.cfg.Blob.Get(ctx, doc.ObjectKey)
	if err != nil {
		s.fail(w, r, fmt.Errorf("original of document %d: %w", id, err))
		return
	}
	defer body.Close()
	if err := s.cfg.DB.Audit(ctx, storage.AuditEvent{Actor: actor(r), Action: "document.original_downloaded", DocumentID: id,
		Detail: doc.Filename}); err != nil {
		s.fail(w, r, err)
		return
	}
	ct := doc.MediaType
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": doc.Filename}))
	w.Header().Set("Cache-Control", "private, no-store")
	if info.Size > 0 {
		w.Header().Set("Content-Length", strconv.FormatInt(info.Size, 10))
	}
	if _, err := io.Copy(w, body); err != nil && !errors.Is(err, ctx.Err()) {
		s.cfg.Logger.WarnContext(ctx, "stream original", "document_id", id, "error", err)
	}
}
