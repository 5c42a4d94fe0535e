// Package review is Blankett's HTTP face: the reviewers' web app (queue,
// document pages, decisions, registry, mailroom, audit log, accounts), the
// upload and document API for machines, health and readiness, metrics, and
// the operators' job UI.
//
// People log in with an account and a server-side session; machines use
// the API with a bearer token. Every route checks the caller's role, and
// every state change passes Go's cross-origin protection.
package review

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
)

// Ingester takes uploads.
type Ingester interface {
	Ingest(ctx context.Context, u pipeline.Upload) (pipeline.Received, error)
}

// Pinger is something /readyz checks.
type Pinger interface {
	Ready(ctx context.Context) error
}

// BlobStore is what the server needs of the object store: readiness, and
// page images to stream to reviewers.
type BlobStore interface {
	Pinger
	Get(ctx context.Context, key string) (io.ReadCloser, storage.ObjectInfo, error)
}

// Decider records a reviewer's decision (pipeline.Pipeline.Decide).
type Decider interface {
	Decide(ctx context.Context, d storage.Decision) (int64, error)
}

// LetterPrinter makes print batches of the letters not yet printed and
// marks them printed (pipeline.Pipeline.PrintBatch and MarkPrinted).
// PrintBatch returns pipeline.ErrNothingToPrint when there is nothing.
type LetterPrinter interface {
	PrintBatch(ctx context.Context) (pdf []byte, ids []int64, err error)
	MarkPrinted(ctx context.Context, ids []int64, batch string, at time.Time) (int64, error)
}

// SignatoryImporter imports firmatecknare from CSV (storage.Registry).
type SignatoryImporter interface {
	ImportSignatories(ctx context.Context, in io.Reader) (storage.ImportReport, error)
}

// Config wires a server.
type Config struct {
	Pool     *pgxpool.Pool
	Ingester Ingester
	Blob     BlobStore
	Metrics  *prometheus.Registry
	// Jobs is River's UI, mounted under /admin/jobs/ behind the admin check.
	Jobs http.Handler
	// APIToken guards /api/ (and /admin/ for machines): requests carry it
	// as a bearer token (or as the password of HTTP basic auth, user
	// "admin"). Empty disables the API (it answers 503).
	APIToken string
	Logger   *slog.Logger

	// Decider records decisions; Checker re-runs the rules after a
	// correction; Signatories imports CSV. Without them the web app's
	// matching pages answer 503.
	Decider     Decider
	Checker     storage.Checker
	Signatories SignatoryImporter
	// Letters makes the admins' print batches; without it the print
	// batch answers 503.
	Letters LetterPrinter

	// InsecureCookies drops the Secure flag from the session cookie. Only
	// for plain-http development on localhost; set it explicitly.
	InsecureCookies bool
	// SingleReview lets one reviewer approve agreements and 9463s alone.
	// By default (false) a second reviewer must confirm them.
	SingleReview bool
	// SessionIdle and SessionAbsolute end sessions (default 30 minutes
	// idle, 10 hours after login).
	SessionIdle     time.Duration
	SessionAbsolute time.Duration
	// LoginLimit is how many failed logins per account name (and ten times
	// as many per IP address) are allowed in LoginWindow (default 5 in 15
	// minutes).
	LoginLimit  int
	LoginWindow time.Duration
}

// Server serves Blankett's HTTP routes.
type Server struct {
	cfg     Config
	mux     *http.ServeMux
	handler http.Handler
	pages   *templates
	policy  storage.SessionPolicy
	forms   map[form.Kind]*form.Template
	routes  []Route // the role-checked pages
	// overviewFigures keeps the overview's figures for a minute.
	overviewFigures overviewCache
}

// NewServer builds the routes.
func NewServer(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.SessionIdle <= 0 {
		cfg.SessionIdle = 30 * time.Minute
	}
	if cfg.SessionAbsolute <= 0 {
		cfg.SessionAbsolute = 10 * time.Hour
	}
	if cfg.LoginLimit <= 0 {
		cfg.LoginLimit = 5
	}
	if cfg.LoginWindow <= 0 {
		cfg.LoginWindow = 15 * time.Minute
	}
	forms, err := form.LoadTemplates()
	if err != nil {
		panic(fmt.Sprintf("review: form templates: %v", err)) // embedded and tested: cannot happen
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), pages: mustParseTemplates(), forms: forms,
		policy: storage.SessionPolicy{Idle: cfg.SessionIdle, Absolute: cfg.SessionAbsolute}}
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	if cfg.Metrics != nil {
		s.mux.Handle("GET /metrics", promhttp.HandlerFor(cfg.Metrics, promhttp.HandlerOpts{}))
	}
	s.mux.Handle("POST /api/v1/documents", s.authorised(http.HandlerFunc(s.upload)))
	s.mux.Handle("GET /api/v1/documents/{id}", s.authorised(http.HandlerFunc(s.document)))
	if cfg.Jobs != nil {
		s.mux.Handle("/admin/jobs/", s.adminOrToken(cfg.Jobs))
		s.mux.Handle("GET /admin/jobs", http.RedirectHandler("/admin/jobs/", http.StatusMovedPermanently))
	}
	s.webRoutes()

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.cfg.Logger.WarnContext(r.Context(), "cross-origin request refused", "method", r.Method, "path", r.URL.Path)
		http.Error(w, "Förfrågan kom från en annan webbplats och avvisades.", http.StatusForbidden)
	}))
	s.handler = s.logRequests(cop.Handler(s.mux))
	return s
}

// Route is one page route and the roles it admits.
type Route struct {
	Pattern string
	Roles   []storage.Role
}

// Routes lists the role-checked routes, for the route × role tests.
func (s *Server) Routes() []Route { return s.routes }

// route registers a page that only the given roles may use.
func (s *Server) route(pattern string, h http.HandlerFunc, roles ...storage.Role) {
	s.routes = append(s.routes, Route{Pattern: pattern, Roles: roles})
	s.mux.Handle(pattern, s.require(h, roles...))
}

// webRoutes are the people's pages: one handler file per action.
func (s *Server) webRoutes() {
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", staticHandler(static)))
	s.mux.HandleFunc("GET /{$}", s.home)
	s.mux.HandleFunc("GET /favicon.ico", s.favicon)
	s.mux.HandleFunc("/", s.notFound)
	s.mux.HandleFunc("GET /login", s.loginForm)
	s.mux.HandleFunc("POST /login", s.login)
	s.route("POST /logout", s.logout, storage.RoleAdmin, storage.RoleReviewer, storage.RoleMailroom)

	reviewers := []storage.Role{storage.RoleAdmin, storage.RoleReviewer}
	s.route("GET /queue", s.queue, reviewers...)
	s.route("GET /queue/next/{id}", s.queueNext, reviewers...)
	s.route("GET /oversikt", s.overview, reviewers...)
	s.route("GET /sok", s.searchForm, reviewers...)
	s.route("POST /sok", s.search, reviewers...)
	s.route("GET /documents/{id}", s.documentShow, reviewers...)
	s.route("GET /documents/{id}/pages/{page}", s.documentPageImage, reviewers...)
	s.route("GET /documents/{id}/original", s.documentOriginal, reviewers...)
	s.route("POST /documents/{id}/close", s.documentClose, reviewers...)
	s.route("POST /documents/{id}/fields/{field}", s.fieldCorrect, reviewers...)
	s.route("POST /documents/{id}/decision", s.decisionCreate, reviewers...)
	s.route("POST /documents/{id}/proposals/{pid}/confirm", s.proposalConfirm, reviewers...)
	s.route("POST /documents/{id}/proposals/{pid}/withdraw", s.proposalWithdraw, reviewers...)
	s.route("GET /documents/{id}/letters/{lid}", s.letterDownload, reviewers...)

	s.route("GET /registry", s.registryList, reviewers...)
	s.route("GET /registry/{org}", s.registryShow, reviewers...)
	s.route("POST /registry/signatories", s.signatoriesImport, storage.RoleAdmin)

	s.route("GET /mailroom", s.mailroom, storage.RoleAdmin, storage.RoleMailroom)
	s.route("GET /mailroom/uploads", s.mailroomUploads, storage.RoleAdmin, storage.RoleMailroom)
	s.route("POST /mailroom/upload", s.mailroomUpload, storage.RoleAdmin, storage.RoleMailroom)

	s.route("GET /audit", s.auditList, storage.RoleAdmin)
	s.route("GET /audit/export.csv", s.auditExport, storage.RoleAdmin)
	s.route("GET /letters", s.letterList, storage.RoleAdmin)
	s.route("POST /letters/print-batch", s.letterPrintBatch, storage.RoleAdmin)
	s.route("/admin/person", s.personExport, storage.RoleAdmin)
	s.route("GET /accounts", s.accountList, storage.RoleAdmin)
	s.route("POST /accounts", s.accountCreate, storage.RoleAdmin)
	s.route("POST /accounts/{id}/disable", s.accountDisable, storage.RoleAdmin)
	s.route("POST /accounts/{id}/enable", s.accountEnable, storage.RoleAdmin)
}

// contentSecurityPolicy allows only the server's own scripts, styles and
// images: no inline script, no framing.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	if !strings.HasPrefix(r.URL.Path, "/admin/jobs") {
		h.Set("Content-Security-Policy", contentSecurityPolicy)
	}
	s.handler.ServeHTTP(w, r)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// logRequests logs each request's method, path, status and time. Paths
// hold ids only, never personal data.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if strings.HasPrefix(r.URL.Path, "/static/") || r.URL.Path == "/healthz" || r.URL.Path == "/metrics" {
			return
		}
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		s.cfg.Logger.InfoContext(r.Context(), "http", "method", r.Method, "path", r.URL.Path,
			"status", rec.status, "ms", float64(time.Since(start).Microseconds())/1000)
	})
}

// actor names who made a request, for the audit log.
func actor(r *http.Request) string {
	if a, ok := r.Context().Value(actorKey{}).(string); ok {
		return a
	}
	return "anonymous"
}

type actorKey struct{}

func (s *Server) tokenOK(r *http.Request) bool {
	if s.cfg.APIToken == "" {
		return false
	}
	token := ""
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
		token = strings.TrimPrefix(auth, "Bearer ")
	} else if _, pw, ok := r.BasicAuth(); ok {
		token = pw
	}
	return subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.APIToken)) == 1
}

func (s *Server) authorised(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.cfg.APIToken == "" {
			writeError(w, http.StatusServiceUnavailable, "API:t är avstängt: ingen BLANKETT_API_TOKEN är satt.")
			return
		}
		if !s.tokenOK(r) {
			w.Header().Set("WWW-Authenticate", `Basic realm="Blankett"`)
			writeError(w, http.StatusUnauthorized, "Inloggning krävs.")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), actorKey{}, "api-token")))
	})
}

// adminOrToken lets in an admin's session or the API token.
func (s *Server) adminOrToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.tokenOK(r) {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), actorKey{}, "api-token")))
			return
		}
		if _, ok := s.currentSession(r); !ok {
			w.Header().Set("WWW-Authenticate", `Basic realm="Blankett"`)
			writeError(w, http.StatusUnauthorized, "Inloggning krävs: logga in som administratör på /login.")
			return
		}
		s.require(next.ServeHTTP, storage.RoleAdmin).ServeHTTP(w, r)
	})
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	status := map[string]string{"database": "ok", "objects": "ok"}
	code := http.StatusOK
	if err := s.cfg.Pool.Ping(ctx); err != nil {
		status["database"], code = "unavailable", http.StatusServiceUnavailable
		s.cfg.Logger.WarnContext(ctx, "readiness: database", "error", err)
	}
	if s.cfg.Blob != nil {
		if err := s.cfg.Blob.Ready(ctx); err != nil {
			status["objects"], code = "unavailable", http.StatusServiceUnavailable
			s.cfg.Logger.WarnContext(ctx, "readiness: object store", "error", err)
		}
	}
	writeJSON(w, code, status)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers with a Swedish message for people.
func writeError(w http.ResponseWriter, code int, message string) {
	writeJSON(w, code, map[string]string{"error": message})
}

// statusOf maps an error to its HTTP status: the one place that does.
func statusOf(err error) int {
	var tooLarge *pipeline.TooLargeError
	switch {
	case errors.As(err, &tooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, errNotFound), errors.Is(err, storage.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, errForbidden):
		return http.StatusForbidden
	case errors.Is(err, errUnauthenticated):
		return http.StatusUnauthorized
	case errors.Is(err, errTooMany):
		return http.StatusTooManyRequests
	case errors.Is(err, errUnavailable):
		return http.StatusServiceUnavailable
	case errors.Is(err, pipeline.ErrNotDecidable), errors.Is(err, storage.ErrNotInReview), errors.Is(err, storage.ErrProposalOpen),
		errors.Is(err, storage.ErrAccountExists):
		return http.StatusConflict
	case errors.Is(err, pipeline.ErrUnresolvedFindings), errors.Is(err, errInvalid), errors.Is(err, storage.ErrWeakPassword):
		return http.StatusUnprocessableEntity
	case errors.Is(err, context.Canceled):
		return 499
	}
	return http.StatusInternalServerError
}

// messageOf is the Swedish message for people that goes with statusOf.
func messageOf(err error) string {
	var msg *userError
	switch {
	case errors.As(err, &msg):
		return msg.message
	case errors.Is(err, errNotFound), errors.Is(err, storage.ErrNotFound):
		return "Sidan eller dokumentet finns inte."
	case errors.Is(err, errForbidden):
		return "Din roll får inte göra detta."
	case errors.Is(err, pipeline.ErrNotDecidable), errors.Is(err, storage.ErrNotInReview):
		return "Dokumentet väntar inte längre på granskning. Ladda om sidan."
	case errors.Is(err, storage.ErrProposalOpen):
		return "Det finns redan ett förslag som väntar på bekräftelse."
	case errors.Is(err, pipeline.ErrUnresolvedFindings):
		return "Varje fel måste ha ett skriftligt skäl innan dokumentet kan godkännas."
	case errors.Is(err, storage.ErrAccountExists):
		return "Det finns redan ett konto med det namnet."
	case errors.Is(err, storage.ErrWeakPassword):
		return "Lösenordet är för kort."
	}
	return "Något gick fel. Försök igen om en stund."
}

var (
	errForbidden   = errors.New("forbidden")
	errInvalid     = errors.New("invalid input")
	errTooMany     = errors.New("too many attempts")
	errUnavailable = errors.New("not configured")
)

// userError carries a Swedish message for people with a sentinel that
// decides the status.
type userError struct {
	kind    error
	message string
}

func (e *userError) Error() string { return e.kind.Error() + ": " + e.message }
func (e *userError) Unwrap() error { return e.kind }

func invalid(message string) error   { return &userError{kind: errInvalid, message: message} }
func forbidden(message string) error { return &userError{kind: errForbidden, message: message} }
