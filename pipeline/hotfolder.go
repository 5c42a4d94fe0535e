package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Watch ingests files dropped into dir until ctx ends. A file is taken once
// its size has not changed between two scans (so a scanner still writing it
// is left alone), and is moved to dir/done/ or dir/failed/ only after its
// document row has committed (or ingest refused it, with the reason in a
// .error.txt file beside it). Hidden files and sub-folders are ignored.
func (p *Pipeline) Watch(ctx context.Context, dir string, every time.Duration) error {
	for _, sub := range []string{"done", "failed"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o750); err != nil {
			return fmt.Errorf("hot folder: %w", err)
		}
	}
	seen := map[string]int64{}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return fmt.Errorf("hot folder: %w", err)
		}
		next := map[string]int64{}
		for _, e := range entries {
			if !e.Type().IsRegular() || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			info, err := e.Info()
			if err != nil {
				continue // gone since ReadDir
			}
			if last, ok := seen[e.Name()]; !ok || last != info.Size() {
				next[e.Name()] = info.Size()
				continue
			}
			if err := p.ingestFile(ctx, dir, e.Name()); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				p.logger.ErrorContext(ctx, "hot folder", "error", err)
			}
		}
		seen = next
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

func (p *Pipeline) ingestFile(ctx context.Context, dir, name string) error {
	path := filepath.Join(dir, name)
	res, err := p.IngestFile(ctx, path, Upload{Source: "hotfolder"})
	var tooLarge *TooLargeError
	switch {
	case errors.As(err, &tooLarge):
		msg := fmt.Sprintf("Filen är för stor: högst %d MiB tas emot.\n", tooLarge.Limit>>20)
		if werr := os.WriteFile(filepath.Join(dir, "failed", name+".error.txt"), []byte(msg), 0o600); werr != nil {
			return fmt.Errorf("hot folder: %w", werr)
		}
		return moveInto(path, filepath.Join(dir, "failed"))
	case err != nil:
		return err // left in place: tried again on the next scan
	}
	p.logger.InfoContext(ctx, "hot folder: received", "document_id", res.DocumentID, "state", res.State, "duplicate", res.Duplicate)
	return moveInto(path, filepath.Join(dir, "done"))
}

// IngestFile ingests one file from disk; u says where it came from (its
// Filename and Body are the file's).
func (p *Pipeline) IngestFile(ctx context.Context, path string, u Upload) (Received, error) {
	f, err := os.Open(path) // #nosec G304 -- a file in the operator's hot folder or named on the command line
	if err != nil {
		return Received{}, fmt.Errorf("ingest %s: %w", filepath.Base(path), err)
	}
	defer f.Close()
	u.Filename, u.Body = filepath.Base(path), f
	if u.Actor == "" {
		u.Actor = u.Source
	}
	return p.Ingest(ctx, u)
}

// moveInto moves a file into dir, never overwriting one already there.
func moveInto(path, dir string) error {
	base := filepath.Base(path)
	target := filepath.Join(dir, base)
	for i := 1; ; i++ {
		if _, err := os.Lstat(target); errors.Is(err, fs.ErrNotExist) {
			break
		}
		ext := filepath.Ext(base)
		target = filepath.Join(dir, fmt.Sprintf("%s.%d%s", strings.TrimSuffix(base, ext), i, ext))
	}
	if err := os.Rename(path, target); err != nil {
		return fmt.Errorf("hot folder: move %s: %w", base, err)
	}
	return nil
}
