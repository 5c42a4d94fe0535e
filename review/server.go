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
	"net/netip"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
	"blankett/validate"
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

// Reviewing is what reviewers' actions do (pipeline.Pipeline's use cases):
// decide, propose and confirm or withdraw a proposal, correct a field,
// import signatories. Each is one transaction in the pipeline. Confirmed,
// what the registry says of a document's values, only reads.
type Reviewing interface {
	Decide(ctx context.Context, d storage.Decision) (int64, error)
	NeedsSecondReviewer(k form.Kind, outcome form.State) bool
	Propose(ctx context.Context, d storage.Decision) (int64, error)
	ConfirmProposal(ctx context.Context, docID, pid int64, actor string) (int64, error)
	WithdrawProposal(ctx context.Context, docID, pid int64, actor, reason string) error
	CorrectField(ctx context.Context, id int64, field, value, actor string) (storage.Document, error)
	// Confirmed says which fields have the values the registry holds as
	// read (not flagged, however unsure the reading alone was), and how
	// the registry spells names and orderers' addresses near those read
	// otherwise.
	Confirmed(ctx context.Context, doc storage.Document) (validate.Registered, error)
	ImportSignatories(ctx context.Context, in io.Reader) (pipeline.ImportReport, error)
	RecordTermination(ctx context.Context, t pipeline.Termination) (int64, []form.Finding, error)
	CloseDocument(ctx context.Context, id int64, note, actor string) error
	InForceListPDF(ctx context.Context, d time.Time) ([]byte, error)
	// The form editions' templates (templates_admin.go).
	ListTemplates(ctx context.Context) ([]storage.TemplateVersion, error)
	ImportTemplate(ctx context.Context, body []byte, actor string) (storage.TemplateVersion, error)
	ActivateTemplate(ctx context.Context, kind form.Kind, edition string, from time.Time, actor string) (storage.TemplateVersion, error)
	RetireTemplate(ctx context.Context, kind form.Kind, edition, actor string) error
	EditionTemplate(ctx context.Context, kind form.Kind, edition string) (*form.Template, error)
	ActiveSet(ctx context.Context) (*form.Set, error)
	Classify(ctx context.Context, documentID int64, kind form.Kind, edition, actor string) error
}

// Queries is the read-only view of the database the pages show
// (storage.DB).
type Queries interface {
	Document(ctx context.Context, id int64) (storage.Document, error)
	NextInQueue(ctx context.Context, id int64) (int64, error)
	DocumentPages(ctx context.Context, id int64) ([]storage.Page, error)
	Corrections(ctx context.Context, id int64) ([]storage.Correction, error)
	OpenProposal(ctx context.Context, documentID int64) (storage.Proposal, error)
	DocumentDecisions(ctx context.Context, id int64) ([]storage.Decision, error)
	LettersForDocument(ctx context.Context, documentID int64) ([]storage.LetterRow, error)
	Letter(ctx context.Context, id int64) (storage.LetterRow, error)
	UnprintedLetters(ctx context.Context) ([]storage.LetterRow, error)
	UploadsBy(ctx context.Context, actor string, limit int) ([]storage.Upload, error)
	Queue(ctx context.Context, f storage.QueueFilter) ([]storage.QueueItem, error)
	CountByState(ctx context.Context) (map[form.State]int64, error)
	Organisations(ctx context.Context, today time.Time) ([]storage.OrganisationSummary, error)
	Organisation(ctx context.Context, orgnr string) (storage.OrganisationHistory, error)
	AuditLog(ctx context.Context, f storage.AuditFilter) ([]storage.AuditEntry, error)
	ListAccounts(ctx context.Context) ([]storage.Account, error)
	Parts(ctx context.Context, batchID int64) ([]storage.Document, error)
	Overview(ctx context.Context, now time.Time, days int, loc *time.Location) (storage.OfficeOverview, error)
}

// Store is what the HTTP layer itself writes (storage.DB): sessions,
// login attempts, an account disabled or unlocked, and the audit events of
// views, downloads, searches and exports. Nothing else: every other change
// is a use case of the pipeline (Reviewing, Accounts).
type Store interface {
	Ping(ctx context.Context) error
	LookupSession(ctx context.Context, token string, p storage.SessionPolicy) (storage.Session, error)
	CreateSession(ctx context.Context, accountID int64, previous string, p storage.SessionPolicy) (string, error)
	DeleteSession(ctx context.Context, token string) error
	BeginLoginAttempt(ctx context.Context, name, client string, window time.Duration) (storage.LoginAttempt, error)
	FinishLoginAttempt(ctx context.Context, a storage.LoginAttempt, name, client string, outcome storage.LoginOutcome) error
	UnlockLogins(ctx context.Context, accountID int64, actor string) error
	SetAccountDisabled(ctx context.Context, id int64, disabled bool, actor string) error
	Audit(ctx context.Context, e storage.AuditEvent) error
	// AuditPersonLookup records a lookup of a person, named by a label of
	// the keyed hash.
	AuditPersonLookup(ctx context.Context, actor, pnr string) error
	// Search and ExportPerson audit a search for or an export of a person.
	Search(ctx context.Context, q storage.SearchQuery) ([]storage.QueueItem, error)
	ExportPerson(ctx context.Context, pnr, actor string) (storage.PersonExport, error)
}

// Accounts creates accounts and checks passwords (pipeline.Pipeline): the
// password policy and hashing are the pipeline's.
type Accounts interface {
	CreateAccount(ctx context.Context, name string, role form.AccountRole, password, actor string) (storage.Account, error)
	Authenticate(ctx context.Context, name, password string) (storage.Account, error)
}

// LetterPrinter makes print batches of the letters not yet printed and
// marks them printed (pipeline.Pipeline.PrintBatch and MarkPrinted).
// PrintBatch returns pipeline.ErrNothingToPrint when there is nothing.
type LetterPrinter interface {
	PrintBatch(ctx context.Context) (pdf []byte, ids []int64, err error)
	MarkPrinted(ctx context.Context, ids []int64, batch string, at time.Time) (int64, error)
}

// Config wires a server.
type Config struct {
	DB       Store
	Queries  Queries
	Ingester Ingester
	Blob     BlobStore
	Metrics  *prometheus.Registry
	// Jobs is River's UI, mounted under /admin/jobs/ behind the admin check.
	Jobs http.Handler
	// APIToken guards /api/ (and /admin/ for machines): requests carry it
	// as a bearer token (or as the password of HTTP basic auth with the
	// user name BasicAuthUser). Empty disables the API and /metrics (they
	// answer 503).
	APIToken string
	Logger   *slog.Logger

	// Reviewing takes decisions, corrections and imports; without it the
	// web app's matching pages answer 503.
	Reviewing Reviewing
	// Accounts logs people in and creates accounts; without it logins and
	// new accounts answer 503.
	Accounts Accounts
	// Letters makes the admins' print batches; without it the print
	// batch answers 503.
	Letters LetterPrinter

	// InsecureCookies drops the Secure flag from the session cookie. Only
	// for plain-http development on localhost; set it explicitly.
	InsecureCookies bool
	// SessionIdle and SessionAbsolute end sessions (default 30 minutes
	// idle, 10 hours after login).
	SessionIdle     time.Duration
	SessionAbsolute time.Duration
	// LoginLimit is how many failed logins per account name (and ten times
	// as many per IP address) are allowed in LoginWindow (default 5 in 15
	// minutes).
	LoginLimit  int
	LoginWindow time.Duration
	// LoginBackoff is the first wait after LoginLimit failures of one
	// account from one client (default 30 s; see loginPolicy).
	LoginBackoff time.Duration
	// HashSlots bounds the password hashes run at once (default: from the
	// cores and memory); HashWait is how long a login waits for a slot
	// before it is answered 503 (default 2 s).
	HashSlots int
	HashWait  time.Duration
	// TrustedProxies are the proxies whose X-Forwarded-For is believed
	// when limiting logins per client (BLANKETT_TRUSTED_PROXIES).
	TrustedProxies []netip.Prefix

	// MaxUploadBytes is the largest file an upload may hold (0: only the
	// pipeline's own limit); SpoolDir holds a request's files until the
	// whole request has been read ("" = the system's).
	MaxUploadBytes int64
	SpoolDir       string
	// UploadTimeout is the longest one upload request may take (default
	// 10 minutes); UploadMinRate, when above 0, is the slowest average in
	// bytes a second an upload may keep after its first ten seconds.
	UploadTimeout time.Duration
	UploadMinRate int64
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

	loginPolicy loginPolicy
	hashes      *hashSlots
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
	if cfg.UploadTimeout <= 0 {
		cfg.UploadTimeout = 10 * time.Minute
	}
	forms, err := form.LoadTemplates()
	if err != nil {
		panic(fmt.Sprintf("review: form templates: %v", err)) // embedded and tested: cannot happen
	}
	s := &Server{cfg: cfg, mux: http.NewServeMux(), pages: mustParseTemplates(), forms: forms,
		policy:      storage.SessionPolicy{Idle: cfg.SessionIdle, Absolute: cfg.SessionAbsolute},
		loginPolicy: newLoginPolicy(cfg), hashes: newHashSlots(cfg.HashSlots, cfg.HashWait)}
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	if cfg.Metrics != nil {
		// Metrics tell an outsider how busy the office is: the API token
		// guards them (or serve them on their own address: MetricsHandler).
		s.mux.Handle("GET /metrics", s.authorised(MetricsHandler(cfg.Metrics)))
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
	Roles   []form.AccountRole
}

// Routes lists the role-checked routes, for the route × role tests.
func (s *Server) Routes() []Route { return s.routes }

// route registers a page that only the given roles may use.
func (s *Server) route(pattern string, h http.HandlerFunc, roles ...form.AccountRole) {
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
	s.route("POST /logout", s.logout, form.AccountAdmin, form.AccountReviewer, form.AccountMailroom)

	reviewers := []form.AccountRole{form.AccountAdmin, form.AccountReviewer}
	s.route("GET /queue", s.queue, reviewers...)
	s.route("GET /queue/next/{id}", s.queueNext, reviewers...)
	s.route("GET /oversikt", s.overview, reviewers...)
	s.route("GET /sok", s.searchForm, reviewers...)
	s.route("POST /sok", s.search, reviewers...)
	s.route("GET /documents/{id}", s.documentShow, reviewers...)
	s.route("GET /documents/{id}/pages/{page}", s.documentPageImage, reviewers...)
	s.route("GET /documents/{id}/original", s.documentOriginal, reviewers...)
	s.route("POST /documents/{id}/close", s.documentClose, reviewers...)
	s.route("POST /documents/{id}/classify", s.documentClassify, reviewers...)
	s.route("POST /documents/{id}/fields/{field}", s.fieldCorrect, reviewers...)
	s.route("POST /documents/{id}/decision", s.decisionCreate, reviewers...)
	s.route("POST /documents/{id}/proposals/{pid}/confirm", s.proposalConfirm, reviewers...)
	s.route("POST /documents/{id}/proposals/{pid}/withdraw", s.proposalWithdraw, reviewers...)
	s.route("GET /documents/{id}/letters/{lid}", s.letterDownload, reviewers...)

	s.route("GET /registry", s.registryList, reviewers...)
	s.route("GET /registry/{org}", s.registryShow, reviewers...)
	s.route("POST /registry/{org}/termination", s.registryTerminate, reviewers...)
	s.route("GET /registry/in-force.pdf", s.registryInForcePDF, reviewers...)
	s.route("POST /registry/signatories", s.signatoriesImport, form.AccountAdmin)

	s.route("GET /mailroom", s.mailroom, form.AccountAdmin, form.AccountMailroom)
	s.route("GET /mailroom/uploads", s.mailroomUploads, form.AccountAdmin, form.AccountMailroom)
	s.route("POST /mailroom/upload", s.mailroomUpload, form.AccountAdmin, form.AccountMailroom)

	s.route("GET /audit", s.auditList, form.AccountAdmin)
	s.route("POST /audit", s.auditList, form.AccountAdmin) // filtered by a person
	s.route("GET /audit/export.csv", s.auditExport, form.AccountAdmin)
	s.route("POST /audit/export.csv", s.auditExport, form.AccountAdmin)
	s.route("GET /letters", s.letterList, form.AccountAdmin)
	s.route("POST /letters/print-batch", s.letterPrintBatch, form.AccountAdmin)
	s.route("/admin/person", s.personExport, form.AccountAdmin)
	s.route("GET /accounts", s.accountList, form.AccountAdmin)
	s.route("POST /accounts", s.accountCreate, form.AccountAdmin)
	s.route("POST /accounts/{id}/disable", s.accountDisable, form.AccountAdmin)
	s.route("POST /accounts/{id}/enable", s.accountEnable, form.AccountAdmin)
	s.route("POST /accounts/{id}/unlock", s.accountUnlock, form.AccountAdmin)
	s.route("GET /blanketter", s.templateList, form.AccountAdmin)
	s.route("POST /blanketter", s.templateImport, form.AccountAdmin)
	s.route("POST /blanketter/activate", s.templateActivate, form.AccountAdmin)
	s.route("POST /blanketter/retire", s.templateRetire, form.AccountAdmin)
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
	} else if user, pw, ok := r.BasicAuth(); ok && user == BasicAuthUser {
		token = pw
	}
	return subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.APIToken)) == 1
}

func (s *Server) authorised(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
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
		w.Header().Set("Cache-Control", "no-store")
		if s.tokenOK(r) {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), actorKey{}, "api-token")))
			return
		}
		if _, ok := s.currentSession(r); !ok {
			w.Header().Set("WWW-Authenticate", `Basic realm="Blankett"`)
			writeError(w, http.StatusUnauthorized, "Inloggning krävs: logga in som administratör på /login.")
			return
		}
		s.require(next.ServeHTTP, form.AccountAdmin).ServeHTTP(w, r)
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
	if err := s.cfg.DB.Ping(ctx); err != nil {
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
	w.Header().Set("Cache-Control", "no-store")
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
	case errors.Is(err, errForbidden), errors.Is(err, pipeline.ErrOwnProposal), errors.Is(err, pipeline.ErrNeedsSecondReviewer):
		return http.StatusForbidden
	case errors.Is(err, errUnauthenticated):
		return http.StatusUnauthorized
	case errors.Is(err, errTooMany):
		return http.StatusTooManyRequests
	case errors.Is(err, errUnavailable):
		return http.StatusServiceUnavailable
	case errors.Is(err, pipeline.ErrNotDecidable), errors.Is(err, storage.ErrNotInReview), errors.Is(err, storage.ErrProposalOpen),
		errors.Is(err, storage.ErrAccountExists), errors.Is(err, pipeline.ErrProposalGone):
		return http.StatusConflict
	case errors.Is(err, pipeline.ErrUnresolvedFindings), errors.Is(err, errInvalid), errors.Is(err, pipeline.ErrWeakPassword):
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
	case errors.Is(err, pipeline.ErrProposalGone):
		return "Förslaget har redan bekräftats eller dragits tillbaka. Ladda om sidan."
	case errors.Is(err, pipeline.ErrOwnProposal):
		return "Ett förslag ska bekräftas av en annan handläggare än den som föreslog det."
	case errors.Is(err, pipeline.ErrNeedsSecondReviewer):
		return "Beslutet ska föreslås och bekräftas av en andra handläggare."
	case errors.Is(err, pipeline.ErrUnresolvedFindings):
		return "Varje fel måste ha ett skriftligt skäl innan dokumentet kan godkännas."
	case errors.Is(err, storage.ErrAccountExists):
		return "Det finns redan ett konto med det namnet."
	case errors.Is(err, pipeline.ErrWeakPassword):
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
