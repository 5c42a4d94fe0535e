package storagetest

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"blankett/storage"
)

// minioVersion is the MinIO the project runs (as scripts/services.sh).
const minioVersion = "v0.0.0-20260212201848-7aac2a2c5b7c"

// MinIO is a MinIO server of a test's own, on its own port and data
// directory, which the test may stop and start again.
type MinIO struct {
	bin, dir, addr, console string
	env                     []string
	kms                     bool
	drives                  int
	cmd                     *exec.Cmd
	log                     *os.File
}

// MinIOOptions tune a test's MinIO.
type MinIOOptions struct {
	// KMS gives the server a built-in KMS key, so that server-side
	// encryption works.
	KMS bool
	// Drives, when above 1, runs the server in erasure-coded mode on that
	// many drive folders of one node (DriveDir names them).
	Drives int
}

// repoRoot finds the module's root (where go.mod is) above the working
// directory.
func repoRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// FreePort returns a TCP port nobody listens on just now.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// StartMinIO starts a MinIO server for this test (the binary services.sh
// builds into .local/tools, built here when missing) and stops it when the
// test ends.
func StartMinIO(t testing.TB, opts MinIOOptions) *MinIO {
	t.Helper()
	tools := filepath.Join(repoRoot(t), ".local", "tools")
	bin := filepath.Join(tools, "minio")
	if _, err := os.Stat(bin); err != nil {
		t.Log("building MinIO (once; about two minutes)")
		cmd := exec.Command("go", "install", "github.com/minio/minio@"+minioVersion)
		cmd.Env = append(os.Environ(), "GOBIN="+tools, "GOFLAGS=-buildvcs=false")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("build MinIO: %v\n%s", err, out)
		}
	}
	dir := t.TempDir()
	log, err := os.Create(filepath.Join(dir, "minio.log")) // #nosec G304 -- in the test's own temporary directory
	if err != nil {
		t.Fatal(err)
	}
	m := &MinIO{bin: bin, dir: filepath.Join(dir, "data"), log: log,
		addr: fmt.Sprintf("127.0.0.1:%d", FreePort(t)), console: fmt.Sprintf("127.0.0.1:%d", FreePort(t)),
		env: []string{"MINIO_ROOT_USER=blankett", "MINIO_ROOT_PASSWORD=blankett-dev-secret", "MINIO_BROWSER=off"}}
	if opts.Drives > 1 {
		m.drives = opts.Drives
		for i := 1; i <= m.drives; i++ {
			if err := os.MkdirAll(m.DriveDir(i), 0o750); err != nil {
				t.Fatal(err)
			}
		}
		// Erasure-coded mode refuses drives on the root disk, as all of a
		// test's folders are, unless told it runs in CI.
		m.env = append(m.env, "MINIO_CI_CD=1")
	}
	if opts.KMS {
		m.kms = true
		key := make([]byte, 32)
		_, _ = rand.Read(key)
		m.env = append(m.env, "MINIO_KMS_SECRET_KEY=blankett-test:"+base64.StdEncoding.EncodeToString(key))
	}
	m.Start(t)
	t.Cleanup(func() {
		m.Stop(t)
		_ = log.Close() // the server's log, only read by a person after a failure
	})
	return m
}

// Start starts the server (again) and waits until it answers.
func (m *MinIO) Start(t testing.TB) {
	t.Helper()
	dir := m.dir
	if m.drives > 1 {
		dir = fmt.Sprintf("%s{1...%d}", m.dir, m.drives) // MinIO expands the ellipsis: one node, erasure-coded
	}
	// #nosec G204 -- the MinIO binary built into .local/tools, arguments built here; no shell
	cmd := exec.Command(m.bin, "server", dir, "--address", m.addr, "--console-address", m.console)
	cmd.Env = append(os.Environ(), m.env...)
	cmd.Stdout, cmd.Stderr = m.log, m.log
	if err := cmd.Start(); err != nil {
		t.Fatalf("start MinIO: %v", err)
	}
	m.cmd = cmd
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + m.addr + "/minio/health/ready")
		if err == nil {
			_ = resp.Body.Close() // only the status matters
			// Ready for health checks is not yet ready for requests
			// ("Server not initialized yet"): wait until the bucket
			// can be made.
			if resp.StatusCode == 200 {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				_, err := storage.OpenBlob(ctx, m.BlobConfig())
				cancel()
				if err == nil {
					return
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("MinIO did not start on %s; see %s", m.addr, m.log.Name())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Stop stops the server, gracefully if it lets itself.
func (m *MinIO) Stop(t testing.TB) {
	t.Helper()
	if m.cmd == nil {
		return
	}
	// Errors here mean the server has ended already; Wait reaps it either way.
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = m.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = m.cmd.Process.Kill()
		<-done
	}
	m.cmd = nil
}

// DriveDir is the folder of drive i (from 1) of an erasure-coded server.
func (m *MinIO) DriveDir(i int) string { return fmt.Sprintf("%s%d", m.dir, i) }

// BlobConfig points at the server's bucket "blankett".
func (m *MinIO) BlobConfig() storage.BlobConfig {
	// #nosec G101 -- the dev credentials of this throwaway test server (MINIO_ROOT_USER/PASSWORD above), not a real secret
	return storage.BlobConfig{Endpoint: m.addr, AccessKey: "blankett", SecretKey: "blankett-dev-secret", Bucket: "blankett", SSE: m.kms}
}
