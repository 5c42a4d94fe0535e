package form

import "testing"

// TestIsPostcode takes Postcode's writing of five digits for a postcode,
// and nothing else.
func TestIsPostcode(t *testing.T) {
	for s, want := range map[string]bool{
		Postcode("77787"):   true,
		Postcode("7.38 92"): true,
		"777 87":            true,
		"7177 87":           false,
		"777 8":             false,
		"77787":             false,
		"abc de":            false,
		"":                  false,
	} {
		if got := IsPostcode(s); got != want {
			t.Errorf("IsPostcode(%q) = %v, want %v", s, got, want)
		}
	}
}
