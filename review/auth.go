package review

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"

	"blankett/form"
	"blankett/storage"
)

// sessionCookie names the session cookie. It holds a random token whose
// SHA-256 is the session's key in PostgreSQL.
const sessionCookie = "blankett_session"

type sessionKey struct{}

// session returns the logged-in session of a request that passed require.
func session(r *http.Request) storage.Session {
	s, _ := r.Context().Value(sessionKey{}).(storage.Session)
	return s
}

func (s *Server) currentSession(r *http.Request) (storage.Session, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return storage.Session{}, false
	}
	sess, err := s.cfg.DB.LookupSession(r.Context(), c.Value, s.policy)
	if err != nil {
		if !errors.Is(err, storage.ErrNotFound) {
			s.cfg.Logger.ErrorContext(r.Context(), "look up session", "error", err)
		}
		return storage.Session{}, false
	}
	return sess, true
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string) {
	// #nosec G124 -- HttpOnly and SameSite are set; Secure is off only with InsecureCookies, for plain http on localhost (make demo)
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: !s.cfg.InsecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(s.cfg.SessionAbsolute.Seconds()),
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	// #nosec G124 -- HttpOnly and SameSite are set; Secure is off only with InsecureCookies, for plain http on localhost (make demo)
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: !s.cfg.InsecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: -1,
	})
}

// unsafeMethod reports whether a request may change state.
func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// require lets in a logged-in account with one of roles; it answers the
// login page (GET) or 401 without a session, and 403 for another role.
// A state change must come from a browser that says where it comes from
// (Origin or Sec-Fetch-Site, checked by http.CrossOriginProtection).
func (s *Server) require(h http.HandlerFunc, roles ...form.AccountRole) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, ok := s.currentSession(r)
		if !ok {
			if r.Method == http.MethodGet && r.Header.Get("HX-Request") == "" {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.fail(w, r, &userError{kind: errUnauthenticated, message: "Du är inte inloggad, eller så har sessionen gått ut. Logga in igen."})
			return
		}
		if unsafeMethod(r.Method) && r.Header.Get("Origin") == "" && r.Header.Get("Sec-Fetch-Site") == "" {
			s.fail(w, r, forbidden("Förfrågan saknar ursprung och avvisades."))
			return
		}
		ctx := context.WithValue(r.Context(), sessionKey{}, sess)
		ctx = context.WithValue(ctx, actorKey{}, sess.Account.Name)
		r = r.WithContext(ctx)
		if !slices.Contains(roles, sess.Account.Role) {
			s.fail(w, r, forbidden("Din roll ("+sess.Account.Role.Title()+") får inte göra detta."))
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r)
	})
}

var errUnauthenticated = errors.New("unauthenticated")

// can reports whether the request's account has one of roles (for
// showing links and buttons; routes check with require).
func can(r *http.Request, roles ...form.AccountRole) bool {
	return slices.Contains(roles, session(r).Account.Role)
}

// home sends each role to its start page.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	sess, ok := s.currentSession(r)
	switch {
	case !ok:
		http.Redirect(w, r, "/login", http.StatusSeeOther)
	case sess.Account.Role == form.AccountMailroom:
		http.Redirect(w, r, "/mailroom", http.StatusSeeOther)
	default:
		http.Redirect(w, r, "/queue", http.StatusSeeOther)
	}
}
