package letter

import (
	"fmt"
	"strings"
	"time"

	"blankett/form"
)

// KindAgreementTerminated is the letter confirming a termination (§5).
const KindAgreementTerminated = "agreement_terminated"

// Termination is a recorded termination of a Part's agreement, for its
// confirmation letter.
type Termination struct {
	Organisation string
	Address      Address // the Part's postal address (Name: to whom, may be empty)
	ByPart       bool    // the Part gave notice; otherwise Försäkringskassan did
	Received     time.Time
	End          time.Time // the first day the agreement is no longer in force
	RecordedAt   time.Time // the letter's date
	Reference    string
	// ReturnAddress is the office that keeps the agreements (the
	// agreement's return address).
	ReturnAddress []string
}

// ComposeTermination is the letter that confirms a termination to the
// Part: when the agreement ends, and what that means for its orderers and
// users.
func ComposeTermination(t Termination) (Letter, error) {
	if t.End.IsZero() || t.Received.IsZero() || len(cleanLines(t.ReturnAddress)) == 0 {
		return Letter{}, fmt.Errorf("%w: termination: dates and return address are required", ErrNothingToWrite)
	}
	org := strings.TrimSpace(t.Organisation)
	if org == "" {
		org = "organisationen"
	}
	lastDay := form.Day(t.End).AddDate(0, 0, -1)
	received := "Vi har tagit emot er skriftliga uppsägning av överenskommelsen om uppföljningssystemet SUS den " + form.DayInWords(t.Received) + "."
	if !t.ByPart {
		received = "Försäkringskassan har sagt upp överenskommelsen om uppföljningssystemet SUS med " + org + ". Uppsägningen är daterad den " + form.DayInWords(t.Received) + "."
	}
	a := t.Address
	a.Organisation = org
	return Letter{
		Kind: KindAgreementTerminated, RecipientKey: RecipientContact, Recipient: a,
		Date: form.Day(t.RecordedAt), Reference: t.Reference, ReturnAddress: cleanLines(t.ReturnAddress),
		Heading: "Överenskommelsen om uppföljningssystemet SUS upphör",
		Paragraphs: []string{
			"Hej!",
			received,
			"Överenskommelsen gäller till och med den " + form.DayInWords(lastDay) + ". Från och med den " + form.DayInWords(t.End) +
				" gäller den inte längre.",
			"Samma dag upphör behörigheten för organisationens registrerade beställare. Efter det kan vi inte ta emot beställningar av behörigheter i SUS från " + org + ".",
			"Vill organisationen använda SUS igen behöver ni teckna en ny överenskommelse med Försäkringskassan. Information om hur det går till finns på www.susam.se.",
		},
	}, nil
}
