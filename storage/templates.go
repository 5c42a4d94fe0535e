package storage

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"blankett/form"
)

// TemplateState is where a template version is in its life: imported
// (draft), in use from its valid-from date (active), or no longer used
// (retired).
type TemplateState string

// Template states.
const (
	TemplateDraft   TemplateState = "draft"
	TemplateActive  TemplateState = "active"
	TemplateRetired TemplateState = "retired"
)

// Template sources.
const (
	TemplateImported = "import"
	TemplateBuiltin  = "builtin"
)

// TemplateVersion is one stored version of one edition's template.
type TemplateVersion struct {
	ID      int64
	Kind    form.Kind
	Edition string
	Version int // 1, 2, … per kind and edition
	// Body is the template JSON (nil in lists: GetTemplateVersion and
	// ActiveTemplateVersions read it).
	Body        []byte
	SHA256      string
	Source      string // TemplateImported or TemplateBuiltin
	State       TemplateState
	ValidFrom   time.Time // the first day it is read with; zero when never activated
	ImportedBy  string
	ImportedAt  time.Time
	ActivatedBy string
	ActivatedAt time.Time
	RetiredBy   string
	RetiredAt   time.Time
	UpdatedAt   time.Time
}

// TemplateDigest is the SHA-256 of a template body, hex.
func TemplateDigest(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// LockTemplates serialises changes to the template versions until tx
// ends (version numbers are counted per edition).
func LockTemplates(ctx context.Context, tx Tx) error {
	if _, err := tx.Exec(ctx, `select pg_advisory_xact_lock(hashtext('blankett.template_versions'))`); err != nil {
		return fmt.Errorf("lock template versions: %w", err)
	}
	return nil
}

// InsertTemplateVersion stores v as the next version of its edition and
// returns it as stored. v.State empty is a draft; an active version needs
// v.ValidFrom.
func InsertTemplateVersion(ctx context.Context, q Querier, v TemplateVersion) (TemplateVersion, error) {
	if v.State == "" {
		v.State = TemplateDraft
	}
	if v.Source == "" {
		v.Source = TemplateImported
	}
	v.SHA256 = TemplateDigest(v.Body)
	var activated any
	if v.State == TemplateActive {
		activated = time.Now()
		v.ActivatedBy = v.ImportedBy
	}
	err := q.QueryRow(ctx, `insert into template_versions (kind, edition, version, body, sha256, source, state, valid_from,
			imported_by, activated_by, activated_at)
		values ($1, $2, (select coalesce(max(version), 0) + 1 from template_versions where kind = $1 and edition = $2),
			$3, $4, $5, $6, $7, $8, $9, $10)
		returning id, version, imported_at, updated_at`,
		string(v.Kind), v.Edition, string(v.Body), v.SHA256, v.Source, string(v.State), dateOrNull(v.ValidFrom),
		v.ImportedBy, v.ActivatedBy, activated).Scan(&v.ID, &v.Version, &v.ImportedAt, &v.UpdatedAt)
	if err != nil {
		return TemplateVersion{}, fmt.Errorf("insert template %s %s: %w", v.Kind, v.Edition, err)
	}
	err = Audit(ctx, q, AuditEvent{Actor: v.ImportedBy, Action: "template.imported",
		After: map[string]any{"kind": v.Kind, "edition": v.Edition, "version": v.Version, "state": v.State, "sha256": v.SHA256}})
	return v, err
}

func dateOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return pgtype.Date{Time: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), Valid: true}
}

const templateColumns = `id, kind, edition, version, sha256, source, state, valid_from, imported_by, imported_at,
	activated_by, activated_at, retired_by, retired_at, updated_at`

func scanTemplateVersion(row pgx.Row, body bool) (TemplateVersion, error) {
	var v TemplateVersion
	var kind, state string
	var validFrom pgtype.Date
	var activated, retired pgtype.Timestamptz
	dest := []any{&v.ID, &kind, &v.Edition, &v.Version, &v.SHA256, &v.Source, &state, &validFrom, &v.ImportedBy, &v.ImportedAt,
		&v.ActivatedBy, &activated, &v.RetiredBy, &retired, &v.UpdatedAt}
	var text string
	if body {
		dest = append(dest, &text)
	}
	if err := row.Scan(dest...); err != nil {
		return TemplateVersion{}, err
	}
	if body {
		v.Body = []byte(text)
	}
	v.Kind, v.State, v.ValidFrom = form.Kind(kind), TemplateState(state), day(validFrom)
	if activated.Valid {
		v.ActivatedAt = activated.Time
	}
	if retired.Valid {
		v.RetiredAt = retired.Time
	}
	return v, nil
}

func queryTemplateVersions(ctx context.Context, q Querier, body bool, clause string, args ...any) ([]TemplateVersion, error) {
	cols := templateColumns
	if body {
		cols += ", body"
	}
	rows, err := q.Query(ctx, "select "+cols+" from template_versions "+clause, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TemplateVersion
	for rows.Next() {
		v, err := scanTemplateVersion(rows, body)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ListTemplateVersions lists every version, without bodies, by kind,
// edition and version.
func ListTemplateVersions(ctx context.Context, q Querier) ([]TemplateVersion, error) {
	vs, err := queryTemplateVersions(ctx, q, false, "order by kind, edition, version")
	if err != nil {
		return nil, fmt.Errorf("list template versions: %w", err)
	}
	return vs, nil
}

// EditionVersions lists the versions of one edition, newest first, with
// their bodies.
func EditionVersions(ctx context.Context, q Querier, kind form.Kind, edition string) ([]TemplateVersion, error) {
	vs, err := queryTemplateVersions(ctx, q, true, "where kind = $1 and edition = $2 order by version desc", string(kind), edition)
	if err != nil {
		return nil, fmt.Errorf("versions of template %s %s: %w", kind, edition, err)
	}
	return vs, nil
}

// GetTemplateVersion reads one version with its body, or ErrNotFound.
func GetTemplateVersion(ctx context.Context, q Querier, id int64) (TemplateVersion, error) {
	vs, err := queryTemplateVersions(ctx, q, true, "where id = $1", id)
	if err != nil {
		return TemplateVersion{}, fmt.Errorf("template version %d: %w", id, err)
	}
	if len(vs) == 0 {
		return TemplateVersion{}, fmt.Errorf("template version %d: %w", id, ErrNotFound)
	}
	return vs[0], nil
}

// ActiveTemplateVersions returns, for each edition, the active version
// valid on day (the one with the latest valid-from on or before it; the
// highest version among equals), with its body.
func ActiveTemplateVersions(ctx context.Context, q Querier, day time.Time) ([]TemplateVersion, error) {
	vs, err := queryTemplateVersions(ctx, q, true, `where id in (
		select distinct on (kind, edition) id from template_versions
		where state = 'active' and valid_from <= $1
		order by kind, edition, valid_from desc, version desc) order by id`, dateOrNull(day))
	if err != nil {
		return nil, fmt.Errorf("active template versions: %w", err)
	}
	return vs, nil
}

// TemplateStamp changes whenever a template version is added or changes
// state: a cached active set is good while it stays the same.
func TemplateStamp(ctx context.Context, q Querier) (string, error) {
	var n, maxID int64
	var updated pgtype.Timestamptz
	if err := q.QueryRow(ctx, `select count(*), coalesce(max(id), 0), max(updated_at) from template_versions`).Scan(&n, &maxID, &updated); err != nil {
		return "", fmt.Errorf("template stamp: %w", err)
	}
	return fmt.Sprintf("%d/%d/%d", n, maxID, updated.Time.UnixNano()), nil
}

// ErrTemplateState is returned for a change of state a version cannot
// make (a retired version retired again, say).
var ErrTemplateState = errors.New("template version is not in a state for that")

// ActivateTemplateVersion makes a version active from validFrom (a
// retired one too: an edition may be taken into use again).
func ActivateTemplateVersion(ctx context.Context, q Querier, id int64, validFrom time.Time, actor string) error {
	tag, err := q.Exec(ctx, `update template_versions set state = 'active', valid_from = $2, activated_by = $3,
		activated_at = now(), updated_at = clock_timestamp() where id = $1`, id, dateOrNull(validFrom), actor)
	if err != nil {
		return fmt.Errorf("activate template version %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("activate template version %d: %w", id, ErrNotFound)
	}
	return Audit(ctx, q, AuditEvent{Actor: actor, Action: "template.activated",
		After: map[string]any{"template_version": id, "valid_from": validFrom.Format(time.DateOnly)}})
}

// RetireTemplateVersion retires a draft or active version.
func RetireTemplateVersion(ctx context.Context, q Querier, id int64, actor string) error {
	tag, err := q.Exec(ctx, `update template_versions set state = 'retired', retired_by = $2, retired_at = now(),
		updated_at = clock_timestamp() where id = $1 and state in ('draft', 'active')`, id, actor)
	if err != nil {
		return fmt.Errorf("retire template version %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("retire template version %d: %w", id, ErrTemplateState)
	}
	return Audit(ctx, q, AuditEvent{Actor: actor, Action: "template.retired", After: map[string]any{"template_version": id}})
}
