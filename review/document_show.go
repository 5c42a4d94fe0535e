package review

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"

	"blankett/form"
	"blankett/storage"
	"blankett/validate"
)

type zoneView struct {
	Field      string
	Label      string
	X, Y, W, H float64
	Low, Error bool
	Unread     bool
}

type pageView struct {
	Number        int
	Src           string
	Width, Height int
	Zones         []zoneView
}

type fieldView struct {
	Name       string
	Label      string
	Section    string // the form's heading above the field
	Type       form.FieldType
	Value      string
	Raw        string // as read from the paper, when it differs from Value
	Confidence float64
	Low        bool
	Corrected  bool
	Error      bool
	Warning    bool
	Zone       bool
	Choice     bool // checkbox or signature: ja/nej
	Unread     bool // a zone with writing that could not be read
	// Confirmed: read unsurely, but as the registry has it (not flagged).
	Confirmed bool
	// Registered is the registry's spelling of a name or an orderer's
	// address read otherwise but near it, shown beside the reading, which
	// it flags (validate.Registered.Flagged).
	Registered string
}

type evidenceItem struct{ Key, Value string }

type findingView struct {
	form.Finding
	FieldLabel string
	Evidence   []evidenceItem
	OrgNumber  string
}

type documentData struct {
	Doc        storage.Document
	Title      string
	Pages      []pageView
	Fields     []fieldView
	Findings   []findingView
	ErrorCodes []string
	// Missing are the findings that say something is missing from the
	// form: a request to complete asks only for those the reviewer ticks
	// as seen missing on the page image.
	Missing     []findingView
	InReview    bool
	Editable    bool // in review and no proposal awaiting confirmation
	NeedsSecond bool
	Proposal    *storage.Proposal
	CanConfirm  bool
	Decisions   []storage.Decision
	Corrections []storage.Correction
	Letters     []storage.LetterRow
	Parts       []storage.Document // the forms a batch was split into
	Typed       decisionTyped      // a refused decision, shown again
	Editions    []editionChoice    // for an unclassified document: what a person may pick
}

func documentID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, errNotFound
	}
	return id, nil
}

// documentShow is the review page: the page images with each field's zone,
// the values, the findings with their evidence and the decision form.
// Every view is audited.
func (s *Server) documentShow(w http.ResponseWriter, r *http.Request) {
	id, err := documentID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.documentData(r.Context(), id, actor(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.DB.Audit(r.Context(), storage.AuditEvent{Actor: actor(r), Action: "document.viewed", DocumentID: id, Detail: "web"}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.page(w, r, "document", s.newView(r, fmt.Sprintf("Dokument %d", id), "queue", d))
}

// documentData gathers what the document page and its panel show.
func (s *Server) documentData(ctx context.Context, id int64, viewer string) (documentData, error) {
	doc, err := s.cfg.Queries.Document(ctx, id)
	if err != nil {
		return documentData{}, err
	}
	pages := doc.Pages // read with the document: no second query
	d := documentData{Doc: doc, Title: doc.Kind.Title(), InReview: doc.State == form.StateNeedsReview}
	d.NeedsSecond = s.cfg.Reviewing != nil && s.cfg.Reviewing.NeedsSecondReviewer(doc.Kind, form.StateApproved)
	tmpl := s.formOf(ctx, doc)

	corrections, err := s.cfg.Queries.Corrections(ctx, id)
	if err != nil {
		return documentData{}, err
	}
	d.Corrections = corrections
	corrected := map[string]bool{}
	for _, c := range corrections {
		corrected[c.Field] = true
	}
	var registered validate.Registered
	if s.cfg.Reviewing != nil {
		if registered, err = s.cfg.Reviewing.Confirmed(ctx, doc); err != nil {
			return documentData{}, err
		}
	}
	bad := map[string]form.Severity{}
	for _, f := range doc.Findings {
		if f.Field != "" && bad[f.Field] != form.SeverityError {
			bad[f.Field] = f.Severity
		}
	}

	// Fields in the template's order, then any others by name.
	var names []string
	labels := map[string]form.Field{}
	if tmpl != nil {
		for _, f := range tmpl.Fields {
			names = append(names, f.Name)
			labels[f.Name] = f
		}
	}
	var extra []string
	for n := range doc.Fields {
		if _, ok := labels[n]; !ok {
			extra = append(extra, n)
		}
	}
	sort.Strings(extra)
	names = append(names, extra...)

	// Page images by the template page they show, and their resolution.
	d.Pages = make([]pageView, len(pages))
	byPage, dpiOf := map[int]int{}, map[int]float64{}
	for i, p := range pages {
		d.Pages[i] = pageView{Number: p.Page, Src: fmt.Sprintf("/documents/%d/pages/%d", id, p.Page), Width: p.Width, Height: p.Height}
		tp := p.TemplatePage
		if tp == 0 {
			tp = p.Page
		}
		dpi := float64(p.DPI)
		if dpi <= 0 {
			dpi = 150
		}
		if _, seen := byPage[tp]; !seen {
			byPage[tp], dpiOf[tp] = i, dpi
		}
	}

	for _, n := range names {
		v, has := doc.Fields[n]
		tf, inTemplate := labels[n]
		label := tf.Label
		if label == "" {
			label = n
		}
		if tf.Repeat != "" && tf.Section == "" {
			label = rowLabel(tmpl, tf) + ": " + label
		}
		typ := v.Type
		if typ == "" {
			typ = tf.Type
		}
		fv := fieldView{Name: n, Label: label, Section: tf.Section, Type: typ, Value: v.Value, Confidence: v.Confidence,
			Corrected: corrected[n], Error: bad[n] == form.SeverityError, Warning: bad[n] == form.SeverityWarning,
			Choice: typ == form.TypeCheckbox || typ == form.TypeSignature}
		if fv.Value == "" {
			fv.Value = v.Raw
		}
		if !fv.Choice && v.Raw != fv.Value {
			fv.Raw = v.Raw
		}
		fv.Unread = has && !fv.Choice && v.Value == "" && v.Raw == "" && v.Confidence == 0 && !fv.Corrected
		shown := has && !fv.Corrected && !fv.Unread
		fv.Low = shown && registered.Flagged(n, v)
		fv.Confirmed = shown && v.Flagged() && registered.Confirmed[n]
		if fv.Low {
			fv.Registered = registered.Spelt[n]
		}
		// The zone: the value's own box, else the template's.
		box, pageNo := v.Box, v.Page
		if box == nil && inTemplate {
			z := tf.Zone
			box = &z
		}
		if pageNo == 0 {
			pageNo = tf.Page
		}
		if i, ok := byPage[pageNo]; ok && box != nil {
			pv, k := &d.Pages[i], dpiOf[pageNo]/72
			pv.Zones = append(pv.Zones, zoneView{Field: n, Label: label, X: box.X * k, Y: box.Y * k, W: box.W * k, H: box.H * k,
				Low: fv.Low, Error: fv.Error, Unread: fv.Unread})
			fv.Zone = true
		}
		if !has && !inTemplate {
			continue
		}
		d.Fields = append(d.Fields, fv)
	}

	for _, f := range doc.Findings {
		fv := findingView{Finding: f, FieldLabel: withSection(labels[f.Field])}
		keys := make([]string, 0, len(f.Evidence))
		for k := range f.Evidence {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fv.Evidence = append(fv.Evidence, evidenceItem{Key: k, Value: maskText(f.Evidence[k])})
		}
		for _, k := range []string{"org_number", "orderer_org_number", "user_org_number"} {
			if o := f.Evidence[k]; o != "" && fv.OrgNumber == "" {
				fv.OrgNumber = o
			}
		}
		d.Findings = append(d.Findings, fv)
		if form.ReportsMissing(f.Code) && f.Field != "" {
			d.Missing = append(d.Missing, fv)
		}
		if f.Severity == form.SeverityError && !slices.Contains(d.ErrorCodes, f.Code) {
			d.ErrorCodes = append(d.ErrorCodes, f.Code)
		}
	}

	p, err := s.cfg.Queries.OpenProposal(ctx, id)
	switch {
	case err == nil:
		d.Proposal = &p
		d.CanConfirm = p.ProposedBy != viewer
	case !errors.Is(err, storage.ErrNotFound):
		return documentData{}, err
	}
	d.Editable = d.InReview && d.Proposal == nil
	if doc.State == form.StateUnclassified {
		d.Editions = s.editionChoices(ctx)
	}
	if d.Decisions, err = s.cfg.Queries.DocumentDecisions(ctx, id); err != nil {
		return documentData{}, err
	}
	if d.Letters, err = s.cfg.Queries.LettersForDocument(ctx, id); err != nil {
		return documentData{}, err
	}
	if doc.State == form.StateSplit {
		if d.Parts, err = s.cfg.Queries.Parts(ctx, id); err != nil {
			return documentData{}, err
		}
	}
	return d, nil
}

// rowLabel names the row of a repeating group a field is in, by the
// group's label: "Beställare 2".
func rowLabel(t *form.Template, f form.Field) string {
	name := f.Repeat
	for _, r := range t.Repeats {
		if r.Name == f.Repeat && r.Label != "" {
			name = r.Label
		}
	}
	return fmt.Sprintf("%s %d", name, f.Row)
}
