package review

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"blankett/storage"
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
	if s.cfg.Decider == nil {
		s.fail(w, r, &userError{kind: errUnavailable, message: "Beslut kan inte tas emot just nu."})
		return
	}
	p, err := storage.OpenProposal(ctx, s.cfg.Pool, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if p.ID != pid {
		s.fail(w, r, errNotFound)
		return
	}
	if p.ProposedBy == actor(r) {
		s.fail(w, r, forbidden("Ett förslag ska bekräftas av en annan handläggare än den som föreslog det."))
		return
	}
	decisionID, err := s.cfg.Decider.Decide(ctx, storage.Decision{DocumentID: id, Outcome: p.Outcome, Reason: p.Reason,
		Actor: p.ProposedBy, RequestCompletion: p.RequestCompletion, Overrides: p.Overrides, ConfirmedBy: actor(r)})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := storage.ConfirmProposal(ctx, s.cfg.Pool, p, actor(r), decisionID); err != nil {
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
	p, err := storage.OpenProposal(r.Context(), s.cfg.Pool, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if p.ID != pid {
		s.fail(w, r, errNotFound)
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if p.ProposedBy != actor(r) && reason == "" {
		s.fail(w, r, invalid("Skriv varför du inte bekräftar förslaget."))
		return
	}
	if err := storage.WithdrawProposal(r.Context(), s.cfg.Pool, pid, actor(r), reason); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/documents/%d?klart=tillbaka", id), http.StatusSeeOther)
}
