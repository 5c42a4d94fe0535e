package review

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"

	"blankett/form"
	"blankett/storage"
	"blankett/validate"
)

type searchData struct {
	Searched bool
	Query    string // what was typed, unless it was a personnummer
	What     string // what was looked for, in words
	Items    []storage.QueueItem
	Problem  string // why nothing was looked for
}

// searchForm is the search page. The search itself is a POST, so that a
// personnummer typed into it never becomes part of a URL.
func (s *Server) searchForm(w http.ResponseWriter, r *http.Request) {
	s.page(w, r, "search", s.newView(r, "Sök", "search", searchData{}))
}

// search finds documents by document number, organisation number, part
// of the organisation's name, or person (personnummer, by its keyed
// hash; the search is audited and the number is not shown back).
func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	typed := strings.TrimSpace(r.PostFormValue("q"))
	d := searchData{Searched: true}
	q, what, isPerson := searchQuery(typed)
	if !isPerson {
		d.Query = typed
	}
	d.What = what
	q.Actor, q.Limit = actor(r), 100
	v := s.newView(r, "Sök", "search", d)
	items, err := s.cfg.DB.Search(r.Context(), q)
	switch {
	case errors.Is(err, storage.ErrEmptySearch):
		d.Problem = "Skriv ett dokumentnummer, ett organisationsnummer, en del av organisationens namn eller ett personnummer."
	case errors.Is(err, storage.ErrInvalidPersonnummer):
		d.Problem = "Det är inte ett giltigt personnummer."
	case err != nil:
		s.fail(w, r, err)
		return
	}
	d.Items = items
	v.Data = d
	s.page(w, r, "search", v)
}

// searchQuery tells what was typed: an organisation number, a
// personnummer, a document number or a part of a name.
func searchQuery(typed string) (storage.SearchQuery, string, bool) {
	if typed == "" {
		return storage.SearchQuery{}, "", false
	}
	if org, err := validate.ParseOrgnr(typed); err == nil {
		return storage.SearchQuery{OrgNumber: org}, "organisationsnummer " + org, false
	}
	if pnr, err := form.NormalisePersonnummer(typed, time.Now()); err == nil {
		return storage.SearchQuery{Personnummer: pnr}, "personnummer " + form.MaskPersonnummer(pnr), true
	}
	digits := strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) || r == '-' || r == '+' || r == ' ' {
			return r
		}
		return -1
	}, typed)
	if digits == typed {
		if id, err := strconv.ParseInt(typed, 10, 64); err == nil && id > 0 && len(typed) <= 9 {
			return storage.SearchQuery{DocumentID: id}, "dokument " + typed, false
		}
		// Numbers that are none of these are not looked for as names.
		return storage.SearchQuery{Personnummer: typed}, "ett nummer", true
	}
	return storage.SearchQuery{OrgName: typed}, "organisationer vars namn innehåller ”" + typed + "”", false
}
