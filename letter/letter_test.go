package letter_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"

	"blankett/form"
	"blankett/letter"
	"blankett/pdfguard"
)

var update = flag.Bool("update", false, "rewrite the golden .txt and .png files in testdata/")

// Personnummer used in the fixtures; none may appear in any letter.
const (
	pnUser     = "198001019876"
	pnOrderer1 = "197512241234"
	pnOrderer2 = "196002294321"
)

var (
	received  = time.Date(2026, 2, 10, 8, 15, 0, 0, time.UTC)
	decidedAt = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	orgAddr   = letter.Address{Street: "Skolgatan 31 A", Postcode: "90184", Town: "Umeå"}
	replyBy   = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)

	arvidsjaur = []string{"Försäkringskassan", "Verksamhetsstöd", "Box 43", "933 21 Arvidsjaur"}
	stockholm  = []string{"Försäkringskassan", "SUS, Utvecklingsstyrning", "103 51 Stockholm"}
	sendTo     = map[form.Kind][]string{form.Kind9445: arvidsjaur, form.Kind9463: stockholm, form.KindAgreement: stockholm}
)

// withSendTo adds the forms' return addresses, as the caller takes them
// from the templates.
func withSendTo(f letter.Facts) letter.Facts {
	f.SendTo = sendTo
	return f
}

func fields(kv ...string) form.Fields {
	f := form.Fields{}
	for i := 0; i+1 < len(kv); i += 2 {
		typ := form.TypeText
		switch {
		case strings.HasSuffix(kv[i], "personnummer"):
			typ = form.TypePersonnummer
		case kv[i+1] == "true":
			typ = form.TypeCheckbox
		}
		f[kv[i]] = form.Value{Name: kv[i], Type: typ, Raw: kv[i+1], Value: kv[i+1], Confidence: 1}
	}
	return f
}

func doc9445(order string, extra ...string) form.Document {
	kv := append([]string{
		order, "true",
		"org_name", "Umeå kommun", "org_number", "212000-2627",
		"user_name", "Åsa Öberg", "user_personnummer", pnUser, "user_email", "asa.oberg@umea.se",
		"user_mobile", "+46701234567",
		"login_sms", "true",
		"role_insatsansvarig", "true", "role_deltagaransvarig", "true", "role_susrapport", "true",
		"orderer_name", "Per-Erik Ärlig", "orderer_phone", "+4690161000",
		"sign_place", "Umeå", "sign_date", "2026-02-05", "signature", "true", "signer_name", "Per-Erik Ärlig",
	}, extra...)
	return form.Document{ID: 11, Kind: form.Kind9445, Received: received, Fields: fields(kv...)}
}

func doc9463() form.Document {
	return form.Document{ID: 12, Kind: form.Kind9463, Received: received, Fields: fields(
		"org_name", "Samordningsförbundet Västra Södertörn", "org_number", "222000-1234",
		"orderer1_add", "true", "orderer1_name", "Renée Ek", "orderer1_personnummer", pnOrderer1,
		"orderer2_remove", "true", "orderer2_name", "Göran Ödman", "orderer2_personnummer", pnOrderer2,
		"orderer3_name", "", // empty row
		"sign_place", "Södertälje", "sign_date", "2026-02-01", "signature", "true",
		"signer_name", "Märta Åkesson", "signer_title", "Förbundschef",
	)}
}

func docAgreement() form.Document {
	return form.Document{ID: 13, Kind: form.KindAgreement, Received: received, Fields: fields(
		"org_name", "Region Jämtland Härjedalen", "org_number", "232100-0218",
		"org_address", "Box 654", "org_postcode", "83127", "org_town", "Östersund",
		"contact_name", "Jöns Ångström", "contact_title", "Utvecklingsledare",
		"signatory_name", "Lena Hägg", "signatory_title", "Regiondirektör",
		"part_sign_place", "Östersund", "part_sign_date", "2026-01-20", "part_signature", "true", "part_signer_name", "Lena Hägg",
		"fk_sign_place", "Arvidsjaur", "fk_sign_date", "2026-02-27", "fk_signature", "true", "fk_signer_name", "Karin Berg",
	)}
}

func finding(code, field, msg string) form.Finding {
	return form.Finding{Code: code, Severity: form.SeverityError, Field: field, Message: msg}
}

var (
	findingSMS = finding("SMS_MOBILE_INVALID", "user_mobile",
		"Det angivna mobilnumret är ett fast telefonnummer. När inloggning med SMS väljs måste ett mobilnummer (07x-xxx xx xx) anges; ett fast nummer räcker inte.")
	findingConflict = finding("ROLE_CONFLICT_SAMVERKAN_DELTAGARE", "role_deltagaransvarig",
		"Rollerna Samverkansadministratör och Deltagaransvarig kan inte kombineras. Välj en av dem.")
	findingOrderer = finding("ORDERER_NOT_REGISTERED", "orderer_name",
		"Beställaren Per-Erik Ärlig är inte registrerad som behörig beställare för organisationen den dag beställningen kom in. En beställning kan bara göras av en beställare som har fått en bekräftelse på sin registrering. Organisationen anmäler beställare på blankett 9463 Anmälan behörig beställare i SUS.")
	findingNoAgreement = finding("AGREEMENT_NOT_IN_FORCE", "org_number",
		"Organisationen har ingen gällande överenskommelse med Försäkringskassan om uppföljningssystemet SUS. Organisationen behöver först teckna en överenskommelse; därefter kan beställare registreras och behörigheter beställas.")
	findingSignatory = finding("SIGNATORY_UNKNOWN", "signer_name",
		"Märta Åkesson finns inte registrerad som firmatecknare för organisationen den dag handlingen undertecknades. Behörigheten att teckna för organisationen behöver styrkas, till exempel med ett utdrag ur ett beslut om delegation eller firmateckning.")
	findingSignature = finding("SIGNATURE_MISSING", "part_signature",
		"Blanketten är inte undertecknad. Den ska skrivas under av en behörig firmatecknare.")
	warningOtherOrg = form.Finding{Code: "USER_OTHER_ORG", Severity: form.SeverityWarning, Field: "org_number",
		Message: "Användaren är registrerad som användare i en annan organisation."}
)

func approved() letter.Decision {
	return letter.Decision{Outcome: form.StateApproved, DecidedAt: decidedAt, Reference: "SUS-2026-000123"}
}

func rejected(reason string, completion bool) letter.Decision {
	d := letter.Decision{Outcome: form.StateRejected, Reason: reason, RequestCompletion: completion,
		DecidedAt: decidedAt, Reference: "SUS-2026-000124"}
	if completion {
		d.ReplyBy = replyBy
	}
	return d
}

// want is what one letter must say.
type want struct {
	kind, key string
	recipient []string // address block lines
	says      []string // phrases in the body (whitespace-normalised)
	pdf       []string // phrases only the rendered letter has
	not       []string
	from      []string // the return address in the letterhead
	noAddress bool     // Render refuses the letter: ErrNoAddress
}

type situation struct {
	name     string
	doc      form.Document
	findings []form.Finding
	decision letter.Decision
	facts    letter.Facts
	want     []want
}

func situations() []situation {
	return []situation{
		{
			name: "9445 new user approved", doc: doc9445("order_new"), decision: approved(),
			facts: withSendTo(letter.Facts{OrgAddress: orgAddr}),
			want: []want{{
				kind: letter.Kind9445ApprovedOrderer, key: letter.RecipientOrderer, from: arvidsjaur,
				recipient: []string{"Umeå kommun", "Att: Per-Erik Ärlig", "Skolgatan 31 A", "901 84  UMEÅ"},
				says: []string{"Bekräftelse: behörighet till SUS för Åsa Öberg", "Vi har tagit emot din beställning",
					"vid Umeå kommun den 10 februari 2026.", "Insatsansvarig", "Deltagaransvarig", "SUSRapport",
					"SMS-inloggning (koden skickas till 070-123 45 67)",
					"Rollerna Insatsansvarig och Deltagaransvarig kräver också ett uppdrag i SUS"},
			}, {
				kind: letter.Kind9445ApprovedUser, key: letter.RecipientUser, from: arvidsjaur,
				recipient: []string{"Umeå kommun", "Att: Åsa Öberg", "Skolgatan 31 A", "901 84  UMEÅ"},
				says: []string{"Du har fått behörighet till SUS", "Umeå kommun har beställt behörighet",
					"du kan logga in i SUS", "Insatsansvarig", "Deltagaransvarig", "SUSRapport",
					"Ditt inloggningssätt: SMS-inloggning", "behöver du också ett uppdrag i SUS",
					"Beställningen gjordes av Per-Erik Ärlig"},
			}},
		},
		{
			name: "9445 change approved without a known address", decision: approved(), facts: withSendTo(letter.Facts{}),
			doc: doc9445("order_change", "role_deltagaransvarig", "false", "role_samverkansadministrator", "true",
				"login_sms", "false", "login_bankid", "true"),
			want: []want{{
				kind: letter.Kind9445ApprovedOrderer, key: letter.RecipientOrderer, noAddress: true,
				recipient: []string{"Umeå kommun", "Att: Per-Erik Ärlig"},
				says: []string{"ändrad behörighet till SUS för Åsa Öberg", "Samverkansadministratör",
					"Från och med den 2 mars 2026 har Åsa Öberg följande behörighetsroller", "Inloggning: BankID"},
				not: []string{"Deltagaransvarig"},
			}, {
				kind: letter.Kind9445ApprovedUser, key: letter.RecipientUser, noAddress: true,
				recipient: []string{"Umeå kommun", "Att: Åsa Öberg"},
				says:      []string{"Din behörighet till SUS är ändrad", "Samverkansadministratör", "BankID"},
			}},
		},
		{
			name: "9445 removal approved", decision: approved(), facts: withSendTo(letter.Facts{OrgAddress: orgAddr}),
			doc: doc9445("order_remove"),
			want: []want{{
				kind: letter.Kind9445RemovedOrderer, key: letter.RecipientOrderer, from: arvidsjaur,
				says: []string{"behörigheten till SUS är borttagen för Åsa Öberg", "borttagen från och med den 2 mars 2026"},
				not:  []string{"Insatsansvarig"},
			}, {
				kind: letter.Kind9445RemovedUser, key: letter.RecipientUser, from: arvidsjaur,
				says: []string{"Din behörighet till SUS är borttagen", "du kan inte längre logga in i SUS för Umeå kommun"},
			}},
		},
		{
			name: "9463 approved: one added, one removed", doc: doc9463(), decision: approved(),
			facts: withSendTo(letter.Facts{OrgAddress: orgAddr, OrdererValidTo: map[int]time.Time{1: time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC)}}),
			want: []want{{
				kind: letter.Kind9463OrdererAdded, key: "orderer:1", from: stockholm,
				recipient: []string{"Samordningsförbundet Västra Södertörn", "Att: Renée Ek", "Skolgatan 31 A", "901 84  UMEÅ"},
				says: []string{"Du är registrerad som behörig beställare i SUS",
					"Märta Åkesson har för Samordningsförbundet Västra Södertörn anmält dig",
					"Vi har tagit emot anmälan den 10 februari 2026. Du är nu registrerad",
					"Registreringen gäller till och med den 1 mars 2028", "högst två år", "blankett 9445"},
				not: []string{"Arvidsjaur"},
			}, {
				kind: letter.Kind9463OrdererRemoved, key: "orderer:2", from: stockholm,
				recipient: []string{"Samordningsförbundet Västra Södertörn", "Att: Göran Ödman", "Skolgatan 31 A", "901 84  UMEÅ"},
				says: []string{"Du är inte längre behörig beställare i SUS",
					"Vi har tagit emot anmälan den 10 februari 2026. Ändringen är nu registrerad.",
					"Från och med den 2 mars 2026 kan du inte beställa"},
				not: []string{"Arvidsjaur"},
			}},
		},
		{
			name: "agreement approved", doc: docAgreement(), decision: approved(), facts: withSendTo(letter.Facts{}),
			want: []want{{
				kind: letter.KindAgreementInForce, key: letter.RecipientContact, from: stockholm,
				recipient: []string{"Region Jämtland Härjedalen", "Att: Jöns Ångström", "Box 654", "831 27  ÖSTERSUND"},
				says: []string{"Överenskommelsen om uppföljningssystemet SUS gäller nu",
					"undertecknad av Region Jämtland Härjedalen den 10 februari 2026. Nu har också Försäkringskassan undertecknat den.",
					"gäller från och med den 27 februari 2026 och tills vidare", "Här får ni ert exemplar av överenskommelsen",
					"undertecknad av Försäkringskassan", "blankett 9463"},
				pdf: []string{"Bilaga Överenskommelse avseende uppföljningssystemet SUS, undertecknad av Försäkringskassan"},
				not: []string{"Arvidsjaur", "blanketten", "prövar vi nu"},
			}},
		},
		{
			name: "agreement approved, its 9463 waiting", doc: docAgreement(), decision: approved(),
			facts: withSendTo(letter.Facts{OrdererFormWaiting: true}),
			want: []want{{
				kind: letter.KindAgreementInForce, key: letter.RecipientContact, from: stockholm,
				says: []string{"Anmälan av behöriga beställare på blankett 9463 som ni skickade tillsammans med överenskommelsen prövar vi nu."},
				not:  []string{"Nästa steg är att anmäla behöriga beställare"},
			}},
		},
		{
			name: "9445 rejected", doc: doc9445("order_new"), decision: rejected("", false),
			findings: []form.Finding{findingSMS, findingConflict, warningOtherOrg, findingOrderer},
			facts:    withSendTo(letter.Facts{OrgAddress: orgAddr}),
			want: []want{{
				kind: letter.Kind9445Rejected, key: letter.RecipientSender, from: arvidsjaur,
				recipient: []string{"Umeå kommun", "Att: Per-Erik Ärlig", "Skolgatan 31 A", "901 84  UMEÅ"},
				says: []string{"Vi kan inte registrera beställningen av behörighet till SUS för Åsa Öberg",
					findingSMS.Message, findingConflict.Message, findingOrderer.Message,
					"Skicka en ny blankett 9445 Beställning användare i SUS",
					"Vänta med att skicka den nya beställningen tills beställaren har fått en bekräftelse",
					"Skicka blanketten till: Försäkringskassan Verksamhetsstöd Box 43 933 21 Arvidsjaur"},
				not: []string{warningOtherOrg.Message, "senast den"},
			}},
		},
		{
			name: "9445 completion requested", doc: doc9445("order_new"),
			decision: rejected("Mobilnumret går inte att läsa.", true),
			findings: []form.Finding{findingSMS}, facts: withSendTo(letter.Facts{OrgAddress: orgAddr}),
			want: []want{{
				kind: letter.Kind9445Incomplete, key: letter.RecipientSender, from: arvidsjaur,
				says: []string{"Beställningen av behörighet till SUS för Åsa Öberg behöver kompletteras",
					"Innan vi kan registrera den behöver ni rätta eller komplettera följande", findingSMS.Message,
					"Kommentar från handläggaren: Mobilnumret går inte att läsa.", "vårt diarienummer SUS-2026-000124",
					"Vi behöver kompletteringen senast den 1 april 2026.", "prövar vi blanketten på nytt",
					"avslutar vi ärendet"},
			}},
		},
		{
			name: "9445 without agreement", doc: doc9445("order_new"), decision: rejected("", false),
			findings: []form.Finding{findingNoAgreement, findingOrderer, findingSMS},
			facts:    withSendTo(letter.Facts{OrgAddress: orgAddr}),
			want: []want{{
				kind: letter.Kind9445NoAgreement, key: letter.RecipientSender, from: arvidsjaur,
				says: []string{"Umeå kommun behöver först teckna en överenskommelse om SUS",
					"inte har någon gällande överenskommelse med Försäkringskassan",
					"i två exemplar. Skicka båda exemplaren till: Försäkringskassan SUS, Utvecklingsstyrning 103 51 Stockholm",
					"blankett 9463", findingSMS.Message},
				not: []string{findingOrderer.Message, findingNoAgreement.Message},
			}},
		},
		{
			name: "9463 without agreement (registry fact)", doc: doc9463(), decision: rejected("", false),
			facts: withSendTo(letter.Facts{NoAgreement: true, OrgAddress: orgAddr}),
			want: []want{{
				kind: letter.Kind9463NoAgreement, key: letter.RecipientSender, from: stockholm,
				recipient: []string{"Samordningsförbundet Västra Södertörn", "Att: Märta Åkesson", "Skolgatan 31 A", "901 84  UMEÅ"},
				says: []string{"Samordningsförbundet Västra Södertörn behöver först teckna en överenskommelse",
					"Försäkringskassan SUS, Utvecklingsstyrning 103 51 Stockholm",
					"Skicka gärna en ny anmälan av behöriga beställare på blankett 9463 i samma kuvert som överenskommelsen"},
				not: []string{"Arvidsjaur"},
			}},
		},
		{
			name: "9463 rejected: signatory unknown", doc: doc9463(), decision: rejected("", false),
			findings: []form.Finding{findingSignatory}, facts: withSendTo(letter.Facts{OrgAddress: orgAddr}),
			want: []want{{
				kind: letter.Kind9463Rejected, key: letter.RecipientSender, from: stockholm,
				says: []string{"Vi kan inte registrera anmälan av behöriga beställare i SUS", findingSignatory.Message,
					"underskriven av en firmatecknare", "Bifoga en handling som visar",
					"Skicka blanketten till: Försäkringskassan SUS, Utvecklingsstyrning 103 51 Stockholm"},
				not: []string{"Arvidsjaur"},
			}},
		},
		{
			name: "9463 completion requested", doc: doc9463(), decision: rejected("Rad 2 saknar uppgift om vad som ska göras.", true),
			facts: withSendTo(letter.Facts{OrgAddress: orgAddr}),
			want: []want{{
				kind: letter.Kind9463Incomplete, key: letter.RecipientSender, from: stockholm,
				says: []string{"Anmälan av behöriga beställare i SUS behöver kompletteras", "Rad 2 saknar uppgift om vad som ska göras.",
					"senast den 1 april 2026"},
				not: []string{"Arvidsjaur"},
			}},
		},
		{
			name: "agreement rejected", doc: docAgreement(), decision: rejected("", false),
			findings: []form.Finding{findingSignature}, facts: withSendTo(letter.Facts{}),
			want: []want{{
				kind: letter.KindAgreementRejected, key: letter.RecipientSender, from: stockholm,
				recipient: []string{"Region Jämtland Härjedalen", "Att: Jöns Ångström", "Box 654", "831 27  ÖSTERSUND"},
				says: []string{"Vi kan inte registrera överenskommelsen om uppföljningssystemet SUS", findingSignature.Message,
					"Skicka överenskommelsen på nytt i två exemplar",
					"Skicka överenskommelsen till: Försäkringskassan SUS, Utvecklingsstyrning 103 51 Stockholm"},
				not: []string{"Arvidsjaur", "Skicka blanketten"},
			}},
		},
		{
			name: "agreement completion requested", doc: docAgreement(), decision: rejected("", true),
			findings: []form.Finding{findingSignature}, facts: withSendTo(letter.Facts{}),
			want: []want{{
				kind: letter.KindAgreementIncomplete, key: letter.RecipientSender, from: stockholm,
				says: []string{"Överenskommelsen om uppföljningssystemet SUS behöver kompletteras", findingSignature.Message,
					"senast den 1 april 2026", "prövar vi överenskommelsen på nytt", "en ny överenskommelse"},
				not: []string{"Arvidsjaur", "blanketten", "Blanketten räcker"},
			}},
		},
	}
}

var allKinds = []string{
	letter.Kind9445ApprovedOrderer, letter.Kind9445ApprovedUser, letter.Kind9445RemovedOrderer, letter.Kind9445RemovedUser,
	letter.Kind9463OrdererAdded, letter.Kind9463OrdererRemoved, letter.KindAgreementInForce,
	letter.Kind9445Rejected, letter.Kind9445Incomplete, letter.Kind9445NoAgreement,
	letter.Kind9463Rejected, letter.Kind9463Incomplete, letter.Kind9463NoAgreement,
	letter.KindAgreementRejected, letter.KindAgreementIncomplete,
}

// needTool finds a poppler tool: CI must have it; elsewhere the test skips.
func needTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not installed (poppler-utils)", name)
		}
		t.Skipf("%s not installed (poppler-utils)", name)
	}
	return p
}

// pdfText extracts a PDF's text with pdftotext -layout.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	tool := needTool(t, "pdftotext")
	cmd := exec.Command(tool, "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v: %s", err, stderr.String())
	}
	return string(out)
}

var space = regexp.MustCompile(`\s+`)

func squash(s string) string { return strings.TrimSpace(space.ReplaceAllString(s, " ")) }

// forbidden lists every spelling of the fixtures' personnummer.
func forbidden() []string {
	var out []string
	for _, pn := range []string{pnUser, pnOrderer1, pnOrderer2} {
		out = append(out, pn, pn[:8]+"-"+pn[8:], pn[2:8]+"-"+pn[8:], pn[2:])
	}
	return out
}

func TestCompose(t *testing.T) {
	t.Parallel()
	for _, s := range situations() {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			ls, err := letter.Compose(s.doc, s.findings, s.decision, s.facts)
			if err != nil {
				t.Fatal(err)
			}
			if len(ls) != len(s.want) {
				t.Fatalf("got %d letters, want %d: %+v", len(ls), len(s.want), ls)
			}
			for i, w := range s.want {
				l := ls[i]
				if l.Kind != w.kind || l.RecipientKey != w.key {
					t.Errorf("letter %d: kind %q key %q, want %q %q", i, l.Kind, l.RecipientKey, w.kind, w.key)
				}
				if w.recipient != nil && !slices.Equal(l.Recipient.Lines(), w.recipient) {
					t.Errorf("letter %d: address %q, want %q", i, l.Recipient.Lines(), w.recipient)
				}
				if l.Recipient.Complete() == w.noAddress {
					t.Errorf("letter %d: address %q complete = %v", i, l.Recipient.Lines(), l.Recipient.Complete())
				}
				if !slices.Equal(l.ReturnAddress, sendTo[s.doc.Kind]) {
					t.Errorf("letter %d: return address %q, want the %s form's %q", i, l.ReturnAddress, s.doc.Kind, sendTo[s.doc.Kind])
				}
				if l.Date.Format(time.DateOnly) != "2026-03-02" || l.Reference != s.decision.Reference {
					t.Errorf("letter %d: date %v reference %q", i, l.Date, l.Reference)
				}
				body := squash(l.Heading + " " + strings.Join(l.Paragraphs, " ") + " " + strings.Join(l.Enclosures, " "))
				for _, p := range w.says {
					if !strings.Contains(body, squash(p)) {
						t.Errorf("letter %d (%s) does not say %q:\n%s", i, l.Kind, p, body)
					}
				}
				for _, p := range w.not {
					if strings.Contains(body, squash(p)) {
						t.Errorf("letter %d (%s) says %q", i, l.Kind, p)
					}
				}
			}
		})
	}
}

// TestRender renders every situation's letters, reads the text back with
// pdftotext and compares it with the golden text per letter kind; with
// -update it rewrites the text and a PNG (pdftoppm -r 60) per kind for a
// person to look at.
func TestRender(t *testing.T) {
	t.Parallel()
	needTool(t, "pdftotext")
	sender := letter.DefaultSender()
	seen := map[string]bool{}
	for _, s := range situations() {
		ls, err := letter.Compose(s.doc, s.findings, s.decision, s.facts)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		for i, l := range ls {
			w := s.want[i]
			pdf, err := letter.Render(l, sender)
			if w.noAddress {
				if !errors.Is(err, letter.ErrNoAddress) || pdf != nil {
					t.Errorf("%s: render %s without an address: err %v, %d bytes; want ErrNoAddress", s.name, l.Kind, err, len(pdf))
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: render %s: %v", s.name, l.Kind, err)
			}
			again, err := letter.Render(l, sender)
			if err != nil || !bytes.Equal(pdf, again) {
				t.Fatalf("%s: render %s is not deterministic (err %v)", s.name, l.Kind, err)
			}
			text := pdfText(t, pdf)
			flat := squash(text)
			for _, p := range append(append([]string{l.Heading, "2026-03-02", s.decision.Reference,
				"Vårt diarienummer", "Med vänliga hälsningar", "Försäkringskassan",
				"Har du frågor är du välkommen att kontakta Försäkringskassans kundcenter för partner på telefon 0771-17 90 00.",
				"sida 1 av", strings.Join(w.from[1:], " ")}, w.says...), append(w.recipient, w.pdf...)...) {
				if !strings.Contains(flat, squash(p)) {
					t.Errorf("%s: PDF of %s lacks %q:\n%s", s.name, l.Kind, p, text)
				}
			}
			for _, p := range w.not {
				if strings.Contains(flat, squash(p)) {
					t.Errorf("%s: PDF of %s says %q", s.name, l.Kind, p)
				}
			}
			for _, iso := range []string{"2026-02-10", "2026-02-27", "2028-03-01", "2026-04-01"} {
				if strings.Contains(flat, iso) {
					t.Errorf("%s: PDF of %s writes a date as %s in running text", s.name, l.Kind, iso)
				}
			}
			for _, pn := range forbidden() {
				if strings.Contains(strings.ReplaceAll(flat, " ", ""), pn) {
					t.Errorf("%s: PDF of %s shows personnummer %s", s.name, l.Kind, pn)
				}
			}
			if strings.Contains(text, "\uFFFD") {
				t.Errorf("%s: PDF of %s has replacement characters", s.name, l.Kind)
			}
			if seen[l.Kind] {
				continue
			}
			seen[l.Kind] = true
			golden(t, l.Kind, pdf, text)
		}
	}
	for _, k := range allKinds {
		if !seen[k] {
			t.Errorf("no situation makes a %s letter", k)
		}
	}
}

func golden(t *testing.T, kind string, pdf []byte, text string) {
	t.Helper()
	txt := filepath.Join("testdata", kind+".txt")
	if *update {
		if err := os.WriteFile(txt, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		tool := needTool(t, "pdftoppm")
		dir := t.TempDir()
		in := filepath.Join(dir, "letter.pdf")
		if err := os.WriteFile(in, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		// One PNG a page: kind.png, kind-p2.png, …
		out, err := exec.Command(tool, "-r", "60", "-png", in, filepath.Join(dir, "page")).CombinedOutput()
		if err != nil {
			t.Fatalf("pdftoppm: %v: %s", err, out)
		}
		pngs, _ := filepath.Glob(filepath.Join(dir, "page-*.png"))
		old, _ := filepath.Glob(filepath.Join("testdata", kind+"-p*.png"))
		for _, f := range old {
			os.Remove(f)
		}
		slices.Sort(pngs)
		for i, f := range pngs {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			name := kind + ".png"
			if i > 0 {
				name = fmt.Sprintf("%s-p%d.png", kind, i+1)
			}
			if err := os.WriteFile(filepath.Join("testdata", name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	want, err := os.ReadFile(txt)
	if err != nil {
		t.Fatalf("%v (run go test ./letter -run TestRender -update)", err)
	}
	if string(want) != text {
		t.Errorf("%s: text differs from %s (run with -update after checking the PNG):\n--- got\n%s\n--- want\n%s", kind, txt, text, want)
	}
}

func TestRenderLongLetterBreaksPages(t *testing.T) {
	t.Parallel()
	var fs []form.Finding
	for i := 1; i <= 30; i++ {
		fs = append(fs, finding(fmt.Sprintf("TEST_%d", i), "", fmt.Sprintf("Brist nummer %d: uppgiften i fält %d är ofullständig och behöver rättas innan blanketten kan registreras av Försäkringskassan.", i, i)))
	}
	ls, err := letter.Compose(doc9445("order_new"), fs, rejected("", false), withSendTo(letter.Facts{OrgAddress: orgAddr}))
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := letter.Render(ls[0], letter.DefaultSender())
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	pages := strings.Split(strings.TrimRight(text, "\f\n"), "\f")
	if len(pages) < 2 {
		t.Fatalf("a letter with 30 findings has %d page(s)", len(pages))
	}
	for i, p := range pages {
		mark := fmt.Sprintf("sida %d av %d", i+1, len(pages))
		if !strings.Contains(p, mark) || !strings.Contains(p, "SUS-2026-000124") || !strings.Contains(p, "Telefon 0771-17 90 00") {
			t.Errorf("page %d lacks %q, the reference or the footer:\n%s", i+1, mark, p)
		}
	}
	flat := squash(text)
	for i := 1; i <= 30; i++ {
		if !strings.Contains(flat, fmt.Sprintf("Brist nummer %d: uppgiften i fält %d", i, i)) {
			t.Errorf("finding %d missing", i)
		}
	}
	last := squash(pages[len(pages)-1])
	if !strings.Contains(last, "Med vänliga hälsningar") {
		t.Error("the closing is not on the last page")
	}
	// The closing never stands alone: the last paragraph and the contact
	// line come with it.
	if !strings.Contains(last, "Blanketterna finns på www.susam.se. Har du frågor") {
		t.Errorf("the closing's page lacks the last paragraph:\n%s", pages[len(pages)-1])
	}
}

func TestComposeNeverShowsPersonnummer(t *testing.T) {
	t.Parallel()
	d := rejected("Personnummer 800101-9876 och 19750101-1234 stämmer inte med 19800101 9876.", false)
	msg := finding("PERSONNUMMER_INVALID", "user_personnummer", "Personnumret "+pnUser+" är inte giltigt.")
	doc := doc9445("order_new", "user_name", "Åsa Öberg "+pnUser)
	ls, err := letter.Compose(doc, []form.Finding{msg}, d, withSendTo(letter.Facts{}))
	if err != nil {
		t.Fatal(err)
	}
	all := ls[0].Heading + strings.Join(ls[0].Paragraphs, " ") + strings.Join(ls[0].Recipient.Lines(), " ")
	for _, pn := range append(forbidden(), "800101-9876", "19750101-1234", "19800101 9876") {
		if strings.Contains(all, pn) {
			t.Errorf("letter shows %s:\n%s", pn, all)
		}
	}
	// Org numbers and dates are not personnummer.
	doc = doc9445("order_new")
	ls, err = letter.Compose(doc, nil, rejected("Organisationsnummer 212000-2627 enligt beslut 2026-01-15.", false), withSendTo(letter.Facts{}))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(ls[0].Paragraphs, " "), "212000-2627 enligt beslut 2026-01-15") {
		t.Errorf("org number or date masked: %q", ls[0].Paragraphs)
	}
}

func TestComposeDatesInSwedishTime(t *testing.T) {
	t.Parallel()
	d := approved()
	d.DecidedAt = time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC) // 00:30 on 2 March in Stockholm
	ls, err := letter.Compose(doc9463(), nil, d, withSendTo(letter.Facts{}))
	if err != nil {
		t.Fatal(err)
	}
	if got := ls[0].Date.Format(time.DateOnly); got != "2026-03-02" {
		t.Errorf("letter date %s, want 2026-03-02", got)
	}
	// Without the registry's date, an added orderer is valid two years
	// less a day from the decision day.
	if p := strings.Join(ls[0].Paragraphs, " "); !strings.Contains(p, "till och med den 1 mars 2028") {
		t.Errorf("fallback validity missing: %s", p)
	}
}

func TestComposeRefuses(t *testing.T) {
	t.Parallel()
	noDate := docAgreement()
	delete(noDate.Fields, "fk_sign_date")
	unknown := doc9445("order_new")
	unknown.Kind = "1234"
	noReplyBy := rejected("", true)
	noReplyBy.ReplyBy = time.Time{}
	only9445 := letter.Facts{SendTo: map[form.Kind][]string{form.Kind9445: arvidsjaur}}
	for name, tc := range map[string]struct {
		doc   form.Document
		d     letter.Decision
		facts letter.Facts
	}{
		"agreement without a date of entry into force": {noDate, approved(), withSendTo(letter.Facts{})},
		"unknown kind approved":                        {unknown, approved(), withSendTo(letter.Facts{})},
		"unknown kind rejected":                        {unknown, rejected("", false), withSendTo(letter.Facts{})},
		"outcome not decided":                          {doc9445("order_new"), letter.Decision{Outcome: form.StateNeedsReview, DecidedAt: decidedAt}, withSendTo(letter.Facts{})},
		"decision without time":                        {doc9445("order_new"), letter.Decision{Outcome: form.StateApproved}, withSendTo(letter.Facts{})},
		"completion without a reply-by day":            {doc9445("order_new"), noReplyBy, withSendTo(letter.Facts{})},
		"no return address for the form":               {doc9463(), approved(), only9445},
		"no return address for the agreement":          {doc9445("order_new"), rejected("", false), letter.Facts{SendTo: only9445.SendTo, NoAgreement: true}},
	} {
		if _, err := letter.Compose(tc.doc, nil, tc.d, tc.facts); !errors.Is(err, letter.ErrNothingToWrite) {
			t.Errorf("%s: err %v, want ErrNothingToWrite", name, err)
		}
	}
	// An approved 9463 naming nobody has no one to write to.
	empty := doc9463()
	for k := range empty.Fields {
		if strings.HasPrefix(k, "orderer") {
			delete(empty.Fields, k)
		}
	}
	if ls, err := letter.Compose(empty, nil, approved(), withSendTo(letter.Facts{})); err != nil || len(ls) != 0 {
		t.Errorf("empty 9463: %d letters, err %v", len(ls), err)
	}
}

func TestMerge(t *testing.T) {
	t.Parallel()
	ls, err := letter.Compose(doc9445("order_new"), nil, approved(), withSendTo(letter.Facts{OrgAddress: orgAddr}))
	if err != nil {
		t.Fatal(err)
	}
	var pdfs [][]byte
	for _, l := range ls {
		b, err := letter.Render(l, letter.DefaultSender())
		if err != nil {
			t.Fatal(err)
		}
		pdfs = append(pdfs, b)
	}
	merged, err := letter.Merge(pdfs)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, merged)
	pages := strings.Split(strings.TrimRight(text, "\f\n"), "\f")
	if len(pages) != 2 || !strings.Contains(pages[0], ls[0].Heading) || !strings.Contains(pages[1], ls[1].Heading) {
		t.Fatalf("merged batch: %d pages:\n%s", len(pages), text)
	}
	if _, err := letter.Merge([][]byte{pdfs[0], []byte("%PDF-1.7\nnot a pdf at all")}); !errors.Is(err, letter.ErrPDF) {
		t.Errorf("merge with a broken PDF: %v, want ErrPDF", err)
	}
	if _, err := letter.Merge(nil); err == nil {
		t.Error("merge of nothing succeeded")
	}
}

// tool runs a poppler tool on pdf and returns its output.
func tool(t *testing.T, pdf []byte, name string, args ...string) string {
	t.Helper()
	path := needTool(t, name)
	in := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(path, append(args, in)...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v: %s", name, err, out)
	}
	return string(out)
}

// checkPDFA checks what poppler can see of PDF/A-2b: every font embedded
// (pdffonts), the identification in the XMP metadata and the output
// intent (pdfinfo -meta), and no complaint from either tool.
func checkPDFA(t *testing.T, pdf []byte) {
	t.Helper()
	fonts := tool(t, pdf, "pdffonts")
	rows := strings.Split(strings.TrimSpace(fonts), "\n")
	if len(rows) < 3 {
		t.Fatalf("pdffonts lists no font:\n%s", fonts)
	}
	for _, row := range rows[2:] {
		// name type encoding emb sub uni object ID
		f := strings.Fields(row)
		if len(f) < 7 || f[len(f)-5] != "yes" || f[len(f)-3] != "yes" {
			t.Errorf("font not embedded or without a ToUnicode map: %q\n%s", row, fonts)
		}
	}
	meta := tool(t, pdf, "pdfinfo", "-meta")
	for _, want := range []string{"<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>", "<pdf:Producer>Blankett</pdf:Producer>"} {
		if !strings.Contains(meta, want) {
			t.Errorf("pdfinfo -meta lacks %q:\n%s", want, meta)
		}
	}
	// The XMP packet is well-formed XML.
	dec := xml.NewDecoder(strings.NewReader(meta))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Errorf("XMP metadata is not well-formed XML: %v", err)
			break
		}
	}
	info := tool(t, pdf, "pdfinfo")
	for _, want := range []string{"Producer: Blankett", "Author: Försäkringskassan", "Metadata Stream: yes", "Encrypted: no", "PDF version: 1.7"} {
		if !strings.Contains(squash(info), want) {
			t.Errorf("pdfinfo lacks %q:\n%s", want, info)
		}
	}
	if strings.Contains(strings.ToLower(meta+fonts+info), "error") {
		t.Errorf("poppler complains:\n%s\n%s", fonts, meta)
	}
	for _, want := range []string{"/OutputIntents", "/GTS_PDFA1", "/DestOutputProfile", "/Metadata", "/ID [<"} {
		if !bytes.Contains(pdf, []byte(want)) {
			t.Errorf("PDF lacks %s", want)
		}
	}
	if bytes.Contains(pdf, []byte("/Encrypt")) || bytes.Contains(pdf, []byte("/JavaScript")) || bytes.Contains(pdf, []byte("/EmbeddedFiles")) {
		t.Error("PDF has encryption, JavaScript or embedded files")
	}
	// pdfcpu's validation of the PDF structure. Relaxed: strict mode wants
	// a /FontFamily in every font descriptor, which PDF 1.7 makes optional
	// (and fpdf leaves out).
	// pdfguard's configuration is relaxed already, and sets pdfcpu's
	// global config folder once: parallel tests setting it each race.
	if err := api.Validate(bytes.NewReader(pdf), pdfguard.Config()); err != nil {
		t.Errorf("pdfcpu validation: %v", err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")) {
		t.Errorf("header %q lacks the binary comment line", pdf[:min(len(pdf), 20)])
	}
}

func TestRenderIsPDFA(t *testing.T) {
	t.Parallel()
	doc := doc9445("order_new", "user_name", "Åsa Öberg-Müller", "org_name", "Café Ärlig & Söner i Umeå")
	ls, err := letter.Compose(doc, nil, approved(), withSendTo(letter.Facts{OrgAddress: orgAddr}))
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := letter.Render(ls[1], letter.DefaultSender())
	if err != nil {
		t.Fatal(err)
	}
	checkPDFA(t, pdf)
	// The text copies out as it was written: å ä ö é ü and the rest.
	text := squash(pdfText(t, pdf))
	for _, want := range []string{"Café Ärlig & Söner i Umeå", "Att: Åsa Öberg-Müller", "Du har fått behörighet till SUS",
		"901 84 UMEÅ", "Försäkringskassan", "vänliga hälsningar", "• Insatsansvarig"} {
		if !strings.Contains(text, want) {
			t.Errorf("pdftotext lacks %q:\n%s", want, text)
		}
	}
}

func TestRenderRefusesWithoutAddress(t *testing.T) {
	t.Parallel()
	for name, a := range map[string]letter.Address{
		"nothing":      {Name: "Åsa Öberg", Organisation: "Umeå kommun"},
		"no street":    {Name: "Åsa Öberg", Organisation: "Umeå kommun", Postcode: "90184", Town: "Umeå"},
		"no postcode":  {Name: "Åsa Öberg", Organisation: "Umeå kommun", Street: "Skolgatan 31 A", Town: "Umeå"},
		"bad postcode": {Name: "Åsa Öberg", Organisation: "Umeå kommun", Street: "Skolgatan 31 A", Postcode: "9018", Town: "Umeå"},
		"no town":      {Name: "Åsa Öberg", Organisation: "Umeå kommun", Street: "Skolgatan 31 A", Postcode: "90184"},
	} {
		l := letter.Letter{Kind: letter.Kind9445ApprovedUser, RecipientKey: letter.RecipientUser, Recipient: a,
			Date: decidedAt, Heading: "Rubrik", Paragraphs: []string{"Text."}, ReturnAddress: arvidsjaur}
		if pdf, err := letter.Render(l, letter.DefaultSender()); !errors.Is(err, letter.ErrNoAddress) || pdf != nil {
			t.Errorf("%s: err %v, want ErrNoAddress", name, err)
		}
		if a.Complete() {
			t.Errorf("%s: Complete() = true", name)
		}
	}
	if !orgAddr.Complete() {
		t.Error("a full address is not complete")
	}
}

func TestRenderInForce(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	list := letter.InForceList{Date: day, ReturnAddress: stockholm}
	for i := range 70 {
		list.Rows = append(list.Rows, letter.InForceRow{
			Organisation: fmt.Sprintf("Samordningsförbundet Östra Göinge och Höör nummer %d med ett långt namn som bryts", i+1),
			OrgNumber:    fmt.Sprintf("2220%02d-1234", i), Since: time.Date(2025, 1, 1+i%28, 0, 0, 0, 0, time.UTC)})
	}
	list.Rows[0] = letter.InForceRow{Organisation: "Region Jämtland Härjedalen", OrgNumber: "232100-0218", Since: time.Date(2026, 2, 27, 0, 0, 0, 0, time.UTC)}
	pdf, err := letter.RenderInForce(list, letter.DefaultSender())
	if err != nil {
		t.Fatal(err)
	}
	checkPDFA(t, pdf)
	text := pdfText(t, pdf)
	pages := strings.Split(strings.TrimRight(text, "\f\n"), "\f")
	if len(pages) < 2 {
		t.Fatalf("70 rows on %d page(s)", len(pages))
	}
	for i, p := range pages {
		if !strings.Contains(p, "Organisationsnummer") || !strings.Contains(p, fmt.Sprintf("sida %d av %d", i+1, len(pages))) {
			t.Errorf("page %d lacks the header row or its number:\n%s", i+1, p)
		}
	}
	flat := squash(text)
	for _, want := range []string{"Organisationer med gällande överenskommelse om SUS",
		"Den 2 november 2026 hade 70 organisationer en gällande överenskommelse med Försäkringskassan",
		"Region Jämtland Härjedalen 232100-0218 2026-02-27", "SUS, Utvecklingsstyrning"} {
		if !strings.Contains(flat, want) {
			t.Errorf("list lacks %q:\n%s", want, text)
		}
	}
	for i := range 70 {
		if !strings.Contains(flat, fmt.Sprintf("2220%02d-1234", i)) && i > 0 {
			t.Errorf("row %d missing", i+1)
		}
	}
	empty, err := letter.RenderInForce(letter.InForceList{Date: day, ReturnAddress: stockholm}, letter.DefaultSender())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(squash(pdfText(t, empty)), "hade ingen organisation en gällande överenskommelse") {
		t.Error("an empty list does not say so")
	}
	if _, err := letter.RenderInForce(letter.InForceList{}, letter.DefaultSender()); err == nil {
		t.Error("a list without a date rendered")
	}
	if *update {
		golden(t, "in_force_list", pdf, text)
	}
}

// TestAddressInEnvelopeWindow checks, from the words' boxes as pdftotext
// sees them, that the address block — and nothing else — lies where a
// C5 or E65 window envelope's right-hand window shows it: 113–193 mm from
// the page's left edge and 52–80 mm from its top (see render.go).
func TestAddressInEnvelopeWindow(t *testing.T) {
	t.Parallel()
	const mm = 72 / 25.4
	long := "Samordningsförbundet för finansiell samordning inom rehabiliteringsområdet i Västra Södertörn"
	for name, org := range map[string]string{
		"six lines":          long,
		"too long: name cut": long + " med kommunerna Botkyrka, Huddinge, Nykvarn, Salem och Södertälje samt Region Stockholm",
		"short: four lines":  "Umeå kommun",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			doc := doc9463()
			doc.Fields["org_name"] = form.Value{Name: "org_name", Type: form.TypeText, Value: org}
			ls, err := letter.Compose(doc, nil, approved(), withSendTo(letter.Facts{OrgAddress: letter.Address{Street: "Box 1234, Storgatan 100 B lgh 1102", Postcode: "15189", Town: "Södertälje"}}))
			if err != nil {
				t.Fatal(err)
			}
			pdf, err := letter.Render(ls[0], letter.DefaultSender())
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(needTool(t, "pdftotext"), "-bbox", "-f", "1", "-l", "1", "-", "-")
			cmd.Stdin = bytes.NewReader(pdf)
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("pdftotext -bbox: %v", err)
			}
			word := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
			var inBand []string
			for _, m := range word.FindAllStringSubmatch(string(out), -1) {
				var box [4]float64
				for i := range box {
					fmt.Sscan(m[i+1], &box[i])
				}
				if box[1] < 36*mm || box[1] > 90*mm {
					continue
				}
				inBand = append(inBand, m[5])
				if box[0] < 113*mm-0.5 || box[2] > 193*mm || box[1] < 52*mm || box[3] > 80*mm {
					t.Errorf("%q at x %.0f–%.0f mm, y %.0f–%.0f mm: outside the window", m[5], box[0]/mm, box[2]/mm, box[1]/mm, box[3]/mm)
				}
			}
			got := strings.Join(inBand, " ")
			if want := squash(strings.Join(ls[0].Recipient.Lines(), " ")); org != long+" med kommunerna Botkyrka, Huddinge, Nykvarn, Salem och Södertälje samt Region Stockholm" && got != want {
				t.Errorf("words between 36 and 90 mm from the top:\n%q\nwant the address:\n%q", got, want)
			}
			// The person, street, postcode and town are always there.
			if !strings.HasSuffix(got, "Att: Renée Ek Box 1234, Storgatan 100 B lgh 1102 151 89 SÖDERTÄLJE") || !strings.HasPrefix(got, strings.Fields(org)[0]) {
				t.Errorf("address in the window: %q", got)
			}
		})
	}
}
