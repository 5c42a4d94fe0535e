package form

import "time"

// The registry's domain types: what the access office knows about Parts,
// their signatories, agreements, orderers and users. Dates are calendar
// days (midnight UTC); a zero time means "none" (no end, not removed, not
// yet countersigned).

// Role is a user role (behörighetsroll) in SUS.
type Role string

// The four user roles. The orderer role is not a user role.
const (
	RoleSamverkansadministrator Role = "samverkansadministrator"
	RoleInsatsansvarig          Role = "insatsansvarig"
	RoleDeltagaransvarig        Role = "deltagaransvarig"
	RoleSUSRapport              Role = "susrapport"
)

// Roles lists the user roles in the order the 9445 prints them.
var Roles = []Role{RoleSamverkansadministrator, RoleInsatsansvarig, RoleDeltagaransvarig, RoleSUSRapport}

// Title is the role's Swedish name.
func (r Role) Title() string {
	switch r {
	case RoleSamverkansadministrator:
		return "Samverkansadministratör"
	case RoleInsatsansvarig:
		return "Insatsansvarig"
	case RoleDeltagaransvarig:
		return "Deltagaransvarig"
	case RoleSUSRapport:
		return "SUSRapport"
	}
	return string(r)
}

// NeedsAssignment reports whether the role needs an assignment (uppdrag)
// in SUS before it can be used; the confirmation letter says so.
func (r Role) NeedsAssignment() bool {
	return r == RoleSamverkansadministrator || r == RoleInsatsansvarig || r == RoleDeltagaransvarig
}

// FieldRole is the yes/no field role that ticks the role on a 9445.
func (r Role) FieldRole() FieldRole { return FieldRole("role." + string(r)) }

// LoginMethod is how a user logs in to SUS.
type LoginMethod string

// Login methods offered on the 9445.
const (
	LoginSMS          LoginMethod = "sms"
	LoginBankID       LoginMethod = "bankid"
	LoginMobileBankID LoginMethod = "mobile_bankid"
	LoginEID          LoginMethod = "eid"
)

// LoginMethods lists the login methods in the order the 9445 prints them.
var LoginMethods = []LoginMethod{LoginSMS, LoginBankID, LoginMobileBankID, LoginEID}

// FieldRole is the yes/no field role that ticks the login method on a
// 9445.
func (m LoginMethod) FieldRole() FieldRole { return FieldRole("login." + string(m)) }

// Title is the login method's Swedish name.
func (m LoginMethod) Title() string {
	switch m {
	case LoginSMS:
		return "SMS-inloggning"
	case LoginBankID:
		return "BankID"
	case LoginMobileBankID:
		return "Mobilt BankID"
	case LoginEID:
		return "E-legitimation"
	}
	return string(m)
}

// Organisation is a Part: a municipality, region or coordination
// association, identified by its organisationsnummer (NNNNNN-NNNN).
type Organisation struct {
	Number string `json:"number"`
	Name   string `json:"name"`
}

// SignatorySource says where the office learnt of a signatory.
type SignatorySource string

// Signatory sources.
const (
	SignatorySourceCSV       SignatorySource = "csv"       // imported reference data
	SignatorySourceAgreement SignatorySource = "agreement" // named in an approved agreement
)

// Signatory is a firmatecknare: a person who may sign for a Part during
// [ValidFrom, ValidTo] (both inclusive; zero means unbounded).
type Signatory struct {
	ID             int64           `json:"id"`
	OrgNumber      string          `json:"org_number"`
	Name           string          `json:"name"`
	Title          string          `json:"title,omitempty"`
	ValidFrom      time.Time       `json:"valid_from"`
	ValidTo        time.Time       `json:"valid_to"`
	Source         SignatorySource `json:"source"`
	SourceDocument int64           `json:"source_document,omitempty"`
}

// ValidOn reports whether the signatory may sign on day d.
func (s Signatory) ValidOn(d time.Time) bool {
	return (s.ValidFrom.IsZero() || !d.Before(s.ValidFrom)) && (s.ValidTo.IsZero() || !d.After(s.ValidTo))
}

// Agreement is an Överenskommelse between a Part and FK. It is in force
// from the day both have signed (Countersigned, FK's date) until the day
// before Terminated.
type Agreement struct {
	ID             int64     `json:"id"`
	OrgNumber      string    `json:"org_number"`
	OrgName        string    `json:"org_name,omitempty"`
	PartSigned     time.Time `json:"part_signed"`
	Countersigned  time.Time `json:"countersigned"`
	Terminated     time.Time `json:"terminated"`
	CopiesReceived int       `json:"copies_received"`
	SourceDocument int64     `json:"source_document,omitempty"`
}

// InForce reports whether the agreement is in force on day d.
func (a Agreement) InForce(d time.Time) bool {
	return !a.Countersigned.IsZero() && !d.Before(a.Countersigned) &&
		(a.Terminated.IsZero() || d.Before(a.Terminated))
}

// OrdererTermYears is how long an orderer registration lasts.
const OrdererTermYears = 2

// Orderer is a beställare: a person a Part named on a 9463, registered
// for [ValidFrom, ValidTo] (inclusive; ValidTo is the day before the
// second anniversary) unless Removed earlier (from that day on).
type Orderer struct {
	ID             int64     `json:"id"`
	OrgNumber      string    `json:"org_number"`
	Name           string    `json:"name"`
	Personnummer   string    `json:"-"` // 12 digits; never serialised
	Phone          string    `json:"phone,omitempty"`
	Email          string    `json:"email,omitempty"`
	ValidFrom      time.Time `json:"valid_from"`
	ValidTo        time.Time `json:"valid_to"`
	Removed        time.Time `json:"removed"`
	SourceDocument int64     `json:"source_document,omitempty"`
	// Source is where the registration came from: SourceForm or
	// SourceTransition.
	Source string `json:"source,omitempty"`
}

// OrdererValidTo is the last day of a registration made on day from.
func OrdererValidTo(from time.Time) time.Time {
	return from.AddDate(OrdererTermYears, 0, -1)
}

// ActiveOn reports whether the orderer may order on day d.
func (o Orderer) ActiveOn(d time.Time) bool {
	return !d.Before(o.ValidFrom) && !d.After(o.ValidTo) && (o.Removed.IsZero() || d.Before(o.Removed))
}

// User is a SUS user as ordered on a 9445, valid from ValidFrom until the
// day before ValidUntil (zero: still valid). A change closes one record and
// opens the next; a removal closes it and sets Removed.
type User struct {
	ID             int64         `json:"id"`
	OrgNumber      string        `json:"org_number"`
	Name           string        `json:"name"`
	Personnummer   string        `json:"-"` // 12 digits; never serialised
	Email          string        `json:"email,omitempty"`
	Mobile         string        `json:"mobile,omitempty"`
	Phone          string        `json:"phone,omitempty"`
	Roles          []Role        `json:"roles"`
	Login          []LoginMethod `json:"login"`
	ValidFrom      time.Time     `json:"valid_from"`
	ValidUntil     time.Time     `json:"valid_until"`
	Removed        time.Time     `json:"removed"`
	SourceDocument int64         `json:"source_document,omitempty"`
	// Source is where the registration came from: SourceForm or
	// SourceTransition.
	Source string `json:"source,omitempty"`
}

// ActiveOn reports whether the user record holds on day d.
func (u User) ActiveOn(d time.Time) bool {
	return !d.Before(u.ValidFrom) && (u.ValidUntil.IsZero() || d.Before(u.ValidUntil))
}

// HasRole reports whether the user holds role r.
func (u User) HasRole(r Role) bool {
	for _, x := range u.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Outcome is a reviewer's decision on a document.
type Outcome string

// Decision outcomes.
const (
	OutcomeApproved   Outcome = "approved"
	OutcomeRejected   Outcome = "rejected"
	OutcomeIncomplete Outcome = "incomplete" // the sender is asked to complete
)

// Decision is a reviewer's decision on one document. Only an approval
// changes the registry.
type Decision struct {
	DocumentID int64     `json:"document_id"`
	Outcome    Outcome   `json:"outcome"`
	Reason     string    `json:"reason,omitempty"`
	Actor      string    `json:"actor"`
	DecidedAt  time.Time `json:"decided_at"`
}

// ChangeKind names one effect an approval has on the registry.
type ChangeKind string

// Registry changes.
const (
	ChangeAgreementRecorded ChangeKind = "agreement_recorded" // a new agreement, in force from Date
	ChangeAgreementCopy     ChangeKind = "agreement_copy"     // another signed copy of a recorded agreement
	ChangeSignatoryAdded    ChangeKind = "signatory_added"
	ChangeOrdererAdded      ChangeKind = "orderer_added"
	ChangeOrdererRemoved    ChangeKind = "orderer_removed"
	ChangeUserAdded         ChangeKind = "user_added"
	ChangeUserChanged       ChangeKind = "user_changed"
	ChangeUserRemoved       ChangeKind = "user_removed"
	ChangeAgreementEnded    ChangeKind = "agreement_terminated"
)

// Change is one effect of an approval, for the audit trail and for the
// letters (who gets a confirmation). It holds no personnummer.
type Change struct {
	Kind      ChangeKind `json:"kind"`
	OrgNumber string     `json:"org_number"`
	Name      string     `json:"name,omitempty"` // the person concerned
	Date      time.Time  `json:"date"`           // from when the change holds
	Until     time.Time  `json:"until"`          // e.g. an orderer's last day
	RecordID  int64      `json:"record_id,omitempty"`
}

// Reference is registry data taken as it is, not learnt from approved
// forms: a fixture, or a move from another system.
type Reference struct {
	Organisations []Organisation
	Signatories   []Signatory
	Agreements    []Agreement
	Orderers      []Orderer
	Users         []User
}

// RegistryPlan is what the approval of one document does to the registry,
// worked out by validate.Changes and persisted, unchanged, by storage.
type RegistryPlan struct {
	DocumentID   int64
	Organisation Organisation // recorded first; an empty name keeps the one known
	Ops          []RegistryOp
}

// RegistryOp is one change. Change.Kind says which payload applies:
//   - ChangeAgreementRecorded: Agreement is a new row;
//   - ChangeAgreementCopy: Agreement.ID gains CopiesReceived copies (and
//     Countersigned, when it had none);
//   - ChangeSignatoryAdded: Signatory is a new row;
//   - ChangeOrdererAdded: Orderer is a new row;
//   - ChangeOrdererRemoved: Orderer.ID is removed on Orderer.Removed;
//   - ChangeUserAdded, ChangeUserChanged: the person's current record in
//     the org is closed on Change.Date and User is a new row;
//   - ChangeUserRemoved: the person's current record is closed and marked
//     removed on Change.Date.
type RegistryOp struct {
	Change    Change
	Agreement Agreement
	Signatory Signatory
	Orderer   Orderer
	User      User
}

// Where a registration came from.
const (
	SourceForm       = "form"     // an approved form
	SourceTransition = "övergång" // loaded once from SUS's own lists (§8)
)
