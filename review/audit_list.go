package review

import (
	"net/http"
	"strconv"

	"blankett/storage"
)

type auditData struct {
	Filter  storage.AuditFilter
	From    string // the filter's dates as typed (YYYY-MM-DD)
	To      string
	Entries []storage.AuditEntry
	Older   string
	Export  string
}

// auditList is the audit log: who saw or changed what, when, before and
// after (personnummer masked), newest first, filtered by account,
// document and dates, and exported as CSV.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, bad := auditFilter(q)
	f.Limit = 100
	entries, err := s.cfg.Queries.AuditLog(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := auditData{Filter: f, Entries: entries, From: q.Get("fran"), To: q.Get("till")}
	query := auditQuery(f)
	d.Export = "/audit/export.csv"
	if len(query) > 0 {
		d.Export += "?" + query.Encode()
	}
	if len(entries) == f.Limit {
		query.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		d.Older = "/audit?" + query.Encode()
	}
	v := s.newView(r, "Granskningslogg", "audit", d)
	if len(bad) > 0 {
		v.Error = "Skriv datum som ÅÅÅÅ-MM-DD. Datumet som inte gick att läsa används inte."
	}
	s.page(w, r, "audit", v)
}
