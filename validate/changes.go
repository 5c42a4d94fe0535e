package validate

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"blankett/form"
)

// ErrNotApplicable is returned by Changes when an approved document lacks
// what the registry needs (a valid org number, a valid personnummer,
// exactly one order type).
var ErrNotApplicable = errors.New("document cannot be applied to the registry")

// Changes says what approving doc on decidedAt does to the registry, as
// read through reg (in the decision's transaction); storage only persists
// the plan. Everything takes effect on the decision day:
//   - agreement: recorded, in force from FK's countersignature date
//     (fk.sign.date, else the decision day); a further signed copy of an
//     agreement already recorded (same org, same Part signing date) adds to
//     its copies instead. The firmatecknare it names (signatory.name)
//     becomes a known signatory of the org from the Part's signing date,
//     unless already known, when the agreement was signed by that person
//     (signer.name).
//   - 9463: each added person becomes an orderer for two years from the
//     decision day; each removed person stops being one that day.
//   - 9445: new records the user; change closes the current record and
//     opens one with the form's values (contact details kept where the
//     form leaves them empty); remove closes it.
//
// Values are found by role through the edition the document was read with
// (doc.Edition).
func Changes(ctx context.Context, reg Registry, doc form.Document, decidedAt time.Time) (form.RegistryPlan, error) {
	d := form.Day(decidedAt)
	t, err := doc.Edition()
	if err != nil {
		return form.RegistryPlan{}, fmt.Errorf("apply document %d (%s): %w", doc.ID, doc.Kind, err)
	}
	r := reading{t: t, f: doc.Fields}
	orgnr, err := ParseOrgnr(r.text(form.FieldOrgNumber, 0))
	if err != nil {
		return form.RegistryPlan{}, fmt.Errorf("apply document %d (%s): %w: org number: %w", doc.ID, doc.Kind, ErrNotApplicable, err)
	}
	plan := form.RegistryPlan{DocumentID: doc.ID, Organisation: form.Organisation{Number: orgnr, Name: r.text(form.FieldOrgName, 0)}}
	switch doc.Kind {
	case form.KindAgreement:
		plan.Ops, err = agreementChanges(ctx, reg, doc, r, orgnr, d)
	case form.Kind9463:
		plan.Ops, err = ordererChanges(ctx, reg, doc, r, orgnr, d)
	case form.Kind9445:
		plan.Ops, err = userChanges(ctx, reg, doc, r, orgnr, d)
	default:
		err = fmt.Errorf("%w: unknown kind %q", ErrNotApplicable, doc.Kind)
	}
	if err != nil {
		return form.RegistryPlan{}, fmt.Errorf("apply document %d (%s): %w", doc.ID, doc.Kind, err)
	}
	return plan, nil
}

// reading is a document's values seen through its edition: by role.
type reading struct {
	t *form.Template
	f form.Fields
}

// text is role r's normalised value in row, else what was read, trimmed.
func (r reading) text(role form.FieldRole, row int) string { return r.t.RoleText(r.f, role, row) }

// ticked reports whether yes/no role r is set in row.
func (r reading) ticked(role form.FieldRole, row int) bool { return r.t.RoleChecked(r.f, role, row) }

// phone is a phone role's value in E.164 when it parses, else as written.
func (r reading) phone(role form.FieldRole, row int) string {
	v := r.text(role, row)
	if p, err := ParsePhone(v); err == nil {
		return p.E164
	}
	return v
}

// email is an e-mail role's value normalised when it parses, else as
// written.
func (r reading) email(role form.FieldRole, row int) string {
	v := r.text(role, row)
	if e, err := ParseEmail(v); err == nil {
		return e
	}
	return v
}

func agreementChanges(ctx context.Context, reg Registry, doc form.Document, r reading, orgnr string, d time.Time) ([]form.RegistryOp, error) {
	partSigned, _ := ParseDate(r.text(form.FieldSignDate, 0), d)
	counter, err := ParseDate(r.text(form.FieldFKSignDate, 0), d)
	if err != nil || counter.After(d) {
		counter = d
	}
	copies := 1
	if n, err := strconv.Atoi(doc.Fields[FieldCopies].Text()); err == nil && n >= 0 {
		copies = n
	}
	var ops []form.RegistryOp
	recorded, err := reg.Agreements(ctx, orgnr, d)
	if err != nil {
		return nil, err
	}
	var same *form.Agreement
	for i := range recorded {
		a := &recorded[i]
		if !partSigned.IsZero() && a.PartSigned.Equal(partSigned) && a.Terminated.IsZero() && (same == nil || a.ID > same.ID) {
			same = a
		}
	}
	if same != nil {
		ops = append(ops, form.RegistryOp{
			Change:    form.Change{Kind: form.ChangeAgreementCopy, OrgNumber: orgnr, Date: d, RecordID: same.ID},
			Agreement: form.Agreement{ID: same.ID, OrgNumber: orgnr, Countersigned: counter, CopiesReceived: copies},
		})
	} else {
		ops = append(ops, form.RegistryOp{
			Change: form.Change{Kind: form.ChangeAgreementRecorded, OrgNumber: orgnr, Date: counter},
			Agreement: form.Agreement{OrgNumber: orgnr, PartSigned: partSigned, Countersigned: counter, CopiesReceived: copies,
				SourceDocument: doc.ID},
		})
	}

	// The firmatecknare named on page 1 becomes a known signatory only when
	// the person who signed (the printed name at the signature) is that
	// same person: a reviewer who approves despite a mismatch has not
	// confirmed either name as a signatory.
	name, title := r.text(form.FieldSignatoryName, 0), r.text(form.FieldSignatoryTitle, 0)
	if signer := r.text(form.FieldSignerName, 0); name == "" || signer == "" || !SameName(name, signer) {
		return ops, nil
	}
	from := partSigned
	if from.IsZero() {
		from = counter
	}
	known, err := reg.Signatories(ctx, orgnr, from)
	if err != nil {
		return nil, err
	}
	for _, s := range known {
		if SameName(s.Name, name) && s.ValidTo.IsZero() {
			return ops, nil
		}
	}
	return append(ops, form.RegistryOp{
		Change: form.Change{Kind: form.ChangeSignatoryAdded, OrgNumber: orgnr, Name: name, Date: from},
		Signatory: form.Signatory{OrgNumber: orgnr, Name: name, Title: title, ValidFrom: from,
			Source: form.SignatorySourceAgreement, SourceDocument: doc.ID},
	}), nil
}

func ordererChanges(ctx context.Context, reg Registry, doc form.Document, r reading, orgnr string, d time.Time) ([]form.RegistryOp, error) {
	var ops []form.RegistryOp
	for i := 1; i <= r.t.RoleRows(form.FieldOrdererRowName); i++ {
		add, remove := r.ticked(form.FieldOrdererRowAdd, i), r.ticked(form.FieldOrdererRowRemove, i)
		name := r.text(form.FieldOrdererRowName, i)
		rawPnr := r.text(form.FieldOrdererRowPersonnummer, i)
		if add == remove || (name == "" && rawPnr == "") {
			continue // nothing, or both ticked: nothing the office can do
		}
		pnr, err := form.NormalisePersonnummer(rawPnr, d)
		if err != nil && (add || rawPnr != "") {
			return nil, fmt.Errorf("%w: orderer %d: personnummer: %w", ErrNotApplicable, i, err)
		}
		if add {
			to := form.OrdererValidTo(d)
			ops = append(ops, form.RegistryOp{
				Change: form.Change{Kind: form.ChangeOrdererAdded, OrgNumber: orgnr, Name: name, Date: d, Until: to},
				Orderer: form.Orderer{OrgNumber: orgnr, Name: name, Personnummer: pnr,
					Phone: r.phone(form.FieldOrdererRowPhone, i), Email: r.email(form.FieldOrdererRowEmail, i),
					ValidFrom: d, ValidTo: to, SourceDocument: doc.ID},
			})
			continue
		}
		// Remove: by personnummer, or by name when none was given.
		active, err := reg.Orderers(ctx, orgnr, d)
		if err != nil {
			return nil, err
		}
		for _, o := range active {
			if !o.ActiveOn(d) || (pnr != "" && o.Personnummer != pnr) || (pnr == "" && !SameName(o.Name, name)) {
				continue
			}
			ops = append(ops, form.RegistryOp{
				Change:  form.Change{Kind: form.ChangeOrdererRemoved, OrgNumber: orgnr, Name: o.Name, Date: d, RecordID: o.ID},
				Orderer: form.Orderer{ID: o.ID, OrgNumber: orgnr, Name: o.Name, Removed: d},
			})
		}
	}
	return ops, nil
}

// OrderType is the one order type ticked on a 9445 read with edition t
// ("new", "change" or "remove"), or "" when none or several are.
func OrderType(t *form.Template, f form.Fields) string {
	ticked := ""
	for _, o := range []struct {
		role form.FieldRole
		name string
	}{{form.FieldOrderNew, "new"}, {form.FieldOrderChange, "change"}, {form.FieldOrderRemove, "remove"}} {
		if t.RoleChecked(f, o.role, 0) {
			if ticked != "" {
				return ""
			}
			ticked = o.name
		}
	}
	return ticked
}

func userChanges(ctx context.Context, reg Registry, doc form.Document, r reading, orgnr string, d time.Time) ([]form.RegistryOp, error) {
	pnr, err := form.NormalisePersonnummer(r.text(form.FieldUserPersonnummer, 0), d)
	if err != nil {
		return nil, fmt.Errorf("%w: user personnummer: %w", ErrNotApplicable, err)
	}
	order := OrderType(r.t, r.f)
	if order == "" {
		return nil, fmt.Errorf("%w: exactly one order type must be ticked", ErrNotApplicable)
	}
	name := r.text(form.FieldUserName, 0)
	records, err := reg.UsersByPersonnummer(ctx, pnr, d)
	if err != nil {
		return nil, err
	}
	var current []form.User
	for _, u := range records {
		if u.OrgNumber == orgnr && u.ActiveOn(d) {
			current = append(current, u)
		}
	}
	if order == "remove" {
		if len(current) == 0 {
			return nil, nil
		}
		return []form.RegistryOp{{
			Change: form.Change{Kind: form.ChangeUserRemoved, OrgNumber: orgnr, Name: name, Date: d},
			User:   form.User{OrgNumber: orgnr, Name: name, Personnummer: pnr, Removed: d},
		}}, nil
	}
	u := form.User{OrgNumber: orgnr, Name: name, Personnummer: pnr, ValidFrom: d, SourceDocument: doc.ID,
		Email: r.email(form.FieldUserEmail, 0), Mobile: r.phone(form.FieldUserMobile, 0), Phone: r.phone(form.FieldUserPhone, 0),
		Roles: []form.Role{}, Login: []form.LoginMethod{}}
	for _, ro := range form.Roles {
		if r.ticked(ro.FieldRole(), 0) {
			u.Roles = append(u.Roles, ro)
		}
	}
	for _, m := range form.LoginMethods {
		if r.ticked(m.FieldRole(), 0) {
			u.Login = append(u.Login, m)
		}
	}
	kind := form.ChangeUserAdded
	if len(current) > 0 {
		kind = form.ChangeUserChanged
		prev := current[len(current)-1]
		u.Email = cmp.Or(u.Email, prev.Email)
		u.Mobile = cmp.Or(u.Mobile, prev.Mobile)
		u.Phone = cmp.Or(u.Phone, prev.Phone)
	}
	return []form.RegistryOp{{Change: form.Change{Kind: kind, OrgNumber: orgnr, Name: name, Date: d}, User: u}}, nil
}
