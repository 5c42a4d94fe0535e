package validate

import (
	"context"
	"time"

	"blankett/form"
)

// Registry is what the rules ask of the office's registry. Every question
// is asked "as of" a calendar day (midnight UTC, see Day): the answer is
// what the registry knew and what held on that day. Org numbers are
// normalised (NNNNNN-NNNN), personnummer 12 digits.
type Registry interface {
	// Signatories returns the firmatecknare of the org valid on asOf.
	Signatories(ctx context.Context, orgnr string, asOf time.Time) ([]form.Signatory, error)
	// Orderers returns every orderer registration of the org made on or
	// before asOf, including expired ones and ones removed on or before
	// asOf (a removal after asOf is not shown).
	Orderers(ctx context.Context, orgnr string, asOf time.Time) ([]form.Orderer, error)
	// OrderersByPersonnummer returns the orderer registrations, in any
	// org, of the person that are active on asOf.
	OrderersByPersonnummer(ctx context.Context, pnr string, asOf time.Time) ([]form.Orderer, error)
	// Agreements returns the org's agreements recorded on or before asOf.
	Agreements(ctx context.Context, orgnr string, asOf time.Time) ([]form.Agreement, error)
	// UsersByPersonnummer returns the person's user records, in any org,
	// active on asOf.
	UsersByPersonnummer(ctx context.Context, pnr string, asOf time.Time) ([]form.User, error)
}
