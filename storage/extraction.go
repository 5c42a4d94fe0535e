package storage

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"

	"blankett/form"
)

// Extraction is one run of extraction over a document.
type Extraction struct {
	DocumentID int64
	Version    int
	Engine     string
	Kind       form.Kind
	Edition    string // the template edition it was read with ("" when unclassified)
	Fields     form.Fields
	Pages      []form.PageImage
	FirstPage  int // file pages this document spans
	LastPage   int
}

// RecordExtraction keeps an extraction run as its own version and makes it
// the document's current reading: the document's kind, pages and fields,
// where every field a reviewer corrected keeps the correction. It returns
// the fields as stored.
func RecordExtraction(ctx context.Context, q Querier, e Extraction) (form.Fields, error) {
	c := q.Cipher()
	sealed, _, err := sealFields(c, e.Fields)
	if err != nil {
		return nil, fmt.Errorf("record extraction of document %d: %w", e.DocumentID, err)
	}
	fields, err := json.Marshal(sealed)
	if err != nil {
		return nil, fmt.Errorf("record extraction of document %d: %w", e.DocumentID, err)
	}
	pages, err := json.Marshal(e.Pages)
	if err != nil {
		return nil, fmt.Errorf("record extraction of document %d: %w", e.DocumentID, err)
	}
	if _, err := q.Exec(ctx, `insert into extractions (document_id, version, engine, kind, fields, pages, edition)
		values ($1, $2, $3, $4, $5, $6, $7)
		on conflict (document_id, version) do update set engine = excluded.engine, kind = excluded.kind,
			fields = excluded.fields, pages = excluded.pages, edition = excluded.edition, created_at = now()`,
		e.DocumentID, e.Version, e.Engine, string(e.Kind), fields, pages, e.Edition); err != nil {
		return nil, fmt.Errorf("record extraction of document %d: %w", e.DocumentID, err)
	}
	merged, err := applyCorrections(ctx, q, c, e.DocumentID, e.Fields)
	if err != nil {
		return nil, err
	}
	sealed, hashes, err := sealFields(c, merged)
	if err != nil {
		return nil, fmt.Errorf("record extraction of document %d: %w", e.DocumentID, err)
	}
	if fields, err = json.Marshal(sealed); err != nil {
		return nil, fmt.Errorf("record extraction of document %d: %w", e.DocumentID, err)
	}
	if _, err := q.Exec(ctx, `update documents set extraction_version = $2, kind = $3, fields = $4, pages = $5,
		page_from = $6, page_to = $7, person_hashes = $8, edition = $9, updated_at = now() where id = $1`,
		e.DocumentID, e.Version, string(e.Kind), fields, pages, e.FirstPage, e.LastPage, hashes, e.Edition); err != nil {
		return nil, fmt.Errorf("record extraction of document %d: %w", e.DocumentID, err)
	}
	return merged, nil
}

// applyCorrections overlays the latest correction of each field on the
// extracted values: a correction is the reviewer's word and always wins.
func applyCorrections(ctx context.Context, q Querier, c *Cipher, documentID int64, fields form.Fields) (form.Fields, error) {
	rows, err := q.Query(ctx, `select distinct on (field) field, value from corrections
		where document_id = $1 order by field, id desc`, documentID)
	if err != nil {
		return nil, fmt.Errorf("read corrections of document %d: %w", documentID, err)
	}
	defer rows.Close()
	out := make(form.Fields, len(fields))
	for k, v := range fields {
		out[k] = v
	}
	for rows.Next() {
		var name, value string
		if err := rows.Scan(&name, &value); err != nil {
			return nil, fmt.Errorf("read corrections of document %d: %w", documentID, err)
		}
		if value, err = c.openString(value); err != nil {
			return nil, fmt.Errorf("read corrections of document %d: field %s: %w", documentID, name, err)
		}
		v := out[name]
		v.Name, v.Value, v.Confidence = name, value, 1
		out[name] = v
	}
	return out, rows.Err()
}

// NewPart describes one form found in a received batch file.
type NewPart struct {
	FirstPage, LastPage int
	State               form.State
	Message             string
}

// InsertPart records one form of a batch as a document of its own. It
// shares the batch's original (object and bytes) and points back to it.
func InsertPart(ctx context.Context, q Querier, batch Document, p NewPart) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `
		insert into documents (sha256, object_key, filename, media_type, size_bytes, source, state, state_message,
			parent_id, page_from, page_to, received_at, envelope)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
		on conflict (sha256) do update set updated_at = documents.updated_at
		returning id`,
		fmt.Sprintf("%s#%d-%d", batch.SHA256, p.FirstPage, p.LastPage), batch.ObjectKey,
		fmt.Sprintf("%s (sida %d–%d)", batch.Filename, p.FirstPage, p.LastPage),
		batch.MediaType, batch.SizeBytes, batch.Source, p.State, p.Message, batch.ID, p.FirstPage, p.LastPage, batch.ReceivedAt,
		cmp.Or(batch.Envelope, fmt.Sprintf("batch-%d", batch.ID)),
	).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert part %d–%d of document %d: %w", p.FirstPage, p.LastPage, batch.ID, err)
	}
	err = Audit(ctx, q, AuditEvent{Actor: "pipeline", Action: "document.split_from", DocumentID: id,
		After: map[string]any{"state": p.State, "parent_id": batch.ID, "pages": []int{p.FirstPage, p.LastPage}}})
	return id, err
}

// Parts lists the documents split from a batch, in page order.
func Parts(ctx context.Context, q Querier, batchID int64) ([]Document, error) {
	docs, err := queryDocuments(ctx, q, "where parent_id = $1 order by page_from, id", batchID)
	if err != nil {
		return nil, fmt.Errorf("parts of document %d: %w", batchID, err)
	}
	return docs, nil
}
