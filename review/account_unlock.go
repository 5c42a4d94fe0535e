package review

import (
	"net/http"
	"strconv"
)

// accountUnlock ends an account's login back-off at once: its failed
// logins, from every client, are forgotten (audited).
func (s *Server) accountUnlock(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, errNotFound)
		return
	}
	if err := s.cfg.DB.UnlockLogins(r.Context(), id, actor(r)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/accounts?klart=konto", http.StatusSeeOther)
}
