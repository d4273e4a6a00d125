-- Durable functions and workflows (dev.errand.DurableFunction, dev.errand.DurableWorkflow).
-- One row per call: written with the call (in the caller's transaction), finished in the worker's
-- transaction together with its processed-message marker.
create table if not exists errand_call (
    id               text        primary key,
    function         text        not null,
    workflow         boolean     not null default false,
    parent_id        text,
    arguments        text,
    status           text        not null,
    current_step     text,
    result           text,
    error            text,
    -- children this workflow has recorded so far; a replay skips re-recording them
    children_started integer     not null default 0,
    created_at       timestamptz not null default now(),
    started_at       timestamptz,
    finished_at      timestamptz
);
create index if not exists errand_call_parent on errand_call (parent_id, status) where parent_id is not null;
create index if not exists errand_call_workflows on errand_call (created_at desc) where workflow and parent_id is null;

-- The steps of a workflow, in the order its code ran them; a replay returns these instead of running again.
create table if not exists errand_workflow_step (
    call_id  text        not null,
    seq      integer     not null,
    name     text        not null,
    result   text,
    done_at  timestamptz not null default now(),
    primary key (call_id, seq)
);
