-- Letters made after a decision: one per recipient per decision, ever.
-- The unique key is what makes the letters step exactly-once: a rerun
-- after a crash inserts nothing new. The PDF itself is in the blob store
-- under object_key. printed_at and print_batch are set together when the
-- letter goes out in a print batch.
create table letters (
    id             bigserial primary key,
    decision_id    bigint not null references decisions (id),
    document_id    bigint not null references documents (id),
    kind           text not null check (kind <> ''),
    recipient_key  text not null check (recipient_key <> ''),
    recipient_name text not null default '',
    object_key     text not null,
    sha256         text not null,
    size_bytes     bigint not null check (size_bytes >= 0),
    created_at     timestamptz not null default now(),
    printed_at     timestamptz,
    print_batch    text,
    unique (decision_id, recipient_key),
    check ((printed_at is null) = (print_batch is null))
);
create index letters_document on letters (document_id, id);
create index letters_unprinted on letters (id) where printed_at is null;
