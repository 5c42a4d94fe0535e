package review

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strings"
	"time"

	"blankett/form"
	"blankett/letter"
	"blankett/storage"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// templates holds one template set per page: the layout, the shared
// partials and the page's own file.
type templates struct {
	sets map[string]*template.Template
}

var funcs = template.FuncMap{
	"stateTitle": stateTitle,
	"kindTitle":  func(k form.Kind) string { return kindShort(k) },
	"roleTitle":  func(r form.AccountRole) string { return r.Title() },
	"letterKind": letterKindTitle,
	"mask":       form.MaskPersonnummer,
	"maskText":   maskText,
	"when": func(t time.Time) string {
		if t.IsZero() {
			return "–"
		}
		return form.InSweden(t).Format("2006-01-02 15:04")
	},
	"day": func(t time.Time) string {
		if t.IsZero() {
			return "–"
		}
		return t.Format("2006-01-02")
	},
	"percent": func(f float64) string { return fmt.Sprintf("%.0f %%", f*100) },
	// labels.go: Swedish names for finding codes and audit events.
	"findingTitle": findingTitle,
	"auditAction":  auditActionTitle,
	"addf":         func(a, b float64) float64 { return a + b },
	"fileSize":     func(n int64) string { return byteSize(float64(n)) },
	"age":          func(t time.Time) string { return inWords(time.Since(t)) },
	"evidenceLabel": func(k string) string {
		if l, ok := evidenceLabels[k]; ok {
			return l
		}
		return k
	},
	"severityTitle": func(s form.Severity) string {
		if s == form.SeverityError {
			return "Fel"
		}
		return "Varning"
	},
}

// evidenceLabels name the keys of a finding's evidence in Swedish.
var evidenceLabels = map[string]string{
	"orderer_id": "Beställarpost", "orderer_name": "Beställare", "orderer_valid_from": "Beställare från",
	"orderer_valid_to": "Beställare till", "orderer_removed": "Beställare borttagen", "orderer_org_number": "Beställarens organisation",
	"agreement_id": "Överenskommelse", "agreement_countersigned": "Kontrasignerad", "agreement_terminated": "Uppsagd",
	"agreement_part_signed": "Undertecknad av parten", "org_number": "Organisationsnummer", "as_of": "Prövat per",
	"personnummer": "Personnummer", "signatories": "Kända firmatecknare", "user_id": "Användarpost",
	"user_org_number": "Användarens organisation", "user_valid_from": "Användare från",
	"orderer_source_document": "Beställaren registrerad från dokument", "agreement_copies_received": "Mottagna exemplar",
	"agreement_source_document": "Överenskommelsen registrerad från dokument", "copies_in_document": "Exemplar i dokumentet",
	"date": "Datum", "received": "Mottaget", "signatories_no": "Antal kända firmatecknare", "signed_on": "Undertecknat",
	"signer_name": "Undertecknare",
}

// stateTitle is a document state in Swedish.
func stateTitle(s form.State) string {
	switch s {
	case form.StateReceived:
		return "Mottagen"
	case form.StateExtracted:
		return "Inläst"
	case form.StateNeedsReview:
		return "Väntar på granskning"
	case form.StateApproved:
		return "Godkänd"
	case form.StateRejected:
		return "Avslagen"
	case form.StateDone:
		return "Klar"
	case form.StateUnreadable:
		return "Oläsbar"
	case form.StateUnclassified:
		return "Okänd blankett"
	case form.StateDuplicate:
		return "Dubblett"
	case form.StateSplit:
		return "Uppdelad i blanketter"
	case form.StateWaiting:
		return "Väntar på överenskommelsen"
	}
	return string(s)
}

func kindShort(k form.Kind) string {
	switch k {
	case form.KindAgreement:
		return "Överenskommelse"
	case form.Kind9463:
		return "9463 Behörig beställare"
	case form.Kind9445:
		return "9445 Beställning användare"
	case "":
		return "–"
	}
	return string(k)
}

// letterKindTitles name the letter kinds (letter.Kind…) in Swedish.
var letterKindTitles = map[string]string{
	letter.Kind9445ApprovedOrderer: "Beställning godkänd, till beställaren (9445)",
	letter.Kind9445ApprovedUser:    "Beställning godkänd, till användaren (9445)",
	letter.Kind9445RemovedOrderer:  "Användare borttagen, till beställaren (9445)",
	letter.Kind9445RemovedUser:     "Användare borttagen, till användaren (9445)",
	letter.Kind9445Rejected:        "Avslag (9445)",
	letter.Kind9445Incomplete:      "Begäran om komplettering (9445)",
	letter.Kind9445NoAgreement:     "Överenskommelse saknas (9445)",
	letter.Kind9463OrdererAdded:    "Behörig beställare tillagd (9463)",
	letter.Kind9463OrdererRemoved:  "Behörig beställare borttagen (9463)",
	letter.Kind9463Rejected:        "Avslag (9463)",
	letter.Kind9463Incomplete:      "Begäran om komplettering (9463)",
	letter.Kind9463NoAgreement:     "Överenskommelse saknas (9463)",
	letter.KindAgreementInForce:    "Överenskommelsen gäller, till kontaktpersonen",
	letter.KindAgreementRejected:   "Avslag (överenskommelse)",
	letter.KindAgreementIncomplete: "Begäran om komplettering (överenskommelse)",
}

// letterKindTitle is a letter kind in Swedish words, else the kind itself.
func letterKindTitle(kind string) string {
	if t, ok := letterKindTitles[kind]; ok {
		return t
	}
	return kind
}

// pnrPattern finds personnummer-like numbers in free text: 12 digits, or
// 10 with a separator, or 10 digits alone.
var pnrPattern = regexp.MustCompile(`\b(?:\d{8}[-+]?\d{4}|\d{6}[-+]\d{4}|\d{10})\b`)

// maskText masks every personnummer-like number in s (audit before/after).
func maskText(s string) string {
	return pnrPattern.ReplaceAllStringFunc(s, form.MaskPersonnummer)
}

func mustParseTemplates() *templates {
	t, err := parseTemplates()
	if err != nil {
		panic(err)
	}
	return t
}

func parseTemplates() (*templates, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	t := &templates{sets: map[string]*template.Template{}}
	for _, name := range names {
		page := strings.TrimSuffix(path.Base(name), ".html")
		if page == "layout" || page == "partials" {
			continue
		}
		set, err := template.Must(base.Clone()).ParseFS(templateFS, name)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		t.sets[page] = set
	}
	return t, nil
}

// view is what every page's template gets.
type view struct {
	Title   string
	Nav     string
	Session storage.Session
	Roles   struct{ Reviewer, Admin, Mailroom bool }
	Flash   string
	Error   string
	Data    any
}

func (s *Server) newView(r *http.Request, title, nav string, data any) view {
	v := view{Title: title, Nav: nav, Session: session(r), Data: data}
	v.Roles.Reviewer = can(r, form.AccountAdmin, form.AccountReviewer)
	v.Roles.Admin = can(r, form.AccountAdmin)
	v.Roles.Mailroom = can(r, form.AccountAdmin, form.AccountMailroom)
	v.Flash = flashMessages[r.URL.Query().Get("klart")]
	return v
}

// flashMessages are the confirmations a redirect may ask for (?klart=…).
var flashMessages = map[string]string{
	"beslut":          "Beslutet är registrerat.",
	"forslag":         "Förslaget är sparat och väntar på en andra handläggares bekräftelse.",
	"bekraftat":       "Beslutet är bekräftat och registrerat.",
	"tillbaka":        "Förslaget är tillbakadraget.",
	"konto":           "Kontot är sparat.",
	"utloggad":        "Du är utloggad.",
	"importerad":      "Filen är importerad.",
	"inga-brev":       "Inga brev att skriva ut.",
	"uppsagd":         "Uppsägningen är registrerad och ett brev bekräftar slutdagen.",
	"avslutat":        "Dokumentet är avslutat med din anteckning.",
	"klassad":         "Dokumentet läses om som den blankett du valde. Ladda om sidan om en stund.",
	"mall-importerad": "Mallen är importerad som utkast. Aktivera den för att läsa med den.",
	"mall-aktiverad":  "Mallen är aktiverad från den dag du angav.",
	"mall-avvecklad":  "Utgåvan är avvecklad. Dokument som lästs med den behåller den.",
}

// render writes a page (tmpl "layout") or a partial of a page's set.
func (s *Server) render(w http.ResponseWriter, r *http.Request, code int, page, tmpl string, v view) {
	set, ok := s.pages.sets[page]
	if !ok {
		s.cfg.Logger.ErrorContext(r.Context(), "no such template", "page", page)
		http.Error(w, "Sidan kunde inte visas.", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, tmpl, v); err != nil {
		s.cfg.Logger.ErrorContext(r.Context(), "render template", "page", page, "template", tmpl, "error", err)
		http.Error(w, "Sidan kunde inte visas.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = buf.WriteTo(w)
}

// page renders a whole page.
func (s *Server) page(w http.ResponseWriter, r *http.Request, page string, v view) {
	s.render(w, r, http.StatusOK, page, "layout", v)
}

// fail answers an error: a page for people, a fragment for htmx, JSON for
// a script (XHR uploads). Server errors are logged without personal data.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := statusOf(err)
	msg := messageOf(err)
	if code >= 500 {
		s.cfg.Logger.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "error", err)
	}
	switch {
	case strings.Contains(r.Header.Get("Accept"), "application/json"):
		writeError(w, code, msg)
	case r.Header.Get("HX-Request") != "":
		w.Header().Set("HX-Retarget", "#messages")
		w.Header().Set("HX-Reswap", "innerHTML")
		s.render(w, r, code, "error", "message", view{Error: msg})
	default:
		v := s.newView(r, "Det gick inte", "", nil)
		v.Error = msg
		s.render(w, r, code, "error", "layout", v)
	}
}

// staticHandler serves the embedded assets with a day's caching.
func staticHandler(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}
