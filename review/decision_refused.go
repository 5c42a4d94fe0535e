package review

import (
	"fmt"
	"net/http"
	"strings"
)

// decisionTyped is what a reviewer typed into a decision that was
// refused, shown again on the document page with the reason beside the
// box that needs more.
type decisionTyped struct {
	Reason    string
	Overrides map[string]string // by finding code
	Missing   map[string]string // box id → what it needs
	First     string            // the first box id that needs more: focus goes there
	Message   string
}

// decisionRefused answers a decision that lacks a reason or an override:
// the document page again (422), with what was typed kept and the
// message beside the box it concerns, instead of an error page. missing
// are the box ids ("reason", "override-CODE") with their messages in
// order.
func (s *Server) decisionRefused(w http.ResponseWriter, r *http.Request, id int64, message string, missing [][2]string) {
	d, err := s.documentData(r.Context(), id, actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t := decisionTyped{Reason: r.PostFormValue("reason"), Overrides: map[string]string{}, Missing: map[string]string{}, Message: message}
	for key, vals := range r.PostForm {
		if code, ok := strings.CutPrefix(key, "override_"); ok && len(vals) > 0 {
			t.Overrides[code] = vals[0]
		}
	}
	for i, m := range missing {
		t.Missing[m[0]] = m[1]
		if i == 0 {
			t.First = m[0]
		}
	}
	d.Typed = t
	v := s.newView(r, fmt.Sprintf("Dokument %d", id), "queue", d)
	v.Error = message
	s.render(w, r, http.StatusUnprocessableEntity, "document", "layout", v)
}
