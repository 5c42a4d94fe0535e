// Package letter writes the access office's letters: confirmations after an
// approval, and letters to the sender after a rejection or a request for
// completion. Compose decides who gets which letter and what it says (in
// Swedish); Render lays one letter out as a PDF/A-2b document like an
// authority's letter, its address in the window of a C5/E65 envelope;
// RenderInForce does the same for the list of organisations with an
// agreement in force; Merge joins letters into one print batch.
//
// The PDFs are archival: every font embedded (Liberation Sans, subset,
// with a ToUnicode map so the text copies out), an sRGB output intent and
// XMP metadata identifying PDF/A-2b. A letter without a complete postal
// address is never rendered (ErrNoAddress): the caller holds it.
//
// Letters never show a personnummer: people are named, and any number that
// looks like a personnummer is masked before a letter leaves Compose.
package letter

import (
	"strings"
	"time"

	"blankett/form"
)

// Decision is what Compose needs to know of a reviewer's decision.
type Decision struct {
	// Outcome is form.StateApproved or form.StateRejected.
	Outcome form.State
	// Reason is the reviewer's reason. A rejection letter quotes it.
	Reason string
	// RequestCompletion turns a rejection into a request for completion:
	// the letter asks the sender to send a corrected form rather than
	// saying the form could not be registered.
	RequestCompletion bool
	// DecidedAt is when the decision was taken; its day (Swedish time) is
	// the letter's date and the day an approval takes effect.
	DecidedAt time.Time
	// Reference is the office's reference number (diarienummer) for the
	// case, e.g. "SUS-2026-000123", printed as "Vårt diarienummer".
	Reference string
	// ReplyBy is, for a request for completion, the last day the sender
	// has to send the completion (e.g. 30 days after the decision). The
	// letter says it and what happens after; Compose refuses a request for
	// completion without it.
	ReplyBy time.Time
}

// Facts are what a letter needs and the form does not hold, supplied by
// the caller from the registry and the form's template.
type Facts struct {
	// SendTo is, for each form kind, the address that form is sent to, one
	// line each, as the form's template gives it (e.g. "Försäkringskassan",
	// "SUS, Utvecklingsstyrning", "103 51 Stockholm"). A letter about a
	// form comes from that form's office (its letterhead) and asks for
	// anything to be sent there; a letter asking for an agreement gives the
	// agreement's. Compose refuses a letter whose address is missing here.
	SendTo map[form.Kind][]string
	// OrgAddress is the Part's postal address: street (or box), postcode
	// and town. It is used when the form itself has no complete address
	// (forms 9445 and 9463 carry none): the caller takes it from the
	// registry (the Part's agreement). Name and Organisation are ignored.
	// A letter left without an address is composed, but Render refuses it
	// (ErrNoAddress).
	OrgAddress Address
	// OrdererValidTo is, for an approved 9463, the last day of each added
	// orderer's registration, keyed by the form's row (1–4). Missing rows
	// fall back to form.OrdererValidTo of the decision day.
	OrdererValidTo map[int]time.Time
	// AgreementFrom is, for an approved agreement, the day it came into
	// force (FK's countersignature date). Zero falls back to the form's
	// fk_sign_date; Compose fails when neither is known.
	AgreementFrom time.Time
	// OrdererFormWaiting says, for an approved agreement, that a 9463 from
	// the Part came with it (or while it was handled) and waits for it: the
	// letter then says that form is handled now instead of asking for one.
	OrdererFormWaiting bool
	// NoAgreement says the Part had no agreement in force on the decision
	// day. A rejected 9445 or 9463 then gets the "sign an agreement first"
	// letter, as it does when the findings hold AGREEMENT_NOT_IN_FORCE.
	NoAgreement bool
}

// Address is a letter's recipient. Lines gives the block as printed.
type Address struct {
	Name         string // the person, printed "Att: Name" under the organisation
	Organisation string // the Part, printed first
	Street       string // street address or box
	Postcode     string // five digits, printed "NNN NN"
	Town         string
}

// Complete says whether the address can be posted: a street (or box), a
// five-digit postcode and a town.
func (a Address) Complete() bool {
	return strings.TrimSpace(a.Street) != "" && postcodeDigits(a.Postcode) && strings.TrimSpace(a.Town) != ""
}

// postcodeDigits says whether s is a Swedish postcode: five digits, with
// or without the space.
func postcodeDigits(s string) bool {
	n := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			n++
		case r != ' ' && r != '\u00a0':
			return false
		}
	}
	return n == 5
}

// Lines returns the address block, one line each, empty parts left out:
// the organisation first, then the person ("Att: Namn"), as a letter to a
// person at an organisation is addressed in Sweden, then street, and
// postcode and town (the town in capitals, two spaces after the postcode).
func (a Address) Lines() []string {
	var lines []string
	name, org := strings.TrimSpace(a.Name), strings.TrimSpace(a.Organisation)
	switch {
	case name != "" && org != "":
		lines = append(lines, org, "Att: "+name)
	case name != "":
		lines = append(lines, name)
	case org != "":
		lines = append(lines, org)
	}
	if s := strings.TrimSpace(a.Street); s != "" {
		lines = append(lines, s)
	}
	town := strings.ToUpper(strings.TrimSpace(a.Town))
	if pc := form.Postcode(a.Postcode); pc != "" || town != "" {
		lines = append(lines, strings.TrimSpace(pc+"  "+town))
	}
	return lines
}

// Letter is one letter to one recipient.
type Letter struct {
	// Kind names the situation, stable for storage and golden files, e.g.
	// "9445_approved_orderer". See the Kind constants.
	Kind string
	// RecipientKey is stable per recipient within a decision: "orderer",
	// "user", "orderer:2" (the 9463's row), "contact" or "sender".
	RecipientKey string
	Recipient    Address
	// Date is the letter's date (the decision day).
	Date time.Time
	// ReturnAddress is the office the letter comes from, printed in the
	// letterhead and footer: the return address of the form concerned
	// (Facts.SendTo). Without it the Sender's address is printed.
	ReturnAddress []string
	// Reference is the office's reference number (Vårt diarienummer).
	Reference string
	Heading   string
	// Paragraphs is the body. A paragraph starting with "• " is a list
	// item; "\n" inside a paragraph breaks the line.
	Paragraphs []string
	// Enclosures lists what goes in the envelope with the letter.
	Enclosures []string
}

// Letter kinds.
const (
	Kind9445ApprovedOrderer = "9445_approved_orderer" // new user or changed roles, to the orderer
	Kind9445ApprovedUser    = "9445_approved_user"    // new user or changed roles, to the user
	Kind9445RemovedOrderer  = "9445_removed_orderer"  // user removed, to the orderer
	Kind9445RemovedUser     = "9445_removed_user"     // user removed, to the user
	Kind9463OrdererAdded    = "9463_orderer_added"    // to each added orderer
	Kind9463OrdererRemoved  = "9463_orderer_removed"  // to each removed orderer
	KindAgreementInForce    = "agreement_in_force"    // to the contact person, with FK's signed copy
	Kind9445Rejected        = "9445_rejected"
	Kind9445Incomplete      = "9445_incomplete"
	Kind9445NoAgreement     = "9445_no_agreement"
	Kind9463Rejected        = "9463_rejected"
	Kind9463Incomplete      = "9463_incomplete"
	Kind9463NoAgreement     = "9463_no_agreement"
	KindAgreementRejected   = "agreement_rejected"
	KindAgreementIncomplete = "agreement_incomplete"
)

// Recipient keys.
const (
	RecipientOrderer = "orderer"
	RecipientUser    = "user"
	RecipientContact = "contact"
	RecipientSender  = "sender"
)

// OrdererRecipient is the recipient key of the orderer on a 9463's row.
func OrdererRecipient(row int) string { return RecipientOrderer + ":" + itoa(row) }

// Sender is the authority the letters come from, printed in the
// letterhead, the closing, the contact line and the footer. The office's
// postal address is the letter's ReturnAddress, which depends on the form.
type Sender struct {
	Name string // "Försäkringskassan"
	// Unit, when set, is printed under the name in the letterhead and the
	// closing; leave it empty when the return address names the unit.
	Unit string
	// Address is printed when a letter has no ReturnAddress.
	Address []string
	// Contact is who answers questions, as the contact line names it.
	Contact string
	Phone   string
	Web     string
}

// DefaultSender is FK for the SUS access forms. Its postal address comes
// with each letter (the form's return address).
func DefaultSender() Sender {
	return Sender{
		Name:    "Försäkringskassan",
		Contact: "Försäkringskassans kundcenter för partner",
		Phone:   "0771-17 90 00",
		Web:     "www.susam.se",
	}
}
