package review

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"time"

	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
)

var errNotFound = errors.New("not found")

// upload takes a multipart request with one or more files (any field
// name) and streams each into the pipeline. It answers 201 with one result
// per file; 413 when a file is over the limit (nothing of it is stored).
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	results, ok := s.ingestParts(w, r, 0)
	if !ok {
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"documents": results})
}

// ingestParts streams the files of a multipart request into the pipeline,
// at most max of them (0: all). On any failure it answers the request
// itself (400, 413 with nothing of the file stored, or 500) and reports
// false; it also answers 400 when the request holds no file.
func (s *Server) ingestParts(w http.ResponseWriter, r *http.Request, max int) ([]pipeline.Received, bool) {
	mr, err := r.MultipartReader()
	if err != nil {
		writeError(w, http.StatusBadRequest, "Förväntade en multipart/form-data-uppladdning.")
		return nil, false
	}
	var results []pipeline.Received
	// The files of one request arrived together: one envelope.
	envelope := pipeline.NewEnvelope()
	for max == 0 || len(results) < max {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			writeError(w, http.StatusBadRequest, "Uppladdningen gick inte att läsa.")
			return nil, false
		}
		if part.FileName() == "" {
			_ = part.Close() // a form field: nothing to keep
			continue
		}
		res, err := s.cfg.Ingester.Ingest(r.Context(), pipeline.Upload{
			Filename: filepath.Base(part.FileName()), Source: "http", Actor: actor(r), Body: part, Envelope: envelope,
		})
		_ = part.Close() // read to its end by Ingest, or the upload failed: err says which
		if err != nil {
			code := statusOf(err)
			var tooLarge *pipeline.TooLargeError
			if errors.As(err, &tooLarge) {
				writeError(w, code, fmt.Sprintf("Filen är för stor: högst %d MiB tas emot.", tooLarge.Limit>>20))
				return nil, false
			}
			s.cfg.Logger.ErrorContext(r.Context(), "upload failed", "error", err)
			writeError(w, code, "Filen kunde inte tas emot. Försök igen.")
			return nil, false
		}
		results = append(results, res)
	}
	if len(results) == 0 {
		writeError(w, http.StatusBadRequest, "Ingen fil i uppladdningen.")
		return nil, false
	}
	return results, true
}

// documentJSON is the API's view of a document.
type documentJSON struct {
	ID         int64          `json:"id"`
	State      form.State     `json:"state"`
	Message    string         `json:"message,omitempty"`
	Kind       form.Kind      `json:"kind,omitempty"`
	Filename   string         `json:"filename"`
	MediaType  string         `json:"media_type"`
	Size       int64          `json:"size"`
	SHA256     string         `json:"sha256"`
	ReceivedAt time.Time      `json:"received_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
	Fields     form.Fields    `json:"fields"`
	Findings   []form.Finding `json:"findings"`
}

// document answers GET /api/v1/documents/{id}. Every view is audited.
func (s *Server) document(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, http.StatusNotFound, "Dokumentet finns inte.")
		return
	}
	d, err := s.cfg.Queries.Document(r.Context(), id)
	if errors.Is(err, storage.ErrNotFound) {
		writeError(w, http.StatusNotFound, "Dokumentet finns inte.")
		return
	}
	if err != nil {
		s.cfg.Logger.ErrorContext(r.Context(), "read document", "document_id", id, "error", err)
		writeError(w, http.StatusInternalServerError, "Dokumentet kunde inte läsas.")
		return
	}
	if err := storage.Audit(r.Context(), s.cfg.DB, storage.AuditEvent{Actor: actor(r), Action: "document.viewed", DocumentID: id, Detail: "api"}); err != nil {
		s.cfg.Logger.ErrorContext(r.Context(), "audit document view", "document_id", id, "error", err)
		writeError(w, http.StatusInternalServerError, "Dokumentet kunde inte läsas.")
		return
	}
	if d.Fields == nil {
		d.Fields = form.Fields{}
	}
	if d.Findings == nil {
		d.Findings = []form.Finding{}
	}
	writeJSON(w, http.StatusOK, documentJSON{
		ID: d.ID, State: d.State, Message: d.StateMessage, Kind: d.Kind, Filename: d.Filename,
		MediaType: d.MediaType, Size: d.SizeBytes, SHA256: d.SHA256, ReceivedAt: d.ReceivedAt,
		UpdatedAt: d.UpdatedAt, Fields: d.Fields, Findings: d.Findings,
	})
}
