package review

import (
	"net/http"
	"time"

	"blankett/storage"
)

// signatoriesImport reads a firmatecknare CSV file and shows the import's
// report on the registry page.
func (s *Server) signatoriesImport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if s.cfg.Reviewing == nil {
		s.fail(w, r, &userError{kind: errUnavailable, message: "Registret kan inte ta emot filer just nu."})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 10<<20)
	f, _, err := r.FormFile("csv")
	if err != nil {
		s.fail(w, r, invalid("Välj en CSV-fil (högst 10 MiB)."))
		return
	}
	defer f.Close()
	rep, err := s.cfg.Reviewing.ImportSignatories(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.DB.Audit(ctx, storage.AuditEvent{Actor: actor(r), Action: "registry.signatories_imported",
		After: map[string]any{"rows": rep.Rows, "imported": rep.Imported, "duplicates": rep.Duplicates, "rejected": len(rep.Rejected)}}); err != nil {
		s.fail(w, r, err)
		return
	}
	orgs, err := s.cfg.Queries.Organisations(ctx, time.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := s.newView(r, "Register", "registry", registryListData{Organisations: orgs, Report: &rep, Today: time.Now()})
	v.Flash = flashMessages["importerad"]
	s.page(w, r, "registry", v)
}
