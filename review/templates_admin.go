package review

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
)

// The admin page "Blanketter": the stored template versions (each form
// edition's), an upload to import one, and activate and retire buttons.
// Every action is a pipeline use case (through Reviewing).

// maxTemplateUpload bounds an uploaded template (the built-in ones are
// under 200 KiB).
const maxTemplateUpload = 4 << 20

type templatesData struct {
	Editions    []editionRow
	ImportError string // Swedish, shown beside the upload
	Today       string
}

// editionRow is one edition with its versions, newest first.
type editionRow struct {
	Kind       form.Kind
	Edition    string
	Versions   []storage.TemplateVersion
	Newest     storage.TemplateVersion
	Retirable  bool // a version is a draft or active
	ActiveNow  bool // a version is active
	NewestLive bool // the newest version is active
}

func (s *Server) templatesView(r *http.Request) (view, error) {
	vs, err := s.cfg.Reviewing.ListTemplates(r.Context())
	if err != nil {
		return view{}, err
	}
	var rows []editionRow
	for _, v := range vs { // by kind, edition, version
		if n := len(rows); n == 0 || rows[n-1].Kind != v.Kind || rows[n-1].Edition != v.Edition {
			rows = append(rows, editionRow{Kind: v.Kind, Edition: v.Edition})
		}
		row := &rows[len(rows)-1]
		row.Versions = append([]storage.TemplateVersion{v}, row.Versions...)
		row.Newest = v
		row.Retirable = row.Retirable || v.State != storage.TemplateRetired
		row.ActiveNow = row.ActiveNow || v.State == storage.TemplateActive
	}
	for i := range rows {
		rows[i].NewestLive = rows[i].Newest.State == storage.TemplateActive
	}
	return s.newView(r, "Blanketter", "templates", templatesData{Editions: rows, Today: form.Day(time.Now()).Format(time.DateOnly)}), nil
}

// templateList shows the stored template versions.
func (s *Server) templateList(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Reviewing == nil {
		s.fail(w, r, &userError{kind: errUnavailable, message: "Blanketterna kan inte visas just nu."})
		return
	}
	v, err := s.templatesView(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.page(w, r, "templates", v)
}

// templateImport stores an uploaded template as a draft. A template that
// cannot be used is shown with the reason beside the upload, and nothing
// is stored.
func (s *Server) templateImport(w http.ResponseWriter, r *http.Request) {
	if s.cfg.Reviewing == nil {
		s.fail(w, r, &userError{kind: errUnavailable, message: "Blanketterna kan inte ändras just nu."})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxTemplateUpload+64<<10)
	f, _, err := r.FormFile("template")
	if err != nil {
		s.templateRefused(w, r, "Välj en mallfil (JSON, högst 4 MiB).")
		return
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, maxTemplateUpload+1))
	if err != nil {
		s.templateRefused(w, r, "Mallfilen kunde inte läsas. Försök igen.")
		return
	}
	if len(body) > maxTemplateUpload {
		s.templateRefused(w, r, "Mallfilen är större än 4 MiB.")
		return
	}
	_, err = s.cfg.Reviewing.ImportTemplate(r.Context(), body, actor(r))
	var refused *pipeline.TemplateRefusedError
	if errors.As(err, &refused) {
		s.templateRefused(w, r, refused.Message())
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/blanketter?klart=mall-importerad", http.StatusSeeOther)
}

// templateRefused shows the page with the reason an upload was refused.
func (s *Server) templateRefused(w http.ResponseWriter, r *http.Request, message string) {
	v, err := s.templatesView(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := v.Data.(templatesData)
	d.ImportError = message
	v.Data = d
	s.render(w, r, http.StatusUnprocessableEntity, "templates", "layout", v)
}

// editionOf reads the kind and edition a button acts on.
func editionOf(r *http.Request) (form.Kind, string, error) {
	kind, edition := form.Kind(r.PostFormValue("kind")), strings.TrimSpace(r.PostFormValue("edition"))
	if !kind.Known() || edition == "" {
		return "", "", invalid("Ange blankett och utgåva.")
	}
	return kind, edition, nil
}

// changedEdition is the edition a change on the Blanketter page names;
// ok is false when the request has been answered with why not.
func (s *Server) changedEdition(w http.ResponseWriter, r *http.Request) (form.Kind, string, bool) {
	if s.cfg.Reviewing == nil {
		s.fail(w, r, &userError{kind: errUnavailable, message: "Blanketterna kan inte ändras just nu."})
		return "", "", false
	}
	kind, edition, err := editionOf(r)
	if err != nil {
		s.fail(w, r, err)
		return "", "", false
	}
	return kind, edition, true
}

// templateActivate takes an edition's newest version into use from a day.
func (s *Server) templateActivate(w http.ResponseWriter, r *http.Request) {
	kind, edition, ok := s.changedEdition(w, r)
	if !ok {
		return
	}
	var err error
	var from time.Time
	if v := strings.TrimSpace(r.PostFormValue("from")); v != "" {
		if from, err = time.Parse(time.DateOnly, v); err != nil {
			s.fail(w, r, invalid("Ange dagen som ÅÅÅÅ-MM-DD."))
			return
		}
	}
	_, err = s.cfg.Reviewing.ActivateTemplate(r.Context(), kind, edition, from, actor(r))
	if err != nil {
		s.fail(w, r, templateError(err))
		return
	}
	http.Redirect(w, r, "/blanketter?klart=mall-aktiverad", http.StatusSeeOther)
}

// templateRetire stops reading with an edition.
func (s *Server) templateRetire(w http.ResponseWriter, r *http.Request) {
	kind, edition, ok := s.changedEdition(w, r)
	if !ok {
		return
	}
	if err := s.cfg.Reviewing.RetireTemplate(r.Context(), kind, edition, actor(r)); err != nil {
		s.fail(w, r, templateError(err))
		return
	}
	http.Redirect(w, r, "/blanketter?klart=mall-avvecklad", http.StatusSeeOther)
}

// templateError gives the template use cases' refusals their message.
func templateError(err error) error {
	var refused *pipeline.TemplateRefusedError
	switch {
	case errors.As(err, &refused):
		return invalid(refused.Message())
	case errors.Is(err, pipeline.ErrNoSuchTemplate):
		return invalid("Det finns ingen mall för den blanketten och utgåvan.")
	case errors.Is(err, storage.ErrTemplateState):
		return invalid("Utgåvan är redan avvecklad.")
	}
	return err
}

// formOf is the template a document was read with: its own edition's
// (which may be retired by now), else its kind's first built-in edition
// (documents read before editions were recorded).
func (s *Server) formOf(ctx context.Context, doc storage.Document) *form.Template {
	if doc.Edition != "" && s.cfg.Reviewing != nil {
		t, err := s.cfg.Reviewing.EditionTemplate(ctx, doc.Kind, doc.Edition)
		if err == nil && t != nil {
			return t
		}
		s.cfg.Logger.WarnContext(ctx, "the document's edition has no template; the kind's first is used", "document_id", doc.ID, "edition", doc.Edition, "error", err)
	}
	return s.forms[doc.Kind]
}
