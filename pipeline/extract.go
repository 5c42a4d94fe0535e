package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image/jpeg"
	"io"
	"strconv"

	"github.com/riverqueue/river"

	"blankett/extract"
	"blankett/form"
	"blankett/storage"
	"blankett/validate"
)

// extract runs the extractor on a received document, stores the page
// images, and records the result in one transaction with the next jobs: a
// file that cannot be read ends unreadable; a batch becomes one document
// per form it holds, each going on to validation on its own.
func (p *Pipeline) extract(ctx context.Context, job *river.Job[ExtractArgs], doc storage.Document) error {
	data, err := p.original(ctx, doc)
	if err != nil {
		return err
	}
	set, err := p.ActiveSet(ctx)
	if err != nil {
		return fmt.Errorf("extract document %d: %w", doc.ID, err)
	}
	kind, edition := job.Args.TemplateKind, job.Args.Edition
	if edition != "" {
		// Read again with the edition it was read with, or one a person
		// chose: that edition, even if it is no longer active.
		if set, err = p.withEdition(ctx, p.db, set, kind, edition); err != nil {
			return fmt.Errorf("extract document %d as %s %s: %w", doc.ID, kind, edition, err)
		}
	}
	res, err := p.reader.ExtractWith(ctx, doc.MediaType, data, set, kind, edition)
	if ie, ok := extract.IsInputError(err); ok {
		p.logger.InfoContext(ctx, "document unreadable", "document_id", doc.ID, "reason", ie.Message)
		return finish(ctx, p, job, storage.Transition{
			DocumentID: doc.ID, From: []form.State{form.StateReceived}, To: form.StateUnreadable,
			Message: ie.Message + ". Originalet är sparat.", Actor: "pipeline",
		}, nil, nil)
	}
	if err != nil {
		return fmt.Errorf("extract document %d: %w", doc.ID, err)
	}
	countCopies(set, res.Documents)
	version := max(job.Args.Version, doc.ExtractionVersion+1)
	pages := make([][]form.PageImage, len(res.Documents))
	for i, d := range res.Documents {
		if pages[i], err = p.storePages(ctx, doc, version, d.Pages); err != nil {
			return err
		}
	}
	if len(res.Documents) == 1 {
		d := res.Documents[0]
		return finish(ctx, p, job, storage.Transition{
			DocumentID: doc.ID, From: []form.State{form.StateReceived}, To: d.State, Message: d.Message,
			Actor: "pipeline", Kind: d.Kind,
		}, nextAfter(doc.ID, d.State), func(tx storage.Tx) error {
			_, err := storage.RecordExtraction(ctx, tx, storage.Extraction{DocumentID: doc.ID, Version: version,
				Engine: extract.Engine, Kind: d.Kind, Edition: d.Edition, Fields: d.Fields, Pages: pages[0], FirstPage: d.FirstPage, LastPage: d.LastPage})
			return err
		})
	}
	msg := fmt.Sprintf("Filen innehåller %d blanketter; de har delats upp i egna dokument.", len(res.Documents))
	return finish(ctx, p, job, storage.Transition{
		DocumentID: doc.ID, From: []form.State{form.StateReceived}, To: form.StateSplit, Message: msg, Actor: "pipeline",
	}, nil, func(tx storage.Tx) error {
		for i, d := range res.Documents {
			id, err := storage.InsertPart(ctx, tx, doc, storage.NewPart{FirstPage: d.FirstPage, LastPage: d.LastPage, State: d.State, Message: d.Message})
			if err != nil {
				return err
			}
			if _, err := storage.RecordExtraction(ctx, tx, storage.Extraction{DocumentID: id, Version: 1,
				Engine: extract.Engine, Kind: d.Kind, Edition: d.Edition, Fields: d.Fields, Pages: pages[i], FirstPage: d.FirstPage, LastPage: d.LastPage}); err != nil {
				return err
			}
			if next := nextAfter(id, d.State); next != nil {
				if _, err := p.river.InsertTx(ctx, tx, next, nil); err != nil {
					return fmt.Errorf("insert validate job: %w", err)
				}
			}
		}
		return nil
	})
}

// countCopies tells each agreement how many signed copies of it came in
// the same file (the Part posts two in one envelope), so validation does
// not ask for a second copy that is already here.
func countCopies(set *form.Set, docs []extract.Document) {
	orgnr := func(d extract.Document) string {
		if t, ok := set.Edition(d.Kind, d.Edition); ok {
			v, _ := t.RoleValue(d.Fields, form.FieldOrgNumber, 0)
			return v.Value
		}
		return ""
	}
	copies := map[string]int{}
	for _, d := range docs {
		if d.Kind == form.KindAgreement {
			copies[orgnr(d)]++
		}
	}
	for _, d := range docs {
		if d.Kind == form.KindAgreement {
			n := strconv.Itoa(copies[orgnr(d)])
			d.Fields[validate.FieldCopies] = form.Value{Name: validate.FieldCopies, Raw: n, Value: n, Confidence: 1}
		}
	}
}

// nextAfter is the job that follows extraction: validation for a form that
// was read, none for one a person must classify.
func nextAfter(id int64, s form.State) river.JobArgs {
	if s == form.StateExtracted {
		return ValidateArgs{DocumentID: id}
	}
	return nil
}

// original reads a document's file from the object store, within the size
// limit.
func (p *Pipeline) original(ctx context.Context, doc storage.Document) ([]byte, error) {
	rc, _, err := p.blob.Get(ctx, doc.ObjectKey)
	if err != nil {
		return nil, fmt.Errorf("extract document %d: %w", doc.ID, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, p.cfg.MaxUploadBytes+1))
	if err != nil {
		return nil, fmt.Errorf("extract document %d: read original: %w", doc.ID, err)
	}
	return data, nil
}

// storePages writes a document's page images (JPEG) to the object store,
// under keys fixed by the file and extraction version, so a rerun
// overwrites rather than adds.
func (p *Pipeline) storePages(ctx context.Context, doc storage.Document, version int, pages []extract.Page) ([]form.PageImage, error) {
	out := make([]form.PageImage, 0, len(pages))
	for i, pg := range pages {
		if pg.Image == nil {
			continue
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, pg.Image, &jpeg.Options{Quality: 80}); err != nil {
			return nil, fmt.Errorf("encode page %d of document %d: %w", pg.FilePage, doc.ID, err)
		}
		sum := sha256.Sum256(buf.Bytes())
		key := storage.PageKey(doc.SHA256, version, pg.FilePage)
		if err := p.blob.Put(ctx, key, bytes.NewReader(buf.Bytes()), int64(buf.Len()), hex.EncodeToString(sum[:]), "image/jpeg"); err != nil {
			return nil, err
		}
		b := pg.Image.Bounds()
		out = append(out, form.PageImage{Page: i + 1, FilePage: pg.FilePage, TemplatePage: pg.TemplatePage, Key: key,
			Width: b.Dx(), Height: b.Dy(), DPI: extract.PageDPI, Registered: pg.Registered})
	}
	return out, nil
}
