package pipeline_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"blankett/form"
	"blankett/storage"
	"blankett/validate"
)

// TestTransitionImport loads §8 orderers and users from CSV: good rows are
// recorded with the source "övergång", bad ones reported by line without
// their content, a second import changes nothing, and a 9445 from an
// imported orderer passes the orderer checks.
func TestTransitionImport(t *testing.T) {
	t.Parallel()
	p, db := reviewSetup(t)
	ctx := context.Background()
	const org = "212000-0142"
	from := form.Day(time.Now()).AddDate(0, -3, 0).Format(time.DateOnly)
	if err := storage.LoadReference(ctx, db, form.Reference{
		Organisations: []form.Organisation{{Number: org, Name: "Testkommunen"}},
		Agreements: []form.Agreement{{OrgNumber: org, PartSigned: form.Day(time.Now()).AddDate(-1, 0, 0),
			Countersigned: form.Day(time.Now()).AddDate(-1, 0, 10), CopiesReceived: 2}},
	}); err != nil {
		t.Fatal(err)
	}
	orderers := "organisationsnummer;namn;personnummer;telefon;e-post;giltig från;giltig till\n" +
		org + ";Olle Beställare;19811218-9876;070-123 45 67;olle@test.se;" + from + ";\n" + // 2: ok
		org + ";Fel Nummer;19811218-9875;;;" + from + ";\n" + // 3: Luhn
		org + ";Utan Datum;19811218-9876;;;;\n" + // 4: no valid_from
		"212000-0143;Fel Org;19811218-9876;;;" + from + ";\n" // 5: org Luhn
	rep, err := p.ImportOrderers(ctx, strings.NewReader(orderers))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 4 || rep.Imported != 1 || len(rep.Rejected) != 3 {
		t.Fatalf("report %+v", rep)
	}
	for i, line := range []int{3, 4, 5} {
		if rep.Rejected[i].Line != line || rep.Rejected[i].Reason == "" {
			t.Errorf("rejected[%d] = %+v, want line %d", i, rep.Rejected[i], line)
		}
	}
	if s := rep.String(); strings.Contains(s, "9876") || strings.Contains(s, "9875") {
		t.Errorf("the report repeats a personnummer: %q", s)
	}
	if again, err := p.ImportOrderers(ctx, strings.NewReader(orderers)); err != nil || again.Imported != 0 || again.Duplicates != 1 {
		t.Fatalf("second import %+v %v", again, err)
	}
	var source string
	if err := db.QueryRow(ctx, "select source from orderers where name = 'Olle Beställare'").Scan(&source); err != nil || source != form.SourceTransition {
		t.Fatalf("source %q %v, want %q", source, err, form.SourceTransition)
	}

	users := "org_number,name,personnummer,email,mobile,phone,roles,login_methods,valid_from\n" +
		org + ",Ulla Användare,198507079872,ulla@test.se,070-765 43 21,,susrapport|insatsansvarig,sms," + from + "\n" +
		org + ",Utan Roll,198507079872,,,,,bankid," + from + "\n" +
		org + ",Okänd Roll,198507079872,,,,chef,bankid," + from + "\n"
	urep, err := p.ImportUsers(ctx, strings.NewReader(users))
	if err != nil || urep.Imported != 1 || len(urep.Rejected) != 2 {
		t.Fatalf("users: %+v %v", urep, err)
	}
	us, err := storage.NewRegistry(db).UsersByPersonnummer(ctx, "198507079872", form.Day(time.Now()))
	if err != nil || len(us) != 1 || !slices.Equal(us[0].Roles, []form.Role{form.RoleSUSRapport, form.RoleInsatsansvarig}) {
		t.Fatalf("imported user %+v %v", us, err)
	}

	order := form.Document{Kind: form.Kind9445, Received: time.Now(), Fields: form.Fields{}}
	for k, v := range map[string]string{"org_number": org, "orderer_name": "Olle Beställare"} {
		order.Fields[k] = form.Value{Name: k, Value: v, Raw: v}
	}
	got, err := validate.Document(ctx, storage.NewRegistry(db), order)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range got {
		if strings.HasPrefix(f.Code, "ORDERER_") || f.Code == form.CodeAgreementNotInForce {
			t.Errorf("a 9445 from the imported orderer: %s %s", f.Code, f.Message)
		}
	}
}
