package review

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"blankett/form"
	"blankett/storage"
)

type auditData struct {
	Filter  storage.AuditFilter
	From    string // the filter's dates as typed (YYYY-MM-DD)
	To      string
	Person  string // the personnummer typed, shown back in its own field only
	Masked  string // the same, masked, to say what is shown
	Entries []storage.AuditEntry
	Older   string // the next page's link; with a person, its cursor (a POST)
	Export  string
}

// auditList is the audit log: who saw or changed what, when, before and
// after (personnummer masked), newest first, filtered by account,
// document, dates and person, and exported as CSV. The person filter is
// a POST (a personnummer never goes into a URL); looking a person up is
// itself audited, naming them by a label of the keyed hash only.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := auditValues(r)
	f, bad := auditFilter(q)
	f.Limit = 100
	d := auditData{From: q.Get("fran"), To: q.Get("till")}
	v := s.newView(r, "Granskningslogg", "audit", nil)
	if len(bad) > 0 {
		v.Error = "Skriv datum som ÅÅÅÅ-MM-DD. Datumet som inte gick att läsa används inte."
	}
	if person := auditPerson(r); person != "" {
		d.Person = person
		err := s.cfg.DB.AuditPersonLookup(ctx, actor(r), person)
		switch {
		case errors.Is(err, storage.ErrInvalidPersonnummer):
			v.Error = "Det är inte ett giltigt personnummer. Skriv det som ÅÅÅÅMMDD-NNNN."
			d.Filter = f
			v.Data = d
			s.page(w, r, "audit", v)
			return
		case err != nil:
			s.fail(w, r, err)
			return
		}
		f.Personnummer = person
		if pnr, err := form.NormalisePersonnummer(person, time.Now()); err == nil {
			d.Masked = form.MaskPersonnummer(pnr)
		} else {
			d.Masked = "ett nummer"
		}
	}
	entries, err := s.cfg.Queries.AuditLog(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Filter, d.Entries = f, entries
	query := auditQuery(f)
	d.Export = "/audit/export.csv"
	if len(query) > 0 {
		d.Export += "?" + query.Encode()
	}
	if len(entries) == f.Limit {
		last := entries[len(entries)-1]
		cursor := fmt.Sprintf("%d_%d", last.At.UnixNano(), last.ID)
		if f.Personnummer != "" {
			d.Older = cursor
		} else {
			older := url.Values{}
			for k, vs := range query {
				older[k] = vs
			}
			older.Set("before", cursor)
			d.Older = "/audit?" + older.Encode()
		}
	}
	v.Data = d
	s.page(w, r, "audit", v)
}
