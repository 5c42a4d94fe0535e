package pipeline

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"blankett/extract"
	"blankett/form"
	"blankett/storage"
)

// TooLargeError is returned when a file is over the size limit. Nothing of
// it is stored.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("file is larger than the limit of %d bytes", e.Limit)
}

// Upload is one file arriving.
type Upload struct {
	Filename string
	Source   string // "http", "cli" or "hotfolder"
	Actor    string
	Body     io.Reader
	// Spooled, when set, is Body's own file and no one else's: the whole
	// upload already spooled (an HTTP upload is read to its end before it
	// is stored). It is hashed and stored where it is, not copied to a
	// spool of its own again.
	Spooled *os.File
	// ReceivedAt is when the post arrived, when that is not now (a sample
	// with its own received date); zero means now.
	ReceivedAt time.Time
	// Envelope names the files that arrived together (one upload of several
	// files, one ingest command): a 9463 waits for the agreement that came
	// with it. "" for a file on its own.
	Envelope string
}

// NewEnvelope names a new envelope.
func NewEnvelope() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return "env-" + hex.EncodeToString(b)
}

// Received is the answer to an upload.
type Received struct {
	DocumentID  int64      `json:"id"`
	State       form.State `json:"state"`
	Message     string     `json:"message,omitempty"`
	Duplicate   bool       `json:"duplicate"`
	DuplicateOf int64      `json:"duplicate_of,omitempty"`
	SHA256      string     `json:"sha256"`
	Size        int64      `json:"size"`
	MediaType   string     `json:"media_type"`
}

// spool returns a file holding the whole upload, its size and SHA-256
// (hex), and what to do when done with the file: u.Spooled as it is, or
// Body streamed to a spool file while hashed. A body over the limit is
// *TooLargeError.
func (p *Pipeline) spool(u Upload) (f *os.File, n int64, sum string, done func(), err error) {
	h := sha256.New()
	if u.Spooled != nil {
		if _, err := u.Spooled.Seek(0, io.SeekStart); err != nil {
			return nil, 0, "", nil, fmt.Errorf("ingest: rewind spooled upload: %w", err)
		}
		n, err = io.Copy(h, io.LimitReader(u.Spooled, p.cfg.MaxUploadBytes+1))
		if err != nil {
			return nil, 0, "", nil, fmt.Errorf("ingest: read upload: %w", err)
		}
		if n > p.cfg.MaxUploadBytes {
			return nil, 0, "", nil, &TooLargeError{Limit: p.cfg.MaxUploadBytes}
		}
		return u.Spooled, n, hex.EncodeToString(h.Sum(nil)), func() {}, nil
	}
	f, err = os.CreateTemp(p.cfg.SpoolDir, "blankett-upload-*")
	if err != nil {
		return nil, 0, "", nil, fmt.Errorf("ingest: spool: %w", err)
	}
	done = func() {
		_ = f.Close()
		_ = os.Remove(f.Name())
	}
	n, err = io.Copy(io.MultiWriter(f, h), io.LimitReader(u.Body, p.cfg.MaxUploadBytes+1))
	if err == nil && n > p.cfg.MaxUploadBytes {
		err = &TooLargeError{Limit: p.cfg.MaxUploadBytes}
	} else if err != nil {
		err = fmt.Errorf("ingest: read upload: %w", err)
	}
	if err != nil {
		done()
		return nil, 0, "", nil, err
	}
	return f, n, hex.EncodeToString(h.Sum(nil)), done, nil
}

// Ingest stores a file and records it. The bytes are streamed to a spool
// file while hashed, never held whole in memory (a body spooled already,
// Upload.Spooled, is hashed where it is), stored in the object store
// under their SHA-256, and only then is the document row inserted, with the
// first job, in one transaction. The same bytes twice give one document;
// the second upload is answered as a duplicate of the first. A file that is
// not PDF, TIFF, PNG or JPEG is kept and recorded as unreadable. A file over
// the limit returns *TooLargeError and stores nothing.
func (p *Pipeline) Ingest(ctx context.Context, u Upload) (Received, error) {
	spool, n, sum, done, err := p.spool(u)
	if err != nil {
		return Received{}, err
	}
	defer done()
	head := make([]byte, extract.SniffLen)
	m, err := spool.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return Received{}, fmt.Errorf("ingest: sniff: %w", err)
	}
	mediaType, ok := extract.Sniff(head[:m])
	state, message := form.StateReceived, ""
	switch {
	case n == 0:
		state, message = form.StateUnreadable, "Filen är tom (0 byte). Skanna eller ladda upp dokumentet igen."
	case !ok:
		state, message = form.StateUnreadable, "Filen är varken PDF, TIFF, PNG eller JPEG och kan inte läsas. Originalet är sparat."
	}
	contentType := mediaType
	if contentType == "" {
		contentType = "application/octet-stream"
	}

	key := storage.OriginalKey(sum)
	if st, err := p.blob.Stat(ctx, key); err != nil || st.Size != n {
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			return Received{}, fmt.Errorf("ingest: %w", err)
		}
		if _, err := spool.Seek(0, io.SeekStart); err != nil {
			return Received{}, fmt.Errorf("ingest: rewind spool: %w", err)
		}
		if err := p.blob.Put(ctx, key, spool, n, sum, contentType); err != nil {
			return Received{}, fmt.Errorf("ingest: %w", err)
		}
	}

	res := Received{State: state, Message: message, SHA256: sum, Size: n, MediaType: mediaType}
	err = p.db.InTx(ctx, func(tx storage.Tx) error {
		id, dup, err := storage.InsertDocument(ctx, tx, storage.NewDocument{
			SHA256: sum, ObjectKey: key, Filename: u.Filename, MediaType: contentType, SizeBytes: n,
			Source: u.Source, State: state, StateMessage: message, Actor: u.Actor, Envelope: u.Envelope, ReceivedAt: u.ReceivedAt,
		})
		if err != nil {
			return err
		}
		res.DocumentID = id
		if dup {
			res.Duplicate, res.DuplicateOf, res.State = true, id, form.StateDuplicate
			res.Message = fmt.Sprintf("Samma fil har redan tagits emot som dokument %d.", id)
			return nil
		}
		if state == form.StateReceived {
			if _, err := p.river.InsertTx(ctx, tx, ExtractArgs{DocumentID: id}, nil); err != nil {
				return fmt.Errorf("insert extract job: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return Received{}, fmt.Errorf("ingest: record document: %w", err)
	}
	p.metrics.ingested.WithLabelValues(u.Source, string(res.State)).Inc()
	return res, nil
}
