package validate_test

import (
	"context"
	"testing"
	"time"

	"blankett/form"
	"blankett/validate"
)

// noRegistry knows nothing: every "as of" question finds nothing.
type noRegistry struct{}

func (noRegistry) Signatories(context.Context, string, time.Time) ([]form.Signatory, error) {
	return nil, nil
}
func (noRegistry) Orderers(context.Context, string, time.Time) ([]form.Orderer, error) {
	return nil, nil
}
func (noRegistry) OrderersByPersonnummer(context.Context, string, time.Time) ([]form.Orderer, error) {
	return nil, nil
}
func (noRegistry) Agreements(context.Context, string, time.Time) ([]form.Agreement, error) {
	return nil, nil
}
func (noRegistry) UsersByPersonnummer(context.Context, string, time.Time) ([]form.User, error) {
	return nil, nil
}

// TestAgreementSignatory: the firmatecknare named on page 1 becomes a
// known signatory only when the agreement was signed by that person.
func TestAgreementSignatory(t *testing.T) {
	for _, tc := range []struct {
		named, signer string
		want          bool
	}{
		{"Maja Lindqvist", "Maja Lindqvist", true},
		{"Maja Lindqvist", "maja  LINDQVIST", true},
		{"Maja Lindqvist", "Sven Svensson", false},
		{"Maja Lindqvist", "", false},
		{"", "Maja Lindqvist", false},
	} {
		doc := form.Document{ID: 7, Kind: form.KindAgreement, Received: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Fields: form.Fields{}}
		for k, v := range map[string]string{"org_number": "212000-0142", "org_name": "Testkommunen",
			"signatory_name": tc.named, "part_signer_name": tc.signer, "part_sign_date": "2026-02-20"} {
			doc.Fields[k] = form.Value{Name: k, Value: v, Raw: v}
		}
		plan, err := validate.Changes(context.Background(), noRegistry{}, doc, time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		got := false
		for _, op := range plan.Ops {
			if op.Change.Kind == form.ChangeSignatoryAdded {
				got = op.Signatory.Name == tc.named
			}
		}
		if got != tc.want {
			t.Errorf("named %q, signed by %q: signatory added %v, want %v", tc.named, tc.signer, got, tc.want)
		}
	}
}
