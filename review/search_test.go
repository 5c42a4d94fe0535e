package review_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"blankett/form"
	"blankett/storage"
)

// TestSearch finds documents by number, organisation number, part of the
// organisation's name and personnummer; the personnummer goes by POST,
// is not shown back or put in a URL, and the search is audited.
func TestSearch(t *testing.T) {
	h := newHarness(t, nil)
	h.seedRegistry()
	h.account("rita", form.AccountReviewer)
	id9445 := h.seed9445()
	id9463 := h.seed9463()
	other := h.seed9463()
	h.exec(`update documents set fields = jsonb_set(jsonb_set(fields, '{org_name,value}', '"Annanstad kommun"'), '{org_number,value}', '"212000-1355"') where id = $1`, other)
	// Stored as extraction stores them: sealed, with the keyed hashes.
	for _, p := range []struct {
		id           int64
		field, value string
	}{{id9445, "user_personnummer", userPnr}, {id9463, "orderer1_personnummer", newOrdererPnr}} {
		err := h.pool.InTx(context.Background(), func(tx storage.Tx) error {
			doc, err := storage.LockDocument(context.Background(), tx, p.id)
			if err != nil {
				return err
			}
			v := form.Value{Name: p.field, Type: form.TypePersonnummer, Raw: p.value, Value: p.value, Confidence: 1}
			return storage.SaveCorrection(context.Background(), tx, doc, v, doc.Findings, "test")
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	c := h.client()
	c.login("rita")

	found := func(q string) []string {
		t.Helper()
		resp, body := c.do("POST", "/sok", url.Values{"q": {q}}, nil)
		if resp.StatusCode != 200 {
			t.Fatalf("search %q: %d", q, resp.StatusCode)
		}
		return regexp.MustCompile(`<a href="/documents/(\d+)" class="doc-link"`).FindAllString(body, -1)
	}
	ids := func(ns ...int64) []string {
		var out []string
		for _, n := range ns {
			out = append(out, fmt.Sprintf(`<a href="/documents/%d" class="doc-link"`, n))
		}
		return out
	}
	for _, c := range []struct {
		q    string
		want []string
	}{
		{testOrg, ids(id9463, id9445)},      // newest first
		{"2120000142", ids(id9463, id9445)}, // as written without the dash
		{"exempelby", ids(id9463, id9445)},  // part of the name, any case
		{"ANNANSTAD", ids(other)},           //
		{fmt.Sprint(id9445), ids(id9445)},   // document number
		{"19850704-1237", ids(id9445)},      // the user of the 9445
		{"198505051238", ids(id9463)},       // the new orderer of the 9463
		{"50%", nil},                        // not a wildcard
		{"99999", nil},                      // no such document
	} {
		if got := found(c.q); strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("search %q found %v, want %v", c.q, got, c.want)
		}
	}

	_, body := c.do("POST", "/sok", url.Values{"q": {"19850704-1237"}}, nil)
	if strings.Contains(body, "19850704-1237") || strings.Contains(body, userPnr) || !strings.Contains(body, "19850704-****") {
		t.Error("the personnummer searched for is shown back unmasked")
	}
	_, body = c.do("POST", "/sok", url.Values{"q": {"19121212-121"}}, nil)
	if !strings.Contains(body, "inte ett giltigt personnummer") {
		t.Error("an incomplete personnummer is not explained")
	}
	_, body = c.do("POST", "/sok", url.Values{"q": {"  "}}, nil)
	if !strings.Contains(body, "Skriv ett dokumentnummer") {
		t.Error("an empty search is not explained")
	}

	h.personLookupsAudited(t, "rita", 3)
	h.noPersonnummerInURLs(t, "1212")
}
