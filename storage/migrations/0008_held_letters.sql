-- Letters that could not be made because no postal address is known (not
-- on the form, not in the registry): held, listed for a person, never
-- printed blind.
create table held_letters (
    id            bigserial primary key,
    decision_id   bigint not null references decisions (id),
    document_id   bigint not null references documents (id),
    kind          text not null,
    recipient_key text not null,
    reason        text not null,
    created_at    timestamptz not null default now(),
    unique (decision_id, recipient_key)
);
