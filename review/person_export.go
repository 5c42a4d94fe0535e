package review

import (
	"encoding/json"
	"errors"
	"net/http"

	"blankett/storage"
)

// personExport is the subject access export for admins: GET shows the
// form, POST answers the export as a JSON attachment. The personnummer
// comes in the request body, never in a URL (URLs are logged).
func (s *Server) personExport(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		s.page(w, r, "person", s.newView(r, "Registerutdrag", "audit", nil))
		return
	case http.MethodPost:
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "Metoden stöds inte.", http.StatusMethodNotAllowed)
		return
	}
	exp, err := s.cfg.DB.ExportPerson(r.Context(), r.PostFormValue("personnummer"), actor(r))
	if errors.Is(err, storage.ErrInvalidPersonnummer) {
		s.fail(w, r, invalid("Det är inte ett giltigt personnummer eller samordningsnummer."))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="registerutdrag.json"`)
	h.Set("Cache-Control", "no-store")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(exp)
}
