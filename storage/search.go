package storage

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// SearchQuery says what to look for. The first field set decides.
type SearchQuery struct {
	DocumentID int64
	OrgNumber  string // NNNNNN-NNNN, as values are normalised
	OrgName    string // a part of the organisation's name, any case
	// Personnummer is looked up by its keyed hashes only; it is never
	// stored, logged or audited as it is.
	Personnummer string
	// Actor is who searches: a search for a person is audited.
	Actor string
	Limit int
}

// ErrEmptySearch is returned for a query with nothing to look for.
var ErrEmptySearch = errors.New("search: nothing to look for")

// Search finds documents, newest first, as queue items. A document number
// reads the primary key, an organisation number and a name part their
// indexes (migrations 0013 and 0014: the columns kept from the values'
// roles), a person documents.person_hashes.
func Search(ctx context.Context, q Querier, s SearchQuery) ([]QueueItem, error) {
	if s.Limit <= 0 || s.Limit > 200 {
		s.Limit = 50
	}
	c := q.Cipher()
	var where string
	var arg any
	switch {
	case s.DocumentID > 0:
		where, arg = "id = $2", s.DocumentID
	case s.OrgNumber != "":
		where, arg = "org_number = $2", s.OrgNumber
	case strings.TrimSpace(s.OrgName) != "":
		esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.TrimSpace(s.OrgName))
		// The distinct names that match, then their documents from the
		// index documents_org_name_received (migrations 0013, 0014).
		where, arg = "org_name_search = any(array(select name from organisation_names where name like $2))", "%"+strings.ToLower(esc)+"%"
	case s.Personnummer != "":
		hashes, _, err := personKeys(q, s.Personnummer)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		if err := AuditPersonLookup(ctx, q, s.Actor, s.Personnummer); err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		where, arg = "person_hashes && $2::bytea[]", hashes
	default:
		return nil, ErrEmptySearch
	}
	// The same columns as Queue, worked out only for the rows shown.
	rows, err := q.Query(ctx, `
		select `+queueColumns+`
		from documents
		where id in (select id from documents where `+where+` order by received_at desc, id desc limit $1)
		order by received_at desc, id desc`, s.Limit, arg)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (QueueItem, error) { return scanQueueItem(row, c) })
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return items, nil
}
