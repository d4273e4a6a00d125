-- Issue 26: schedules (dev.errand.Schedules). One row per schedule name, shared by the replicas: whether
-- an operator paused it, and the last tick started (or skipped). A replica locks the row to start a tick,
-- so the others find the tick taken; the tick's keyed start (<name>@<tick>) makes it one call even so.
create table if not exists errand_schedule (
    name text primary key,
    paused boolean not null default false,
    last_tick timestamptz,
    function text,
    updated_at timestamptz not null default now()
);
