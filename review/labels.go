package review

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"blankett/form"
)

// findingTitles name the finding codes in Swedish for filters and
// headings; a finding's own message says the rest. The codes stay in the
// data and the URLs, never in front of a case worker.
var findingTitles = map[string]string{
	"PERSONNUMMER_INVALID":              "Ogiltigt personnummer",
	"ORGNR_INVALID":                     "Ogiltigt organisationsnummer",
	"PHONE_INVALID":                     "Ogiltigt telefonnummer",
	"EMAIL_INVALID":                     "Ogiltig e-postadress",
	"DATE_INVALID":                      "Ogiltigt datum",
	"DATE_IN_FUTURE":                    "Datum i framtiden",
	"DATE_TOO_OLD":                      "För gammalt datum",
	"REQUIRED_MISSING":                  "Uppgift saknas",
	"SIGNATURE_MISSING":                 "Namnteckning saknas",
	"SIGNATORY_UNKNOWN":                 "Okänd firmatecknare",
	"ORDERER_NOT_REGISTERED":            "Beställaren är inte registrerad",
	"ORDERER_EXPIRED":                   "Beställarens behörighet har gått ut",
	"ORDERER_REMOVED":                   "Beställaren är borttagen",
	"AGREEMENT_NOT_IN_FORCE":            "Överenskommelse gäller inte",
	"SMS_MOBILE_MISSING":                "Mobilnummer saknas för SMS",
	"SMS_MOBILE_INVALID":                "Inget mobilnummer för SMS",
	"ROLES_MISSING":                     "Ingen roll vald",
	"ROLE_CONFLICT_SAMVERKAN_DELTAGARE": "Roller som inte får kombineras",
	"ROLE_CONFLICT_DELTAGARE_ORDERER":   "Deltagaransvarig är också beställare",
	"USER_OTHER_ORG":                    "Användaren finns i en annan organisation",
	"AGREEMENT_SINGLE_COPY":             "Bara ett exemplar av överenskommelsen",
	"ORDER_TYPE_MISSING":                "Typ av beställning saknas",
	"ORDERER_ACTION_MISSING":            "Lägg till eller ta bort saknas",
	"ORDER_TYPE_SEVERAL":                "Flera typer av beställning",
	"LOGIN_METHOD_MISSING":              "Inloggningssätt saknas",
	"SIGNER_NOT_ORDERER":                "Undertecknaren är inte beställaren",
	"SIGNER_NOT_SIGNATORY":              "Undertecknaren är inte den angivna firmatecknaren",
	"AGE_IMPLAUSIBLE":                   "Orimlig ålder",
	"AGREEMENT_REJECTED":                "Överenskommelsen avslogs",
	"TERMINATION_NOTICE_SHORT":          "För kort uppsägningstid",
	"TERMINATION_END_BEFORE_RECEIVED":   "Slutdag före mottagandet",
}

// findingTitle is a finding code in Swedish words; an unknown code is
// made readable rather than shown as it is.
func findingTitle(code string) string {
	if t, ok := findingTitles[code]; ok {
		return t
	}
	s := strings.ToLower(strings.ReplaceAll(code, "_", " "))
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// auditActionTitles name the audit log's events in Swedish.
var auditActionTitles = map[string]string{ // #nosec G101 -- event names and their Swedish titles, no secret
	"account.created":               "Konto skapat",
	"account.disabled":              "Konto avstängt eller aktiverat",
	"account.login":                 "Inloggning",
	"account.logout":                "Utloggning",
	"decision.proposed":             "Beslut föreslaget",
	"decision.confirmed":            "Beslut bekräftat",
	"decision.withdrawn":            "Förslag tillbakadraget",
	"document.received":             "Dokument mottaget",
	"document.duplicate_received":   "Dubblett mottagen",
	"document.state":                "Status ändrad",
	"document.viewed":               "Dokument visat",
	"document.page_viewed":          "Sidbild visad",
	"document.original_downloaded":  "Originalfil hämtad",
	"document.corrected":            "Värde rättat",
	"document.split_from":           "Uppdelat från en samlingsfil",
	"document.requeued":             "Skickat till inläsning igen",
	"document.purged":               "Dokument gallrat",
	"letter.created":                "Brev skapat",
	"letter.downloaded":             "Brev hämtat",
	"letter.printed":                "Brev utskrivet",
	"letters.batch_printed":         "Utskrift av brev",
	"person.exported":               "Registerutdrag för en person",
	"person.searched":               "Sökning på en person",
	"audit.exported":                "Granskningslogg exporterad",
	"registry.viewed":               "Register visat",
	"registry.signatories_imported": "Firmatecknare importerade",
	"registry.terminated":           "Uppsägning registrerad",
	"registry.in_force_list":        "Lista över gällande överenskommelser hämtad",
	"account.password_set":          "Nytt lösenord",
	"account.unlocked":              "Inloggning upplåst",
	"letter.held":                   "Brev väntar på postadress",
	"document.classified":           "Blankett och utgåva valda för hand",
	"template.imported":             "Blankettmall importerad",
	"template.activated":            "Blankettmall aktiverad",
	"template.retired":              "Blankettmall avvecklad",
}

// auditActionTitle is an audit event in Swedish, else the event itself.
func auditActionTitle(action string) string {
	if t, ok := auditActionTitles[action]; ok {
		return t
	}
	return action
}

// auditKeys name the keys of an audit event's before and after.
var auditKeys = map[string]string{
	"state": "Status", "field": "Fält", "value": "Värde", "confidence": "Säkerhet", "findings": "Avvikelser",
	"outcome": "Beslut", "reason": "Skäl", "overrides": "Godkänt trots fel", "media_type": "Filtyp",
	"size_bytes": "Storlek", "duplicate_of": "Dubblett av dokument", "account": "Konto", "role": "Roll",
	"disabled": "Avstängt", "letter_id": "Brev", "kind": "Slag", "recipient": "Mottagare", "batch": "Utskrift",
	"count": "Antal", "proposal_id": "Förslag", "request_completion": "Begäran om komplettering",
	"parent": "Samlingsfil", "pages": "Sidor", "imported": "Importerade", "rejected": "Avvisade",
	"edition": "Utgåva", "version": "Version", "valid_from": "Gäller från", "template_version": "Mallversion",
}

// auditItem is one key and value of an event's before or after.
type auditItem struct{ Key, Value string }

// auditItems turns an audit event's before or after (JSON) into Swedish
// keys and values, personnummer masked, fields named as the built-in
// editions name them (auditItemsIn, for an event whose document's edition
// is not known). What is not a JSON object is shown as it is, masked.
func auditItems(raw string) []auditItem { return auditItemsIn(nil, raw) }

// auditItemsIn is auditItems for an event on a document read with edition
// t: its fields are labelled as t labels them.
func auditItemsIn(t *form.Template, raw string) []auditItem {
	raw = strings.TrimSpace(raw)
	if raw == "" || raw == "null" {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return []auditItem{{Value: maskText(raw)}}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	field, known := form.Field{}, false
	if name, ok := m["field"].(string); ok {
		field, known = editionField(t, name)
	}
	out := make([]auditItem, 0, len(keys))
	for _, k := range keys {
		label, ok := auditKeys[k]
		if !ok {
			label = k
		}
		out = append(out, auditItem{Key: label, Value: maskText(auditValue(k, m[k], field, known))})
	}
	return out
}

// auditValue writes one value of an audit event; field is the field the
// event names, when known is true.
func auditValue(key string, v any, field form.Field, known bool) string {
	switch key {
	case "state", "outcome":
		if s, ok := v.(string); ok {
			return stateTitle(form.State(s))
		}
	case "field":
		if s, ok := v.(string); ok {
			if known && field.Label != "" {
				return withSection(field)
			}
			return s
		}
	case "role":
		if s, ok := v.(string); ok {
			return form.AccountRole(s).Title()
		}
	case "size_bytes":
		if f, ok := v.(float64); ok {
			return byteSize(f)
		}
	case "confidence":
		if f, ok := v.(float64); ok {
			return fmt.Sprintf("%.0f %%", f*100)
		}
	case "findings":
		list, ok := v.([]any)
		if !ok {
			break
		}
		if len(list) == 0 {
			return "inga"
		}
		titles := make([]string, 0, len(list))
		for _, c := range list {
			titles = append(titles, findingTitle(fmt.Sprint(c)))
		}
		return strings.Join(titles, ", ")
	case "overrides":
		if m, ok := v.(map[string]any); ok {
			parts := make([]string, 0, len(m))
			for code, why := range m {
				parts = append(parts, findingTitle(code)+": "+fmt.Sprint(why))
			}
			sort.Strings(parts)
			return strings.Join(parts, "; ")
		}
	case "value":
		if s, ok := v.(string); ok && (s == "true" || s == "false") && known && isChoice(field) {
			if s == "true" {
				return "Ja"
			}
			return "Nej"
		}
	}
	switch x := v.(type) {
	case nil:
		return "–"
	case string:
		if x == "" {
			return "(tomt)"
		}
		return x
	case bool:
		if x {
			return "Ja"
		}
		return "Nej"
	case float64:
		return fmt.Sprintf("%g", x)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// editionField is the named field of edition t, the edition an event's
// document was read with; without t, or for a name t does not have (a
// field no edition prints, or an event from before the document's edition
// was recorded), the field of that name in the first built-in edition
// that has one.
func editionField(t *form.Template, name string) (form.Field, bool) {
	if t != nil {
		if f, ok := t.Field(name); ok {
			return f, true
		}
	}
	return builtinField(name)
}

// withSection is a field's label with its section, which tells apart
// fields with the same label ("E-postadress (Användare)").
func withSection(f form.Field) string {
	if f.Section == "" || f.Label == "" {
		return f.Label
	}
	return f.Label + " (" + f.Section + ")"
}

// isChoice reports whether f holds yes or no: a tick box, or a signature
// (there or not).
func isChoice(f form.Field) bool { return f.Type == form.TypeCheckbox || f.Type == form.TypeSignature }

func builtinField(name string) (form.Field, bool) {
	tmpls, err := form.LoadTemplates()
	if err != nil {
		return form.Field{}, false
	}
	kinds := make([]string, 0, len(tmpls))
	for k := range tmpls {
		kinds = append(kinds, string(k))
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		if f, ok := tmpls[form.Kind(k)].Field(name); ok {
			return f, true
		}
	}
	return form.Field{}, false
}

// byteSize writes a file size in Swedish units.
func byteSize(n float64) string {
	switch {
	case n >= 1<<20:
		return strings.Replace(fmt.Sprintf("%.1f MB", n/(1<<20)), ".", ",", 1)
	case n >= 1<<10:
		return strings.Replace(fmt.Sprintf("%.1f kB", n/(1<<10)), ".", ",", 1)
	}
	return fmt.Sprintf("%.0f byte", n)
}
