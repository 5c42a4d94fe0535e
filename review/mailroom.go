package review

import (
	"net/http"

	"blankett/storage"
)

type mailroomData struct {
	Uploads []storage.Upload
}

// mailroom is the upload page: drop many files, see each one's state.
func (s *Server) mailroom(w http.ResponseWriter, r *http.Request) {
	ups, err := s.cfg.Queries.UploadsBy(r.Context(), actor(r), 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.page(w, r, "mailroom", s.newView(r, "Postöppning", "mailroom", mailroomData{Uploads: ups}))
}

// mailroomUploads is the list of this account's uploads (polled by htmx).
func (s *Server) mailroomUploads(w http.ResponseWriter, r *http.Request) {
	ups, err := s.cfg.Queries.UploadsBy(r.Context(), actor(r), 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "mailroom", "uploads", s.newView(r, "", "", mailroomData{Uploads: ups}))
}

// mailroomUpload takes one file per request (the page sends one XHR per
// file to show progress) and answers JSON.
func (s *Server) mailroomUpload(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Ingester == nil {
		writeError(w, http.StatusServiceUnavailable, "Uppladdning är avstängd i den här processen.")
		return
	}
	outcomes, ok := s.ingestParts(w, r, 1)
	if !ok {
		return
	}
	if !outcomes[0].stored() {
		writeError(w, outcomes[0].Status, outcomes[0].Error)
		return
	}
	res := outcomes[0].Received
	writeJSON(w, http.StatusCreated, map[string]any{"id": res.DocumentID, "state": res.State,
		"state_title": stateTitle(res.State), "duplicate": res.Duplicate, "message": res.Message})
}
