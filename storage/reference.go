package storage

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"blankett/form"
)

// LoadReference records reference data as it is, in one transaction:
// organisations, signatories, agreements (recorded on the earlier of their
// signing dates), orderers and users, personnummer sealed.
func LoadReference(ctx context.Context, db *DB, ref form.Reference) error {
	return db.InTx(ctx, func(tx Tx) error { return loadReference(ctx, tx, ref) })
}

func loadReference(ctx context.Context, tx Tx, ref form.Reference) error {
	in := NewRegistry(nil).InTx(tx)
	for _, o := range ref.Organisations {
		if _, err := tx.Exec(ctx, `insert into organisations (org_number, name) values ($1, $2)
			on conflict (org_number) do update set name = excluded.name, updated_at = now()`, o.Number, o.Name); err != nil {
			return fmt.Errorf("load organisation %s: %w", o.Number, err)
		}
	}
	for _, s := range ref.Signatories {
		if _, err := tx.Exec(ctx, `insert into signatories (org_number, name, title, valid_from, valid_to, source)
			values ($1, $2, $3, $4, $5, 'csv')`, s.OrgNumber, s.Name, s.Title, date(s.ValidFrom), date(s.ValidTo)); err != nil {
			return fmt.Errorf("load signatory of %s: %w", s.OrgNumber, err)
		}
	}
	for _, a := range ref.Agreements {
		recorded := a.PartSigned
		if recorded.IsZero() || (!a.Countersigned.IsZero() && a.Countersigned.Before(recorded)) {
			recorded = a.Countersigned
		}
		copies := max(a.CopiesReceived, 1)
		if _, err := tx.Exec(ctx, `insert into agreements (org_number, part_signed_on, countersigned_on, terminated_on, copies_received, recorded_on)
			values ($1, $2, $3, $4, $5, $6)`, a.OrgNumber, date(a.PartSigned), date(a.Countersigned), date(a.Terminated), copies, date(recorded)); err != nil {
			return fmt.Errorf("load agreement of %s: %w", a.OrgNumber, err)
		}
	}
	for _, o := range ref.Orderers {
		if _, err := in.AddOrderer(ctx, o); err != nil {
			return fmt.Errorf("load reference data: %w", err)
		}
	}
	for _, u := range ref.Users {
		if _, err := in.AddUser(ctx, u); err != nil {
			return fmt.Errorf("load reference data: %w", err)
		}
	}
	return nil
}

// AddUser records a user's access as it is (reference data or a test's
// seed), the personnummer sealed. The org must exist.
func (r *Registry) AddUser(ctx context.Context, u form.User) (int64, error) {
	q, c := r.db, r.db.Cipher()
	enc, hash, err := sealedPnr(c, u.Personnummer)
	if err != nil {
		return 0, fmt.Errorf("add user to %s: %w", u.OrgNumber, err)
	}
	roles := make([]string, len(u.Roles))
	for i, role := range u.Roles {
		roles[i] = string(role)
	}
	logins := make([]string, len(u.Login))
	for i, l := range u.Login {
		logins[i] = string(l)
	}
	var id int64
	if err := q.QueryRow(ctx, `
		insert into users (org_number, name, personnummer_enc, personnummer_hash, email, mobile, phone, roles, login_methods,
			valid_from, valid_until, removed_on, source_document, source)
		values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning id`,
		u.OrgNumber, u.Name, enc, hash, u.Email, u.Mobile, u.Phone, roles, logins,
		date(u.ValidFrom), date(u.ValidUntil), date(u.Removed), docRef(u.SourceDocument), cmp.Or(u.Source, form.SourceForm)).Scan(&id); err != nil {
		return 0, fmt.Errorf("add user to %s: %w", u.OrgNumber, err)
	}
	return id, nil
}

// RegistryEmpty reports whether the registry knows no organisation yet.
func RegistryEmpty(ctx context.Context, q Querier) (bool, error) {
	var any bool
	if err := q.QueryRow(ctx, "select exists(select 1 from organisations)").Scan(&any); err != nil {
		return false, fmt.Errorf("registry empty: %w", err)
	}
	return !any, nil
}

// AddTransitionOrderers records the orderers of the §8 transition load
// (source "övergång"), their orgs made when missing. One already there
// (same org, person and first day) is counted as a duplicate.
func AddTransitionOrderers(ctx context.Context, tx Tx, os []form.Orderer) (imported, duplicates int, err error) {
	reg := NewRegistry(nil).InTx(tx)
	for i, o := range os {
		dup, err := transitionDuplicate(ctx, tx, "orderers", o.OrgNumber, o.Personnummer, o.ValidFrom)
		if err != nil {
			return 0, 0, fmt.Errorf("orderer %d: %w", i+1, err)
		}
		if dup {
			duplicates++
			continue
		}
		o.Source = form.SourceTransition
		if _, err := reg.AddOrderer(ctx, o); err != nil {
			return 0, 0, fmt.Errorf("orderer %d: %w", i+1, err)
		}
		imported++
	}
	return imported, duplicates, nil
}

// AddTransitionUsers records the users of the §8 transition load, as
// AddTransitionOrderers does.
func AddTransitionUsers(ctx context.Context, tx Tx, us []form.User) (imported, duplicates int, err error) {
	reg := NewRegistry(nil).InTx(tx)
	for i, u := range us {
		dup, err := transitionDuplicate(ctx, tx, "users", u.OrgNumber, u.Personnummer, u.ValidFrom)
		if err != nil {
			return 0, 0, fmt.Errorf("user %d: %w", i+1, err)
		}
		if dup {
			duplicates++
			continue
		}
		u.Source = form.SourceTransition
		if _, err := reg.AddUser(ctx, u); err != nil {
			return 0, 0, fmt.Errorf("user %d: %w", i+1, err)
		}
		imported++
	}
	return imported, duplicates, nil
}

// transitionDuplicate makes the org when missing and reports whether table
// (orderers or users) holds the person in the org from the same day.
func transitionDuplicate(ctx context.Context, tx Tx, table, orgnr, pnr string, from time.Time) (bool, error) {
	if _, err := tx.Exec(ctx, `insert into organisations (org_number) values ($1) on conflict do nothing`, orgnr); err != nil {
		return false, fmt.Errorf("organisation: %w", err)
	}
	hashes, err := pnrHashes(tx.Cipher(), pnr)
	if err != nil {
		return false, err
	}
	var dup bool
	err = tx.QueryRow(ctx, `select exists(select 1 from `+table+` where org_number = $1 and personnummer_hash = any($2)
		and valid_from = $3)`, orgnr, hashes, date(from)).Scan(&dup) // #nosec G202 -- table is one of two constants
	return dup, err
}
