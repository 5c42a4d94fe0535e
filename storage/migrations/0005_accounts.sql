-- Review web app: people's accounts, their server-side sessions, login
-- attempts (for the rate limit), and proposals awaiting a second
-- reviewer's confirmation.

create table accounts (
    id            bigserial primary key,
    name          text not null unique check (name ~ '^[A-Za-z0-9._@-]{1,64}$'),
    role          text not null check (role in ('admin', 'reviewer', 'mailroom')),
    password_hash text not null,
    disabled      boolean not null default false,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now()
);

-- Only the SHA-256 of a session token is stored. A session ends when it
-- has been idle too long (last_seen_at) or at expires_at (absolute).
create table sessions (
    token_hash   bytea primary key,
    account_id   bigint not null references accounts (id) on delete cascade,
    created_at   timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    expires_at   timestamptz not null
);
create index sessions_account on sessions (account_id);
create index sessions_expires on sessions (expires_at);

create table login_attempts (
    id           bigserial primary key,
    account_name text not null,
    ip           text not null,
    success      boolean not null,
    at           timestamptz not null default now()
);
create index login_attempts_name on login_attempts (account_name, at);
create index login_attempts_ip on login_attempts (ip, at);

-- A decision that changes the registry, proposed by one reviewer and
-- waiting for a different one to confirm it. At most one open proposal
-- per document.
create table decision_proposals (
    id                 bigserial primary key,
    document_id        bigint not null references documents (id),
    outcome            text not null check (outcome in ('approved', 'rejected')),
    reason             text not null default '',
    request_completion boolean not null default false,
    overrides          jsonb not null default '{}',
    proposed_by        text not null,
    proposed_at        timestamptz not null default now(),
    confirmed_by       text,
    confirmed_at       timestamptz,
    decision_id        bigint references decisions (id),
    withdrawn_by       text,
    withdrawn_at       timestamptz
);
create unique index decision_proposals_open on decision_proposals (document_id)
    where confirmed_at is null and withdrawn_at is null;

-- Queue filters: by kind within a state, by finding code; audit by actor.
create index documents_kind_state_received on documents (kind, state, received_at, id);
create index documents_findings on documents using gin (findings jsonb_path_ops);
create index audit_events_actor on audit_events (actor, id);
