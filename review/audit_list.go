package review

import (
	"context"
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
	Entries []auditRow
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
	d.Filter, d.Entries = f, s.auditRows(ctx, entries, maskedPerson(f.Personnummer))
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

// auditRow is one audit event as the page and the export show it: its
// before and after in Swedish, fields labelled by the edition the event's
// document was read with, and its note.
type auditRow struct {
	storage.AuditEntry
	BeforeItems, AfterItems []auditItem
	Note                    string
}

// auditRows labels events; person is the masked personnummer of the
// person the log is filtered by ("" when it is not), whom the events
// naming a person name.
func (s *Server) auditRows(ctx context.Context, entries []storage.AuditEntry, person string) []auditRow {
	editions := map[string]*form.Template{}
	out := make([]auditRow, 0, len(entries))
	for _, e := range entries {
		t := s.eventEdition(ctx, editions, e)
		out = append(out, auditRow{AuditEntry: e, BeforeItems: auditItemsIn(t, e.Before), AfterItems: auditItemsIn(t, e.After),
			Note: auditNote(e.Detail, person)})
	}
	return out
}

// eventEdition is the edition e's document was read with, as formOf
// finds it (seen keeps it by kind and edition for the page); nil for an
// event on no document of a known kind.
func (s *Server) eventEdition(ctx context.Context, seen map[string]*form.Template, e storage.AuditEntry) *form.Template {
	if e.Kind == "" {
		return nil
	}
	key := string(e.Kind) + " " + e.Edition
	t, ok := seen[key]
	if !ok {
		t = s.formOf(ctx, storage.Document{ID: e.DocumentID, Kind: e.Kind, Edition: e.Edition})
		seen[key] = t
	}
	return t
}

// maskedPerson is personnummer pnr masked, or "" when there is none or it
// is not a valid one.
func maskedPerson(pnr string) string {
	if pnr == "" {
		return ""
	}
	norm, err := form.NormalisePersonnummer(pnr, time.Now())
	if err != nil {
		return ""
	}
	return form.MaskPersonnummer(norm)
}

// auditNote is an event's note for people: personnummer masked, and the
// label a search or an export names a person by (a code) in words: the
// masked number of the person the log is filtered by, else that the
// number is not shown.
func auditNote(detail, person string) string {
	if !storage.IsPersonLabel(detail) {
		return maskText(detail)
	}
	if person != "" {
		return "personnummer " + person
	}
	return "en person (personnummer visas inte)"
}
