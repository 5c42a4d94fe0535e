package review

import (
	"context"
	"net/http"
	"strings"
)

// notFound answers a path that no route has: a Swedish page in the
// layout (with the menu for a logged-in account), JSON under /api/. The
// path is not repeated back: it may hold anything someone typed.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeError(w, http.StatusNotFound, "Det finns inget på den adressen.")
		return
	}
	if sess, ok := s.currentSession(r); ok {
		ctx := context.WithValue(r.Context(), sessionKey{}, sess)
		r = r.WithContext(context.WithValue(ctx, actorKey{}, sess.Account.Name))
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusNotFound, "notfound", "layout", s.newView(r, "Sidan finns inte", "", nil))
}
