-- Idempotency-Key of REST requests (dev.errand.Idempotent): the first response to each key, stored
-- in the transaction of the work it answers.
create table if not exists errand_idempotency_key (
    scope        text        not null,
    key          text        not null,
    fingerprint  text        not null,
    status       integer     not null,
    body         text,
    content_type text,
    location     text,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz not null,
    primary key (scope, key)
);
create index if not exists errand_idempotency_key_expiry on errand_idempotency_key (expires_at);
