package review

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"blankett/pipeline"
	"blankett/storage"
)

// documentClose ends a document that nothing could be read from
// (unreadable) or that is none of the known forms (unclassified), with a
// note saying why; the change is audited like every change of state.
func (s *Server) documentClose(w http.ResponseWriter, r *http.Request) {
	id, err := documentID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	note := strings.TrimSpace(r.PostFormValue("note"))
	if note == "" {
		s.fail(w, r, invalid("Skriv en anteckning om varför dokumentet avslutas."))
		return
	}
	if len(note) > 2000 {
		s.fail(w, r, invalid("Anteckningen är för lång."))
		return
	}
	if s.cfg.Reviewing == nil {
		s.fail(w, r, &userError{kind: errUnavailable, message: "Dokument kan inte avslutas just nu."})
		return
	}
	err = s.cfg.Reviewing.CloseDocument(r.Context(), id, note, actor(r))
	if errors.Is(err, pipeline.ErrNotClosable) {
		s.fail(w, r, &userError{kind: storage.ErrNotInReview, message: "Bara oläsbara och okända dokument kan avslutas så här. Ladda om sidan."})
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/documents/%d?klart=avslutat", id), http.StatusSeeOther)
}
