package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"blankett/form"
	"blankett/storage"
)

// orphanAge is how old an object without a row must be before fsck takes
// it for an orphan and --repair deletes it: an upload in flight puts its
// object before its row commits.
const orphanAge = time.Hour

// errProblems is returned when fsck leaves problems behind (exit status 1).
var errProblems = errors.New("problems remain")

func runFsck(ctx context.Context, logger *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("fsck", flag.ContinueOnError)
	stuck := fs.Duration("stuck", time.Hour, "a document unchanged this long in received, extracted, approved or rejected with no live job is stuck")
	repair := fs.Bool("repair", false, "re-queue stuck documents, delete orphan objects older than an hour, mark documents whose original is gone unreadable")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %v", fs.Args())
	}
	a, err := openTool(ctx, logger)
	if err != nil {
		return err
	}
	defer a.close()
	r, err := a.fsck(ctx, os.Stdout, storage.FsckOptions{StuckAfter: *stuck, OrphanAge: orphanAge}, *repair)
	if err != nil {
		return err
	}
	if n := r.Problems(); n > 0 {
		return fmt.Errorf("%d %w", n, errProblems)
	}
	return nil
}

// fsck checks the database against the bucket, prints the report to w and,
// when repair is set, repairs what it can and checks again. It returns the
// last report.
func (a *app) fsck(ctx context.Context, w io.Writer, opts storage.FsckOptions, repair bool) (storage.FsckReport, error) {
	r, err := storage.Fsck(ctx, a.db, a.blob, opts)
	if err != nil {
		return r, err
	}
	printFsck(w, a.blob.Bucket(), r, opts)
	if !repair || r.Problems() == 0 {
		return r, nil
	}
	fmt.Fprintln(w, "\nrepair:")
	if err := a.repair(ctx, w, r); err != nil {
		return r, err
	}
	r, err = storage.Fsck(ctx, a.db, a.blob, opts)
	if err != nil {
		return r, err
	}
	fmt.Fprintln(w, "\nafter repair:")
	printFsck(w, a.blob.Bucket(), r, opts)
	return r, nil
}

func printFsck(w io.Writer, bucket string, r storage.FsckReport, opts storage.FsckOptions) {
	fmt.Fprintf(w, "bucket %s: %d objects; database: %d documents, %d letters\n", bucket, r.Objects, r.Documents, r.Letters)
	section := func(title string, n int) bool {
		fmt.Fprintf(w, "%-62s %d\n", title+":", n)
		return n > 0
	}
	const stamp = "2006-01-02 15:04"
	if section("objects without a row (orphans)", len(r.Orphans)) {
		for _, o := range r.Orphans {
			fmt.Fprintf(w, "  %s  %d bytes, stored %s\n", o.Key, o.Size, o.LastModified.Local().Format(stamp))
		}
	}
	if len(r.YoungOrphans) > 0 {
		section("objects without a row yet, younger than "+opts.OrphanAge.String()+" (left alone)", len(r.YoungOrphans))
	}
	if section("objects outside originals/, pages/, letters/ (left alone)", len(r.Foreign)) {
		for _, o := range r.Foreign {
			fmt.Fprintf(w, "  %s\n", o.Key)
		}
	}
	if section("documents whose original is missing", len(r.MissingOriginals)) {
		for _, m := range r.MissingOriginals {
			note := ""
			if m.State == form.StateUnreadable {
				note = " (already marked unreadable)"
			}
			fmt.Fprintf(w, "  document %d (%s): %s%s\n", m.DocumentID, m.State, m.Key, note)
		}
	}
	if section("page images missing", len(r.MissingPages)) {
		for _, m := range r.MissingPages {
			fmt.Fprintf(w, "  document %d (%s): %s\n", m.DocumentID, m.State, m.Key)
		}
	}
	if section("letters whose PDF is missing", len(r.MissingLetters)) {
		for _, m := range r.MissingLetters {
			fmt.Fprintf(w, "  letter %d of document %d: %s\n", m.LetterID, m.DocumentID, m.Key)
		}
	}
	if section("documents stuck (no live job, unchanged for "+opts.StuckAfter.String()+")", len(r.Stuck)) {
		for _, s := range r.Stuck {
			fmt.Fprintf(w, "  document %d: %s since %s\n", s.ID, s.State, s.UpdatedAt.Local().Format(stamp))
		}
	}
	if section("document counts per state and form that are off", len(r.Counts)) {
		for _, c := range r.Counts {
			fmt.Fprintf(w, "  %s %s: kept %d, counted %d\n", c.State, c.Kind, c.Kept, c.Counted)
		}
	}
	if n := r.Problems(); n > 0 {
		fmt.Fprintf(w, "result: %d problems\n", n)
	} else {
		fmt.Fprintln(w, "result: clean")
	}
}

// repair re-queues stuck documents, deletes orphans older than orphanAge,
// marks documents whose original is gone unreadable and counts the
// documents per state afresh when the kept counts are off. Missing page
// images and letter PDFs cannot be made again here; they stay reported.
func (a *app) repair(ctx context.Context, w io.Writer, r storage.FsckReport) error {
	if len(r.Counts) > 0 {
		if err := storage.Recount(ctx, a.db); err != nil {
			return err
		}
		fmt.Fprintln(w, "  document counts per state and form: counted afresh")
		a.logger.InfoContext(ctx, "fsck: documents recounted")
	}
	for _, m := range r.MissingOriginals {
		if m.State == form.StateUnreadable {
			continue
		}
		marked, err := storage.MarkOriginalMissing(ctx, a.db, m.DocumentID, "fsck")
		if err != nil {
			return err
		}
		if marked {
			fmt.Fprintf(w, "  document %d: original missing, marked unreadable\n", m.DocumentID)
			a.logger.InfoContext(ctx, "fsck: marked unreadable", "document_id", m.DocumentID)
		} else {
			fmt.Fprintf(w, "  document %d: original missing, but the document is %s: left for a person\n", m.DocumentID, m.State)
		}
	}
	for _, o := range r.Orphans {
		deleted, err := storage.DeleteOrphan(ctx, a.db, a.blob, o.Key, orphanAge)
		if err != nil {
			return err
		}
		if deleted {
			fmt.Fprintf(w, "  %s: deleted (no row)\n", o.Key)
			a.logger.InfoContext(ctx, "fsck: deleted orphan object", "key", o.Key)
		} else {
			fmt.Fprintf(w, "  %s: kept (a row or a newer copy appeared)\n", o.Key)
		}
	}
	for _, s := range r.Stuck {
		kind, err := a.pipeline.Requeue(ctx, s)
		if err != nil {
			return err
		}
		if kind == "" {
			fmt.Fprintf(w, "  document %d: no longer stuck, nothing queued\n", s.ID)
			continue
		}
		fmt.Fprintf(w, "  document %d (%s): %s job queued\n", s.ID, s.State, kind)
		a.logger.InfoContext(ctx, "fsck: re-queued", "document_id", s.ID, "state", string(s.State), "job", kind)
	}
	return nil
}

// objectEntry is one object of a bucket export.
type objectEntry struct {
	Key         string `json:"key"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
	ContentType string `json:"content_type"`
}

// manifestName names the list of an export's objects. It is written last,
// so its presence marks a complete export.
const manifestName = "manifest.json"

func runObjects(ctx context.Context, logger *slog.Logger, args []string) error {
	if len(args) != 2 || (args[0] != "export" && args[0] != "import") {
		return errors.New("usage: blankett objects export DIR | blankett objects import DIR")
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	blob, err := storage.OpenBlob(ctx, cfg.Blob)
	if err != nil {
		return err
	}
	if args[0] == "export" {
		n, size, err := exportObjects(ctx, logger, blob, args[1])
		if err != nil {
			return err
		}
		fmt.Printf("exported %d objects (%d bytes) from bucket %s to %s\n", n, size, blob.Bucket(), args[1])
		return nil
	}
	n, size, err := importObjects(ctx, blob, args[1])
	if err != nil {
		return err
	}
	fmt.Printf("imported %d objects (%d bytes) from %s into bucket %s\n", n, size, args[1], blob.Bucket())
	return nil
}

// objectPath is where an object's bytes live in an export.
func objectPath(dir, key string) (string, error) {
	if !filepath.IsLocal(filepath.FromSlash(key)) {
		return "", fmt.Errorf("object key %q is not a safe path", key)
	}
	return filepath.Join(dir, "objects", filepath.FromSlash(key)), nil
}

// exportObjects copies every object of the bucket into dir/objects/KEY and
// lists them, with their SHA-256 and content type, in dir/manifest.json.
func exportObjects(ctx context.Context, logger *slog.Logger, blob *storage.Blob, dir string) (n int, size int64, err error) {
	// #nosec G703 -- dir is the export folder given by the operator on the command line
	if _, err := os.Stat(filepath.Join(dir, manifestName)); err == nil {
		return 0, 0, fmt.Errorf("export objects: %s holds an export already", dir)
	}
	keys, err := blob.List(ctx, "")
	if err != nil {
		return 0, 0, fmt.Errorf("export objects: %w", err)
	}
	manifest := make([]objectEntry, 0, len(keys))
	for _, key := range keys {
		e, err := exportObject(ctx, blob, dir, key)
		if err != nil {
			return 0, 0, fmt.Errorf("export objects: %w", err)
		}
		if e.recorded != "" && e.recorded != e.SHA256 {
			logger.WarnContext(ctx, "object bytes differ from their recorded SHA-256", "key", key)
		}
		manifest = append(manifest, e.objectEntry)
		size += e.Size
	}
	b, err := json.MarshalIndent(manifest, "", "  ")
	if err != nil {
		return 0, 0, fmt.Errorf("export objects: %w", err)
	}
	if err := writeFileSync(filepath.Join(dir, manifestName), b); err != nil {
		return 0, 0, fmt.Errorf("export objects: %w", err)
	}
	return len(manifest), size, nil
}

type exported struct {
	objectEntry
	recorded string // the SHA-256 the object's metadata names
}

func exportObject(ctx context.Context, blob *storage.Blob, dir, key string) (exported, error) {
	path, err := objectPath(dir, key)
	if err != nil {
		return exported{}, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return exported{}, err
	}
	rc, info, err := blob.Get(ctx, key)
	if err != nil {
		return exported{}, err
	}
	defer rc.Close()
	// #nosec G304 -- under the operator's export folder; objectPath rejects keys that are not local paths
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return exported{}, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), rc)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return exported{}, fmt.Errorf("copy %s: %w", key, err)
	}
	if n != info.Size {
		return exported{}, fmt.Errorf("copy %s: read %d bytes of %d", key, n, info.Size)
	}
	return exported{
		objectEntry: objectEntry{Key: key, Size: n, SHA256: hex.EncodeToString(h.Sum(nil)), ContentType: info.ContentType},
		recorded:    info.SHA256,
	}, nil
}

func writeFileSync(path string, b []byte) error {
	// #nosec G304 G703 -- the manifest in the export folder given by the operator on the command line
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		_ = f.Close() // the write error is the one to report
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// importObjects puts every object of an export into an empty bucket, each
// checked against its SHA-256 first.
func importObjects(ctx context.Context, blob *storage.Blob, dir string) (n int, size int64, err error) {
	b, err := os.ReadFile(filepath.Join(dir, manifestName)) // #nosec G304 G703 -- the export folder given by the operator on the command line
	if err != nil {
		return 0, 0, fmt.Errorf("import objects: no complete export in %s: %w", dir, err)
	}
	var manifest []objectEntry
	if err := json.Unmarshal(b, &manifest); err != nil {
		return 0, 0, fmt.Errorf("import objects: %s: %w", manifestName, err)
	}
	existing, err := blob.List(ctx, "")
	if err != nil {
		return 0, 0, fmt.Errorf("import objects: %w", err)
	}
	if len(existing) > 0 {
		return 0, 0, fmt.Errorf("import objects: bucket %s is not empty (%d objects): restore into a fresh bucket", blob.Bucket(), len(existing))
	}
	for _, e := range manifest {
		if err := importObject(ctx, blob, dir, e); err != nil {
			return n, size, fmt.Errorf("import objects: %w", err)
		}
		n++
		size += e.Size
	}
	return n, size, nil
}

func importObject(ctx context.Context, blob *storage.Blob, dir string, e objectEntry) error {
	path, err := objectPath(dir, e.Key)
	if err != nil {
		return err
	}
	f, err := os.Open(path) // #nosec G304 -- under the operator's export folder; objectPath rejects keys that are not local paths
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return fmt.Errorf("read %s: %w", e.Key, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != e.SHA256 || n != e.Size {
		return fmt.Errorf("%s: the file's bytes do not match the manifest (%d bytes, want %d)", e.Key, n, e.Size)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	contentType := e.ContentType
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	return blob.Put(ctx, e.Key, f, e.Size, e.SHA256, contentType)
}
