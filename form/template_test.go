package form

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// canonical lists the field names validation is written against.
func canonical() map[Kind]map[string]FieldType {
	m := map[Kind]map[string]FieldType{
		Kind9445: {
			"order_new": TypeCheckbox, "order_change": TypeCheckbox, "order_remove": TypeCheckbox,
			"org_name": TypeText, "org_number": TypeOrgnr,
			"user_name": TypeText, "user_personnummer": TypePersonnummer, "user_email": TypeEmail,
			"user_mobile": TypePhone, "user_phone": TypePhone,
			"login_sms": TypeCheckbox, "login_bankid": TypeCheckbox, "login_mobile_bankid": TypeCheckbox, "login_eid": TypeCheckbox,
			"role_samverkansadministrator": TypeCheckbox, "role_insatsansvarig": TypeCheckbox,
			"role_deltagaransvarig": TypeCheckbox, "role_susrapport": TypeCheckbox,
			"orderer_name": TypeText, "orderer_phone": TypePhone, "orderer_email": TypeEmail,
			"signature": TypeSignature, "signer_name": TypeText, "sign_place": TypeText, "sign_date": TypeDate,
		},
		Kind9463: {
			"org_name": TypeText, "org_number": TypeOrgnr,
			"signature": TypeSignature, "signer_name": TypeText, "signer_title": TypeText,
			"sign_place": TypeText, "sign_date": TypeDate,
		},
		KindAgreement: {
			"org_name": TypeText, "org_number": TypeOrgnr, "org_address": TypeText, "org_postcode": TypeText, "org_town": TypeText,
			"contact_name": TypeText, "contact_title": TypeText, "contact_phone": TypePhone, "contact_email": TypeEmail,
			"signatory_name": TypeText, "signatory_title": TypeText, "signatory_phone": TypePhone, "signatory_email": TypeEmail,
			"part_sign_place": TypeText, "part_sign_date": TypeDate, "part_signature": TypeSignature, "part_signer_name": TypeText,
			"fk_sign_place": TypeText, "fk_sign_date": TypeDate, "fk_signature": TypeSignature, "fk_signer_name": TypeText,
		},
	}
	for i := 1; i <= 4; i++ {
		p := fmt.Sprintf("orderer%d_", i)
		for n, ty := range map[string]FieldType{"add": TypeCheckbox, "remove": TypeCheckbox, "name": TypeText,
			"personnummer": TypePersonnummer, "phone": TypePhone, "email": TypeEmail} {
			m[Kind9463][p+n] = ty
		}
	}
	return m
}

func TestTemplatesCanonicalFields(t *testing.T) {
	all, err := LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	pages := map[Kind]int{Kind9445: 1, Kind9463: 1, KindAgreement: 4}
	numbers := map[Kind]string{Kind9445: "FK 9445", Kind9463: "FK 9463", KindAgreement: "Överenskommelse SUS"}
	for kind, want := range canonical() {
		tpl, ok := all[kind]
		if !ok {
			t.Fatalf("no template for %s", kind)
		}
		if len(tpl.Pages) != pages[kind] {
			t.Errorf("%s: %d pages, want %d", kind, len(tpl.Pages), pages[kind])
		}
		if tpl.FormNumber != numbers[kind] {
			t.Errorf("%s: form number %q", kind, tpl.FormNumber)
		}
		if tpl.PageWidth != A4Width || tpl.PageHeight != A4Height {
			t.Errorf("%s: page size %gx%g, want A4", kind, tpl.PageWidth, tpl.PageHeight)
		}
		if len(tpl.Fields) != len(want) {
			t.Errorf("%s: %d fields, want %d", kind, len(tpl.Fields), len(want))
		}
		for name, ty := range want {
			f, ok := tpl.Field(name)
			if !ok {
				t.Errorf("%s: missing field %s", kind, name)
				continue
			}
			if f.Type != ty {
				t.Errorf("%s.%s: type %s, want %s", kind, name, f.Type, ty)
			}
		}
	}
	// The agreement's signature blocks are on the last page.
	agr := all[KindAgreement]
	for _, n := range []string{"part_signature", "fk_signature", "part_sign_date", "fk_signer_name"} {
		if f, _ := agr.Field(n); f.Page != 4 {
			t.Errorf("agreement.%s on page %d, want 4", n, f.Page)
		}
	}
}

func TestLabelsOutsideZones(t *testing.T) {
	all, err := LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	for kind, tpl := range all {
		for _, p := range tpl.Pages {
			for _, tx := range p.Texts {
				tb := Box{X: tx.X, Y: tx.Y - 0.75*tx.Size, W: 1, H: tx.Size}
				for _, f := range tpl.PageFields(p.Number) {
					if tb.Overlaps(f.Zone) {
						t.Errorf("%s page %d: text %q inside zone of %s", kind, p.Number, tx.Text, f.Name)
					}
				}
			}
		}
	}
}

func TestCheckRejects(t *testing.T) {
	tpl, err := LoadTemplate(Kind9445)
	if err != nil {
		t.Fatal(err)
	}
	bad := *tpl
	bad.Fields = append([]Field(nil), tpl.Fields...)
	bad.Fields[1].Zone = bad.Fields[0].Zone
	if err := bad.Check(); err == nil {
		t.Error("overlapping zones accepted")
	}
	bad.Fields = append([]Field(nil), tpl.Fields...)
	bad.Fields[0].Type = "colour"
	if err := bad.Check(); err == nil {
		t.Error("unknown field type accepted")
	}
	if _, err := LoadTemplate("9999"); err == nil {
		t.Error("unknown kind loaded")
	}
}

// mutate returns the built-in 9445 as JSON after change has edited a copy.
func mutate(t *testing.T, change func(*Template)) []byte {
	t.Helper()
	tpl, err := LoadTemplate(Kind9445)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(tpl)
	if err != nil {
		t.Fatal(err)
	}
	var c Template
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	change(&c)
	out, err := json.Marshal(&c)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestParseTemplateRefuses(t *testing.T) {
	cases := []struct {
		name string
		doc  []byte
		want string // in the message
	}{
		{"invalid JSON", []byte(`{"kind": "9445", "edition": `), "not valid JSON"},
		{"unknown key", []byte(`{"kind": "9445", "colour": "red"}`), "not valid JSON"},
		{"missing role", mutate(t, func(c *Template) {
			for i := range c.Fields {
				if c.Fields[i].Role == FieldUserPersonnummer {
					c.Fields[i].Role = ""
				}
			}
		}), "user.personnummer"},
		{"zone off the page", mutate(t, func(c *Template) { c.Fields[3].Zone.X = c.PageWidth - 10 }), "off the"},
		{"overlapping zones", mutate(t, func(c *Template) { c.Fields[4].Zone = c.Fields[3].Zone }), "overlap"},
		{"recognition area turned askew", mutate(t, func(c *Template) { c.Recognition.Where[0].Turned = 45 }), "0, 90 or 270"},
		{"role on the wrong type", mutate(t, func(c *Template) {
			for i := range c.Fields {
				if c.Fields[i].Name == "user_email" {
					c.Fields[i].Role = FieldUserMobile
				}
				if c.Fields[i].Name == "user_mobile" {
					c.Fields[i].Role = ""
				}
			}
		}), "needs a field of type phone"},
		{"unknown role", mutate(t, func(c *Template) { c.Fields[0].Role = "user.shoe_size" }), "unknown role"},
		{"page mark pattern", mutate(t, func(c *Template) { c.Recognition.PageMark = `(\d+) \((\d+)\)` }), "does not read"},
		{"pattern with one group", mutate(t, func(c *Template) { c.Recognition.PageMark = `sida (\d+)` }), "two groups"},
		{"bad regexp", mutate(t, func(c *Template) { c.Recognition.FormNumber = `FK (9445` }), "form number pattern"},
		{"no edition", mutate(t, func(c *Template) { c.Edition = "" }), "no edition"},
		{"nothing to register by", mutate(t, func(c *Template) {
			c.Pages[0].Words = c.Pages[0].Words[:2]
			var keep []Anchor
			for _, a := range c.Pages[0].Anchors {
				if a.Kind != AnchorMark {
					keep = append(keep, a)
				}
			}
			c.Pages[0].Anchors = keep
		}), "registered"},
		{"radio without options", mutate(t, func(c *Template) { c.Fields[0].Type = TypeRadio }), "two options"},
		{"unknown paper", mutate(t, func(c *Template) { c.Paper = "A5" }), "paper"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseTemplate(c.doc)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("message %q does not name the problem (%q)", err, c.want)
			}
		})
	}
}

// An edition without corner marks, with its page mark in another style
// and a radio group for the login method, is accepted.
func TestParseTemplateOtherStyle(t *testing.T) {
	doc := mutate(t, func(c *Template) {
		c.Edition = "FK 9445 (002)"
		c.Recognition.PageMark = `(\d+)\s*\((\d+)\)`
		c.Recognition.Edition = `9445\s*\(002\)`
		c.Pages[0].Mark = "1 (1)"
		var keep []Anchor
		for _, a := range c.Pages[0].Anchors {
			if a.Kind != AnchorMark {
				keep = append(keep, a)
			}
		}
		c.Pages[0].Anchors = keep
		var fields []Field
		var zone Box
		for _, f := range c.Fields {
			if f.Group == "login" {
				if zone.W == 0 {
					zone = f.Zone
				} else {
					zone.W = f.Zone.X + f.Zone.W - zone.X
				}
				continue
			}
			fields = append(fields, f)
		}
		fields = append(fields, Field{Name: "Inloggning", Type: TypeRadio, Label: "Inloggningsmetod", Page: 1, Zone: zone,
			Options: []Option{{Value: "sms", Role: FieldLoginSMS}, {Value: "bankid", Role: FieldLoginBankID},
				{Value: "mbankid", Role: FieldLoginMobileBankID}, {Value: "eleg", Role: FieldLoginEID}}})
		c.Fields = fields
	})
	tpl, err := ParseTemplate(doc)
	if err != nil {
		t.Fatal(err)
	}
	if n, m, ok := tpl.MatchPageMark("FK 9445 (002) 1 (1)"); !ok || n != 1 || m != 1 {
		t.Errorf("page mark: %d of %d, %v", n, m, ok)
	}
	v, ok := tpl.RoleValue(Fields{"Inloggning": {Name: "Inloggning", Type: TypeRadio, Value: "bankid"}}, FieldLoginBankID, 0)
	if !ok || v.Value != "true" {
		t.Errorf("login.bankid from the radio group: %+v, %v", v, ok)
	}
	v, _ = tpl.RoleValue(Fields{"Inloggning": {Name: "Inloggning", Type: TypeRadio, Value: "bankid"}}, FieldLoginSMS, 0)
	if v.Value != "false" {
		t.Errorf("login.sms from the radio group: %+v", v)
	}
	radio := Fields{"Inloggning": {Name: "Inloggning", Type: TypeRadio, Value: "bankid"}}
	if !tpl.RoleChecked(radio, FieldLoginBankID, 0) || tpl.RoleChecked(radio, FieldLoginSMS, 0) || tpl.RoleText(radio, FieldLoginSMS, 0) != "false" {
		t.Error("RoleChecked or RoleText misread the radio group")
	}
	if got := tpl.RoleField(FieldLoginEID, 0); got != "Inloggning" {
		t.Errorf("the field of login.eid is %q, want the radio group", got)
	}
	if r, row := tpl.FieldRole("user_mobile"); r != FieldUserMobile || row != 0 {
		t.Errorf("user_mobile has role %q row %d", r, row)
	}
	if e, err := (Document{Kind: Kind9445, Template: tpl}).Edition(); err != nil || e != tpl {
		t.Errorf("a document's own edition: %v, %v", e, err)
	}
	if e, err := (Document{Kind: Kind9445}).Edition(); err != nil || e.Edition != "FK 9445 (001)" {
		t.Errorf("a document that does not say its edition: %v, %v", e, err)
	}
	if _, err := (Document{Kind: Kind9463, Template: tpl}).Edition(); err == nil {
		t.Error("a 9463 given a 9445 edition")
	}
	builtin, err := BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	s, err := builtin.With(tpl)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(s.Editions(Kind9445)); got != 2 {
		t.Errorf("%d editions of 9445, want 2", got)
	}
	if p, _ := s.Primary(Kind9445); p.Edition != "FK 9445 (001)" {
		t.Errorf("primary edition %s", p.Edition)
	}
	if _, err := s.With(tpl); !errors.Is(err, ErrDuplicateEdition) {
		t.Errorf("the same edition twice: %v", err)
	}
	if builtin.Len() != 3 || s.Without(Kind9445, "FK 9445 (002)").Len() != 3 {
		t.Error("With or Without changed a set in place")
	}
}

func TestNeededRolesAreInTheVocabulary(t *testing.T) {
	for _, k := range []Kind{Kind9445, Kind9463, KindAgreement} {
		if len(k.NeededRoles()) == 0 {
			t.Errorf("%s needs no roles", k)
		}
		for _, r := range k.NeededRoles() {
			if _, ok := r.Info(); !ok {
				t.Errorf("%s needs %q, which the vocabulary lacks", k, r)
			}
		}
	}
	s, err := BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := s.Primary(Kind9463)
	for row := 1; row <= tpl.Rows("orderer"); row++ {
		f, _, ok := tpl.ByRole(FieldOrdererRowPersonnummer, row)
		if !ok || f.Name != fmt.Sprintf("orderer%d_personnummer", row) {
			t.Errorf("row %d personnummer: %q %v", row, f.Name, ok)
		}
	}
}

// TestEveryNeededRoleIsRequired: a built-in edition without any one of the
// roles its kind needs is refused, with a message naming that role; so is
// one whose repeating group is not declared.
func TestEveryNeededRoleIsRequired(t *testing.T) {
	s, err := BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range s.Kinds() {
		tpl, _ := s.Primary(k)
		for _, r := range k.NeededRoles() {
			body, err := json.Marshal(tpl)
			if err != nil {
				t.Fatal(err)
			}
			var c Template
			if err := json.Unmarshal(body, &c); err != nil {
				t.Fatal(err)
			}
			dropped := 0
			for i := range c.Fields {
				if c.Fields[i].Role == r {
					c.Fields[i].Role = ""
					dropped++
				}
			}
			if dropped == 0 {
				t.Errorf("%s: the built-in edition has no field of role %s", k, r)
				continue
			}
			b, err := json.Marshal(&c)
			if err != nil {
				t.Fatal(err)
			}
			_, err = ParseTemplate(b)
			if err == nil || !strings.Contains(err.Error(), string(r)) || !strings.Contains(err.Error(), "no field has the role") {
				t.Errorf("%s without %s: %v, want a refusal naming the role", k, r, err)
			}
		}
	}
	tpl, _ := s.Primary(Kind9463)
	c := *tpl
	c.Repeats = nil
	if err := c.Check(); err == nil || !strings.Contains(err.Error(), "repeating group") {
		t.Errorf("9463 without its declared group: %v", err)
	}
}

// TestRegistryRolesAreTickRoles: the user roles and login methods a 9445
// ticks are yes/no roles of the vocabulary that every 9445 must provide.
func TestRegistryRolesAreTickRoles(t *testing.T) {
	var roles []FieldRole
	for _, r := range Roles {
		roles = append(roles, r.FieldRole())
	}
	for _, m := range LoginMethods {
		roles = append(roles, m.FieldRole())
	}
	needed := Kind9445.NeededRoles()
	for _, r := range roles {
		if !r.Tick() {
			t.Errorf("%s is not a yes/no role of the vocabulary", r)
		}
		if !slices.Contains(needed, r) {
			t.Errorf("a 9445 need not have %s", r)
		}
	}
}

// TestRoleKinds: which roles are a person's name, and which names, titles
// or places.
func TestRoleKinds(t *testing.T) {
	for _, tt := range []struct {
		role             FieldRole
		person, nameLike bool
	}{
		{FieldUserName, true, true},
		{FieldOrdererRowName, true, true},
		{FieldFKSignerName, true, true},
		{FieldOrgName, false, true},
		{FieldSignPlace, false, true},
		{FieldContactTitle, false, true},
		{FieldOrgTown, false, true},
		{FieldOrgAddress, false, false},
		{FieldUserEmail, false, false},
		{"", false, false},
	} {
		if got := tt.role.PersonName(); got != tt.person {
			t.Errorf("%q.PersonName() = %v, want %v", tt.role, got, tt.person)
		}
		if got := tt.role.NameLike(); got != tt.nameLike {
			t.Errorf("%q.NameLike() = %v, want %v", tt.role, got, tt.nameLike)
		}
	}
}

// TestFormNumberIn: a form number in the style of the set's own is found,
// spaced or not, and named as the set prints its own.
func TestFormNumberIn(t *testing.T) {
	tpl, err := LoadTemplate(Kind9445)
	if err != nil {
		t.Fatal(err)
	}
	set, err := NewSet(tpl)
	if err != nil {
		t.Fatal(err)
	}
	prefix := strings.TrimRight(tpl.FormNumber, "0123456789 ")
	for text, want := range map[string]string{
		"Ansökan om parkeringstillstånd " + prefix + " 9999 (003)":          prefix + " 9999",
		"blankett " + strings.Join(strings.Split(prefix, ""), " ") + "1234": prefix + " 1234",
		"Protokoll från nämndens sammanträde":                               "",
	} {
		got, ok := set.FormNumberIn(text)
		if got != want || ok != (want != "") {
			t.Errorf("FormNumberIn(%q) = %q, %v; want %q", text, got, ok, want)
		}
	}
}

// TestMatchPageMarkTwice: the agreement prints its page mark in the header
// and the footer. Read alike, they are the page; read as two pages, one
// was misread and neither is taken. A mark counting other than the
// edition's pages is none of its marks: a fax machine's header counts the
// pages sent.
func TestMatchPageMarkTwice(t *testing.T) {
	set, err := BuiltinSet()
	if err != nil {
		t.Fatal(err)
	}
	tpl, ok := set.Primary(KindAgreement)
	if !ok {
		t.Fatal("no agreement")
	}
	for _, c := range []struct {
		text   string
		n, m   int
		ok     bool
		differ bool // the marks name two pages
	}{
		{"Överenskommelse SUS\nsida 1 av 4\nÖverenskommelse SUS sida 1 av 4", 1, 4, true, false},
		{"sida 3 av 4", 3, 4, true, false},
		{"Överenskommelse SUS\nsida 1 av 4\nÖverenskommelse SUS sida 2 av 4", 0, 0, false, true},
		{"sida 1 av 4\nsida 1 av 5", 1, 4, true, false},
		{"2026-02-25 08:11  08-278 27 29  ESLOVS KOMMUN  SIDA 3 AV 5\nÖverenskommelse SUS sida 2 av 4", 2, 4, true, false},
		{"2026-02-25 08:11  ESLOVS KOMMUN  SIDA 1 AV 3\nHär kommer blanketten", 0, 0, false, false},
		{"ingen sidnumrering", 0, 0, false, false},
	} {
		n, m, ok := tpl.MatchPageMark(c.text)
		if n != c.n || m != c.m || ok != c.ok {
			t.Errorf("MatchPageMark(%q) = %d of %d, %v; want %d of %d, %v", c.text, n, m, ok, c.n, c.m, c.ok)
		}
		if differ := tpl.PageMarksDiffer(c.text); differ != c.differ {
			t.Errorf("PageMarksDiffer(%q) = %v", c.text, differ)
		}
	}
}

// TestMisreadFormNumber: a form number read with one digit wrong names
// the form it is one digit from, unless it is as near another form's
// number; read right, or two digits off, it names none this way.
func TestMisreadFormNumber(t *testing.T) {
	var tpls []*Template
	for _, k := range []Kind{Kind9445, Kind9463, KindAgreement} {
		tpl, err := LoadTemplate(k)
		if err != nil {
			t.Fatal(err)
		}
		tpls = append(tpls, tpl)
	}
	set, err := NewSet(tpls...)
	if err != nil {
		t.Fatal(err)
	}
	a, b := tpls[0], tpls[1]
	prefix, da, _ := strings.Cut(normalNumber(a.FormNumber), " ")
	_, db, _ := strings.Cut(normalNumber(b.FormNumber), " ")
	if len(da) != len(db) || digitsApart(normalNumber(a.FormNumber), normalNumber(b.FormNumber)) != 2 {
		t.Fatalf("the test wants two numbers two digits apart, has %q and %q", da, db)
	}
	// One digit of b's changed where a's is the same: nearer b alone.
	shared := 0
	for da[shared] != db[shared] {
		shared++
	}
	misread := []byte(db)
	misread[shared] = '0' + (db[shared]-'0'+5)%10
	// One of a's digits changed to b's where they differ: as near both.
	differ := 0
	for da[differ] == db[differ] {
		differ++
	}
	between := []byte(da)
	between[differ] = db[differ]
	twoOff := []byte(db)
	twoOff[shared] = misread[shared]
	twoOff[(shared+1)%len(db)] = '0' + (db[(shared+1)%len(db)]-'0'+5)%10
	for _, c := range []struct {
		text string
		tpl  *Template
		want bool
	}{
		{"Skickas till Försäkringskassan " + strings.ToLower(prefix) + " " + string(misread) + " (003)", b, true},
		{prefix + " " + string(misread), a, false},
		{prefix + " " + string(between), b, false},
		{prefix + " " + string(between), a, false},
		{prefix + " " + db, b, false},
		{prefix + " " + string(twoOff), b, false},
		{"Protokoll från nämndens sammanträde", b, false},
		{prefix + " " + string(misread), tpls[2], false},
	} {
		if got := set.MisreadFormNumber(c.tpl, c.text); got != c.want {
			t.Errorf("MisreadFormNumber(%s, %q) = %v, want %v", c.tpl.ID(), c.text, got, c.want)
		}
	}
}

// TestMatchMarksLost matches a form number and an edition mark drafted
// from an edition's printed words, which spell Ö and å, in text a scan
// read without the marks (a page of an outside edition of three pages was
// taken for the first edition's, whose pattern does not spell them).
func TestMatchMarksLost(t *testing.T) {
	tpl := &Template{Recognition: Recognition{FormNumber: `Översikt\s*ABC`, Edition: `Utgåva\s*\(003\)`}}
	for _, c := range []struct {
		text            string
		number, edition bool
	}{
		{"Översikt ABC Utgåva (003)", true, true},
		{"Oversikt  ABC Utgava (003)", true, true},
		{"Översjkt ABC Utgåva (001)", false, false},
	} {
		if got := tpl.MatchFormNumber(c.text); got != c.number {
			t.Errorf("MatchFormNumber(%q) = %v, want %v", c.text, got, c.number)
		}
		if got := tpl.MatchEdition(c.text); got != c.edition {
			t.Errorf("MatchEdition(%q) = %v, want %v", c.text, got, c.edition)
		}
	}
}

// TestMatchSpeckBetweenWords: a speck read as a sign where the form
// number has a space (Översikt'ABC, a page turned and grey) is read as
// that space; a sign inside a word, or words run on, are not.
func TestMatchSpeckBetweenWords(t *testing.T) {
	tpl := &Template{Recognition: Recognition{FormNumber: `Översikt\s*ABC`, Edition: `\(003\)`}}
	for _, c := range []struct {
		text   string
		number bool
	}{
		{"Översikt'ABC (003) Blankett", true},
		{"Oversikt.,ABC", true},
		{"Översikt ABC", true},
		{"Över'sikt ABC", false},
		{"ÖversiktXABC", false},
		{"Översikt' ", false},
	} {
		if got := tpl.MatchFormNumber(c.text); got != c.number {
			t.Errorf("MatchFormNumber(%q) = %v, want %v", c.text, got, c.number)
		}
	}
	if got := unspecked("a'b, c d.e 'f"); got != "a b, c d e 'f" {
		t.Errorf("unspecked = %q", got)
	}
}
