package corpus

import (
	"strings"
	"time"

	"blankett/form"
)

// Registry is the reference data the corpus's findings are computed
// against, written as registry.json. Dates are YYYY-MM-DD; an empty date is
// open-ended.
type Registry struct {
	AsOf          string         `json:"as_of"` // the date the fixture describes
	Organisations []RegOrg       `json:"organisations"`
	Signatories   []RegSignatory `json:"signatories"`
	Agreements    []RegAgreement `json:"agreements"`
	Orderers      []RegOrderer   `json:"orderers"`
	Users         []RegUser      `json:"users"`
	Notes         []string       `json:"notes"`
}

// RegOrg is an organisation the office knows.
type RegOrg struct {
	OrgNumber string `json:"org_number"`
	Name      string `json:"name"`
}

// RegSignatory is a known firmatecknare of an organisation.
type RegSignatory struct {
	OrgNumber string `json:"org_number"`
	Name      string `json:"name"`
	ValidFrom string `json:"valid_from"`
	ValidTo   string `json:"valid_to,omitempty"`
}

// RegAgreement is a recorded agreement. It is in force from the later of
// the two signing dates until Terminated (exclusive).
type RegAgreement struct {
	OrgNumber  string `json:"org_number"`
	PartSigned string `json:"part_signed"`
	FKSigned   string `json:"fk_signed,omitempty"`
	Terminated string `json:"terminated,omitempty"`
}

// RegOrderer is a registered beställare. Valid from From to To inclusive
// (at most two years), unless Removed (from that day on). Phone and Email
// are as the 9463 that registered them gave them, where the fixture has
// them.
type RegOrderer struct {
	OrgNumber    string `json:"org_number"`
	Name         string `json:"name"`
	Personnummer string `json:"personnummer"` // 12 digits
	Phone        string `json:"phone,omitempty"`
	Email        string `json:"email,omitempty"`
	From         string `json:"from"`
	To           string `json:"to"`
	Removed      string `json:"removed,omitempty"`
}

// RegUser is an existing SUS user.
type RegUser struct {
	OrgNumber    string   `json:"org_number"`
	Name         string   `json:"name"`
	Personnummer string   `json:"personnummer"`
	Roles        []string `json:"roles"`
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// agreementInForce reports whether orgnr has an agreement in force on d.
func (r *Registry) agreementInForce(orgnr string, d time.Time) bool {
	for _, a := range r.Agreements {
		if a.OrgNumber != orgnr || a.PartSigned == "" || a.FKSigned == "" {
			continue
		}
		start := day(a.PartSigned)
		if fk := day(a.FKSigned); fk.After(start) {
			start = fk
		}
		if d.Before(start) {
			continue
		}
		if a.Terminated != "" && !d.Before(day(a.Terminated)) {
			continue
		}
		return true
	}
	return false
}

// knownSignatory reports whether name is a firmatecknare of orgnr on d
// (names compared regardless of case: a form may be typed in capitals).
func (r *Registry) knownSignatory(orgnr, name string, d time.Time) bool {
	for _, s := range r.Signatories {
		if s.OrgNumber != orgnr || !strings.EqualFold(s.Name, name) {
			continue
		}
		if d.Before(day(s.ValidFrom)) {
			continue
		}
		if s.ValidTo != "" && d.After(day(s.ValidTo)) {
			continue
		}
		return true
	}
	return false
}

// ordererStatus is the status of the named orderer of orgnr on d:
// "active", "expired", "removed" or "unregistered" (never registered, or
// registered only from a later date).
func (r *Registry) ordererStatus(orgnr, name string, d time.Time) string {
	status := "unregistered"
	for _, o := range r.Orderers {
		if o.OrgNumber != orgnr || !strings.EqualFold(o.Name, name) || d.Before(day(o.From)) {
			continue
		}
		switch {
		case o.Removed != "" && !d.Before(day(o.Removed)):
			if status == "unregistered" || status == "expired" {
				status = "removed"
			}
		case d.After(day(o.To)):
			if status == "unregistered" {
				status = "expired"
			}
		default:
			return "active"
		}
	}
	return status
}

// userOrg returns the org numbers a known user belongs to.
func (r *Registry) userOrgs(pnr string) []string {
	var out []string
	for _, u := range r.Users {
		if u.Personnummer == pnr {
			out = append(out, u.OrgNumber)
		}
	}
	return out
}

// Reference turns the fixture into the registry's own terms, for loading
// into a real registry (demo, tests).
func (r *Registry) Reference() form.Reference {
	var ref form.Reference
	for _, o := range r.Organisations {
		ref.Organisations = append(ref.Organisations, form.Organisation{Number: o.OrgNumber, Name: o.Name})
	}
	for _, s := range r.Signatories {
		ref.Signatories = append(ref.Signatories, form.Signatory{OrgNumber: s.OrgNumber, Name: s.Name,
			ValidFrom: day(s.ValidFrom), ValidTo: day(s.ValidTo), Source: form.SignatorySourceCSV})
	}
	for _, a := range r.Agreements {
		ref.Agreements = append(ref.Agreements, form.Agreement{OrgNumber: a.OrgNumber, PartSigned: day(a.PartSigned),
			Countersigned: day(a.FKSigned), Terminated: day(a.Terminated), CopiesReceived: 2})
	}
	for _, o := range r.Orderers {
		phone, _, _ := normPhone(o.Phone)
		ref.Orderers = append(ref.Orderers, form.Orderer{OrgNumber: o.OrgNumber, Name: o.Name, Personnummer: o.Personnummer,
			Phone: phone, Email: strings.ToLower(o.Email),
			ValidFrom: day(o.From), ValidTo: day(o.To), Removed: day(o.Removed)})
	}
	for _, u := range r.Users {
		user := form.User{OrgNumber: u.OrgNumber, Name: u.Name, Personnummer: u.Personnummer, ValidFrom: day(r.AsOf).AddDate(-1, 0, 0)}
		for _, role := range u.Roles {
			user.Roles = append(user.Roles, form.Role(role))
		}
		ref.Users = append(ref.Users, user)
	}
	return ref
}
