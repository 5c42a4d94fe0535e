-- Extraction results beyond fields: the normalised page images and, for
-- mailroom batches, the parent file a document was split from.
alter table documents
    add column pages     jsonb not null default '[]',
    add column parent_id bigint references documents (id),
    add column page_from integer not null default 0,
    add column page_to   integer not null default 0;
create index documents_parent on documents (parent_id) where parent_id is not null;

-- Every extraction run is kept: re-extraction (after a template or engine
-- change) makes a new version and never overwrites a reviewer's corrections.
create table extractions (
    document_id bigint not null references documents (id),
    version     integer not null,
    engine      text not null,
    kind        text not null,
    fields      jsonb not null,
    pages       jsonb not null,
    created_at  timestamptz not null default now(),
    primary key (document_id, version)
);

-- A reviewer's correction of one field; it wins over any extraction.
create table corrections (
    id          bigserial primary key,
    document_id bigint not null references documents (id),
    field       text not null,
    value       text not null,
    actor       text not null,
    corrected_at timestamptz not null default now()
);
create index corrections_document on corrections (document_id, field, id);

-- Decisions: a request for completion is a rejection that asks for more;
-- error findings overridden with a written reason; the second reviewer who
-- confirmed a decision that changes the registry.
alter table decisions
    add column request_completion boolean not null default false,
    add column overrides          jsonb not null default '{}',
    add column confirmed_by       text not null default '';
