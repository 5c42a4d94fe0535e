package storage

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"blankett/form"
)

// migrationSteps run in Go after the SQL of the migration they are named
// by, in the same transaction.
var migrationSteps = map[string]func(ctx context.Context, tx pgx.Tx) error{
	"0014_role_columns.sql": fillRoles,
}

// fillRoles gives the values of documents stored before values recorded
// their roles the role their edition gives their field, so that the
// columns migration 0014 keeps from roles are filled for them too: the
// built-in edition the document records or, when it records none, the
// first built-in edition of its kind (as form.Document.Edition has it).
// Only the role and row are added; sealed values stay sealed. A value no
// such edition gives a role (the pipeline's own, such as the count of
// copies) is left as it is.
func fillRoles(ctx context.Context, tx pgx.Tx) error {
	set, err := form.BuiltinSet()
	if err != nil {
		return fmt.Errorf("fill roles: %w", err)
	}
	rows, err := tx.Query(ctx, `select id, kind, edition, fields from documents
		where kind <> '' and jsonb_path_exists(fields, '$.* ? (!(exists(@.role)))')`)
	if err != nil {
		return fmt.Errorf("fill roles: %w", err)
	}
	type filled struct {
		id     int64
		fields []byte
	}
	var out []filled
	for rows.Next() {
		var id int64
		var kind form.Kind
		var edition string
		var raw []byte
		if err := rows.Scan(&id, &kind, &edition, &raw); err != nil {
			rows.Close()
			return fmt.Errorf("fill roles: %w", err)
		}
		t, ok := set.Edition(kind, edition)
		if edition == "" {
			t, ok = set.Primary(kind)
		}
		if !ok {
			continue // an edition imported with roles, or a kind no longer known
		}
		var fields map[string]map[string]any
		if err := json.Unmarshal(raw, &fields); err != nil {
			rows.Close()
			return fmt.Errorf("fill roles: document %d: %w", id, err)
		}
		changed := false
		for name, v := range fields {
			if _, has := v["role"]; has || v == nil {
				continue
			}
			f, ok := t.Field(name)
			if !ok || f.Role == "" {
				continue
			}
			v["role"] = f.Role
			if f.Row != 0 {
				v["row"] = f.Row
			}
			changed = true
		}
		if !changed {
			continue
		}
		b, err := json.Marshal(fields)
		if err != nil {
			rows.Close()
			return fmt.Errorf("fill roles: document %d: %w", id, err)
		}
		out = append(out, filled{id, b})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("fill roles: %w", err)
	}
	for _, f := range out {
		if _, err := tx.Exec(ctx, `update documents set fields = $2 where id = $1`, f.id, f.fields); err != nil {
			return fmt.Errorf("fill roles: document %d: %w", f.id, err)
		}
	}
	return nil
}
