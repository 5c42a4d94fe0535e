package main

import (
	"context"
	"fmt"
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
)

// buildBinary builds cmd/blankett once per test.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "blankett")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// startWorker runs `blankett worker` as a child process on cfg's database
// and bucket.
func startWorker(t *testing.T, bin string, cfg config, extra ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "worker", "--workers", "2")
	cmd.Env = append(os.Environ(),
		"BLANKETT_DATABASE_URL="+cfg.DatabaseURL,
		"BLANKETT_S3_ENDPOINT="+cfg.Blob.Endpoint,
		"BLANKETT_S3_ACCESS_KEY="+cfg.Blob.AccessKey,
		"BLANKETT_S3_SECRET_KEY="+cfg.Blob.SecretKey,
		"BLANKETT_S3_BUCKET="+cfg.Blob.Bucket,
		"BLANKETT_S3_SSE="+strconv.FormatBool(cfg.Blob.SSE),
	)
	cmd.Env = append(cmd.Env, extra...)
	log, err := os.Create(filepath.Join(t.TempDir(), "worker.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("start worker: %v", err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
		log.Close()
		if t.Failed() {
			// What the worker said last: why it made no progress.
			out, _ := os.ReadFile(log.Name())
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			t.Logf("worker log, last lines:\n%s", strings.Join(lines[max(0, len(lines)-30):], "\n"))
		}
	})
	return cmd
}

func countState(t *testing.T, a *app, s form.State) int {
	t.Helper()
	var n int
	if err := a.db.QueryRow(context.Background(), "select count(*) from documents where state=$1", s).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestWorkerKilledMidBatch kills a worker process with SIGKILL in the middle
// of a batch, starts a new one, and checks that every document reaches its
// last automatic state exactly once.
func TestWorkerKilledMidBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a worker process; about a minute")
	}
	t.Parallel()
	const docs = 60
	a, _, cfg := testApp(t, 0, nil)
	bin := buildBinary(t)
	// A step's timeout leaves room for a sandbox child's start under make
	// test's load (5 s did not: timed-out steps waited out River's
	// backoff, and the worker made no progress); jobs left running by the
	// kill are rescued a second after it.
	env := []string{"BLANKETT_STEP_DELAY=300ms", "BLANKETT_STEP_TIMEOUT=30s", "BLANKETT_RESCUE_AFTER=31s"}
	worker := startWorker(t, bin, cfg, env...)

	ctx := context.Background()
	// Fillable PDFs: read from their form fields, so a batch is quick.
	form9445 := sample(t, "digital/9445-valid-new.pdf")
	for i := range docs {
		if _, err := a.pipeline.Ingest(ctx, pipeline.Upload{Filename: fmt.Sprintf("scan-%03d.pdf", i), Source: "test", Body: newReader(uniqueCopy(form9445, i))}); err != nil {
			t.Fatal(err)
		}
	}
	// Generous for the same reason as waitState's.
	deadline := time.Now().Add(180 * time.Second)
	// Kill while jobs are in flight, once a quarter of the batch is through:
	// the jobs running are counted last, just before the kill, so that
	// none finishes in between (counting the documents first took long
	// enough under make test's load for both running jobs to end).
	for {
		if countState(t, a, form.StateNeedsReview) >= docs/4 {
			var running int
			if err := a.db.QueryRow(ctx, "select count(*) from river_job where state='running'").Scan(&running); err != nil {
				t.Fatal(err)
			}
			if running > 0 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the first worker made no progress in 180 s: %s", stateSummary(a.db))
		}
		time.Sleep(5 * time.Millisecond)
	}
	worker.Process.Signal(syscall.SIGKILL)
	worker.Wait()
	killedAt := time.Now()
	finished := countState(t, a, form.StateNeedsReview)
	if finished == docs {
		t.Fatal("the whole batch finished before the kill: the test did not kill mid-batch")
	}
	var running int
	if err := a.db.QueryRow(ctx, "select count(*) from river_job where state='running'").Scan(&running); err != nil {
		t.Fatal(err)
	}
	if running == 0 {
		t.Fatal("no job was running at the kill")
	}

	worker = startWorker(t, bin, cfg, env...)
	deadline = time.Now().Add(3 * time.Minute)
	for countState(t, a, form.StateNeedsReview) < docs {
		if time.Now().After(deadline) {
			t.Fatalf("after restart only %d of %d documents finished in 3 min", countState(t, a, form.StateNeedsReview), docs)
		}
		time.Sleep(100 * time.Millisecond)
	}
	recovered := time.Since(killedAt)
	worker.Process.Signal(syscall.SIGTERM)
	if err := worker.Wait(); err != nil {
		t.Errorf("worker did not stop cleanly on SIGTERM: %v", err)
	}

	var twice int
	a.db.QueryRow(ctx, `select count(*) from (select document_id, after->>'state' from audit_events
		where action='document.state' group by 1, 2 having count(*) > 1) x`).Scan(&twice)
	if twice != 0 {
		t.Fatalf("%d document states were reached more than once", twice)
	}
	var jobs, retried int
	a.db.QueryRow(ctx, "select count(*), count(*) filter (where attempt > 1) from river_job").Scan(&jobs, &retried)
	var notDone int
	a.db.QueryRow(ctx, "select count(*) from river_job where state <> 'completed' and "+pipelineJobs).Scan(&notDone)
	if notDone != 0 {
		t.Fatalf("%d jobs not completed: %s", notDone, stateSummary(a.db))
	}
	t.Logf("SIGKILL mid-batch: %d documents, %d finished before the kill, %d jobs running at the kill, %d jobs in all, %d run more than once, all done %.1f s after the kill",
		docs, finished, running, jobs, retried, recovered.Seconds())
	fmt.Printf("fault: worker SIGKILL mid-batch: documents=%d finished_before_kill=%d running_at_kill=%d jobs=%d retried=%d recovery=%.1fs\n",
		docs, finished, running, jobs, retried, recovered.Seconds())
}
