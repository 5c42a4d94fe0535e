package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// peakRSS reads a process's peak resident set size (VmHWM) in bytes.
func peakRSS(pid int) (int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &kb)
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no VmHWM for %d", pid)
}

func freeAddr(tb testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// BenchmarkIngestHTTP uploads 1 MiB PDFs to a real `blankett serve` process
// over loopback from 8 concurrent clients and prints the throughput and
// the server's peak RSS. Target: at least 100 documents/s on 2 cores.
func BenchmarkIngestHTTP(b *testing.B) {
	const clients, perClient, size = 8, 50, 1 << 20
	_, _, cfg := testApp(b, 0, nil)
	bin := filepath.Join(b.TempDir(), "blankett")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	addr := freeAddr(b)
	srv := exec.Command(bin, "serve", "--workers", "0", "--addr", addr)
	srv.Env = append(os.Environ(),
		"BLANKETT_DATABASE_URL="+cfg.DatabaseURL, "BLANKETT_S3_ENDPOINT="+cfg.Blob.Endpoint,
		"BLANKETT_S3_ACCESS_KEY="+cfg.Blob.AccessKey, "BLANKETT_S3_SECRET_KEY="+cfg.Blob.SecretKey,
		"BLANKETT_S3_BUCKET="+cfg.Blob.Bucket, "BLANKETT_API_TOKEN="+testToken, "BLANKETT_SPOOL_DIR="+b.TempDir())
	srv.Stderr = io.Discard
	if err := srv.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { srv.Process.Kill(); srv.Wait() }()
	url := "http://" + addr
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(url + "/healthz"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Since(start) > 60*time.Second {
			b.Fatal("server did not start")
		}
	}
	base := fakePDF(size)
	var seq atomic.Int64
	post := func() error {
		body := bytes.Clone(base)
		binary.LittleEndian.PutUint64(body[16:], uint64(seq.Add(1))+uint64(time.Now().UnixNano()))
		pr, pw := io.Pipe()
		mw := multipart.NewWriter(pw)
		go func() {
			fw, _ := mw.CreateFormFile("file", "scan.pdf")
			fw.Write(body)
			pw.CloseWithError(mw.Close())
		}()
		req, _ := http.NewRequest("POST", url+"/api/v1/documents", pr)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+testToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		var wg sync.WaitGroup
		var failed atomic.Int64
		for range clients {
			wg.Go(func() {
				for range perClient {
					if err := post(); err != nil {
						failed.Add(1)
					}
				}
			})
		}
		wg.Wait()
		elapsed := time.Since(start)
		if failed.Load() > 0 {
			b.Fatalf("%d uploads failed", failed.Load())
		}
		rss, err := peakRSS(srv.Process.Pid)
		if err != nil {
			b.Fatal(err)
		}
		rate := float64(clients*perClient) / elapsed.Seconds()
		b.ReportMetric(rate, "docs/s")
		b.ReportMetric(float64(rss>>20), "peak-RSS-MiB")
		fmt.Printf("ingest over HTTP: %d × 1 MiB PDFs, %d clients: %.0f documents/s (target ≥ 100), server peak RSS %d MiB\n",
			clients*perClient, clients, rate, rss>>20)
	}
}
