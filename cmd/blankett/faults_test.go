package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"blankett/form"
	"blankett/pipeline"
	"blankett/storage"
	"blankett/storage/storagetest"
)

// The fault tests run real processes (a `blankett worker` child, a MinIO
// server, a PostgreSQL cluster of their own), break one dependency in the
// middle of a batch and check afterwards that every document reached each
// of its states exactly once, no letter was made twice, and the bucket and
// the database agree (fsck). Each prints its figures. `make faults` runs
// them.

// faultEnv makes a worker rescue a job whose worker died within seconds.
var faultEnv = []string{"BLANKETT_STEP_DELAY=150ms", "BLANKETT_STEP_TIMEOUT=5s", "BLANKETT_RESCUE_AFTER=6s"}

// faultDataKey seals the made-up personnummer of the fault tests when the
// environment has no data key. It guards nothing.
const faultDataKey = "ZmF1bHQgdGVzdCBkYXRhIGtleSwgZ3VhcmRzIG5vdGg="

// withDataKey gives this test's process and its children a data key when
// the environment has none.
func withDataKey(t *testing.T) {
	t.Helper()
	if os.Getenv("BLANKETT_DATA_KEY") == "" && os.Getenv("BLANKETT_DATA_KEY_FILE") == "" {
		t.Setenv("BLANKETT_DATA_KEY", faultDataKey)
	}
}

// faultSamples are fillable PDFs of each kind: read from their form fields,
// so a batch is quick.
var faultSamples = []string{
	"digital/9445-valid-new.pdf",
	"digital/9463-valid-add-two.pdf",
	"digital/agreement-agreement-known-signatory.pdf",
	"digital/9445-sms-mobile-missing.pdf",
}

// The Part of the 9445 and 9463 fault samples.
const (
	faultOrgnr   = "226672-3739"
	faultOrgName = "Samordningsförbundet Göteborg Hisingen"
)

// ingestBatch ingests n unique copies of the fault samples.
func ingestBatch(t *testing.T, a *app, n int) {
	t.Helper()
	samples := make([][]byte, len(faultSamples))
	for i, name := range faultSamples {
		samples[i] = sample(t, name)
	}
	for i := range n {
		body := uniqueCopy(samples[i%len(samples)], i)
		if _, err := a.pipeline.Ingest(context.Background(), pipeline.Upload{
			Filename: fmt.Sprintf("fault-%03d.pdf", i), Source: "test", Actor: "test", Body: bytes.NewReader(body)}); err != nil {
			t.Fatalf("ingest %d: %v", i, err)
		}
	}
}

// count runs a counting query; errors (a dependency is down) give -1.
func count(pool *storage.DB, sql string, args ...any) int {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var n int
	if err := pool.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
		return -1
	}
	return n
}

// decideWaiting rejects every document awaiting review, so that its
// letters are made. Errors while a dependency is down are expected; the
// next call tries again. It returns how many it decided.
func decideWaiting(a *app) int {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rows, err := a.db.Query(ctx, "select id from documents where state = 'needs_review' order by id")
	if err != nil {
		return 0
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if rows.Scan(&id) == nil {
			ids = append(ids, id)
		}
	}
	rows.Close()
	n := 0
	for _, id := range ids {
		_, err := a.pipeline.Decide(ctx, storage.Decision{DocumentID: id, Outcome: form.StateRejected,
			Reason: "Blanketten är inte komplett.", Actor: "granskare"})
		if err == nil {
			n++
		}
	}
	return n
}

// readyz answers /readyz's status code, 0 when the server does not answer.
func readyz(url string) int {
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url + "/readyz")
	if err != nil {
		return 0
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// waitReadyz polls /readyz until it answers want; it returns how long that
// took.
func waitReadyz(t *testing.T, url string, want int, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		got := readyz(url)
		if got == want {
			return time.Since(start)
		}
		if time.Since(start) > within {
			t.Fatalf("/readyz answered %d for %s, want %d", got, within, want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// readyzServer serves a's health routes (as a worker's --addr does).
func readyzServer(t *testing.T, a *app) string {
	t.Helper()
	h, _, err := a.handler(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// waitAll decides documents as they come and waits until all docs are done.
func waitAll(t *testing.T, a *app, docs int, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		decideWaiting(a)
		if count(a.db, "select count(*) from documents where state = 'done'") == docs {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s: %s", within, stateSummary(a.db))
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func stateSummary(pool *storage.DB) string {
	rows, err := pool.Query(context.Background(), `select state, count(*) from documents group by 1 order by 1`)
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	var parts []string
	for rows.Next() {
		var s string
		var n int
		rows.Scan(&s, &n)
		parts = append(parts, fmt.Sprintf("%s=%d", s, n))
	}
	jobs, _ := pool.Query(context.Background(), `select kind, state, count(*) from river_job where state <> 'completed' group by 1, 2`)
	if jobs != nil {
		for jobs.Next() {
			var k, s string
			var n int
			jobs.Scan(&k, &s, &n)
			parts = append(parts, fmt.Sprintf("job %s %s=%d", k, s, n))
		}
		jobs.Close()
	}
	var last string
	if pool.QueryRow(context.Background(), `select errors[array_length(errors, 1)]->>'error' from river_job
		where errors is not null order by id desc limit 1`).Scan(&last) == nil {
		parts = append(parts, "last job error: "+last)
	}
	return strings.Join(parts, " ")
}

// pipelineJobs selects the jobs of the pipeline's steps. The periodic
// purge is left out: the worker that leads inserts one when it starts,
// which may be just before a test stops it, to run at the next start.
const pipelineJobs = "kind <> 'purge'"

// faultFigures are what the checks count.
type faultFigures struct {
	jobs, retried, failures, letters int
}

// checkExactlyOnce checks the invariants every fault test ends with: each
// document reached each state once, every job completed, one decision and
// no letter twice per document, and fsck finds the bucket and the database
// in agreement.
func checkExactlyOnce(t *testing.T, a *app, docs int) faultFigures {
	t.Helper()
	ctx := context.Background()
	var f faultFigures
	pool := a.db
	if n := count(pool, `select count(*) from (select document_id, after->>'state' from audit_events
		where action = 'document.state' group by 1, 2 having count(*) > 1) x`); n != 0 {
		t.Errorf("%d document states were reached more than once", n)
	}
	for _, s := range []form.State{form.StateExtracted, form.StateNeedsReview, form.StateRejected, form.StateDone} {
		if n := count(pool, `select count(*) from audit_events where action = 'document.state' and after->>'state' = $1`, s); n != docs {
			t.Errorf("state %s reached %d times, want %d (once per document)", s, n, docs)
		}
	}
	if n := count(pool, "select count(*) from river_job where state <> 'completed' and "+pipelineJobs); n != 0 {
		t.Errorf("%d jobs not completed: %s", n, stateSummary(pool))
	}
	if n := count(pool, "select count(*) from decisions"); n != docs {
		t.Errorf("%d decisions for %d documents", n, docs)
	}
	if n := count(pool, "select count(*) from (select decision_id, recipient_key from letters group by 1, 2 having count(*) > 1) x"); n != 0 {
		t.Errorf("%d letters made twice", n)
	}
	f.letters = count(pool, "select count(*) from letters")
	if n := count(pool, "select count(*) from audit_events where action = 'letter.created'"); n != f.letters {
		t.Errorf("%d letters recorded, %d created", f.letters, n)
	}
	if n := count(pool, "select count(distinct object_key) from letters"); n != f.letters {
		t.Errorf("%d letters share %d objects", f.letters, n)
	}
	if f.letters < docs {
		t.Errorf("%d letters for %d rejected documents", f.letters, docs)
	}
	f.jobs = count(pool, "select count(*) from river_job")
	f.retried = count(pool, "select count(*) from river_job where attempt > 1")
	f.failures = count(pool, "select coalesce(sum(coalesce(array_length(errors, 1), 0)), 0)::int from river_job")
	r, err := storage.Fsck(ctx, pool, a.blob, storage.FsckOptions{OrphanAge: -1})
	if err != nil {
		t.Fatalf("fsck: %v", err)
	}
	if !r.Clean() || len(r.YoungOrphans) > 0 || len(r.MissingOriginals) > 0 {
		var b bytes.Buffer
		printFsck(&b, a.blob.Bucket(), r, storage.FsckOptions{OrphanAge: 0, StuckAfter: time.Hour})
		t.Errorf("fsck after the fault:\n%s", b.String())
	}
	return f
}

func freePort(t *testing.T) int { return storagetest.FreePort(t) }

// TestFaultMinIOStopped stops the object store for 60 s in the middle of a
// batch worked by a `blankett worker` process.
func TestFaultMinIOStopped(t *testing.T) {
	withDataKey(t)
	if testing.Short() {
		t.Skip("stops MinIO for 60 s")
	}
	const docs = 40
	const outage = 60 * time.Second
	m := storagetest.StartMinIO(t, storagetest.MinIOOptions{KMS: true})
	a, _, cfg := testApp(t, 0, func(c *config) { c.Blob = m.BlobConfig() })
	ready := readyzServer(t, a)
	waitReadyz(t, ready, 200, 10*time.Second)
	bin := buildBinary(t)
	recordAgreement(t, a, faultOrgnr, faultOrgName) // letters to the samples' Part need its address
	worker := startWorker(t, bin, cfg, faultEnv...)

	start := time.Now()
	ingestBatch(t, a, docs)
	// Stop MinIO once a quarter of the batch is through extraction.
	deadline := time.Now().Add(90 * time.Second)
	for count(a.db, "select count(*) from documents where state <> 'received'") < docs/4 {
		decideWaiting(a)
		if time.Now().After(deadline) {
			t.Fatalf("the worker made no progress in 90 s: %s", stateSummary(a.db))
		}
		time.Sleep(50 * time.Millisecond)
	}
	m.Stop(t)
	downAt := time.Now()
	received := count(a.db, "select count(*) from documents where state = 'received'")
	if received == 0 {
		t.Fatal("every document was extracted before MinIO stopped: the test did not stop it mid-batch")
	}
	notReady := waitReadyz(t, ready, http.StatusServiceUnavailable, 10*time.Second)
	for time.Since(downAt) < outage {
		decideWaiting(a)
		time.Sleep(500 * time.Millisecond)
	}
	if got := readyz(ready); got != http.StatusServiceUnavailable {
		t.Errorf("/readyz answered %d after %s without MinIO, want 503", got, outage)
	}
	doneWhileDown := count(a.db, "select count(*) from documents where state = 'done'")
	m.Start(t)
	upAt := time.Now()
	readyAgain := waitReadyz(t, ready, 200, 15*time.Second)
	waitAll(t, a, docs, 150*time.Second)
	recovered := time.Since(upAt)

	worker.Process.Signal(syscall.SIGTERM)
	if err := worker.Wait(); err != nil {
		t.Errorf("worker did not stop cleanly on SIGTERM: %v", err)
	}
	f := checkExactlyOnce(t, a, docs)
	fmt.Printf("fault: MinIO stopped %.0fs mid-batch: documents=%d received_at_stop=%d done_while_down=%d jobs=%d retried=%d failed_attempts=%d letters=%d readyz_503_after=%.1fs readyz_200_after=%.1fs all_done_after_restart=%.1fs total=%.1fs\n",
		outage.Seconds(), docs, received, doneWhileDown, f.jobs, f.retried, f.failures, f.letters,
		notReady.Seconds(), readyAgain.Seconds(), recovered.Seconds(), time.Since(start).Seconds())
}

// privatePostgres is a throwaway PostgreSQL cluster of the test's own, which
// it may stop and start: the shared server must not be restarted.
type privatePostgres struct {
	bin, data string
	port      int
	run       []string // runuser -u postgres -- when root
}

func startPostgres(t *testing.T) *privatePostgres {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("no initdb in /usr/lib/postgresql/*/bin: install postgresql")
		}
		t.Skip("no initdb in /usr/lib/postgresql/*/bin")
	}
	p := &privatePostgres{bin: filepath.Dir(bins[len(bins)-1]), port: freePort(t)}
	dir := t.TempDir()
	p.data = filepath.Join(dir, "pg")
	if err := os.Mkdir(p.data, 0o700); err != nil {
		t.Fatal(err)
	}
	if os.Getuid() == 0 {
		// initdb refuses root: the cluster belongs to postgres, who must
		// be able to reach it through the test's directories.
		for d := dir; d != os.TempDir() && d != "/" && d != "."; d = filepath.Dir(d) {
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if out, err := exec.Command("chown", "postgres", p.data).CombinedOutput(); err != nil {
			t.Fatalf("chown: %v %s", err, out)
		}
		p.run = []string{"runuser", "-u", "postgres", "--"}
	}
	p.cmd(t, "initdb", "-D", p.data, "-U", "postgres", "-A", "trust")
	p.start(t)
	t.Cleanup(func() { p.pgctl("stop", "-m", "immediate") })
	return p
}

func (p *privatePostgres) command(name string, args ...string) *exec.Cmd {
	argv := append(append([]string{}, p.run...), filepath.Join(p.bin, name))
	argv = append(argv, args...)
	return exec.Command(argv[0], argv[1:]...)
}

func (p *privatePostgres) cmd(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := p.command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", name, err, out)
	}
}

func (p *privatePostgres) pgctl(args ...string) ([]byte, error) {
	args = append([]string{"-D", p.data, "-w"}, args...)
	return p.command("pg_ctl", args...).CombinedOutput()
}

func (p *privatePostgres) start(t *testing.T) {
	t.Helper()
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1 -c max_connections=100", p.port, p.data)
	if out, err := p.pgctl("-l", filepath.Join(p.data, "server.log"), "-o", opts, "start"); err != nil {
		t.Fatalf("start PostgreSQL: %v\n%s", err, out)
	}
}

func (p *privatePostgres) stop(t *testing.T) {
	t.Helper()
	if out, err := p.pgctl("stop", "-m", "fast"); err != nil {
		t.Fatalf("stop PostgreSQL: %v\n%s", err, out)
	}
}

func (p *privatePostgres) url(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", p.port, db)
}

// TestFaultPostgresRestarted stops PostgreSQL (fast shutdown: sessions are
// cut) in the middle of a batch, keeps it down for a few seconds, and
// starts it again.
func TestFaultPostgresRestarted(t *testing.T) {
	withDataKey(t)
	if testing.Short() {
		t.Skip("restarts a private PostgreSQL cluster")
	}
	const docs = 40
	const outage = 10 * time.Second
	pg := startPostgres(t)
	ctx := context.Background()
	admin, err := storage.Open(ctx, pg.url("postgres"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "create database blankett"); err != nil {
		t.Fatal(err)
	}
	admin.Close()
	_, blobCfg := storagetest.NewBlob(t)
	cfg := config{DatabaseURL: pg.url("blankett"), Blob: blobCfg,
		Pipeline: pipeline.Config{StepTimeout: 30 * time.Second, SpoolDir: t.TempDir()}}
	a, err := openApp(ctx, slog.New(slog.DiscardHandler), cfg, 0)
	if err != nil {
		t.Fatalf("open app: %v", err)
	}
	t.Cleanup(a.close)
	ready := readyzServer(t, a)
	waitReadyz(t, ready, 200, 10*time.Second)
	bin := buildBinary(t)
	recordAgreement(t, a, faultOrgnr, faultOrgName) // letters to the samples' Part need its address
	worker := startWorker(t, bin, cfg, faultEnv...)

	start := time.Now()
	ingestBatch(t, a, docs)
	deadline := time.Now().Add(90 * time.Second)
	for count(a.db, "select count(*) from documents where state <> 'received'") < docs/4 {
		decideWaiting(a)
		if time.Now().After(deadline) {
			t.Fatalf("the worker made no progress in 90 s: %s", stateSummary(a.db))
		}
		time.Sleep(50 * time.Millisecond)
	}
	running := count(a.db, "select count(*) from river_job where state = 'running'")
	received := count(a.db, "select count(*) from documents where state = 'received'")
	pg.stop(t)
	downAt := time.Now()
	if received == 0 {
		t.Fatal("every document was extracted before the restart: the test did not restart mid-batch")
	}
	notReady := waitReadyz(t, ready, http.StatusServiceUnavailable, 10*time.Second)
	time.Sleep(outage - time.Since(downAt))
	if got := readyz(ready); got != http.StatusServiceUnavailable {
		t.Errorf("/readyz answered %d without PostgreSQL, want 503", got)
	}
	pg.start(t)
	upAt := time.Now()
	readyAgain := waitReadyz(t, ready, 200, 15*time.Second)
	waitAll(t, a, docs, 150*time.Second)
	recovered := time.Since(upAt)
	if worker.ProcessState != nil {
		t.Fatalf("the worker exited during the restart: %v", worker.ProcessState)
	}

	worker.Process.Signal(syscall.SIGTERM)
	if err := worker.Wait(); err != nil {
		t.Errorf("worker did not stop cleanly on SIGTERM: %v", err)
	}
	f := checkExactlyOnce(t, a, docs)
	fmt.Printf("fault: PostgreSQL restarted mid-batch (down %.0fs): documents=%d received_at_stop=%d jobs_running_at_stop=%d jobs=%d retried=%d failed_attempts=%d letters=%d readyz_503_after=%.1fs readyz_200_after=%.1fs all_done_after_restart=%.1fs total=%.1fs\n",
		outage.Seconds(), docs, received, running, f.jobs, f.retried, f.failures, f.letters,
		notReady.Seconds(), readyAgain.Seconds(), recovered.Seconds(), time.Since(start).Seconds())
}

// TestFaultWorkerKilled200 kills a worker with SIGKILL in the middle of a
// batch of 200 forms, starts another, and checks each document reaches
// needs_review exactly once and fsck is clean.
func TestFaultWorkerKilled200(t *testing.T) {
	withDataKey(t)
	if testing.Short() {
		t.Skip("kills a worker in a batch of 200")
	}
	const docs = 200
	a, _, cfg := testApp(t, 0, nil)
	bin := buildBinary(t)
	env := []string{"BLANKETT_STEP_DELAY=100ms", "BLANKETT_STEP_TIMEOUT=5s", "BLANKETT_RESCUE_AFTER=6s"}
	worker := startWorker(t, bin, cfg, env...)
	start := time.Now()
	ingestBatch(t, a, docs)
	ingested := time.Since(start)

	deadline := time.Now().Add(2 * time.Minute)
	for count(a.db, "select count(*) from river_job where state = 'running'") <= 0 ||
		count(a.db, "select count(*) from documents where state = 'needs_review'") < docs/4 {
		if time.Now().After(deadline) {
			t.Fatalf("the first worker made too little progress in 2 min: %s", stateSummary(a.db))
		}
		time.Sleep(5 * time.Millisecond)
	}
	worker.Process.Signal(syscall.SIGKILL)
	worker.Wait()
	killedAt := time.Now()
	finished := count(a.db, "select count(*) from documents where state = 'needs_review'")
	running := count(a.db, "select count(*) from river_job where state = 'running'")
	if finished == docs || running == 0 {
		t.Fatalf("at the kill %d of %d finished and %d jobs ran: not mid-batch", finished, docs, running)
	}

	worker = startWorker(t, bin, cfg, env...)
	deadline = time.Now().Add(3 * time.Minute)
	for count(a.db, "select count(*) from documents where state = 'needs_review'") < docs {
		if time.Now().After(deadline) {
			t.Fatalf("3 min after the restart: %s", stateSummary(a.db))
		}
		time.Sleep(100 * time.Millisecond)
	}
	recovered := time.Since(killedAt)
	worker.Process.Signal(syscall.SIGTERM)
	if err := worker.Wait(); err != nil {
		t.Errorf("worker did not stop cleanly on SIGTERM: %v", err)
	}
	if n := count(a.db, `select count(*) from (select document_id, after->>'state' from audit_events
		where action = 'document.state' group by 1, 2 having count(*) > 1) x`); n != 0 {
		t.Errorf("%d document states were reached more than once", n)
	}
	if n := count(a.db, "select count(*) from river_job where state <> 'completed' and "+pipelineJobs); n != 0 {
		t.Errorf("%d jobs not completed: %s", n, stateSummary(a.db))
	}
	r, err := storage.Fsck(context.Background(), a.db, a.blob, storage.FsckOptions{OrphanAge: -1})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Clean() {
		t.Errorf("fsck: %d problems: %+v", r.Problems(), r)
	}
	jobs := count(a.db, "select count(*) from river_job")
	retried := count(a.db, "select count(*) from river_job where attempt > 1")
	fmt.Printf("fault: worker SIGKILL in a batch of %d: ingested_in=%.1fs finished_before_kill=%d running_at_kill=%d jobs=%d retried=%d all_done_after_kill=%.1fs\n",
		docs, ingested.Seconds(), finished, running, jobs, retried, recovered.Seconds())
}

// emptyDatabase creates a database with nothing in it (a restore target)
// on the test server and drops it when the test ends.
func emptyDatabase(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	admin, err := storage.Open(ctx, storagetest.DatabaseURL(), nil)
	if err != nil {
		t.Skipf("PostgreSQL unavailable: %v", err)
	}
	name := fmt.Sprintf("blankett_restore_%d", time.Now().UnixNano())
	if _, err := admin.Exec(ctx, "create database "+name); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(context.Background(), "drop database if exists "+name+" with (force)")
		admin.Close()
	})
	u, err := url.Parse(storagetest.DatabaseURL())
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// envFor is the environment a child process needs for cfg's pair.
func envFor(bin string, dbURL string, blob storage.BlobConfig) []string {
	return append(os.Environ(), "BLANKETT_BIN="+bin, "BLANKETT_DATABASE_URL="+dbURL,
		"BLANKETT_S3_ENDPOINT="+blob.Endpoint, "BLANKETT_S3_ACCESS_KEY="+blob.AccessKey,
		"BLANKETT_S3_SECRET_KEY="+blob.SecretKey, "BLANKETT_S3_BUCKET="+blob.Bucket,
		"BLANKETT_S3_SSE="+strconv.FormatBool(blob.SSE))
}

// TestBackupRestore makes data with the pipeline, backs it up with
// scripts/backup.sh, restores it with scripts/restore.sh into a fresh
// database and bucket, and checks fsck is clean there and the documents,
// letters and bytes are the same.
func TestBackupRestore(t *testing.T) {
	withDataKey(t)
	if testing.Short() {
		t.Skip("backs up and restores")
	}
	if _, err := exec.LookPath("pg_dump"); err != nil {
		t.Skip("pg_dump not installed")
	}
	a, dbURL, cfg := testApp(t, 2, nil)
	startServer(t, a)
	const docs = 4
	ingestBatch(t, a, docs)
	deadline := time.Now().Add(2 * time.Minute)
	for count(a.db, "select count(*) from documents where state = 'needs_review'") < docs {
		if time.Now().After(deadline) {
			t.Fatalf("not all documents reached needs_review: %s", stateSummary(a.db))
		}
		time.Sleep(100 * time.Millisecond)
	}
	// One decided, so there are letters to restore too.
	var first int64
	a.db.QueryRow(context.Background(), "select min(id) from documents").Scan(&first)
	// The Part's postal address, from its agreement: a letter without one
	// is held, not made.
	fd, err := storage.GetDocument(context.Background(), a.db, first)
	if err != nil {
		t.Fatal(err)
	}
	recordAgreement(t, a, fd.Fields.Get("org_number"), fd.Fields.Get("org_name"))
	if _, err := a.pipeline.Decide(context.Background(), storage.Decision{DocumentID: first, Outcome: form.StateRejected,
		Reason: "Blanketten är inte komplett.", Actor: "granskare"}); err != nil {
		t.Fatal(err)
	}
	waitState(t, a, first, form.StateDone)
	if count(a.db, "select count(*) from letters") == 0 {
		t.Fatal("no letters made")
	}

	bin := buildBinary(t)
	dir := filepath.Join(t.TempDir(), "backup")
	backup := exec.Command("bash", "../../scripts/backup.sh", dir)
	backup.Env = envFor(bin, dbURL, cfg.Blob)
	if out, err := backup.CombinedOutput(); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}

	newDB := emptyDatabase(t)
	newBlob, newBlobCfg := storagetest.NewBlob(t)
	restore := exec.Command("bash", "../../scripts/restore.sh", dir)
	restore.Env = envFor(bin, newDB, newBlobCfg)
	out, err := restore.CombinedOutput()
	if err != nil {
		t.Fatalf("restore (fsck must be clean): %v\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("result: clean")) {
		t.Fatalf("restore did not end with a clean fsck:\n%s", out)
	}
	t.Logf("restore:\n%s", out)

	// A second restore into the same pair is refused.
	again := exec.Command("bash", "../../scripts/restore.sh", dir)
	again.Env = envFor(bin, newDB, newBlobCfg)
	if out, err := again.CombinedOutput(); err == nil {
		t.Fatalf("a restore over a restored database was not refused:\n%s", out)
	}

	ctx := context.Background()
	restored, err := storage.Open(ctx, newDB, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	dump := func(pool *storage.DB, sql string) string {
		rows, err := pool.Query(ctx, sql)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var b strings.Builder
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(&b, vals...)
		}
		return b.String()
	}
	for _, q := range []string{
		"select id, sha256, object_key, filename, state, kind, fields::text, findings::text, pages::text, received_at, updated_at from documents order by id",
		"select id, document_id, decision_id, recipient_key, object_key, sha256 from letters order by id",
		"select id, action, document_id, after::text from audit_events order by id",
	} {
		if got, want := dump(restored, q), dump(a.db, q); got != want {
			t.Errorf("restored rows differ for %q:\n got %s\nwant %s", q, got, want)
		}
	}
	keys, err := a.blob.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	newKeys, err := newBlob.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != len(newKeys) || len(keys) < docs {
		t.Fatalf("%d objects restored of %d", len(newKeys), len(keys))
	}
	for _, k := range keys {
		want, err := readObject(ctx, a.blob, k)
		if err != nil {
			t.Fatal(err)
		}
		got, err := readObject(ctx, newBlob, k)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("object %s: restored bytes differ", k)
		}
		oi, _ := a.blob.Stat(ctx, k)
		ni, _ := newBlob.Stat(ctx, k)
		if oi.SHA256 != ni.SHA256 || oi.ContentType != ni.ContentType {
			t.Errorf("object %s: metadata %+v, want %+v", k, ni, oi)
		}
	}
	r, err := storage.Fsck(ctx, restored, newBlob, storage.FsckOptions{OrphanAge: -1})
	if err != nil || !r.Clean() || len(r.YoungOrphans) > 0 {
		t.Fatalf("fsck of the restored pair: %+v %v", r, err)
	}
	fmt.Printf("backup and restore: documents=%d letters=%d objects=%d\n", r.Documents, r.Letters, r.Objects)
}

// TestFsckRepair breaks a pair in the ways --repair mends and checks that
// it does: a stuck document is queued again and reaches needs_review, a
// document whose original is gone is marked unreadable, and a young
// object without a row is left alone.
func TestFsckRepair(t *testing.T) {
	withDataKey(t)
	a, _, _ := testApp(t, 1, nil)
	startServer(t, a)
	ctx := context.Background()
	put := func(key string, data []byte) {
		if err := a.blob.Put(ctx, key, bytes.NewReader(data), int64(len(data)), "", "application/pdf"); err != nil {
			t.Fatal(err)
		}
	}
	insert := func(sha string, size int) int64 {
		id, _, err := storage.InsertDocument(ctx, a.db, storage.NewDocument{SHA256: sha, ObjectKey: "originals/" + sha,
			Filename: sha + ".pdf", MediaType: "application/pdf", SizeBytes: int64(size), Source: "test", State: form.StateReceived, Actor: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.db.Exec(ctx, "update documents set updated_at = now() - interval '2 hours' where id = $1", id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	// Received, its object stored, but its extract job lost.
	data := uniqueCopy(sample(t, "digital/9445-valid-new.pdf"), 1)
	put("originals/stuck", data)
	stuck := insert("stuck", len(data))
	lost := insert("lost", 10)
	put("originals/in-flight", []byte("%PDF-1.7 young"))

	var out bytes.Buffer
	opts := storage.FsckOptions{StuckAfter: time.Hour, OrphanAge: orphanAge}
	r, err := a.fsck(ctx, &out, opts, false)
	if err != nil {
		t.Fatal(err)
	}
	if r.Problems() != 3 || len(r.Stuck) != 2 || len(r.MissingOriginals) != 1 || len(r.YoungOrphans) != 1 {
		t.Fatalf("before repair: %d problems\n%s", r.Problems(), out.String())
	}
	out.Reset()
	r, err = a.fsck(ctx, &out, opts, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("fsck --repair:\n%s", out.String())
	if !r.Clean() {
		t.Fatalf("after repair: %d problems", r.Problems())
	}
	if d := waitState(t, a, stuck, form.StateNeedsReview); d.ExtractionVersion != 1 {
		t.Errorf("re-queued document read as version %d", d.ExtractionVersion)
	}
	d, err := storage.GetDocument(ctx, a.db, lost)
	if err != nil || d.State != form.StateUnreadable || d.StateMessage != storage.MissingOriginalMessage {
		t.Fatalf("document without original: %s %q %v", d.State, d.StateMessage, err)
	}
	if _, err := a.blob.Stat(ctx, "originals/in-flight"); err != nil {
		t.Fatalf("a young object was deleted: %v", err)
	}
	if n := count(a.db, "select count(*) from audit_events where action = 'document.requeued'"); n != 1 {
		t.Fatalf("%d re-queues audited, want 1", n)
	}
	if !strings.Contains(out.String(), "extract job queued") || !strings.Contains(out.String(), "marked unreadable") {
		t.Fatalf("report: %s", out.String())
	}
}
