package pipeline

import (
	"testing"

	"blankett/form"
	"blankett/storage"
)

func TestAskable(t *testing.T) {
	findings := []form.Finding{
		{Code: form.CodeRequiredMissing, Field: "user_email"},
		{Code: form.CodeSignatureMissing, Field: "signature"},
		{Code: form.CodeOrdererNotRegistered, Field: "orderer_name"},
	}
	codes := func(fs []form.Finding) (out []string) {
		for _, f := range fs {
			out = append(out, f.Field)
		}
		return out
	}
	if got := codes(askable(findings, storage.Decision{RequestCompletion: true, ConfirmedMissing: []string{"signature"}})); len(got) != 2 ||
		got[0] != "signature" || got[1] != "orderer_name" {
		t.Errorf("a request to complete asks for %v, want the confirmed signature and the orderer", got)
	}
	if got := askable(findings, storage.Decision{}); len(got) != 3 {
		t.Errorf("a rejection explains %d findings, want all 3", len(got))
	}
}
