package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"blankett/form"
	"blankett/letter"
	"blankett/pipeline"
	"blankett/storage"
)

// The Part of the letters tests: Umeå kommun, whose address is on its
// agreement.
const (
	testOrgnr   = "212000-2627"
	testOrgName = "Umeå kommun"
)

// personnummer returns a valid 12-digit personnummer born on yyyymmdd with
// serial nnn (three digits): the check digit is computed.
func personnummer(t testing.TB, yyyymmdd string, nnn int) string {
	t.Helper()
	s := yyyymmdd[2:] + fmt.Sprintf("%03d", nnn)
	sum := 0
	for i, c := range s {
		d := int(c - '0')
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return yyyymmdd + fmt.Sprintf("%03d%d", nnn, (10-sum%10)%10)
}

// formFields turns name, value pairs into extracted fields.
func formFields(kv ...string) form.Fields {
	f := form.Fields{}
	for i := 0; i+1 < len(kv); i += 2 {
		typ := form.TypeText
		switch {
		case strings.HasSuffix(kv[i], "personnummer"):
			typ = form.TypePersonnummer
		case kv[i+1] == "true":
			typ = form.TypeCheckbox
		}
		f[kv[i]] = form.Value{Name: kv[i], Type: typ, Raw: kv[i+1], Value: kv[i+1], Confidence: 0.97}
	}
	return f
}

// fields9445 is a new user's order from Umeå kommun.
func fields9445(user, pnr string) form.Fields {
	return formFields(
		"order_new", "true",
		"org_name", testOrgName, "org_number", testOrgnr,
		"user_name", user, "user_personnummer", pnr, "user_email", "asa.oberg@umea.se",
		"user_mobile", "+46701234567",
		"login_sms", "true",
		"role_insatsansvarig", "true", "role_susrapport", "true",
		"orderer_name", "Per-Erik Ärlig", "orderer_phone", "+4690161000",
		"sign_place", "Umeå", "sign_date", "2026-02-05", "signature", "true", "signer_name", "Per-Erik Ärlig",
	)
}

// fieldsAgreement is Umeå kommun's agreement, countersigned by FK.
func fieldsAgreement() form.Fields {
	return formFields(
		"org_name", testOrgName, "org_number", testOrgnr,
		"org_address", "Skolgatan 31 A", "org_postcode", "90184", "org_town", "Umeå",
		"contact_name", "Jöns Ångström", "contact_title", "Utvecklingsledare",
		"signatory_name", "Lena Hägg", "signatory_title", "Kommundirektör",
		"part_sign_place", "Umeå", "part_sign_date", "2026-01-20", "part_signature", "true", "part_signer_name", "Lena Hägg",
		"fk_sign_place", "Arvidsjaur", "fk_sign_date", "2026-02-27", "fk_signature", "true", "fk_signer_name", "Karin Berg",
	)
}

var ordererNotRegistered = form.Finding{Code: "ORDERER_NOT_REGISTERED", Severity: form.SeverityError, Field: "orderer_name",
	Message: "Beställaren Per-Erik Ärlig är inte registrerad som behörig beställare för organisationen den dag beställningen kom in."}

// startWorkers works a's jobs in this process until the test ends.
func startWorkers(t *testing.T, a *app) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	if err := a.pipeline.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		stop, done := context.WithTimeout(context.Background(), 30*time.Second)
		defer done()
		if err := a.pipeline.Stop(stop); err != nil {
			t.Errorf("stop pipeline: %v", err)
		}
	})
}

// ingestN ingests n distinct files and returns their document ids.
func ingestN(t *testing.T, a *app, n int) []int64 {
	t.Helper()
	ids := make([]int64, n)
	for i := range ids {
		res, err := a.pipeline.Ingest(context.Background(), pipeline.Upload{Filename: fmt.Sprintf("post-%02d.pdf", i), Source: "test", Body: newReader(fakePDF(4 << 10))})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = res.DocumentID
	}
	return ids
}

// awaitingReview ingests n distinct files and moves them to needs_review
// by hand, as extraction and validation would: the tests decide what the
// forms say (see becomes). Call it before any worker runs; the extract
// jobs left queued then complete without doing anything.
func awaitingReview(t *testing.T, a *app, n int) []int64 {
	t.Helper()
	ctx := context.Background()
	ids := ingestN(t, a, n)
	for _, id := range ids {
		for _, s := range [][2]form.State{{form.StateReceived, form.StateExtracted}, {form.StateExtracted, form.StateNeedsReview}} {
			moved, err := storage.Advance(ctx, a.db, storage.Transition{DocumentID: id, From: []form.State{s[0]}, To: s[1], Actor: "test"})
			if err != nil || !moved {
				t.Fatalf("document %d from %s to %s: moved %v, %v", id, s[0], s[1], moved, err)
			}
		}
	}
	return ids
}

// TestReturnAddressesFromTemplates reads each form's return address from
// its template: agreements and 9463s go to Stockholm, 9445s to Arvidsjaur.
func TestReturnAddressesFromTemplates(t *testing.T) {
	t.Parallel()
	a, _, _ := testApp(t, 0, nil)
	got, err := a.pipeline.ReturnAddresses(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[form.Kind]string{
		form.Kind9445:      "Försäkringskassan|Verksamhetsstöd|Box 43|933 21 Arvidsjaur",
		form.Kind9463:      "Försäkringskassan|SUS|Utvecklingsstyrning|103 51 Stockholm",
		form.KindAgreement: "Försäkringskassan|SUS|Utvecklingsstyrning|103 51 Stockholm",
	} {
		if s := strings.Join(got[k], "|"); s != want {
			t.Errorf("return address of %s: %q, want %q", k, s, want)
		}
	}
}

// recordAgreement records an agreement for the Part orgnr, with its
// postal address on the agreement document, as an approved agreement
// leaves the registry: letters to the Part take their address from it.
// The agreement document is stored like any upload but parked in state
// unreadable, so that no step, decision or state count of a test sees it.
// Call it before any worker runs.
func recordAgreement(t *testing.T, a *app, orgnr, name string) {
	t.Helper()
	ctx := context.Background()
	id := ingestN(t, a, 1)[0]
	f := fieldsAgreement()
	f["org_number"] = form.Value{Name: "org_number", Type: form.TypeOrgnr, Raw: orgnr, Value: orgnr, Confidence: 1}
	f["org_name"] = form.Value{Name: "org_name", Type: form.TypeText, Raw: name, Value: name, Confidence: 1}
	fields, _ := json.Marshal(f)
	if _, err := a.db.Exec(ctx, "update documents set kind = 'agreement', fields = $2, findings = '[]', state = 'unreadable' where id = $1", id, fields); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.Exec(ctx, `insert into organisations (org_number, name) values ($1, $2) on conflict (org_number) do nothing`, orgnr, name); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.Exec(ctx, `insert into agreements (org_number, part_signed_on, countersigned_on, source_document, recorded_on)
		values ($1, '2024-01-20', '2024-02-27', $2, '2024-02-27')`, orgnr, id); err != nil {
		t.Fatal(err)
	}
}

// becomes turns a document awaiting review into one of kind with fields
// and findings, as extraction and validation would have left it.
func becomes(t *testing.T, a *app, id int64, kind form.Kind, fields form.Fields, findings ...form.Finding) {
	t.Helper()
	if findings == nil {
		findings = []form.Finding{}
	}
	f, _ := json.Marshal(fields)
	fs, _ := json.Marshal(findings)
	tag, err := a.db.Exec(context.Background(), "update documents set kind = $2, fields = $3, findings = $4 where id = $1 and state = 'needs_review'",
		id, string(kind), f, fs)
	if err != nil || tag.RowsAffected() != 1 {
		t.Fatalf("make document %d a %s: %v (%d rows)", id, kind, err, tag.RowsAffected())
	}
}

func decide(t *testing.T, a *app, d storage.Decision) int64 {
	t.Helper()
	if d.Actor == "" {
		d.Actor = "granskare"
	}
	ctx := context.Background()
	doc, err := storage.GetDocument(ctx, a.db, d.DocumentID)
	if err != nil {
		t.Fatal(err)
	}
	if !a.pipeline.NeedsSecondReviewer(doc.Kind, d.Outcome) {
		id, err := a.pipeline.Decide(ctx, d)
		if err != nil {
			t.Fatalf("decide document %d: %v", d.DocumentID, err)
		}
		return id
	}
	pid, err := a.pipeline.Propose(ctx, d)
	if err != nil {
		t.Fatalf("propose decision on document %d: %v", d.DocumentID, err)
	}
	id, err := a.pipeline.ConfirmProposal(ctx, d.DocumentID, pid, "andre-granskare")
	if err != nil {
		t.Fatalf("confirm decision on document %d: %v", d.DocumentID, err)
	}
	return id
}

// objectBytes reads a stored object.
func objectBytes(t *testing.T, a *app, key string) []byte {
	t.Helper()
	b, err := readObject(context.Background(), a.blob, key)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found (apt-get install poppler-utils)", name)
		}
		t.Skipf("%s not found (apt-get install poppler-utils)", name)
	}
}

// pdfText is the text pdftotext reads out of pdf.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	needTool(t, "pdftotext")
	path := filepath.Join(t.TempDir(), "brev.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

var pagesLine = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

// pdfPages is the page count pdfinfo gives for the file at path.
func pdfPages(t *testing.T, path string) int {
	t.Helper()
	needTool(t, "pdfinfo")
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", path, err)
	}
	m := pagesLine.FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo %s: no page count in %q", path, out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}

func keys(ls []storage.LetterRow) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.RecipientKey)
	}
	return out
}

// TestLettersAfterDecisions decides an agreement, a 9445 (approved over an
// error finding) and a 9445 from a Part without an agreement, and checks
// each one's letters: rows, objects in the bucket, and what they say.
func TestLettersAfterDecisions(t *testing.T) {
	t.Parallel()
	a, _, _ := testApp(t, 2, nil)
	ctx := context.Background()
	ids := awaitingReview(t, a, 3)
	startWorkers(t, a)
	agreement, order, stranger := ids[0], ids[1], ids[2]
	pnr := personnummer(t, "19800101", 987)

	becomes(t, a, agreement, form.KindAgreement, fieldsAgreement())
	decide(t, a, storage.Decision{DocumentID: agreement, Outcome: form.StateApproved})
	waitState(t, a, agreement, form.StateDone)

	becomes(t, a, order, form.Kind9445, fields9445("Åsa Öberg", pnr), ordererNotRegistered)
	orderDecision := decide(t, a, storage.Decision{DocumentID: order, Outcome: form.StateApproved,
		Overrides: map[string]string{ordererNotRegistered.Code: "Beställaren registrerades på blankett 9463 samma dag."}})
	waitState(t, a, order, form.StateDone)

	other := fields9445("Måns Källström", personnummer(t, "19911231", 123))
	other["org_number"] = form.Value{Name: "org_number", Type: form.TypeOrgnr, Raw: "232100-0214", Value: "232100-0214", Confidence: 1}
	other["org_name"] = form.Value{Name: "org_name", Type: form.TypeText, Raw: "Region Jämtland Härjedalen", Value: "Region Jämtland Härjedalen", Confidence: 1}
	becomes(t, a, stranger, form.Kind9445, other)
	decide(t, a, storage.Decision{DocumentID: stranger, Outcome: form.StateRejected, Reason: "Överenskommelse saknas."})
	waitState(t, a, stranger, form.StateDone)

	t.Run("9445 approved: a letter to the orderer and one to the user", func(t *testing.T) {
		ls, err := storage.LettersForDocument(ctx, a.db, order)
		if err != nil {
			t.Fatal(err)
		}
		if got := keys(ls); !slices.Equal(got, []string{letter.RecipientOrderer, letter.RecipientUser}) {
			t.Fatalf("recipients %v, want orderer and user", got)
		}
		for _, l := range ls {
			if l.DecisionID != orderDecision || !l.PrintedAt.IsZero() {
				t.Errorf("letter %d: decision %d (want %d), printed %v", l.ID, l.DecisionID, orderDecision, l.PrintedAt)
			}
			if l.ObjectKey != storage.DecisionLetterKey(orderDecision, l.RecipientKey) {
				t.Errorf("letter %d stored under %s", l.ID, l.ObjectKey)
			}
			info, err := a.blob.Stat(ctx, l.ObjectKey)
			if err != nil {
				t.Fatalf("letter %d: object: %v", l.ID, err)
			}
			if info.SHA256 != l.SHA256 || info.Size != l.SizeBytes || info.ContentType != "application/pdf" {
				t.Errorf("letter %d: object %+v, row sha %s size %d", l.ID, info, l.SHA256, l.SizeBytes)
			}
		}
		if ls[0].Kind != letter.Kind9445ApprovedOrderer || ls[1].Kind != letter.Kind9445ApprovedUser || ls[1].RecipientName != "Åsa Öberg" {
			t.Fatalf("letters %+v", ls)
		}
		text := pdfText(t, objectBytes(t, a, ls[1].ObjectKey))
		flat := strings.Join(strings.Fields(text), " ")
		if ref := regexp.MustCompile(fmt.Sprintf(`SUS-20\d\d-%06d`, order)); !ref.MatchString(flat) {
			t.Errorf("user letter lacks the reference %s:\n%s", ref, text)
		}
		for _, want := range []string{"Umeå kommun Att: Åsa Öberg Skolgatan 31 A 901 84 UMEÅ", "Insatsansvarig"} {
			if !strings.Contains(flat, want) {
				t.Errorf("user letter lacks %q:\n%s", want, text)
			}
		}
		if strings.Contains(text, pnr) || strings.Contains(text, pnr[2:8]+"-"+pnr[8:]) {
			t.Errorf("user letter shows the personnummer:\n%s", text)
		}
	})

	t.Run("agreement approved: a letter to the contact person", func(t *testing.T) {
		ls, err := storage.LettersForDocument(ctx, a.db, agreement)
		if err != nil {
			t.Fatal(err)
		}
		if len(ls) != 1 || ls[0].RecipientKey != letter.RecipientContact || ls[0].Kind != letter.KindAgreementInForce {
			t.Fatalf("agreement letters %+v", ls)
		}
		flat := strings.Join(strings.Fields(pdfText(t, objectBytes(t, a, ls[0].ObjectKey))), " ")
		for _, want := range []string{"Jöns Ångström", "gäller från och med den 27 februari 2026"} {
			if !strings.Contains(flat, want) {
				t.Errorf("agreement letter lacks %q:\n%s", want, flat)
			}
		}
	})

	t.Run("9445 from a Part without an agreement: no address, so the letter is held", func(t *testing.T) {
		// Neither the 9445 nor the registry gives the Part's postal address:
		// the letter is not printed blind.
		ls, err := storage.LettersForDocument(ctx, a.db, stranger)
		if err != nil {
			t.Fatal(err)
		}
		if len(ls) != 0 {
			t.Fatalf("letters without an address: %+v", ls)
		}
		held, err := storage.HeldLetters(ctx, a.db)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(held, func(h storage.HeldLetter) bool { return h.DocumentID == stranger && h.Reason != "" }) {
			t.Fatalf("held letters %+v: the stranger's letter is not listed", held)
		}
		var out bytes.Buffer
		if err := listHeld(ctx, a, &out); err != nil || !strings.Contains(out.String(), "väntar på en postadress") {
			t.Fatalf("letters held: %q %v", out.String(), err)
		}
	})

	t.Run("every object under letters/ has its row", func(t *testing.T) {
		objects, err := a.blob.List(ctx, "letters/")
		if err != nil {
			t.Fatal(err)
		}
		var n int
		a.db.QueryRow(ctx, "select count(*) from letters").Scan(&n)
		if len(objects) != 3 || n != 3 {
			t.Fatalf("%d objects and %d letters, want 3 each", len(objects), n)
		}
	})
}

// TestLettersExactlyOnceWhenWorkerKilled kills a worker process (SIGKILL)
// while it is making letters: its letters are in the bucket but their rows
// are not committed, because the test holds a lock that keeps the inserts
// waiting. A new worker reruns the jobs. Every decision ends with exactly
// one letter per recipient, and every letters object has its row.
func TestLettersExactlyOnceWhenWorkerKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a worker process; about a minute")
	}
	t.Parallel()
	const docs, before = 8, 2
	a, _, cfg := testApp(t, 0, nil)
	bin := buildBinary(t)
	env := []string{"BLANKETT_STEP_DELAY=200ms", "BLANKETT_STEP_TIMEOUT=5s", "BLANKETT_RESCUE_AFTER=6s"}
	ctx := context.Background()
	recordAgreement(t, a, testOrgnr, testOrgName)
	ids := awaitingReview(t, a, docs)
	worker := startWorker(t, bin, cfg, env...)
	for i, id := range ids {
		becomes(t, a, id, form.Kind9445, fields9445(fmt.Sprintf("Åsa Öberg %d", i+1), personnummer(t, "19800101", 100+i)))
	}
	decisions := map[int64]int64{}
	for _, id := range ids[:before] {
		decisions[decide(t, a, storage.Decision{DocumentID: id, Outcome: form.StateApproved})] = id
	}
	for _, id := range ids[:before] {
		waitState(t, a, id, form.StateDone)
	}

	// Hold back every insert into letters, decide the rest, and wait until
	// letters jobs have stored PDFs they cannot record.
	lock, err := a.db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback(ctx)
	if _, err := lock.Exec(ctx, "lock table letters in share mode"); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids[before:] {
		decisions[decide(t, a, storage.Decision{DocumentID: id, Outcome: form.StateApproved})] = id
	}
	orphans := func() []string {
		t.Helper()
		objects, err := a.blob.List(ctx, "letters/")
		if err != nil {
			t.Fatal(err)
		}
		rows, err := a.db.Query(ctx, "select object_key from letters")
		if err != nil {
			t.Fatal(err)
		}
		recorded, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, k := range objects {
			if !slices.Contains(recorded, k) {
				out = append(out, k)
			}
		}
		return out
	}
	running := func() int {
		var n int
		a.db.QueryRow(ctx, "select count(*) from river_job where kind = 'letters' and state = 'running'").Scan(&n)
		return n
	}
	deadline := time.Now().Add(60 * time.Second)
	for len(orphans()) < 2 || running() < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("after 60 s: %d unrecorded letter objects, %d letters jobs running; want 2 each", len(orphans()), running())
		}
		time.Sleep(20 * time.Millisecond)
	}
	worker.Process.Signal(syscall.SIGKILL)
	worker.Wait()
	killedAt := time.Now()
	atKill := orphans()
	runningAtKill := running()
	var lettersBefore int
	a.db.QueryRow(ctx, "select count(*) from letters").Scan(&lettersBefore)
	if err := lock.Rollback(ctx); err != nil {
		t.Fatal(err)
	}

	worker = startWorker(t, bin, cfg, env...)
	deadline = time.Now().Add(3 * time.Minute)
	for countState(t, a, form.StateDone) < docs {
		if time.Now().After(deadline) {
			t.Fatalf("after restart only %d of %d documents done in 3 min", countState(t, a, form.StateDone), docs)
		}
		time.Sleep(100 * time.Millisecond)
	}
	recovered := time.Since(killedAt)
	worker.Process.Signal(syscall.SIGTERM)
	if err := worker.Wait(); err != nil {
		t.Errorf("worker did not stop cleanly on SIGTERM: %v", err)
	}

	rows, err := a.db.Query(ctx, "select decision_id, recipient_key, count(*) from letters group by 1, 2")
	if err != nil {
		t.Fatal(err)
	}
	perDecision := map[int64]int{}
	pairs := 0
	for rows.Next() {
		var dec int64
		var key string
		var n int
		if err := rows.Scan(&dec, &key, &n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("decision %d has %d letters to %s, want 1", dec, n, key)
		}
		perDecision[dec]++
		pairs++
	}
	rows.Close()
	for dec, doc := range decisions {
		if perDecision[dec] != 2 {
			t.Errorf("decision %d (document %d) has letters to %d recipients, want 2 (orderer, user)", dec, doc, perDecision[dec])
		}
	}
	if left := orphans(); len(left) != 0 {
		t.Errorf("letters objects without their row: %v", left)
	}
	all, err := a.db.Query(ctx, "select id, object_key, sha256 from letters")
	if err != nil {
		t.Fatal(err)
	}
	type stored struct {
		id       int64
		key, sha string
	}
	letters, err := pgx.CollectRows(all, func(r pgx.CollectableRow) (stored, error) {
		var s stored
		return s, r.Scan(&s.id, &s.key, &s.sha)
	})
	if err != nil {
		t.Fatal(err)
	}
	objects, _ := a.blob.List(ctx, "letters/")
	for _, l := range letters {
		info, err := a.blob.Stat(ctx, l.key)
		if err != nil || info.SHA256 != l.sha {
			t.Errorf("letter %d: object %s: %v, sha %s vs row %s", l.id, l.key, err, info.SHA256, l.sha)
		}
	}
	var jobs, retried, notDone int
	a.db.QueryRow(ctx, `select count(*), count(*) filter (where attempt > 1), count(*) filter (where state <> 'completed')
		from river_job where kind = 'letters'`).Scan(&jobs, &retried, &notDone)
	if jobs != docs || notDone != 0 {
		t.Errorf("%d letters jobs (want %d), %d not completed", jobs, docs, notDone)
	}
	t.Logf("SIGKILL while making letters: %d decisions, %d letters before the kill, %d jobs running and %d PDFs stored but unrecorded at the kill; after restart %d letters, %d objects, %d letters jobs run more than once, all done %.1f s after the kill",
		len(decisions), lettersBefore, runningAtKill, len(atKill), len(letters), len(objects), retried, recovered.Seconds())
	fmt.Printf("fault: worker SIGKILL while making letters: decisions=%d letters_before_kill=%d running_at_kill=%d unrecorded_objects_at_kill=%d letters=%d recipient_pairs=%d objects=%d letters_jobs=%d retried=%d recovery=%.1fs\n",
		len(decisions), lettersBefore, runningAtKill, len(atKill), len(letters), pairs, len(objects), jobs, retried, recovered.Seconds())
}

// TestPrintBatch merges the unprinted letters into one PDF with all their
// pages, marks them printed, and finds nothing the second time (through
// the command).
func TestPrintBatch(t *testing.T) {
	t.Parallel()
	a, _, cfg := testApp(t, 2, nil)
	ctx := context.Background()
	recordAgreement(t, a, testOrgnr, testOrgName)
	ids := awaitingReview(t, a, 3)
	startWorkers(t, a)
	becomes(t, a, ids[0], form.Kind9445, fields9445("Åsa Öberg", personnummer(t, "19800101", 987)))
	becomes(t, a, ids[1], form.Kind9445, fields9445("Örjan Ståhl", personnummer(t, "19750615", 242)), ordererNotRegistered)
	becomes(t, a, ids[2], form.KindAgreement, fieldsAgreement())
	decide(t, a, storage.Decision{DocumentID: ids[0], Outcome: form.StateApproved})
	decide(t, a, storage.Decision{DocumentID: ids[1], Outcome: form.StateRejected, RequestCompletion: true, Reason: "Beställaren behöver registreras först."})
	decide(t, a, storage.Decision{DocumentID: ids[2], Outcome: form.StateApproved})
	for _, id := range ids {
		waitState(t, a, id, form.StateDone)
	}

	unprinted, err := storage.UnprintedLetters(ctx, a.db)
	if err != nil {
		t.Fatal(err)
	}
	if len(unprinted) != 4 {
		t.Fatalf("%d unprinted letters, want 4 (orderer, user, sender, contact)", len(unprinted))
	}
	dir := t.TempDir()
	wantPages := 0
	for _, l := range unprinted {
		path := filepath.Join(dir, fmt.Sprintf("brev-%d.pdf", l.ID))
		os.WriteFile(path, objectBytes(t, a, l.ObjectKey), 0o600)
		wantPages += pdfPages(t, path)
	}

	out := filepath.Join(dir, "omgång.pdf")
	now := time.Date(2026, 3, 2, 14, 5, 9, 0, time.Local)
	var report bytes.Buffer
	marked, err := writeBatch(ctx, a, out, now, &report)
	if err != nil {
		t.Fatal(err)
	}
	if marked != 4 {
		t.Fatalf("marked %d letters printed, want 4; report %q", marked, report.String())
	}
	if got := pdfPages(t, out); got != wantPages {
		t.Fatalf("batch has %d pages, the letters %d", got, wantPages)
	}
	text := strings.Join(strings.Fields(pdfText(t, mustRead(t, out))), " ")
	for _, want := range []string{"Åsa Öberg", "Örjan Ståhl", "Jöns Ångström"} {
		if !strings.Contains(text, want) {
			t.Errorf("batch lacks %q", want)
		}
	}
	for _, l := range unprinted {
		got, err := storage.GetLetter(ctx, a.db, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.PrintBatch != "20260302-140509" || !got.PrintedAt.Equal(now) {
			t.Errorf("letter %d: batch %q printed %v", l.ID, got.PrintBatch, got.PrintedAt)
		}
	}
	if left, _ := storage.UnprintedLetters(ctx, a.db); len(left) != 0 {
		t.Fatalf("%d letters left unprinted", len(left))
	}
	if !strings.Contains(report.String(), "4 brev i "+out) {
		t.Errorf("report %q", report.String())
	}

	t.Run("a second run through the command finds nothing", func(t *testing.T) {
		bin := buildBinary(t)
		second := filepath.Join(dir, "igen.pdf")
		cmd := exec.Command(bin, "letters", "print-batch", "--out", second)
		cmd.Env = append(os.Environ(),
			"BLANKETT_DATABASE_URL="+cfg.DatabaseURL,
			"BLANKETT_S3_ENDPOINT="+cfg.Blob.Endpoint,
			"BLANKETT_S3_ACCESS_KEY="+cfg.Blob.AccessKey,
			"BLANKETT_S3_SECRET_KEY="+cfg.Blob.SecretKey,
			"BLANKETT_S3_BUCKET="+cfg.Blob.Bucket,
		)
		got, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("print-batch: %v\n%s", err, got)
		}
		if !strings.Contains(string(got), "Inga brev att skriva ut") {
			t.Errorf("second run said %q", got)
		}
		if _, err := os.Stat(second); !os.IsNotExist(err) {
			t.Errorf("second run wrote %s: %v", second, err)
		}
		var audits int
		a.db.QueryRow(ctx, "select count(*) from audit_events where action = 'letter.printed'").Scan(&audits)
		if audits != 4 {
			t.Errorf("%d letter.printed audit events, want 4", audits)
		}
	})
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRegistryCommands imports firmatecknare from CSV (one row rejected)
// and lists the organisations with an agreement in force.
func TestRegistryCommands(t *testing.T) {
	t.Parallel()
	a, _, _ := testApp(t, 0, nil)
	ctx := context.Background()

	csv := filepath.Join(t.TempDir(), "firmatecknare.csv")
	os.WriteFile(csv, []byte("organisationsnummer;namn;titel;från;till\n"+
		testOrgnr+";Lena Hägg;Kommundirektör;2025-01-01;\n"+
		"123;Göran Fel;Ordförande;;\n"), 0o600)
	var out bytes.Buffer
	err := importCSV(ctx, a.pipeline.ImportSignatories, csv, &out)
	if err == nil || !strings.Contains(err.Error(), "1 of 2 rows were rejected") {
		t.Fatalf("import: %v", err)
	}
	if !strings.Contains(out.String(), "2 rader lästa, 1 firmatecknare importerade") || !strings.Contains(out.String(), "rad 3:") {
		t.Fatalf("report %q", out.String())
	}
	sigs, err := storage.NewRegistry(a.db).Signatories(ctx, testOrgnr, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC))
	if err != nil || len(sigs) != 1 || sigs[0].Name != "Lena Hägg" {
		t.Fatalf("signatories %+v %v", sigs, err)
	}

	if _, err := a.db.Exec(ctx, `insert into organisations (org_number, name) values ($1, $2) on conflict (org_number) do update set name = excluded.name`,
		testOrgnr, testOrgName); err != nil {
		t.Fatal(err)
	}
	if _, err := a.db.Exec(ctx, `insert into agreements (org_number, part_signed_on, countersigned_on, recorded_on)
		values ($1, '2026-01-20', '2026-02-27', '2026-02-27')`, testOrgnr); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := listInForce(ctx, a, time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), &out); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(testOrgnr+`\s+Umeå kommun\s+2026-02-27\s+2026-01-20`).MatchString(out.String()) ||
		!strings.Contains(out.String(), "1 organisationer") {
		t.Fatalf("in force on 2026-03-02:\n%s", out.String())
	}
	out.Reset()
	if err := listInForce(ctx, a, time.Date(2026, 2, 26, 0, 0, 0, 0, time.UTC), &out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), testOrgnr) || !strings.Contains(out.String(), "0 organisationer") {
		t.Fatalf("in force on 2026-02-26, before FK signed:\n%s", out.String())
	}
}

// TestCorpusCommandNeedsOut checks the corpus command's arguments (the
// corpus itself is corpus's to test).
func TestCorpusCommandNeedsOut(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--seed", "7"}, {"--out", t.TempDir(), "--count", "-1"}, {"--out", t.TempDir(), "extra"}} {
		if err := runCorpus(context.Background(), testLogger(), args); err == nil {
			t.Errorf("corpus %v: no error", args)
		}
	}
}

func testLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// TestLetterFactsFromTheRegistry runs the letters step by hand for an
// approved 9463: each added orderer's letter states the registration's
// last day as the registry holds it, and the Part's address comes from
// its agreement. A rerun in a new transaction makes no second letter.
func TestLetterFactsFromTheRegistry(t *testing.T) {
	t.Parallel()
	a, _, _ := testApp(t, 0, nil)
	ctx := context.Background()
	ids := awaitingReview(t, a, 2)
	becomes(t, a, ids[0], form.KindAgreement, fieldsAgreement())
	decide(t, a, storage.Decision{DocumentID: ids[0], Outcome: form.StateApproved})
	becomes(t, a, ids[1], form.Kind9463, formFields(
		"org_name", testOrgName, "org_number", testOrgnr,
		"orderer1_add", "true", "orderer1_name", "Renée Ek", "orderer1_personnummer", personnummer(t, "19751224", 123),
		"orderer1_email", "renee.ek@umea.se",
		"orderer2_add", "true", "orderer2_name", "Göran Ödman", "orderer2_personnummer", personnummer(t, "19600229", 432),
		"sign_place", "Umeå", "sign_date", "2026-02-01", "signature", "true",
		"signer_name", "Lena Hägg", "signer_title", "Kommundirektör",
	))
	decID := decide(t, a, storage.Decision{DocumentID: ids[1], Outcome: form.StateApproved})
	// The registry, not the form, says how long a registration lasts.
	if _, err := a.db.Exec(ctx, "update orderers set valid_to = '2027-12-31' where name = 'Göran Ödman'"); err != nil {
		t.Fatal(err)
	}
	var dflt time.Time
	if err := a.db.QueryRow(ctx, "select valid_to from orderers where name = 'Renée Ek'").Scan(&dflt); err != nil {
		t.Fatal(err)
	}

	write := func() {
		if err := a.pipeline.WriteLetters(ctx, ids[1], decID); err != nil {
			t.Fatal(err)
		}
	}
	write()
	write()
	ls, err := storage.LettersForDocument(ctx, a.db, ids[1])
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(ls); !slices.Equal(got, []string{letter.OrdererRecipient(1), letter.OrdererRecipient(2)}) {
		t.Fatalf("recipients %v, want orderer:1 and orderer:2", got)
	}
	months := []string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}
	inWords := func(t time.Time) string { return fmt.Sprintf("den %d %s %d", t.Day(), months[t.Month()-1], t.Year()) }
	for i, want := range []string{inWords(dflt), "den 31 december 2027"} {
		l := ls[i]
		if l.Kind != letter.Kind9463OrdererAdded || l.ObjectKey != fmt.Sprintf("letters/%d/orderer-%d.pdf", decID, i+1) {
			t.Errorf("letter %+v", l)
		}
		flat := strings.Join(strings.Fields(pdfText(t, objectBytes(t, a, l.ObjectKey))), " ")
		for _, s := range []string{"gäller till och med " + want, "Skolgatan 31 A", "901 84 UMEÅ"} {
			if !strings.Contains(flat, s) {
				t.Errorf("letter to %s lacks %q:\n%s", l.RecipientKey, s, flat)
			}
		}
	}
}

// TestLettersFromAScannedUpload runs one scanned 9445 from upload to its
// letters: extraction, validation, an approval overriding every error
// finding, and the letters step.
func TestLettersFromAScannedUpload(t *testing.T) {
	if testing.Short() {
		t.Skip("reads a scan with Tesseract")
	}
	t.Parallel()
	a, _, _ := testApp(t, 2, nil)
	// The scanned 9445's Part, with its address on an agreement.
	recordAgreement(t, a, "226672-3739", "Samordningsförbundet Göteborg Hisingen")
	startWorkers(t, a)
	ctx := context.Background()
	scan := filepath.Join("..", "..", "testdata", "corpus", "scan", "9445-orderer-not-registered.pdf")
	res, err := a.pipeline.IngestFile(ctx, scan, pipeline.Upload{Source: "test"})
	if err != nil {
		t.Fatal(err)
	}
	doc := waitState(t, a, res.DocumentID, form.StateNeedsReview)
	if doc.Kind != form.Kind9445 {
		t.Fatalf("scan read as %q, want 9445", doc.Kind)
	}
	overrides := map[string]string{}
	for _, f := range doc.Findings {
		if f.Severity == form.SeverityError {
			overrides[f.Code] = "Kontrollerat mot registret i testet."
		}
	}
	decID := decide(t, a, storage.Decision{DocumentID: doc.ID, Outcome: form.StateApproved, Overrides: overrides})
	waitState(t, a, doc.ID, form.StateDone)
	ls, err := storage.LettersForDocument(ctx, a.db, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := keys(ls); !slices.Equal(got, []string{letter.RecipientOrderer, letter.RecipientUser}) || ls[0].DecisionID != decID {
		t.Fatalf("letters %+v", ls)
	}
	user := doc.Fields.Get("user_name")
	flat := strings.Join(strings.Fields(pdfText(t, objectBytes(t, a, ls[1].ObjectKey))), " ")
	if user == "" || !strings.Contains(flat, user) || !strings.Contains(flat, doc.Fields.Get("org_name")+" Att: "+user) {
		t.Fatalf("user letter does not name %q at %q:\n%s", user, doc.Fields.Get("org_name"), flat)
	}
	t.Logf("scan → letters: user %q (truth %q), %d error findings overridden", user, "Nils Engström", len(overrides))
}
