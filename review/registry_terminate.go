package review

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
)

// terminationForm is what a reviewer typed to record a termination, kept
// when the recording is refused so nothing has to be typed again.
type terminationForm struct {
	Received, End, By, Override string
	Findings                    []form.Finding
	Error                       string
}

// registryTerminate records a written termination of a Part's agreement
// (§5): the received and end dates, who gave notice, and a reason when the
// notice is shorter than six months. A refusal returns to the page with
// what was typed and says why.
func (s *Server) registryTerminate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if s.cfg.Reviewing == nil {
		s.fail(w, r, &userError{kind: errUnavailable, message: "Registret kan inte ta emot uppsägningar just nu."})
		return
	}
	orgnr := r.PathValue("org")
	tf := terminationForm{Received: strings.TrimSpace(r.PostFormValue("received")), End: strings.TrimSpace(r.PostFormValue("end")),
		By: r.PostFormValue("by"), Override: strings.TrimSpace(r.PostFormValue("override"))}
	t := pipeline.Termination{OrgNumber: orgnr, RequestedBy: tf.By, Actor: actor(r)}
	var err error
	if t.Received, err = time.Parse(time.DateOnly, tf.Received); err != nil {
		tf.Error = "Skriv dagen uppsägningen kom in som ÅÅÅÅ-MM-DD."
	} else if t.End, err = time.Parse(time.DateOnly, tf.End); err != nil {
		tf.Error = "Skriv dagen då överenskommelsen ska upphöra som ÅÅÅÅ-MM-DD."
	}
	if tf.Error == "" {
		if tf.Override != "" {
			t.Overrides = map[string]string{}
			for _, f := range pipeline.TerminationFindings(t) {
				t.Overrides[f.Code] = tf.Override
			}
		}
		var findings []form.Finding
		_, findings, err = s.cfg.Reviewing.RecordTermination(ctx, t)
		switch {
		case errors.Is(err, pipeline.ErrUnresolvedFindings):
			tf.Findings = findings
			tf.Error = "Uppsägningen är inte registrerad. Skriv ett skäl om den ändå ska registreras."
		case errors.Is(err, pipeline.ErrNoAgreementInForce):
			tf.Error = "Organisationen hade ingen gällande överenskommelse den dag uppsägningen kom in."
		case errors.Is(err, pipeline.ErrInvalidInput):
			tf.Error = "Uppgifterna räcker inte för att registrera uppsägningen. Välj vem som sagt upp och fyll i båda datumen."
		case err != nil:
			s.fail(w, r, err)
			return
		default:
			http.Redirect(w, r, fmt.Sprintf("/registry/%s?klart=uppsagd", orgnr), http.StatusSeeOther)
			return
		}
	}
	org, err := s.cfg.Queries.Organisation(ctx, orgnr)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := s.newView(r, org.Name, "registry", registryShowData{Org: org, Today: time.Now(), Termination: &tf})
	s.render(w, r, http.StatusUnprocessableEntity, "organisation", "layout", v)
}

// registryInForcePDF is the list FK publishes of the organisations with
// an agreement in force, for the day asked (?datum=ÅÅÅÅ-MM-DD, default
// today), as a PDF/A document. Handing it out is audited.
func (s *Server) registryInForcePDF(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if s.cfg.Reviewing == nil {
		s.fail(w, r, &userError{kind: errUnavailable, message: "Listan kan inte skapas just nu."})
		return
	}
	day := form.Day(time.Now())
	if q := r.URL.Query().Get("datum"); q != "" {
		d, err := time.Parse(time.DateOnly, q)
		if err != nil {
			s.fail(w, r, invalid("Skriv datumet som ÅÅÅÅ-MM-DD."))
			return
		}
		day = d
	}
	pdf, err := s.cfg.Reviewing.InForceListPDF(ctx, day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.DB.Audit(ctx, storage.AuditEvent{Actor: actor(r), Action: "registry.in_force_list",
		Detail: day.Format(time.DateOnly)}); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="gallande-overenskommelser-%s.pdf"`, day.Format(time.DateOnly)))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(pdf) // #nosec G705 -- a PDF we rendered, served as an attachment with its content type
}
