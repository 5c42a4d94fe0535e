package review

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
)

// editionChoice is an edition a person may pick for an unclassified
// document.
type editionChoice struct {
	Value string // kind "/" edition
	Label string
}

// editionChoices lists the active editions, for the unclassified
// document's form.
func (s *Server) editionChoices(ctx context.Context) []editionChoice {
	if s.cfg.Reviewing == nil {
		return nil
	}
	set, err := s.cfg.Reviewing.ActiveSet(ctx)
	if err != nil {
		s.cfg.Logger.WarnContext(ctx, "active editions for the classify form", "error", err)
		return nil
	}
	var out []editionChoice
	for _, k := range set.Kinds() {
		for _, t := range set.Editions(k) {
			out = append(out, editionChoice{Value: string(t.Kind) + "/" + t.Edition, Label: kindShort(t.Kind) + " – " + t.Edition})
		}
	}
	return out
}

// documentClassify reads an unclassified document again as the edition a
// person picked.
func (s *Server) documentClassify(w http.ResponseWriter, r *http.Request) {
	id, err := documentID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	kind, edition, ok := strings.Cut(r.PostFormValue("edition"), "/")
	if !ok || !form.Kind(kind).Known() || edition == "" {
		s.fail(w, r, invalid("Välj blankett och utgåva."))
		return
	}
	if s.cfg.Reviewing == nil {
		s.fail(w, r, &userError{kind: errUnavailable, message: "Dokument kan inte läsas om just nu."})
		return
	}
	err = s.cfg.Reviewing.Classify(r.Context(), id, form.Kind(kind), edition, actor(r))
	switch {
	case errors.Is(err, pipeline.ErrNotUnclassified):
		s.fail(w, r, &userError{kind: storage.ErrNotInReview, message: "Dokumentet väntar inte längre på att blanketten väljs. Ladda om sidan."})
		return
	case errors.Is(err, pipeline.ErrNoSuchTemplate):
		s.fail(w, r, invalid("Det finns ingen mall för den blanketten och utgåvan."))
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/documents/%d?klart=klassad", id), http.StatusSeeOther)
}
