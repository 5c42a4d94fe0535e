package review

import (
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"blankett/storage"
)

type loginData struct {
	Name string
	Next string
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) {
	v := s.newView(r, "Logga in", "", loginData{Next: safeNext(r.URL.Query().Get("next"))})
	s.page(w, r, "login", v)
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return ""
	}
	return next
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// login checks the name and password, limited per account name and per IP
// address, and starts a new session: any session the browser had before is
// ended, so a cookie from before login is never valid after it.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	name := strings.TrimSpace(r.PostFormValue("name"))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	ip := clientIP(r)
	again := func(code int, msg string) {
		v := s.newView(r, "Logga in", "", loginData{Name: name, Next: next})
		v.Error = msg
		s.render(w, r, code, "login", "layout", v)
	}
	byName, byIP, err := storage.FailedLogins(ctx, s.cfg.DB, name, ip, time.Now().Add(-s.cfg.LoginWindow))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if byName >= s.cfg.LoginLimit || byIP >= 10*s.cfg.LoginLimit {
		s.cfg.Logger.WarnContext(ctx, "login rate limit", "by_name", byName, "by_ip", byIP)
		w.Header().Set("Retry-After", "900")
		again(http.StatusTooManyRequests, "För många misslyckade inloggningar. Vänta en kvart och försök igen.")
		return
	}
	acc, err := storage.Authenticate(ctx, s.cfg.DB, name, password)
	if errors.Is(err, storage.ErrBadCredentials) {
		if err := storage.RecordLoginAttempt(ctx, s.cfg.DB, name, ip, false); err != nil {
			s.fail(w, r, err)
			return
		}
		again(http.StatusUnauthorized, "Fel användarnamn eller lösenord.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	previous := ""
	if c, err := r.Cookie(sessionCookie); err == nil {
		previous = c.Value
	}
	token, err := storage.CreateSession(ctx, s.cfg.DB, acc.ID, previous, s.policy)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := storage.RecordLoginAttempt(ctx, s.cfg.DB, name, ip, true); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := storage.Audit(ctx, s.cfg.DB, storage.AuditEvent{Actor: acc.Name, Action: "account.login"}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setSessionCookie(w, token)
	if next == "" {
		next = "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := storage.DeleteSession(r.Context(), s.cfg.DB, c.Value); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	_ = storage.Audit(r.Context(), s.cfg.DB, storage.AuditEvent{Actor: actor(r), Action: "account.logout"})
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/login?klart=utloggad", http.StatusSeeOther)
}
