package validate

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"blankett/form"
)

// radioEdition is a 9445 edition unlike the built-in one: its order type
// and login method are radio groups, and every field has another name.
func radioEdition(t *testing.T) *form.Template {
	t.Helper()
	b, err := form.LoadTemplate(form.Kind9445)
	if err != nil {
		t.Fatal(err)
	}
	body, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	var c form.Template
	if err := json.Unmarshal(body, &c); err != nil {
		t.Fatal(err)
	}
	c.Edition = "FK 9445 (radio)"
	radios := map[string]*form.Field{}
	var fields []form.Field
	for i, f := range c.Fields {
		if f.Group == "order_type" || f.Group == "login" {
			r := radios[f.Group]
			if r == nil {
				r = &form.Field{Name: "radio_" + f.Group, Type: form.TypeRadio, Label: "Val " + f.Group, Page: f.Page, Zone: f.Zone}
				radios[f.Group] = r
			}
			r.Zone.W = max(r.Zone.W, f.Zone.X+f.Zone.W-r.Zone.X)
			r.Zone.H = max(r.Zone.H, f.Zone.Y+f.Zone.H-r.Zone.Y)
			r.Options = append(r.Options, form.Option{Value: strings.TrimPrefix(string(f.Role), "login."), Label: f.Label, Role: f.Role})
			continue
		}
		f.Name, f.PDFName, f.Aliases = fmt.Sprintf("x%02d", i), "", nil
		fields = append(fields, f)
	}
	for _, g := range []string{"order_type", "login"} {
		fields = append(fields, *radios[g])
	}
	c.Fields = fields
	body, err = json.Marshal(&c)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := form.ParseTemplate(body)
	if err != nil {
		t.Fatalf("the radio edition: %v", err)
	}
	return tpl
}

// TestRulesThroughRadioGroups: a 9445 read with an edition whose order
// type and login method are radio groups gets the findings the built-in
// edition's tick boxes give, named by its own fields.
func TestRulesThroughRadioGroups(t *testing.T) {
	radio := radioEdition(t)
	builtin, err := form.LoadTemplate(form.Kind9445)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(map[string]string)
		order string // the radio's order value
		login string // the radio's login value ("" for none)
	}{
		{"valid", func(map[string]string) {}, "order.new", "sms"},
		{"sms without mobile", func(kv map[string]string) { kv["user_mobile"] = "" }, "order.new", "sms"},
		{"no login method", func(kv map[string]string) { kv["login_sms"] = "false" }, "order.new", ""},
		{"removal", func(kv map[string]string) {
			kv["order_new"], kv["order_remove"] = "false", "true"
		}, "order.remove", "sms"},
	} {
		kv := valid9445()
		tc.edit(kv)
		doc := form.Document{ID: 1, Kind: form.Kind9445, Received: day("2025-03-10"), Fields: fields(kv)}
		want, err := Document(context.Background(), baseRegistry(), doc)
		if err != nil {
			t.Fatal(err)
		}
		other := form.Fields{}
		for name, v := range doc.Fields {
			f, _ := builtin.Field(name)
			if f.Group == "order_type" || f.Group == "login" {
				continue
			}
			g, _, _ := radio.ByRole(f.Role, f.Row)
			v.Name = g.Name
			other[g.Name] = v
		}
		other["radio_order_type"] = form.Value{Name: "radio_order_type", Type: form.TypeRadio, Value: tc.order, Raw: tc.order}
		other["radio_login"] = form.Value{Name: "radio_login", Type: form.TypeRadio, Value: tc.login, Raw: tc.login}
		doc.Fields, doc.Template = other, radio
		got, err := Document(context.Background(), baseRegistry(), doc)
		if err != nil {
			t.Fatal(err)
		}
		// A finding names the field of a role: a tick box, or the radio
		// group holding the option of that role.
		key := func(tpl *form.Template, fs []form.Finding) string {
			var out []string
			for _, f := range fs {
				where := f.Field
				if tf, ok := tpl.Field(f.Field); ok {
					where = string(tf.Role)
					if len(tf.Options) > 0 {
						where = string(tf.Options[0].Role)
					}
				}
				out = append(out, f.Code+"@"+where+": "+f.Message)
			}
			sort.Strings(out)
			return strings.Join(out, "\n")
		}
		w, g := key(builtin, want), key(radio, got)
		if tc.name != "valid" && tc.name != "removal" && len(want) == 0 {
			t.Errorf("%s: no findings to compare", tc.name)
		}
		if a, b := OrderType(builtin, fields(kv)), OrderType(radio, other); a != b || a == "" {
			t.Errorf("%s: order type %q from the tick boxes, %q from the radio group", tc.name, a, b)
		}
		if w != g {
			t.Errorf("%s: findings differ\n  tick boxes:   %s\n  radio groups: %s", tc.name, w, g)
		}
	}
}
