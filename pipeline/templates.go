package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"blankett/form"
	"blankett/storage"
)

// Form editions are data (README: Adding a form edition): an
// administrator imports a template, activates it from a date and retires
// it; every worker reads with the versions active today, asked for per
// job, so a change reaches them without a restart.

// TemplateRefusedError is a template that cannot be used: it is not JSON,
// lacks a role its kind needs, has a zone off the page, …; nothing was
// stored. Err is the parser's error, naming the problem.
type TemplateRefusedError struct {
	Err error
}

func (e *TemplateRefusedError) Error() string { return "template refused: " + e.Err.Error() }
func (e *TemplateRefusedError) Unwrap() error { return e.Err }

// Message says in Swedish what is wrong, for the admin page.
func (e *TemplateRefusedError) Message() string {
	detail := e.Err.Error()
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(e.Err, &syn), errors.As(e.Err, &typ), strings.Contains(detail, "not valid JSON"):
		return "Filen är inte en giltig mall: den är inte korrekt JSON (" + detail + ")."
	case strings.Contains(detail, "no field has the role"):
		return "Mallen saknar en roll som blanketten behöver (" + detail + ")."
	case strings.Contains(detail, "off the"):
		return "Mallen har en zon utanför sidan (" + detail + ")."
	case strings.Contains(detail, "overlap"):
		return "Två fält i mallen överlappar varandra (" + detail + ")."
	case strings.Contains(detail, "unknown kind"):
		return "Mallen gäller en okänd blankettyp (" + detail + ")."
	}
	return "Mallen avvisades (" + detail + ")."
}

// ErrNoSuchTemplate is returned for a kind and edition no stored version
// has.
var ErrNoSuchTemplate = errors.New("no template of that kind and edition")

// ImportTemplate parses and checks a template and stores it as a new
// draft version of its edition (activate it with ActivateTemplate). A
// template that cannot be used is refused with a *TemplateRefusedError and
// nothing is stored. Importing a body the edition already has returns
// that version.
func (p *Pipeline) ImportTemplate(ctx context.Context, body []byte, actor string) (storage.TemplateVersion, error) {
	t, err := form.ParseTemplate(body)
	if err != nil {
		return storage.TemplateVersion{}, &TemplateRefusedError{Err: err}
	}
	if err := p.ensureBuiltins(ctx); err != nil {
		return storage.TemplateVersion{}, err
	}
	var v storage.TemplateVersion
	err = p.db.InTx(ctx, func(tx storage.Tx) error {
		if err := storage.LockTemplates(ctx, tx); err != nil {
			return err
		}
		have, err := storage.EditionVersions(ctx, tx, t.Kind, t.Edition)
		if err != nil {
			return err
		}
		digest := storage.TemplateDigest(body)
		for _, h := range have {
			if h.SHA256 == digest {
				v = h
				return nil
			}
		}
		v, err = storage.InsertTemplateVersion(ctx, tx, storage.TemplateVersion{Kind: t.Kind, Edition: t.Edition, Body: body, ImportedBy: actor})
		return err
	})
	if err != nil {
		return storage.TemplateVersion{}, fmt.Errorf("import template %s: %w", t.ID(), err)
	}
	return v, nil
}

// ListTemplates lists every stored version, by kind, edition and version.
func (p *Pipeline) ListTemplates(ctx context.Context) ([]storage.TemplateVersion, error) {
	if err := p.ensureBuiltins(ctx); err != nil {
		return nil, err
	}
	return storage.ListTemplateVersions(ctx, p.db)
}

// ExportTemplate returns an edition's template JSON: the version read
// with today, or else the newest.
func (p *Pipeline) ExportTemplate(ctx context.Context, kind form.Kind, edition string) ([]byte, error) {
	v, err := p.currentVersion(ctx, p.db, kind, edition)
	if err != nil {
		return nil, err
	}
	return v.Body, nil
}

// currentVersion is the version of an edition read with today, or else
// the newest that is not a draft, or else the newest, as q reads them.
func (p *Pipeline) currentVersion(ctx context.Context, q storage.Querier, kind form.Kind, edition string) (storage.TemplateVersion, error) {
	if err := p.ensureBuiltins(ctx); err != nil {
		return storage.TemplateVersion{}, err
	}
	active, err := storage.ActiveTemplateVersions(ctx, q, form.Day(time.Now()))
	if err != nil {
		return storage.TemplateVersion{}, err
	}
	for _, v := range active {
		if v.Kind == kind && v.Edition == edition {
			return v, nil
		}
	}
	vs, err := storage.EditionVersions(ctx, q, kind, edition)
	if err != nil {
		return storage.TemplateVersion{}, err
	}
	if len(vs) == 0 {
		return storage.TemplateVersion{}, fmt.Errorf("template %s %s: %w", kind, edition, ErrNoSuchTemplate)
	}
	for _, v := range vs {
		if v.State != storage.TemplateDraft {
			return v, nil
		}
	}
	return vs[0], nil
}

// ActivateTemplate makes the newest version of an edition the one read
// with from the day from (today when zero) on. Older active versions of
// the edition are read with until then.
func (p *Pipeline) ActivateTemplate(ctx context.Context, kind form.Kind, edition string, from time.Time, actor string) (storage.TemplateVersion, error) {
	if err := p.ensureBuiltins(ctx); err != nil {
		return storage.TemplateVersion{}, err
	}
	if from.IsZero() {
		from = time.Now()
	}
	from = form.Day(from)
	var v storage.TemplateVersion
	err := p.db.InTx(ctx, func(tx storage.Tx) error {
		vs, err := lockedVersions(ctx, tx, kind, edition)
		if err != nil {
			return err
		}
		// Stored versions were checked on import; a rule added since may
		// refuse one, and it must not reach the workers.
		if _, err := form.ParseTemplate(vs[0].Body); err != nil {
			return &TemplateRefusedError{Err: err}
		}
		v = vs[0]
		if err := storage.ActivateTemplateVersion(ctx, tx, v.ID, from, actor); err != nil {
			return err
		}
		v.State, v.ValidFrom, v.ActivatedBy = storage.TemplateActive, from, actor
		return nil
	})
	if err != nil {
		return storage.TemplateVersion{}, fmt.Errorf("activate template %s %s: %w", kind, edition, err)
	}
	return v, nil
}

// RetireTemplate stops reading with an edition: every version of it that
// is a draft or active is retired. Documents already read with it keep
// it on re-extraction.
func (p *Pipeline) RetireTemplate(ctx context.Context, kind form.Kind, edition, actor string) error {
	if err := p.ensureBuiltins(ctx); err != nil {
		return err
	}
	err := p.db.InTx(ctx, func(tx storage.Tx) error {
		vs, err := lockedVersions(ctx, tx, kind, edition)
		if err != nil {
			return err
		}
		n := 0
		for _, v := range vs {
			if v.State == storage.TemplateRetired {
				continue
			}
			if err := storage.RetireTemplateVersion(ctx, tx, v.ID, actor); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return storage.ErrTemplateState
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("retire template %s %s: %w", kind, edition, err)
	}
	return nil
}

// activeSets caches the active set by the template stamp and the day.
type activeSets struct {
	mu       sync.Mutex
	stamp    string
	day      time.Time
	set      *form.Set
	builtins bool // the built-in editions are in the database
}

// ActiveSet is the set of editions read with today: each edition's active
// version valid today. Every worker asks for it per job; it is built anew
// only when a template version was added or changed state, or the day
// turned. A stored version that no longer passes the checks is left out
// (and logged); the others are read with.
func (p *Pipeline) ActiveSet(ctx context.Context) (*form.Set, error) { return p.activeSet(ctx, p.db) }

// activeSet is ActiveSet as q reads it: inside a transaction, q is the
// transaction, so that a step holds one connection, not two.
func (p *Pipeline) activeSet(ctx context.Context, q storage.Querier) (*form.Set, error) {
	if err := p.ensureBuiltins(ctx); err != nil {
		return nil, err
	}
	stamp, err := storage.TemplateStamp(ctx, q)
	if err != nil {
		return nil, err
	}
	today := form.Day(time.Now())
	c := &p.templates
	c.mu.Lock()
	if c.set != nil && c.stamp == stamp && c.day.Equal(today) {
		s := c.set
		c.mu.Unlock()
		return s, nil
	}
	c.mu.Unlock()
	vs, err := storage.ActiveTemplateVersions(ctx, q, today)
	if err != nil {
		return nil, err
	}
	set, _ := form.NewSet()
	for _, v := range vs {
		t, err := form.ParseTemplate(v.Body)
		if err == nil {
			set, err = set.With(t)
		}
		if err != nil {
			p.logger.WarnContext(ctx, "active template left out", "kind", v.Kind, "edition", v.Edition, "version", v.Version, "error", err)
			continue
		}
	}
	c.mu.Lock()
	c.set, c.stamp, c.day = set, stamp, today
	c.mu.Unlock()
	return set, nil
}

// ensureBuiltins stores the built-in editions (embedded in the binary) on
// first use. An edition the database has no version of is stored active
// from the start; a built-in edition whose embedded template changed (a
// new release) is stored as a new version, active when the edition's
// newest version was the built-in one and active, a draft otherwise (the
// office's own version wins). A body stored before is never stored again,
// so an older binary running beside a newer one changes nothing.
func (p *Pipeline) ensureBuiltins(ctx context.Context) error {
	c := &p.templates
	c.mu.Lock()
	done := c.builtins
	c.mu.Unlock()
	if done {
		return nil
	}
	builtin, err := form.BuiltinSet()
	if err != nil {
		return fmt.Errorf("built-in templates: %w", err)
	}
	err = p.db.InTx(ctx, func(tx storage.Tx) error {
		if err := storage.LockTemplates(ctx, tx); err != nil {
			return err
		}
		for _, t := range builtin.Templates() {
			body, err := json.MarshalIndent(t, "", "  ")
			if err != nil {
				return fmt.Errorf("built-in template %s: %w", t.ID(), err)
			}
			body = append(body, '\n')
			vs, err := storage.EditionVersions(ctx, tx, t.Kind, t.Edition)
			if err != nil {
				return err
			}
			digest := storage.TemplateDigest(body)
			seen := false
			for _, v := range vs {
				seen = seen || v.SHA256 == digest
			}
			if seen {
				continue
			}
			state := storage.TemplateActive
			if len(vs) > 0 && (vs[0].Source != storage.TemplateBuiltin || vs[0].State != storage.TemplateActive) {
				state = storage.TemplateDraft
			}
			validFrom := time.Time{}
			if state == storage.TemplateActive {
				validFrom = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) // in use for every day there is
			}
			if _, err := storage.InsertTemplateVersion(ctx, tx, storage.TemplateVersion{Kind: t.Kind, Edition: t.Edition, Body: body,
				Source: storage.TemplateBuiltin, State: state, ValidFrom: validFrom, ImportedBy: "blankett"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store the built-in templates: %w", err)
	}
	c.mu.Lock()
	c.builtins = true
	c.mu.Unlock()
	return nil
}

// withEdition is set with the named edition in it: a document keeps the
// edition it was read with even after that edition was retired or a newer
// version activated (the version active today, else the newest that was
// ever in use).
func (p *Pipeline) withEdition(ctx context.Context, q storage.Querier, set *form.Set, kind form.Kind, edition string) (*form.Set, error) {
	if _, ok := set.Edition(kind, edition); ok {
		return set, nil
	}
	v, err := p.currentVersion(ctx, q, kind, edition)
	if err != nil {
		return nil, err
	}
	t, err := form.ParseTemplate(v.Body)
	if err != nil {
		return nil, &TemplateRefusedError{Err: err}
	}
	return set.With(t)
}

// EditionTemplate is the template of an edition as it is read with today
// (from the active set), or, for an edition no longer active, its
// version last in use: the review page draws a document's zones from the
// edition it was read with.
func (p *Pipeline) EditionTemplate(ctx context.Context, kind form.Kind, edition string) (*form.Template, error) {
	return p.editionTemplate(ctx, p.db, kind, edition)
}

// editionTemplate is EditionTemplate as q reads it.
func (p *Pipeline) editionTemplate(ctx context.Context, q storage.Querier, kind form.Kind, edition string) (*form.Template, error) {
	set, err := p.activeSet(ctx, q)
	if err != nil {
		return nil, err
	}
	if set, err = p.withEdition(ctx, q, set, kind, edition); err != nil {
		return nil, err
	}
	t, _ := set.Edition(kind, edition)
	return t, nil
}

// lockedVersions takes the templates' lock for the transaction and reads
// an edition's versions, newest first; ErrNoSuchTemplate when it has none.
func lockedVersions(ctx context.Context, tx storage.Tx, kind form.Kind, edition string) ([]storage.TemplateVersion, error) {
	if err := storage.LockTemplates(ctx, tx); err != nil {
		return nil, err
	}
	vs, err := storage.EditionVersions(ctx, tx, kind, edition)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, ErrNoSuchTemplate
	}
	return vs, nil
}
