package extract

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync"
	"syscall"
	"time"
)

// FaultEnv=1 arms test-only faults in the child: a file holding
// faultCrash makes it panic, one holding faultGarbage makes it answer with
// bytes that are no reply. They stand in for what a real parser cannot be
// made to do on demand; without the variable they do nothing.
const (
	FaultEnv     = "BLANKETT_EXTRACT_TEST_FAULT"
	faultCrash   = "BLANKETT-TEST-FAULT-CRASH"
	faultGarbage = "BLANKETT-TEST-FAULT-GARBAGE"
)

// RunChild is the child's side of the sandbox (`blankett extract-one`):
// args are its flags (--serve, --memory BYTES, --cpu SECONDS). The limits
// are set before anything else, newExtractor (Tesseract included) runs
// under them, then requests are read from stdin and answered on stdout
// until stdin ends (one request without --serve).
func RunChild(ctx context.Context, args []string, stdin io.Reader, logger *slog.Logger, newExtractor func() (*Extractor, error)) error {
	fs := flag.NewFlagSet("extract-one", flag.ContinueOnError)
	serve := fs.Bool("serve", false, "answer requests until stdin ends")
	memory := fs.Int64("memory", DefaultSandboxMemory, "address space limit in bytes (0: none)")
	cpu := fs.Int("cpu", int(DefaultSandboxCPU/time.Second), "processor seconds per document (0: none)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if err := childLimits(*memory, *cpu); err != nil {
		return err
	}
	// The protocol gets its own descriptor; whatever a C library prints
	// to stdout goes to stderr instead of into a reply.
	out, err := privateStdout()
	if err != nil {
		return err
	}
	defer out.Close()
	e, err := newExtractor()
	if err != nil {
		return fmt.Errorf("extract-one: %w", err)
	}
	w := bufio.NewWriterSize(out, 1<<16)
	if err := writeFrames(w, []byte(`{"ready":true}`)); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("extract-one: hello: %w", err)
	}
	in := bufio.NewReaderSize(stdin, 1<<16)
	var held childSet // the set of editions last sent
	// A page over its time budget is answered from a timer while OCR,
	// which cannot be stopped, still runs; the child then ends, and the
	// parent starts a fresh one for the next document. The lock and the
	// answered flag keep that answer from crossing the normal one.
	var (
		replyMu  sync.Mutex
		answered = true
		cpuAt    time.Duration
	)
	e.pageOverrun = func(err error) {
		replyMu.Lock() // held until the process ends
		if answered {  // the timer fired as the document was answered
			replyMu.Unlock()
			return
		}
		st := &replyStats{PeakRSSKB: procStatus("VmHWM"), PeakVMKB: procStatus("VmPeak"), CPUMicros: (cpuUsed() - cpuAt).Microseconds()}
		if werr := writeReply(out, nil, fmt.Errorf("%w: %w", errChildEnding, err), st); werr != nil {
			fmt.Fprintln(os.Stderr, "extract-one: page time budget: answer:", werr)
		}
		fmt.Fprintln(os.Stderr, "extract-one: page time budget exceeded:", err)
		os.Exit(exitPageTime)
	}
	for {
		b, err := readFrame(in, 1<<20)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("extract-one: request: %w", err)
		}
		var req request
		if err := jsonUnmarshalStrict(b, &req); err != nil {
			return fmt.Errorf("extract-one: request: %w", err)
		}
		set, setErr := held.read(in, req)
		var stream *streamError
		if errors.As(setErr, &stream) {
			return setErr
		}
		limit := req.Limits.MaxFileBytes
		if limit <= 0 {
			limit = DefaultLimits().MaxFileBytes
		}
		data, err := readFrame(in, int(limit))
		if err != nil {
			return fmt.Errorf("extract-one: request: %w", err)
		}
		cpuBefore := cpuUsed()
		replyMu.Lock()
		answered, cpuAt = false, cpuBefore
		replyMu.Unlock()
		if *cpu > 0 {
			// Without the limit a document could run unbounded: fail closed.
			if err := setCPULimit(cpuBefore + time.Duration(*cpu)*time.Second); err != nil {
				return err
			}
		}
		if os.Getenv(FaultEnv) == "1" {
			switch {
			case bytes.Contains(data, []byte(faultCrash)):
				panic("extract-one: test fault: crash")
			case bytes.Contains(data, []byte(faultGarbage)):
				// Test fault only: the parent is to see garbage, or nothing.
				_, _ = w.WriteString("this is not a reply\n")
				_ = w.Flush()
				return nil
			}
		}
		e.limits = req.Limits
		var res *Result
		var xerr error
		if setErr != nil {
			xerr = setErr // the file is read but not extracted: the parent sends the set again
		} else {
			res, xerr = e.ExtractWith(ctx, req.MediaType, data, set, req.Kind, req.Edition)
		}
		if xerr != nil && !isInput(xerr) {
			logger.Warn("extract-one: extraction failed", "error", xerr)
		}
		st := &replyStats{PeakRSSKB: procStatus("VmHWM"), PeakVMKB: procStatus("VmPeak"), CPUMicros: (cpuUsed() - cpuBefore).Microseconds()}
		replyMu.Lock()
		err = writeReply(out, res, xerr, st)
		answered = true
		replyMu.Unlock()
		if err != nil {
			return fmt.Errorf("extract-one: %w", err)
		}
		if !*serve {
			return nil
		}
	}
}

func isInput(err error) bool {
	_, ok := IsInputError(err)
	return ok
}

func jsonUnmarshalStrict(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

// childLimits sets the address space limit and the first CPU limit, and
// turns the CPU warning signal into exit status exitCPU (Go ignores
// SIGXCPU otherwise, leaving only the kernel's SIGKILL at the hard limit).
func childLimits(memory int64, cpu int) error {
	if memory > 0 {
		if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: uint64(memory), Max: uint64(memory)}); err != nil {
			return fmt.Errorf("extract-one: memory limit: %w", err)
		}
		// The collector works harder well before the hard limit.
		debug.SetMemoryLimit(memory / 2)
	}
	if cpu > 0 {
		sig := make(chan os.Signal, 1)
		signal.Notify(sig, syscall.SIGXCPU)
		go func() {
			<-sig
			fmt.Fprintln(os.Stderr, "extract-one: CPU time limit reached")
			os.Exit(exitCPU)
		}()
		if err := setCPULimit(time.Duration(cpu) * time.Second); err != nil {
			return err
		}
	}
	return nil
}

// setCPULimit sets the soft CPU limit at total processor time t; the
// kernel sends SIGXCPU when the process reaches it.
func setCPULimit(t time.Duration) error {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_CPU, &rl); err != nil {
		return fmt.Errorf("extract-one: cpu limit: %w", err)
	}
	rl.Cur = uint64((t + time.Second - 1) / time.Second) // #nosec G115 -- t is processor time used plus a positive allowance, never negative
	if rl.Max != ^uint64(0) && rl.Cur > rl.Max {
		rl.Cur = rl.Max
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_CPU, &rl); err != nil {
		return fmt.Errorf("extract-one: cpu limit: %w", err)
	}
	return nil
}

func cpuUsed() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procStatus reads a field in KiB (VmHWM: peak resident set, VmPeak:
// peak address space) from /proc/self/status.
func procStatus(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			var kb int64
			if _, err := fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb); err != nil {
				return -1
			}
			return kb
		}
	}
	return -1
}

// privateStdout moves the protocol to a new descriptor and points
// descriptor 1 at stderr.
func privateStdout() (*os.File, error) {
	fd, err := syscall.Dup(1)
	if err != nil {
		return nil, fmt.Errorf("extract-one: dup stdout: %w", err)
	}
	syscall.CloseOnExec(fd)
	if err := syscall.Dup3(2, 1, 0); err != nil {
		_ = syscall.Close(fd)
		return nil, fmt.Errorf("extract-one: stdout to stderr: %w", err)
	}
	return os.NewFile(uintptr(fd), "protocol"), nil
}
