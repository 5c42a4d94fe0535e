package review

import (
	"errors"
	"io"
	"net/http"
	"path"
	"strconv"

	"blankett/storage"
)

// documentPageImage streams one page image of a document from the object
// store through the server (never a presigned URL), after the role check,
// and audits the view.
func (s *Server) documentPageImage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := documentID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("page"))
	if err != nil {
		s.fail(w, r, errNotFound)
		return
	}
	if s.cfg.Blob == nil {
		s.fail(w, r, &userError{kind: errUnavailable, message: "Bildarkivet är inte anslutet."})
		return
	}
	pages, err := s.cfg.Queries.DocumentPages(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var key string
	for _, p := range pages {
		if p.Page == n {
			key = p.Key
		}
	}
	if key == "" {
		s.fail(w, r, errNotFound)
		return
	}
	body, info, err := s.cfg.Blob.Get(ctx, key)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer body.Close()
	if err := s.cfg.DB.Audit(ctx, storage.AuditEvent{Actor: actor(r), Action: "document.page_viewed", DocumentID: id,
		Detail: "sida " + strconv.Itoa(n)}); err != nil {
		s.fail(w, r, err)
		return
	}
	ct := info.ContentType
	switch path.Ext(key) {
	case ".jpg", ".jpeg":
		ct = "image/jpeg"
	case ".png":
		ct = "image/png"
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", "private, no-store")
	if info.Size > 0 {
		w.Header().Set("Content-Length", strconv.FormatInt(info.Size, 10))
	}
	if _, err := io.Copy(w, body); err != nil && !errors.Is(err, r.Context().Err()) {
		s.cfg.Logger.WarnContext(ctx, "stream page image", "document_id", id, "error", err)
	}
}
