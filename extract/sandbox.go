package extract

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"blankett/form"
)

// The sandbox runs extraction of untrusted files in child processes of
// the same binary (`blankett extract-one --serve`), each under an address
// space limit (RLIMIT_AS), a CPU-time limit per document (RLIMIT_CPU) and
// a wall-clock deadline kept by the parent. A crash, a limit or garbage on
// the child's stdout then fails that one document with a Swedish message
// (an *InputError); the worker and the other documents carry on.
//
// Protocol, over the child's stdin and stdout, in frames of a 4-byte
// big-endian length and that many bytes:
//
//	child → parent  hello   {"ready":true}            once, after start-up
//	parent → child  request {"media_type":…,"limits":…,"set":…,"templates":N,…},
//	                then N frames of template JSON when the child does not
//	                hold that set of editions yet (sandbox_set.go), then the file
//	child → parent  reply   {"result":…,"images":[…]} or {"error":…},
//	                        then one frame of raw grey pixels per image
//
// A child handles one document at a time and serves until its stdin ends;
// the parent replaces it after a failure or after DocsPerChild documents.

// SandboxConfig tunes a Sandbox. Zero fields take the defaults.
type SandboxConfig struct {
	// Command starts a child: the binary and its arguments before the
	// sandbox's own flags (default: this executable, "extract-one").
	Command []string
	// Env is added to the child's environment (OMP_THREAD_LIMIT=1 always
	// is).
	Env []string
	// Limits are checked by the child before decoding.
	Limits Limits
	// Memory is the child's address space limit in bytes (default 3 GiB:
	// a child reserves about 1.5 GiB of address space before it reads
	// anything, Go's heap and Tesseract included, while a page needs 100–200
	// MiB resident).
	Memory int64
	// CPU is the processor time one document may use (default 120 s).
	CPU time.Duration
	// Timeout is the wall time one document may take (default 180 s).
	Timeout time.Duration
	// Children is how many documents are extracted at once, each in its
	// own child (default 1).
	Children int
	// DocsPerChild is how many documents a child extracts before it is
	// replaced (default 50; 1 starts a fresh child for every document).
	DocsPerChild int
	// MaxRSS replaces a child after a document that took its resident
	// memory past this many bytes (default 768 MiB): the Go heap and the
	// C allocator keep what a large page once needed, and the next
	// documents should not start from there.
	MaxRSS int64
	// IdleTimeout ends a child that has waited this long for work
	// (default 5 minutes).
	IdleTimeout time.Duration
	// StartTimeout bounds a child's start-up, Tesseract included
	// (default 60 s).
	StartTimeout time.Duration
	Logger       *slog.Logger
}

// Sandbox defaults.
const (
	DefaultSandboxMemory  = 3 << 30
	DefaultSandboxCPU     = 120 * time.Second
	DefaultSandboxTimeout = 180 * time.Second
	DefaultSandboxMaxRSS  = 768 << 20
)

func (c *SandboxConfig) defaults() error {
	if len(c.Command) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("sandbox: own executable: %w", err)
		}
		c.Command = []string{exe, "extract-one"}
	}
	if c.Limits == (Limits{}) {
		c.Limits = DefaultLimits()
	}
	if c.Memory <= 0 {
		c.Memory = DefaultSandboxMemory
	}
	if c.CPU <= 0 {
		c.CPU = DefaultSandboxCPU
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultSandboxTimeout
	}
	if c.Limits.DocTime == 0 {
		// A file that will not finish in time fails early (Limits.DocTime).
		c.Limits.DocTime = c.Timeout
	}
	if c.Children <= 0 {
		c.Children = 1
	}
	if c.DocsPerChild <= 0 {
		c.DocsPerChild = 50
	}
	if c.MaxRSS <= 0 {
		c.MaxRSS = DefaultSandboxMaxRSS
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 5 * time.Minute
	}
	if c.StartTimeout <= 0 {
		c.StartTimeout = 60 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}

// Sandbox extracts files in child processes. It is safe for concurrent
// use; it has the same Extract method as Extractor.
type Sandbox struct {
	cfg   SandboxConfig
	slots chan struct{}

	mu     sync.Mutex
	idle   []*child
	closed bool

	setMu   sync.Mutex
	lastSet *encodedSet // the set last sent, encoded (sandbox_set.go)
}

// NewSandbox makes a sandbox. Children start when first needed.
func NewSandbox(cfg SandboxConfig) (*Sandbox, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	return &Sandbox{cfg: cfg, slots: make(chan struct{}, cfg.Children)}, nil
}

// Close ends the idle children. Documents in flight finish; their children
// are ended afterwards.
func (s *Sandbox) Close() {
	s.mu.Lock()
	idle := s.idle
	s.idle, s.closed = nil, true
	s.mu.Unlock()
	for _, c := range idle {
		c.retire()
	}
}

// Stats describe one document's run in a child.
type Stats struct {
	Wall      time.Duration // in the parent: waiting for a child excluded
	Started   bool          // a child was started for this document
	PeakRSSKB int64         // the child's peak resident set so far (VmHWM)
	PeakVMKB  int64         // the child's peak address space so far (VmPeak), what RLIMIT_AS bounds
	ChildCPU  time.Duration // processor time the child spent on the document
}

// Extract reads a file in a child process.
func (s *Sandbox) Extract(ctx context.Context, mediaType string, data []byte) (*Result, error) {
	res, _, err := s.extract(ctx, mediaType, data)
	return res, err
}

func (s *Sandbox) extract(ctx context.Context, mediaType string, data []byte, job ...sandboxJob) (*Result, Stats, error) {
	var j sandboxJob
	if len(job) > 0 {
		j = job[0]
	}
	var st Stats
	if err := checkBytes(len(data), s.cfg.Limits); err != nil {
		return nil, st, err
	}
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, st, fmt.Errorf("sandbox: wait for a child: %w", ctx.Err())
	}
	defer func() { <-s.slots }()
	start := time.Now()
	for attempt := 0; ; attempt++ {
		c, started, err := s.take(ctx)
		if err != nil {
			return nil, st, err
		}
		st.Started = st.Started || started
		res, cst, err := s.run(ctx, c, mediaType, data, j, attempt > 0)
		if errors.Is(err, errStale) {
			continue // a child that died while idle: once more with a fresh one
		}
		st.PeakRSSKB, st.PeakVMKB, st.ChildCPU, st.Wall = cst.PeakRSSKB, cst.PeakVMKB, cst.ChildCPU, time.Since(start)
		return res, st, err
	}
}

// errChildEnding marks the last reply of a child that ends after it.
var errChildEnding = errors.New("sandbox: the child ends after this document")

// errStale marks a child that could not take a request: it died before
// the document reached it.
var errStale = errors.New("sandbox: child gone before the request")

// take returns an idle child or starts one.
func (s *Sandbox) take(ctx context.Context) (*child, bool, error) {
	s.mu.Lock()
	for len(s.idle) > 0 {
		c := s.idle[len(s.idle)-1]
		s.idle = s.idle[:len(s.idle)-1]
		if c.timer != nil && !c.timer.Stop() {
			continue // its idle time ran out just now; it is being retired
		}
		s.mu.Unlock()
		return c, false, nil
	}
	s.mu.Unlock()
	c, err := s.start(ctx)
	if err != nil {
		return nil, false, err
	}
	return c, true, nil
}

// put returns a healthy child to the pool, or retires it after its quota.
func (s *Sandbox) put(c *child) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed || c.docs >= s.cfg.DocsPerChild {
		go c.retire()
		return
	}
	s.idle = append(s.idle, c)
	c.timer = time.AfterFunc(s.cfg.IdleTimeout, func() {
		s.mu.Lock()
		for i, ic := range s.idle {
			if ic == c {
				s.idle = append(s.idle[:i], s.idle[i+1:]...)
				break
			}
		}
		s.mu.Unlock()
		c.retire()
	})
}

// putAfter returns a child to the pool after a document, or replaces it
// when the document took its memory past MaxRSS.
func (s *Sandbox) putAfter(ctx context.Context, c *child, st Stats) {
	if rss := st.PeakRSSKB << 10; rss > s.cfg.MaxRSS {
		s.cfg.Logger.InfoContext(ctx, "sandbox: child replaced: its memory grew past the bound", "peak_rss_mib", rss>>20, "bound_mib", s.cfg.MaxRSS>>20)
		go c.retire()
		return
	}
	s.put(c)
}

// child is one running `extract-one --serve`.
type child struct {
	cmd     *exec.Cmd
	in      *os.File // the child's stdin
	out     *bufio.Reader
	outFile *os.File
	stderr  *tail
	docs    int
	timer   *time.Timer
	set     string        // the digest of the set of editions it holds ("" for its built-in one)
	done    chan struct{} // closed once the process is reaped
	killed  bool          // by the parent
}

// start runs a child and waits for its hello.
func (s *Sandbox) start(ctx context.Context) (*child, error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("sandbox: pipe: %w", err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		_ = inR.Close()
		_ = inW.Close()
		return nil, fmt.Errorf("sandbox: pipe: %w", err)
	}
	args := append(append([]string{}, s.cfg.Command[1:]...), "--serve",
		"--memory", strconv.FormatInt(s.cfg.Memory, 10),
		"--cpu", strconv.Itoa(int(s.cfg.CPU.Round(time.Second)/time.Second)))
	// #nosec G204 -- the configured blankett binary itself (os.Executable by default) with arguments built here; no shell
	cmd := exec.Command(s.cfg.Command[0], args...)
	// Two malloc arenas: glibc reserves 64 MiB of address space for each
	// thread's arena otherwise, which RLIMIT_AS counts.
	cmd.Env = append(append(os.Environ(), "OMP_THREAD_LIMIT=1", "MALLOC_ARENA_MAX=2"), s.cfg.Env...)
	cmd.Stdin, cmd.Stdout = inR, outW
	c := &child{cmd: cmd, in: inW, outFile: outR, out: bufio.NewReaderSize(outR, 1<<16), stderr: &tail{max: 8 << 10}, done: make(chan struct{})}
	cmd.Stderr = c.stderr
	// Its own process group, so that a kill reaches what it runs
	// (pdftoppm); killed with the parent.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	err = cmd.Start()
	// The child holds its own copies of these ends now.
	_ = inR.Close()
	_ = outW.Close()
	if err != nil {
		_ = inW.Close()
		_ = outR.Close()
		return nil, fmt.Errorf("sandbox: start %s: %w", s.cfg.Command[0], err)
	}
	go func() {
		// Its exit status says nothing the reply (or its absence) does not.
		_ = cmd.Wait()
		close(c.done)
	}()
	hello := make(chan error, 1)
	go func() {
		var h struct {
			Ready bool `json:"ready"`
		}
		b, err := readFrame(c.out, 1<<10)
		if err == nil {
			err = json.Unmarshal(b, &h)
		}
		if err == nil && !h.Ready {
			err = errors.New("no hello")
		}
		hello <- err
	}()
	timer := time.NewTimer(s.cfg.StartTimeout)
	defer timer.Stop()
	select {
	case err = <-hello:
	case <-timer.C:
		err = fmt.Errorf("no hello within %v", s.cfg.StartTimeout)
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		c.kill()
		<-c.done
		return nil, fmt.Errorf("sandbox: start child: %w (%s)", err, c.stderr.lastLine())
	}
	return c, nil
}

// kill ends the child and everything it started.
func (c *child) kill() {
	select {
	case <-c.done:
	default:
		c.killed = true
		// Fails only if the group is gone already.
		_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
	}
	_ = c.in.Close()
	_ = c.outFile.Close()
}

// retire lets the child end at the end of its input, killing it if it
// does not within a few seconds.
func (c *child) retire() {
	_ = c.in.Close()
	select {
	case <-c.done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
		<-c.done
	}
	_ = c.outFile.Close()
}

// request is the header of a request.
type request struct {
	MediaType string `json:"media_type"`
	Limits    Limits `json:"limits"`
	// Set names the editions to read with, Templates how many template
	// frames follow the header (sandbox_set.go); Kind and Edition force an
	// edition.
	Set       string    `json:"set,omitempty"`
	Templates int       `json:"templates,omitempty"`
	Kind      form.Kind `json:"kind,omitempty"`
	Edition   string    `json:"edition,omitempty"`
}

// reply is the header of a reply.
type reply struct {
	Result *Result     `json:"result,omitempty"`
	Images []imageRef  `json:"images,omitempty"`
	Error  *replyError `json:"error,omitempty"`
	Stats  *replyStats `json:"stats,omitempty"`
}

// imageRef places a page image that follows the header.
type imageRef struct {
	Doc, Page, W, H int
}

type replyError struct {
	Ending  bool   `json:"ending,omitempty"` // the child ends after this reply (a page ran past its time budget)
	Input   bool   `json:"input"`            // the file's fault: the document is unreadable
	Message string `json:"message"`          // Swedish, for people (input errors)
	Detail  string `json:"detail"`           // for the log
}

type replyStats struct {
	PeakRSSKB int64 `json:"peak_rss_kb"`
	PeakVMKB  int64 `json:"peak_vm_kb"`
	CPUMicros int64 `json:"cpu_us"`
}

// childError is an error the child reported (it is still healthy).
type childError struct{ e *replyError }

func (c *childError) Error() string { return c.e.Detail }

// run sends one document to c and reads the answer within the timeout.
// lastTry makes a child's death while reading the request the document's
// fault rather than a stale child.
func (s *Sandbox) run(ctx context.Context, c *child, mediaType string, data []byte, job sandboxJob, lastTry bool) (*Result, Stats, error) {
	tctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	type answer struct {
		res *Result
		st  Stats
		err error
	}
	ch := make(chan answer, 1)
	go func() {
		hdr, templates := job.header(c, mediaType, s.cfg.Limits)
		frames := append(append([][]byte{hdr}, templates...), data)
		if err := writeFrames(c.in, frames...); err != nil {
			ch <- answer{err: fmt.Errorf("%w: %w", errStale, err)}
			return
		}
		res, st, err := readReply(c.out)
		ch <- answer{res, st, err}
	}()
	var a answer
	select {
	case a = <-ch:
	case <-tctx.Done():
		c.kill()
		<-ch
		<-c.done
		if err := ctx.Err(); err != nil {
			return nil, Stats{}, fmt.Errorf("sandbox: extraction cancelled: %w", err)
		}
		s.cfg.Logger.WarnContext(ctx, "sandbox: extraction timed out; child killed", "timeout", s.cfg.Timeout)
		return nil, Stats{}, &InputError{Message: fmt.Sprintf("Filen kunde inte läsas: bearbetningen tog längre tid än %v och avbröts", s.cfg.Timeout),
			Err: fmt.Errorf("sandbox: timeout after %v", s.cfg.Timeout)}
	}
	var ce *childError
	switch {
	case a.err == nil:
		c.set = job.digest()
		c.docs++
		s.putAfter(ctx, c, a.st)
		return a.res, a.st, nil
	case errors.As(a.err, &ce):
		c.set = ""
		if ce.e.Input {
			c.set = job.digest() // the set was taken; the file was not
		}
		c.docs++
		if ce.e.Ending {
			go c.retire() // it answered and ends: never handed another document
		} else {
			s.putAfter(ctx, c, a.st)
		}
		if ce.e.Input {
			return nil, a.st, &InputError{Message: ce.e.Message, Err: errors.New(ce.e.Detail)}
		}
		return nil, a.st, fmt.Errorf("sandbox: extract: %w", a.err)
	case errors.Is(a.err, errStale) && !lastTry:
		c.kill()
		<-c.done
		return nil, Stats{}, a.err
	}
	// The child died (its output ended), or wrote something that is not
	// a reply.
	garbage := a.err
	if errors.Is(a.err, io.EOF) || errors.Is(a.err, io.ErrUnexpectedEOF) || errors.Is(a.err, errStale) {
		garbage = nil // its end says why
		select {
		case <-c.done:
		case <-time.After(2 * time.Second):
		}
	}
	c.kill()
	<-c.done
	return nil, Stats{}, s.failure(c, garbage)
}

// failure turns a child's death into the document's InputError.
func (s *Sandbox) failure(c *child, garbage error) error {
	ps := c.cmd.ProcessState
	how := "exit"
	if ps != nil {
		how = ps.String()
	}
	detail := fmt.Errorf("sandbox: child %s: %s", how, c.stderr.lastLine())
	errOut := c.stderr.String()
	var msg string
	ws, _ := ps.Sys().(syscall.WaitStatus)
	switch {
	case garbage != nil:
		msg = "Filen kunde inte läsas: bearbetningen gav ett ogiltigt svar"
		detail = fmt.Errorf("sandbox: bad reply: %w", garbage)
	case memoryExhausted(errOut):
		msg = fmt.Sprintf("Filen kunde inte läsas: bearbetningen överskred minnesgränsen (%d MB)", s.cfg.Memory>>20)
	case ps != nil && (ps.ExitCode() == exitCPU || (ws.Signaled() && (ws.Signal() == syscall.SIGXCPU || ws.Signal() == syscall.SIGKILL) && !c.killed)):
		msg = fmt.Sprintf("Filen kunde inte läsas: bearbetningen överskred tidsgränsen för processorn (%v)", s.cfg.CPU)
	default:
		msg = "Filen kunde inte läsas: bearbetningen avbröts av ett fel vid tolkningen av filen"
	}
	s.cfg.Logger.Warn("sandbox: child failed on a document", "reason", msg, "detail", detail.Error())
	return &InputError{Message: msg, Err: detail}
}

// memoryExhausted recognises the ways a process reports a failed
// allocation under RLIMIT_AS: the Go runtime, C++ and Leptonica.
func memoryExhausted(stderr string) bool {
	for _, s := range []string{"out of memory", "cannot allocate memory", "bad_alloc", "malloc fail", "failed to allocate", "memory allocation failed",
		"pthread_create failed"} {
		if strings.Contains(strings.ToLower(stderr), s) {
			return true
		}
	}
	return false
}

// Exit statuses of a child: its CPU time ran out; a page ran past its
// time budget (after it answered for the document).
const (
	exitCPU      = 3
	exitPageTime = 4
)

// maxReplyHeader bounds a reply's JSON header.
const maxReplyHeader = 64 << 20

// readReply reads a reply: its header, then its images.
func readReply(r io.Reader) (*Result, Stats, error) {
	b, err := readFrame(r, maxReplyHeader)
	if err != nil {
		return nil, Stats{}, err
	}
	var rp reply
	if err := json.Unmarshal(b, &rp); err != nil {
		return nil, Stats{}, fmt.Errorf("reply header: %w", err)
	}
	var st Stats
	if rp.Stats != nil {
		st.PeakRSSKB, st.PeakVMKB, st.ChildCPU = rp.Stats.PeakRSSKB, rp.Stats.PeakVMKB, time.Duration(rp.Stats.CPUMicros)*time.Microsecond
	}
	if rp.Error != nil {
		return nil, st, &childError{rp.Error}
	}
	if rp.Result == nil {
		return nil, st, errors.New("reply without a result")
	}
	for _, ref := range rp.Images {
		if ref.Doc < 0 || ref.Doc >= len(rp.Result.Documents) || ref.Page < 0 || ref.Page >= len(rp.Result.Documents[ref.Doc].Pages) ||
			ref.W <= 0 || ref.H <= 0 || int64(ref.W)*int64(ref.H) > 1<<28 {
			return nil, st, fmt.Errorf("reply: bad image %+v", ref)
		}
		img := image.NewGray(image.Rect(0, 0, ref.W, ref.H))
		if err := readFrameInto(r, img.Pix); err != nil {
			return nil, st, fmt.Errorf("reply image: %w", err)
		}
		rp.Result.Documents[ref.Doc].Pages[ref.Page].Image = img
	}
	return rp.Result, st, nil
}

// writeReply writes res (or err) and its images.
func writeReply(w io.Writer, res *Result, err error, st *replyStats) error {
	rp := reply{Stats: st}
	var images []*image.Gray
	if err != nil {
		re := &replyError{Detail: err.Error(), Ending: errors.Is(err, errChildEnding)}
		if ie, ok := IsInputError(err); ok {
			re.Input, re.Message = true, ie.Message
		}
		rp.Error = re
	} else {
		// A copy without the pixels, which follow as frames.
		out := *res
		out.Documents = make([]Document, len(res.Documents))
		for i, d := range res.Documents {
			d.Pages = append([]Page(nil), d.Pages...)
			for j := range d.Pages {
				if img := d.Pages[j].Image; img != nil {
					b := img.Bounds()
					rp.Images = append(rp.Images, imageRef{Doc: i, Page: j, W: b.Dx(), H: b.Dy()})
					images = append(images, img)
					d.Pages[j].Image = nil
				}
			}
			out.Documents[i] = d
		}
		rp.Result = &out
	}
	hdr, merr := json.Marshal(rp)
	if merr != nil {
		return fmt.Errorf("encode reply: %w", merr)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := writeFrames(bw, hdr); err != nil {
		return err
	}
	for _, img := range images {
		b := img.Bounds()
		n := b.Dx() * b.Dy()
		if n < 0 || n > math.MaxUint32 {
			return fmt.Errorf("write reply: page image of %d pixels", n)
		}
		if err := binary.Write(bw, binary.BigEndian, uint32(n)); err != nil {
			return fmt.Errorf("write reply: %w", err)
		}
		for y := b.Min.Y; y < b.Max.Y; y++ {
			i := img.PixOffset(b.Min.X, y)
			if _, err := bw.Write(img.Pix[i : i+b.Dx()]); err != nil {
				return fmt.Errorf("write reply: %w", err)
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write reply: %w", err)
	}
	return nil
}

func writeFrames(w io.Writer, frames ...[]byte) error {
	for _, f := range frames {
		size := len(f)
		if size > math.MaxUint32 {
			return fmt.Errorf("write frame: %d bytes", size)
		}
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(size))
		if _, err := w.Write(n[:]); err != nil {
			return fmt.Errorf("write frame: %w", err)
		}
		if _, err := w.Write(f); err != nil {
			return fmt.Errorf("write frame: %w", err)
		}
	}
	return nil
}

func readFrame(r io.Reader, limit int) ([]byte, error) {
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, fmt.Errorf("read frame: %w", err)
	}
	size := binary.BigEndian.Uint32(n[:])
	if int64(size) > int64(limit) {
		return nil, fmt.Errorf("read frame: %d bytes, more than %d", size, limit)
	}
	b := make([]byte, size)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("read frame: %w", err)
	}
	return b, nil
}

// readFrameInto reads a frame of exactly len(b) bytes into b.
func readFrameInto(r io.Reader, b []byte) error {
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return fmt.Errorf("read frame: %w", err)
	}
	if size := binary.BigEndian.Uint32(n[:]); int(size) != len(b) {
		return fmt.Errorf("read frame: %d bytes, want %d", size, len(b))
	}
	if _, err := io.ReadFull(r, b); err != nil {
		return fmt.Errorf("read frame: %w", err)
	}
	return nil
}

// tail keeps the first and the last bytes written to it (a child's
// stderr): a Go crash says why at the start of its trace.
type tail struct {
	mu   sync.Mutex
	max  int
	head []byte
	b    []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if room := t.max/4 - len(t.head); room > 0 {
		t.head = append(t.head, p[:min(room, len(p))]...)
	}
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append([]byte(nil), t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.head) + "\n…\n" + string(t.b)
}

// lastLine is what ended the child, shortened, for error details: a Go
// panic or fatal error line, else the last line.
func (t *tail) lastLine() string {
	s := strings.TrimSpace(t.String())
	lines := strings.Split(s, "\n")
	s = lines[len(lines)-1]
	for _, l := range lines {
		if strings.HasPrefix(l, "panic:") || strings.HasPrefix(l, "fatal error:") {
			s = l
			break
		}
	}
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}
