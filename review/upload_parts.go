package review

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"blankett/pipeline"
)

// partOutcome is the answer for one file of a multipart upload: its
// status (201 stored, 413 over the limit, 500 not stored for a fault of
// ours), its sanitised name and, when stored, its document.
type partOutcome struct {
	Filename string `json:"filename"`
	Status   int    `json:"status"`
	Error    string `json:"error,omitempty"`
	*pipeline.Received
}

func (o partOutcome) stored() bool { return o.Received != nil }

// spooledPart is one file of an upload, read to the end and held on disk
// until the whole request has been read.
type spooledPart struct {
	name     string
	path     string
	tooLarge bool
}

// ingestParts reads the files of a multipart request and, only once the
// whole body has been read, hands them to the pipeline one by one. Each
// file gets its own outcome, so nothing is stored that the client is not
// told about: a file over the limit is answered 413 beside the others; a
// body cut off or too slow stores nothing and is answered 400 or 408 here
// (ok false). At most max files are taken (0: all); it answers 400 itself
// when the request holds no file.
func (s *Server) ingestParts(w http.ResponseWriter, r *http.Request, max int) ([]partOutcome, bool) {
	if s.cfg.Ingester == nil {
		writeError(w, http.StatusServiceUnavailable, "Uppladdning är avstängd i den här processen.")
		return nil, false
	}
	body := s.uploadBody(w, r)
	// The multipart reader asks for a few KiB at a time: reading the body
	// in larger pieces saves a system call and a deadline for each.
	r.Body = struct {
		io.Reader
		io.Closer
	}{bufio.NewReaderSize(body, uploadBuffer), body}
	mr, err := r.MultipartReader()
	if err != nil {
		writeError(w, http.StatusBadRequest, "Förväntade en multipart/form-data-uppladdning.")
		return nil, false
	}
	var parts []spooledPart
	defer func() {
		for _, p := range parts {
			if p.path != "" {
				_ = os.Remove(p.path)
			}
		}
	}()
	for max == 0 || len(parts) < max {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			s.uploadAborted(w, r, err)
			return nil, false
		}
		name, isFile := partFileName(part)
		if !isFile {
			_ = part.Close() // a form field: nothing to keep
			continue
		}
		sp, err := s.spoolPart(part, name)
		_ = part.Close()
		if sp.path != "" || sp.tooLarge {
			parts = append(parts, sp)
		}
		if err != nil {
			s.uploadAborted(w, r, err)
			return nil, false
		}
	}
	if len(parts) == 0 {
		writeError(w, http.StatusBadRequest, "Ingen fil i uppladdningen.")
		return nil, false
	}
	outcomes := make([]partOutcome, 0, len(parts))
	for _, p := range parts {
		o := partOutcome{Filename: p.name}
		if p.tooLarge {
			o.Status, o.Error = http.StatusRequestEntityTooLarge,
				fmt.Sprintf("Filen är för stor: högst %d MiB tas emot. Den sparades inte.", s.cfg.MaxUploadBytes>>20)
			outcomes = append(outcomes, o)
			continue
		}
		res, err := s.ingestSpooled(r, p)
		var tooLarge *pipeline.TooLargeError
		switch {
		case errors.As(err, &tooLarge):
			o.Status, o.Error = http.StatusRequestEntityTooLarge,
				fmt.Sprintf("Filen är för stor: högst %d MiB tas emot. Den sparades inte.", tooLarge.Limit>>20)
		case err != nil:
			s.cfg.Logger.ErrorContext(r.Context(), "upload failed", "error", err)
			o.Status, o.Error = statusOf(err), "Filen kunde inte tas emot. Försök igen."
		default:
			o.Status, o.Received = http.StatusCreated, &res
		}
		outcomes = append(outcomes, o)
	}
	return outcomes, true
}

func (s *Server) ingestSpooled(r *http.Request, p spooledPart) (pipeline.Received, error) {
	f, err := os.Open(p.path)
	if err != nil {
		return pipeline.Received{}, fmt.Errorf("open spooled upload: %w", err)
	}
	defer f.Close()
	return s.cfg.Ingester.Ingest(r.Context(), pipeline.Upload{Filename: p.name, Source: "http", Actor: actor(r), Body: f, Spooled: f})
}

// spoolPart copies one file part to a spool file, up to the upload limit;
// a larger file is read to its end and dropped.
func (s *Server) spoolPart(part io.Reader, name string) (spooledPart, error) {
	sp := spooledPart{name: name}
	f, err := os.CreateTemp(s.cfg.SpoolDir, "blankett-part-*")
	if err != nil {
		return sp, fmt.Errorf("spool upload: %w", err)
	}
	sp.path = f.Name()
	limit := s.cfg.MaxUploadBytes
	src := part
	if limit > 0 {
		src = io.LimitReader(part, limit+1)
	}
	// Written through a buffer (the file's own ReadFrom would write each
	// few KiB the multipart reader gives as it comes).
	bw := bufio.NewWriterSize(f, uploadBuffer)
	n, err := io.Copy(struct{ io.Writer }{bw}, src)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("spool upload: %w", cerr)
	}
	if err == nil && limit > 0 && n > limit {
		_ = os.Remove(sp.path)
		sp.path, sp.tooLarge = "", true
		_, err = io.Copy(io.Discard, part) // the rest of it, to reach the next part
	}
	return sp, err
}

// errUploadTimeout is an upload that was slower than its minimum rate or
// took longer than its deadline.
var errUploadTimeout = errors.New("upload too slow")

// uploadAborted answers a body that could not be read to its end: 408 when
// it was too slow, else 400. The client broke the upload, so this is a
// warning, not an error of ours; nothing of it is kept.
func (s *Server) uploadAborted(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errUploadTimeout) || errors.Is(err, os.ErrDeadlineExceeded) {
		s.cfg.Logger.WarnContext(r.Context(), "upload too slow: closed", "error", err)
		w.Header().Set("Connection", "close")
		writeError(w, http.StatusRequestTimeout, "Uppladdningen gick för långsamt och avbröts. Inget sparades.")
		return
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		s.cfg.Logger.ErrorContext(r.Context(), "upload: spool", "error", err)
		writeError(w, http.StatusInternalServerError, "Filen kunde inte tas emot. Försök igen.")
		return
	}
	s.cfg.Logger.WarnContext(r.Context(), "upload body cut off or malformed", "error", err)
	w.Header().Set("Connection", "close")
	writeError(w, http.StatusBadRequest, "Uppladdningen avbröts eller gick inte att läsa. Inget sparades.")
}

// answerParts writes the outcomes: 201 when every file was stored, the
// first failure's status when none was, 207 (Multi-Status) when some were.
func answerParts(w http.ResponseWriter, outcomes []partOutcome) {
	stored := 0
	firstFail := -1
	for i, o := range outcomes {
		if o.stored() {
			stored++
		} else if firstFail < 0 {
			firstFail = i
		}
	}
	body := map[string]any{"documents": outcomes}
	code := http.StatusCreated
	switch {
	case stored == 0:
		code = outcomes[firstFail].Status
		body["error"] = outcomes[firstFail].Error
	case firstFail >= 0:
		code = http.StatusMultiStatus
		body["error"] = fmt.Sprintf("%d av %d filer sparades; se varje fils status.", stored, len(outcomes))
	}
	writeJSON(w, code, body)
}

// partFileName is the sanitised file name of a multipart part and whether
// the part is a file at all. The name comes from the standard MIME parser;
// a Content-Disposition it cannot parse (an unescaped quote in the name)
// still marks a file, named from the header's raw filename parameter, so
// that no file is dropped unanswered.
func partFileName(p *multipart.Part) (string, bool) {
	cd := p.Header.Get("Content-Disposition")
	_, params, err := mime.ParseMediaType(cd)
	if err == nil {
		if n, ok := params["filename"]; ok {
			return sanitizeFileName(n), true
		}
		return "", false
	}
	lower := strings.ToLower(cd)
	i := strings.Index(lower, "filename")
	if i < 0 {
		return "", false
	}
	raw := cd[i+len("filename"):]
	raw = strings.TrimPrefix(strings.TrimLeft(raw, "* "), "=")
	raw = strings.TrimSpace(raw)
	if strings.HasPrefix(raw, `"`) {
		raw = raw[1:]
		if j := strings.LastIndex(raw, `"`); j >= 0 {
			raw = raw[:j]
		}
	} else if j := strings.IndexByte(raw, ';'); j >= 0 {
		raw = raw[:j]
	}
	return sanitizeFileName(raw), true
}

// maxFileNameBytes bounds a stored file name.
const maxFileNameBytes = 255

// sanitizeFileName keeps the last element of a path (either slash), as
// valid UTF-8 without control characters, at most 255 bytes; an empty
// result is "namnlös".
func sanitizeFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ToValidUTF8(name, "\uFFFD")
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\uFEFF' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	for len(name) > maxFileNameBytes {
		_, size := utf8.DecodeLastRuneInString(name)
		name = name[:len(name)-size]
	}
	if name == "" || name == "." || name == ".." {
		return "namnlös"
	}
	return name
}

// uploadBody wraps a request body so that the upload keeps to its deadline
// and its minimum rate: before each read the connection's read deadline is
// set to the earlier of the request's deadline and the time by which the
// bytes so far plus one would still meet the minimum rate (after a grace
// period). A client trickling bytes is cut off there, and its connection
// closed.
func (s *Server) uploadBody(w http.ResponseWriter, r *http.Request) io.ReadCloser {
	now := time.Now()
	b := &rateLimitedBody{rc: http.NewResponseController(w), body: r.Body, start: now,
		minRate: s.cfg.UploadMinRate, grace: min(uploadGrace, s.cfg.UploadTimeout/4), deadline: now.Add(s.cfg.UploadTimeout)}
	// The answer may be written after the whole upload was read and stored.
	_ = b.rc.SetWriteDeadline(b.deadline.Add(2 * time.Minute))
	return b
}

// uploadBuffer is the size of the buffers an upload is read and spooled
// through.
const uploadBuffer = 256 << 10

// uploadGrace is how long an upload may take before its minimum rate
// applies (a slow start, TLS, a busy proxy), at most a quarter of the
// upload's deadline.
const uploadGrace = 10 * time.Second

type rateLimitedBody struct {
	rc       *http.ResponseController
	body     io.ReadCloser
	start    time.Time
	n        int64
	minRate  int64 // bytes a second; 0: none
	grace    time.Duration
	deadline time.Time
}

func (b *rateLimitedBody) Read(p []byte) (int, error) {
	d := b.deadline
	if b.minRate > 0 {
		due := b.start.Add(b.grace + time.Duration(float64(b.n+1)/float64(b.minRate)*float64(time.Second)))
		d = minTime(d, due)
	}
	if time.Now().After(d) {
		return 0, errUploadTimeout
	}
	if err := b.rc.SetReadDeadline(d); err != nil && !errors.Is(err, http.ErrNotSupported) {
		return 0, fmt.Errorf("upload: set read deadline: %w", err)
	}
	n, err := b.body.Read(p)
	b.n += int64(n)
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		err = fmt.Errorf("%w: %d bytes in %s", errUploadTimeout, b.n, time.Since(b.start).Round(time.Millisecond))
	}
	return n, err
}

func (b *rateLimitedBody) Close() error { return b.body.Close() }

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
