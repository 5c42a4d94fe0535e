package review

import (
	"net/http"
)

// favicon serves the site's icon, an SVG embedded with the static files,
// at the path browsers ask for without being told.
func (s *Server) favicon(w http.ResponseWriter, r *http.Request) {
	icon, err := staticFS.ReadFile("static/favicon.svg")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write(icon)
}
