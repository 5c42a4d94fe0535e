package review

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"blankett/form"
	"blankett/storage"
)

// decisionCreate takes a reviewer's decision: approve (every error finding
// overridden with a written reason), reject with a reason, or ask for
// completion. An approval that changes the registry becomes a proposal
// for a second reviewer to confirm.
func (s *Server) decisionCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := documentID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if s.cfg.Reviewing == nil {
		s.fail(w, r, &userError{kind: errUnavailable, message: "Beslut kan inte tas emot just nu."})
		return
	}
	doc, err := s.cfg.Queries.Document(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if doc.State != form.StateNeedsReview {
		s.fail(w, r, storage.ErrNotInReview)
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	dec := storage.Decision{DocumentID: id, Reason: reason, Actor: actor(r)}
	switch r.PostFormValue("outcome") {
	case "approve":
		dec.Outcome = form.StateApproved
		dec.Overrides = map[string]string{}
		var missing []string
		var boxes [][2]string
		for _, f := range doc.Findings {
			if f.Severity != form.SeverityError {
				continue
			}
			why := strings.TrimSpace(r.PostFormValue("override_" + f.Code))
			if why == "" {
				missing = append(missing, findingTitle(f.Code))
				boxes = append(boxes, [2]string{"override-" + f.Code, "Skriv varför du godkänner trots felet."})
				continue
			}
			dec.Overrides[f.Code] = why
		}
		if len(missing) > 0 {
			s.decisionRefused(w, r, id, "Skriv ett skäl för varje fel du godkänner trots allt ("+strings.Join(missing, ", ")+").", boxes)
			return
		}
	case "reject":
		dec.Outcome = form.StateRejected
	case "complete":
		dec.Outcome, dec.RequestCompletion = form.StateRejected, true
		dec.ConfirmedMissing = r.PostForm["missing"]
		if !completable(doc.Findings, dec.ConfirmedMissing) {
			s.decisionRefused(w, r, id, "Bocka för de uppgifter du har sett saknas på bilden. En begäran om komplettering kan bara be om det som verkligen saknas.",
				[][2]string{{"missing", "Bocka för minst en uppgift som saknas på bilden."}})
			return
		}
	default:
		s.fail(w, r, invalid("Välj godkänn, avslå eller begär komplettering."))
		return
	}
	if dec.Outcome == form.StateRejected && reason == "" {
		s.decisionRefused(w, r, id, "Skriv ett skäl: det står i brevet till avsändaren.",
			[][2]string{{"reason", "Skriv ett skäl: det står i brevet."}})
		return
	}
	if len(reason) > 4000 {
		s.fail(w, r, invalid("Skälet är för långt."))
		return
	}
	if s.cfg.Reviewing.NeedsSecondReviewer(doc.Kind, dec.Outcome) {
		if _, err := s.cfg.Reviewing.Propose(ctx, dec); err != nil {
			s.fail(w, r, err)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/documents/%d?klart=forslag", id), http.StatusSeeOther)
		return
	}
	if _, err := s.cfg.Reviewing.Decide(ctx, dec); err != nil {
		s.fail(w, r, err)
		return
	}
	s.afterDecision(w, r, id, "beslut")
}

// afterDecision opens the next document in the queue, or the queue.
func (s *Server) afterDecision(w http.ResponseWriter, r *http.Request, id int64, flash string) {
	next, err := s.cfg.Queries.NextInQueue(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if next == 0 {
		http.Redirect(w, r, "/queue?klart="+flash, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/documents/%d?klart=%s", next, flash), http.StatusSeeOther)
}

// completable reports whether a request to complete has something to ask
// for: a finding of something missing that the reviewer confirmed on the
// page image, or an error that is not about something missing.
func completable(findings []form.Finding, confirmed []string) bool {
	for _, f := range findings {
		if form.ReportsMissing(f.Code) && slices.Contains(confirmed, f.Field) {
			return true
		}
		if !form.ReportsMissing(f.Code) && f.Severity == form.SeverityError {
			return true
		}
	}
	return false
}
