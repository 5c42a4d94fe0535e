package review

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"blankett/pipeline"
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

// login checks the name and password, limited per account name and per IP
// address, and starts a new session: any session the browser had before is
// ended, so a cookie from before login is never valid after it.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if s.cfg.Accounts == nil {
		s.fail(w, r, &userError{kind: errUnavailable, message: "Det går inte att logga in här."})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "Inloggningen gick inte att läsa.", http.StatusRequestEntityTooLarge)
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	ip := clientAddr(r, s.cfg.TrustedProxies)
	again := func(code int, msg string) {
		v := s.newView(r, "Logga in", "", loginData{Name: name, Next: next})
		v.Error = msg
		s.render(w, r, code, "login", "layout", v)
	}
	// The attempt is recorded before it is checked, so parallel attempts
	// see each other (storage.BeginLoginAttempt).
	attempt, err := s.cfg.DB.BeginLoginAttempt(ctx, name, ip, s.cfg.LoginWindow)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	refuse := func(code int, wait time.Duration, msg string) {
		if err := s.cfg.DB.FinishLoginAttempt(ctx, attempt, name, ip, storage.LoginRefused); err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Retry-After", retryAfter(wait))
		again(code, msg)
	}
	if wait := s.loginPolicy.wait(attempt); wait > 0 {
		s.cfg.Logger.WarnContext(ctx, "login rate limit", "failures_pair", attempt.Pair.Count,
			"failures_name", attempt.Name.Count, "failures_client", attempt.Client.Count, "wait_s", wait.Seconds())
		refuse(http.StatusTooManyRequests, wait, "För många misslyckade inloggningar. Vänta "+waitText(wait)+" och försök igen.")
		return
	}
	if !s.hashes.acquire(ctx) {
		s.cfg.Logger.WarnContext(ctx, "login refused: password checks busy")
		refuse(http.StatusServiceUnavailable, time.Second, "Inloggningen är upptagen just nu. Försök igen om en stund.")
		return
	}
	acc, err := s.cfg.Accounts.Authenticate(ctx, name, password)
	s.hashes.release()
	if errors.Is(err, pipeline.ErrBadCredentials) {
		if err := s.cfg.DB.FinishLoginAttempt(ctx, attempt, name, ip, storage.LoginFailed); err != nil {
			s.fail(w, r, err)
			return
		}
		again(http.StatusUnauthorized, "Fel användarnamn eller lösenord.")
		return
	}
	if err != nil {
		// Not the caller's failure: the attempt does not count.
		_ = s.cfg.DB.FinishLoginAttempt(ctx, attempt, name, ip, storage.LoginRefused)
		s.fail(w, r, err)
		return
	}
	previous := ""
	if c, err := r.Cookie(sessionCookie); err == nil {
		previous = c.Value
	}
	token, err := s.cfg.DB.CreateSession(ctx, acc.ID, previous, s.policy)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.DB.FinishLoginAttempt(ctx, attempt, name, ip, storage.LoginSucceeded); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.DB.Audit(ctx, storage.AuditEvent{Actor: acc.Name, Action: "account.login"}); err != nil {
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
		if err := s.cfg.DB.DeleteSession(r.Context(), c.Value); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	_ = s.cfg.DB.Audit(r.Context(), storage.AuditEvent{Actor: actor(r), Action: "account.logout"})
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/login?klart=utloggad", http.StatusSeeOther)
}
