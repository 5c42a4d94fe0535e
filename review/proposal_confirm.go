package review

import (
	"blankett/pipeline"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

func proposalID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("pid"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// proposalConfirm is the second reviewer's confirmation of a decision
// that changes the registry; the decision is then recorded with both names.
func (s *Server) proposalConfirm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := documentID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pid, err := proposalID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.cfg.Reviewing == nil {
		s.fail(w, r, &userError{kind: errUnavailable, message: "Beslut kan inte tas emot just nu."})
		return
	}
	_, err = s.cfg.Reviewing.ConfirmProposal(ctx, id, pid, actor(r))
	if errors.Is(err, pipeline.ErrOwnProposal) {
		s.fail(w, r, forbidden("Ett förslag ska bekräftas av en annan handläggare än den som föreslog det."))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.afterDecision(w, r, id, "bekraftat")
}

// proposalWithdraw ends a proposal without a decision: the proposer takes
// it back, or the second reviewer does not agree (with a reason).
func (s *Server) proposalWithdraw(w http.ResponseWriter, r *http.Request) {
	id, err := documentID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pid, err := proposalID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.cfg.Reviewing == nil {
		s.fail(w, r, &userError{kind: errUnavailable, message: "Beslut kan inte tas emot just nu."})
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	err = s.cfg.Reviewing.WithdrawProposal(r.Context(), id, pid, actor(r), reason)
	if errors.Is(err, pipeline.ErrReasonRequired) {
		s.fail(w, r, invalid("Skriv varför du inte bekräftar förslaget."))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/documents/%d?klart=tillbaka", id), http.StatusSeeOther)
}
