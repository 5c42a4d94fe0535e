package review

import (
	"net/http"
	"net/url"
	"strconv"

	"blankett/storage"
)

type auditData struct {
	Filter  storage.AuditFilter
	Entries []storage.AuditEntry
	Older   string
}

// auditList is the audit log: who saw or changed what, when, before and
// after (personnummer masked), newest first.
func (s *Server) auditList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := storage.AuditFilter{Actor: q.Get("actor"), Limit: 100}
	f.DocumentID, _ = strconv.ParseInt(q.Get("document"), 10, 64)
	f.BeforeID, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	entries, err := s.cfg.Queries.AuditLog(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := auditData{Filter: f, Entries: entries}
	if len(entries) == f.Limit {
		v := url.Values{"before": {strconv.FormatInt(entries[len(entries)-1].ID, 10)}}
		if f.Actor != "" {
			v.Set("actor", f.Actor)
		}
		if f.DocumentID != 0 {
			v.Set("document", strconv.FormatInt(f.DocumentID, 10))
		}
		d.Older = "/audit?" + v.Encode()
	}
	s.page(w, r, "audit", s.newView(r, "Granskningslogg", "audit", d))
}
