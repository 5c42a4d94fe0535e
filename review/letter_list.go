package review

import (
	"net/http"
	"time"

	"blankett/storage"
)

type lettersData struct {
	Unprinted []storage.LetterRow
	Oldest    time.Time
	CanPrint  bool
}

// letterList is the admins' print page: the letters not yet printed,
// oldest first (the order of the next batch), and the button that makes
// the batch.
func (s *Server) letterList(w http.ResponseWriter, r *http.Request) {
	ls, err := s.cfg.Queries.UnprintedLetters(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := lettersData{Unprinted: ls, CanPrint: s.cfg.Letters != nil}
	if len(ls) > 0 {
		d.Oldest = ls[0].CreatedAt
	}
	s.page(w, r, "letters", s.newView(r, "Brev att skriva ut", "letters", d))
}
