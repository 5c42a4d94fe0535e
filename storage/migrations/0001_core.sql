-- Documents: one row per distinct file received (by SHA-256 of its bytes).
create table documents (
    id                 bigserial primary key,
    sha256             text not null unique,
    object_key         text not null,
    filename           text not null,
    media_type         text not null,
    size_bytes         bigint not null,
    source             text not null,
    state              text not null,
    state_message      text not null default '',
    kind               text not null default '',
    fields             jsonb not null default '{}',
    findings           jsonb not null default '[]',
    extraction_version integer not null default 0,
    received_at        timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
create index documents_state_received on documents (state, received_at, id);

-- Receipts: every time a file arrived, including duplicates of earlier ones.
create table receipts (
    id          bigserial primary key,
    document_id bigint not null references documents (id),
    filename    text not null,
    source      text not null,
    duplicate   boolean not null,
    received_at timestamptz not null default now()
);
create index receipts_document on receipts (document_id);

-- Decisions a reviewer took on a document; letters are made once per decision.
create table decisions (
    id          bigserial primary key,
    document_id bigint not null references documents (id),
    outcome     text not null,
    reason      text not null default '',
    actor       text not null,
    decided_at  timestamptz not null default now()
);
create index decisions_document on decisions (document_id);

-- Audit events: who did what to which document, when, before and after.
create table audit_events (
    id          bigserial primary key,
    at          timestamptz not null default now(),
    actor       text not null,
    action      text not null,
    document_id bigint,
    before      jsonb,
    after       jsonb,
    detail      text not null default ''
);
create index audit_events_document on audit_events (document_id, at);
create index audit_events_at on audit_events (at);
