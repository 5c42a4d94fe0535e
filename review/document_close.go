package review

import (
	"fmt"
	"net/http"
	"strings"

	"blankett/form"
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
	ok, err := storage.Advance(r.Context(), s.cfg.Pool, storage.Transition{DocumentID: id,
		From: []form.State{form.StateUnreadable, form.StateUnclassified}, To: form.StateDone,
		Message: "Avslutat utan beslut: " + note, Actor: actor(r)})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !ok {
		s.fail(w, r, &userError{kind: storage.ErrNotInReview, message: "Bara oläsbara och okända dokument kan avslutas så här. Ladda om sidan."})
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/documents/%d?klart=avslutat", id), http.StatusSeeOther)
}
