package review

import (
	"errors"
	"fmt"
	"net/http"

	"blankett/storage"
)

// fieldCorrect stores a reviewer's value for one field, re-runs the rules
// at once and answers the updated panel (htmx) or the page.
func (s *Server) fieldCorrect(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := documentID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.cfg.Reviewing == nil {
		s.fail(w, r, &userError{kind: errUnavailable, message: "Kontrollerna är inte anslutna."})
		return
	}
	field := r.PathValue("field")
	value := r.PostFormValue("value")
	if len(value) > 500 {
		s.fail(w, r, invalid("Värdet är för långt."))
		return
	}
	if _, err := s.cfg.Queries.OpenProposal(ctx, id); err == nil {
		s.fail(w, r, &userError{kind: storage.ErrProposalOpen, message: "Ett förslag väntar på bekräftelse. Dra tillbaka förslaget innan du ändrar värden."})
		return
	} else if !errors.Is(err, storage.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	doc, err := s.cfg.Queries.Document(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if tmpl := s.formOf(ctx, doc); tmpl != nil {
		if _, ok := tmpl.Field(field); !ok {
			if _, has := doc.Fields[field]; !has {
				s.fail(w, r, errNotFound)
				return
			}
		}
	}
	if _, err := s.cfg.Reviewing.CorrectField(ctx, id, field, value, actor(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	if r.Header.Get("HX-Request") == "" {
		http.Redirect(w, r, fmt.Sprintf("/documents/%d", id), http.StatusSeeOther)
		return
	}
	d, err := s.documentData(ctx, id, actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := s.newView(r, "", "", d)
	v.Flash = "Värdet är sparat och kontrollerna är gjorda på nytt."
	s.render(w, r, http.StatusOK, "document", "panel", v)
}
