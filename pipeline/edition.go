package pipeline

import (
	"context"
	"fmt"

	"blankett/form"
	"blankett/storage"
)

// The edition a document was read with, found as q reads the stored
// templates: inside a step's transaction q is that transaction, so the
// step holds one connection, not two.

// edition is the template of the edition a document of kind was read
// with (an edition since retired included), or nil when the document does
// not say: form.Document.Edition then takes the kind's first built-in
// edition, the only one there was before editions were recorded.
func (p *Pipeline) edition(ctx context.Context, q storage.Querier, kind form.Kind, edition string) (*form.Template, error) {
	if edition == "" || !kind.Known() {
		return nil, nil
	}
	t, err := p.editionTemplate(ctx, q, kind, edition)
	if err != nil {
		return nil, fmt.Errorf("edition %s %s: %w", kind, edition, err)
	}
	return t, nil
}

// formOf is what rules, registry changes and letters see of doc: its
// values with the edition it was read with, through which they find each
// value by role.
func (p *Pipeline) formOf(ctx context.Context, q storage.Querier, doc storage.Document) (form.Document, error) {
	fd := doc.Form()
	t, err := p.edition(ctx, q, doc.Kind, doc.Edition)
	if err != nil {
		return form.Document{}, fmt.Errorf("document %d: %w", doc.ID, err)
	}
	fd.Template = t
	return fd, nil
}

// editionOf is the template doc was read with (for a document that does
// not say, the kind's first built-in edition).
func (p *Pipeline) editionOf(ctx context.Context, q storage.Querier, doc storage.Document) (*form.Template, error) {
	fd, err := p.formOf(ctx, q, doc)
	if err != nil {
		return nil, err
	}
	t, err := fd.Edition()
	if err != nil {
		return nil, fmt.Errorf("document %d: %w", doc.ID, err)
	}
	return t, nil
}

// roleValue is the normalised value of role r (outside repeating groups)
// of doc, as read with its own edition.
func (p *Pipeline) roleValue(ctx context.Context, q storage.Querier, doc storage.Document, r form.FieldRole) (string, error) {
	t, err := p.editionOf(ctx, q, doc)
	if err != nil {
		return "", err
	}
	v, _ := t.RoleValue(doc.Fields, r, 0)
	return v.Value, nil
}
