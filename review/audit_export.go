package review

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"blankett/form"
	"blankett/storage"
)

// auditFilter reads the audit page's filters: who (actor), which document,
// and the days from and to (YYYY-MM-DD, both included, in Stockholm time).
// A date that does not parse is ignored and reported in bad. The person
// filter is not read here: it comes only in a POST's body (auditPerson).
func auditFilter(q url.Values) (f storage.AuditFilter, bad []string) {
	f.Actor = strings.TrimSpace(q.Get("actor"))
	f.DocumentID, _ = strconv.ParseInt(q.Get("document"), 10, 64)
	f.BeforeAt, f.BeforeID = auditCursor(q.Get("before"))
	if s := q.Get("fran"); s != "" {
		if d, err := time.ParseInLocation(time.DateOnly, s, form.Stockholm()); err == nil {
			f.From = d
		} else {
			bad = append(bad, "fran")
		}
	}
	if s := q.Get("till"); s != "" {
		if d, err := time.ParseInLocation(time.DateOnly, s, form.Stockholm()); err == nil {
			f.To = d.AddDate(0, 0, 1)
		} else {
			bad = append(bad, "till")
		}
	}
	return f, bad
}

// auditCursor reads the keyset cursor "NANOS_ID" (the time and id of the
// last event shown), or an id alone.
func auditCursor(s string) (time.Time, int64) {
	at, id, ok := strings.Cut(s, "_")
	if !ok {
		n, _ := strconv.ParseInt(s, 10, 64)
		return time.Time{}, n
	}
	nanos, err1 := strconv.ParseInt(at, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if err1 != nil || err2 != nil {
		return time.Time{}, 0
	}
	return time.Unix(0, nanos), n
}

// auditPerson reads the personnummer the audit log is filtered by: from a
// POST's body only, never from the URL. "" when there is none.
func auditPerson(r *http.Request) string {
	if r.Method != http.MethodPost {
		return ""
	}
	return strings.TrimSpace(r.PostFormValue("person"))
}

// auditValues are the filters as sent: the URL's query for a GET, the
// form's body for a POST.
func auditValues(r *http.Request) url.Values {
	if r.Method != http.MethodPost {
		return r.URL.Query()
	}
	if err := r.ParseForm(); err != nil {
		return url.Values{}
	}
	return r.PostForm
}

// auditQuery is the query string of a filter, without the cursor and
// without a person.
func auditQuery(f storage.AuditFilter) url.Values {
	v := url.Values{}
	if f.Actor != "" {
		v.Set("actor", f.Actor)
	}
	if f.DocumentID != 0 {
		v.Set("document", strconv.FormatInt(f.DocumentID, 10))
	}
	if !f.From.IsZero() {
		v.Set("fran", f.From.In(form.Stockholm()).Format(time.DateOnly))
	}
	if !f.To.IsZero() {
		v.Set("till", f.To.In(form.Stockholm()).AddDate(0, 0, -1).Format(time.DateOnly))
	}
	return v
}

// auditExportMax bounds one export; a narrower filter gets the rest.
const auditExportMax = 200_000

// auditExport answers the audit log, filtered as the page is, as CSV for a
// spreadsheet (semicolons, UTF-8 with a byte order mark), in Swedish,
// personnummer masked. The export is itself audited before it is sent.
func (s *Server) auditExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f, bad := auditFilter(auditValues(r))
	if len(bad) > 0 {
		s.fail(w, r, invalid("Skriv datum som ÅÅÅÅ-MM-DD."))
		return
	}
	f.BeforeAt, f.BeforeID, f.Limit = time.Time{}, 0, 500
	if person := auditPerson(r); person != "" {
		if err := s.cfg.DB.AuditPersonLookup(ctx, actor(r), person); err != nil {
			if errors.Is(err, storage.ErrInvalidPersonnummer) {
				err = invalid("Det är inte ett giltigt personnummer.")
			}
			s.fail(w, r, err)
			return
		}
		f.Personnummer = person
	}
	person := maskedPerson(f.Personnummer)
	if err := s.cfg.DB.Audit(ctx, storage.AuditEvent{Actor: actor(r), Action: "audit.exported",
		Detail: auditQuery(f).Encode()}); err != nil {
		s.fail(w, r, err)
		return
	}
	first, err := s.cfg.Queries.AuditLog(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := "granskningslogg-" + time.Now().In(form.Stockholm()).Format("2006-01-02") + ".csv"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	_, _ = w.Write([]byte("\ufeff"))
	out := csv.NewWriter(w)
	out.Comma = ';'
	_ = out.Write([]string{"Tid", "Vem", "Händelse", "Dokument", "Före", "Efter", "Not", "Händelsekod"})
	written := 0
	for entries := first; len(entries) > 0 && written < auditExportMax; {
		for _, e := range s.auditRows(ctx, entries, person) {
			doc := ""
			if e.DocumentID != 0 {
				doc = strconv.FormatInt(e.DocumentID, 10)
			}
			if err := out.Write([]string{e.At.In(form.Stockholm()).Format("2006-01-02 15:04:05"), e.Actor, auditActionTitle(e.Action), doc,
				flatItems(e.BeforeItems), flatItems(e.AfterItems), e.Note, e.Action}); err != nil {
				s.cfg.Logger.WarnContext(ctx, "audit export", "error", err)
				return
			}
			written++
		}
		if len(entries) < f.Limit {
			break
		}
		f.BeforeAt, f.BeforeID = entries[len(entries)-1].At, entries[len(entries)-1].ID
		if entries, err = s.cfg.Queries.AuditLog(ctx, f); err != nil {
			// Headers are sent: the file ends short, and the log says why.
			s.cfg.Logger.ErrorContext(ctx, "audit export", "error", err)
			break
		}
	}
	out.Flush()
	if err := out.Error(); err != nil {
		s.cfg.Logger.WarnContext(ctx, "audit export", "error", err)
	}
}

// flatItems writes an event's before or after on one line.
func flatItems(items []auditItem) string {
	parts := make([]string, 0, len(items))
	for _, it := range items {
		if it.Key == "" {
			parts = append(parts, it.Value)
			continue
		}
		parts = append(parts, fmt.Sprintf("%s: %s", it.Key, it.Value))
	}
	return strings.Join(parts, "; ")
}
