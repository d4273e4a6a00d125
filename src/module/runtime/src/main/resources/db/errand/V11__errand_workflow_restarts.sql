-- Issue 26: an operator restarts a failed workflow, from the step that failed or from an earlier one.
-- Each restart is a new attempt of the same call: counted on the call, and kept in its history.
alter table errand_call add column if not exists attempt integer not null default 1;

create table if not exists errand_call_restart (
    call_id      text        not null,
    -- the attempt this restart began (2 for the first restart)
    attempt      integer     not null,
    -- the first step it ran again, by number, and by name when the operator named one
    from_seq     integer     not null,
    from_step    text,
    restarted_by text,
    restarted_at timestamptz not null default now(),
    -- how the attempt before it had failed
    ended_with   text,
    primary key (call_id, attempt)
);
