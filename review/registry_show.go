package review

import (
	"net/http"
	"time"

	"blankett/pipeline"
	"blankett/storage"
)

type registryListData struct {
	Organisations []storage.OrganisationSummary
	Report        *pipeline.ImportReport
	Today         time.Time
}

// registryList lists the Parts with a summary of what the registry holds.
func (s *Server) registryList(w http.ResponseWriter, r *http.Request) {
	orgs, err := s.cfg.Queries.Organisations(r.Context(), time.Now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.page(w, r, "registry", s.newView(r, "Register", "registry", registryListData{Organisations: orgs, Today: time.Now()}))
}

type registryShowData struct {
	Org   storage.OrganisationHistory
	Today time.Time
	// Termination is what was typed into the termination form when the
	// recording was refused.
	Termination *terminationForm
}

// registryShow is one Part's history: agreements, signatories, orderers
// with validity, and users.
func (s *Server) registryShow(w http.ResponseWriter, r *http.Request) {
	org, err := s.cfg.Queries.Organisation(r.Context(), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.DB.Audit(r.Context(), storage.AuditEvent{Actor: actor(r), Action: "registry.viewed", Detail: org.OrgNumber}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.page(w, r, "organisation", s.newView(r, org.Name, "registry", registryShowData{Org: org, Today: time.Now()}))
}
