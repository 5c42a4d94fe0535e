package review

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"blankett/form"
	"blankett/storage"
)

var errNotFound = errors.New("not found")

// upload takes a multipart request with one or more files (any field
// name) and streams each into the pipeline. It answers each file with its
// own outcome (see ingestParts and answerParts): 201 when all were stored.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	outcomes, ok := s.ingestParts(w, r, 0)
	if !ok {
		return
	}
	answerParts(w, outcomes)
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
	if err := s.cfg.DB.Audit(r.Context(), storage.AuditEvent{Actor: actor(r), Action: "document.viewed", DocumentID: id, Detail: "api"}); err != nil {
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
