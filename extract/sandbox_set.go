package extract

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"blankett/form"
)

// The active set of editions reaches a child with the request. A child
// keeps the last set it was sent, named by a digest of its templates; the
// parent sends the templates (one frame of JSON each, between the request
// header and the file) only to a child that does not hold that set yet, so
// a request is as small as before while the set stays the same.
//
//	parent → child  request {"media_type":…,"limits":…,"set":DIGEST,"templates":N,
//	                         "kind":…,"edition":…},
//	                then N frames of template JSON (N = 0 when the child
//	                holds the set), then the file

// Bounds on a set sent to a child.
const (
	maxSetTemplates     = 64
	maxTemplateBytes    = 4 << 20
	maxSetBytes         = 16 << 20
	errSetNotHeldDetail = "sandbox: the child does not hold the set the request names"
)

// encodedSet is a set as it is sent to children.
type encodedSet struct {
	set    *form.Set
	digest string
	frames [][]byte
}

// encodeSet turns a set into template frames and their digest.
func encodeSet(set *form.Set) (*encodedSet, error) {
	ts := set.Templates()
	if len(ts) > maxSetTemplates {
		return nil, fmt.Errorf("sandbox: a set of %d editions, more than %d", len(ts), maxSetTemplates)
	}
	enc := &encodedSet{set: set}
	total := 0
	for _, t := range ts {
		b, err := json.Marshal(t)
		if err != nil {
			return nil, fmt.Errorf("sandbox: encode template %s: %w", t.ID(), err)
		}
		if len(b) > maxTemplateBytes {
			return nil, fmt.Errorf("sandbox: template %s is %d bytes, more than %d", t.ID(), len(b), maxTemplateBytes)
		}
		total += len(b)
		enc.frames = append(enc.frames, b)
	}
	if total > maxSetBytes {
		return nil, fmt.Errorf("sandbox: a set of %d bytes, more than %d", total, maxSetBytes)
	}
	enc.digest = setDigest(enc.frames)
	return enc, nil
}

// setDigest names a set by its template frames.
func setDigest(frames [][]byte) string {
	h := sha256.New()
	for _, f := range frames {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(f)))
		h.Write(n[:])
		h.Write(f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// encoded returns set's frames, encoding it once per set (the pipeline
// hands the same *form.Set to every job until the templates change).
func (s *Sandbox) encoded(set *form.Set) (*encodedSet, error) {
	s.setMu.Lock()
	defer s.setMu.Unlock()
	if s.lastSet != nil && s.lastSet.set == set {
		return s.lastSet, nil
	}
	enc, err := encodeSet(set)
	if err != nil {
		return nil, err
	}
	s.lastSet = enc
	return enc, nil
}

// ExtractWith reads a file in a child process with the editions of set
// (the child's built-in set when nil), as the given edition of kind when
// edition is not empty (see Extractor.ExtractWith).
func (s *Sandbox) ExtractWith(ctx context.Context, mediaType string, data []byte, set *form.Set, kind form.Kind, edition string) (*Result, error) {
	job := sandboxJob{kind: kind, edition: edition}
	if set != nil {
		enc, err := s.encoded(set)
		if err != nil {
			return nil, err
		}
		job.set = enc
	}
	res, _, err := s.extract(ctx, mediaType, data, job)
	return res, err
}

// sandboxJob is what a request asks of a child besides the file.
type sandboxJob struct {
	set     *encodedSet // nil: the child's built-in set
	kind    form.Kind
	edition string
}

// header is the request header for c: the set's templates go along when c
// does not hold the set.
func (j sandboxJob) header(c *child, mediaType string, limits Limits) (hdr []byte, templates [][]byte) {
	req := request{MediaType: mediaType, Limits: limits, Kind: j.kind, Edition: j.edition}
	if j.set != nil {
		req.Set = j.set.digest
		if c.set != j.set.digest {
			templates = j.set.frames
			req.Templates = len(templates)
		}
	}
	hdr, _ = json.Marshal(req)
	return hdr, templates
}

// digest names the job's set ("" for the built-in one).
func (j sandboxJob) digest() string {
	if j.set == nil {
		return ""
	}
	return j.set.digest
}

// childSet is the child's side: the set it holds.
type childSet struct {
	digest string
	set    *form.Set
}

// read takes a request's template frames (after its header) and returns
// the set the request names: nil for the built-in one. The frames are
// read in full even when they are refused, so the file frame that follows
// is still read as the file.
func (cs *childSet) read(in io.Reader, req request) (*form.Set, error) {
	if req.Templates < 0 || req.Templates > maxSetTemplates {
		return nil, &streamError{fmt.Errorf("extract-one: request: %d templates", req.Templates)}
	}
	if req.Templates > 0 {
		frames := make([][]byte, 0, req.Templates)
		total := 0
		for i := 0; i < req.Templates; i++ {
			b, err := readFrame(in, maxTemplateBytes)
			if err != nil {
				return nil, &streamError{fmt.Errorf("extract-one: template %d: %w", i+1, err)}
			}
			if total += len(b); total > maxSetBytes {
				return nil, &streamError{fmt.Errorf("extract-one: a set of more than %d bytes", maxSetBytes)}
			}
			frames = append(frames, b)
		}
		cs.digest, cs.set = "", nil
		if got := setDigest(frames); got != req.Set {
			return nil, fmt.Errorf("extract-one: the templates sent are not the set %.12s the request names", req.Set)
		}
		set, err := form.ParseSet(frames...)
		if err != nil {
			return nil, fmt.Errorf("extract-one: set: %w", err)
		}
		cs.digest, cs.set = req.Set, set
	}
	if req.Set == "" {
		return nil, nil
	}
	if req.Set != cs.digest {
		return nil, errors.New(errSetNotHeldDetail)
	}
	return cs.set, nil
}

// streamError is a request the child cannot read to its end: it ends.
type streamError struct{ err error }

func (e *streamError) Error() string { return e.err.Error() }
func (e *streamError) Unwrap() error { return e.err }
