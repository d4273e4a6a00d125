-- Issue 22: one record of steps done, for a task's steps (Task.step, until now errand_step) and a
-- workflow's (Workflow.step, sleeps and waits, until now errand_workflow_step). errand_step is kept and
-- widened, so a task's recorded steps stay where they are; a workflow's move into it, and nothing is lost.
--   consumer  a task's consumer; '' for a workflow (its call id is unique across the service)
--   owner_id  a task's message (its idempotency id); a workflow's call id
--   seq       a workflow step's place in its replay; null for a task's step, which is found by name
alter table errand_step drop constraint if exists errand_step_pkey;
alter table errand_step rename column message_id to owner_id;
alter table errand_step rename column step to name;
alter table errand_step add column seq integer;

-- A task's step is one per name; a workflow's is one per number (two sleeps may share a name).
create unique index errand_step_task on errand_step (consumer, owner_id, name) where seq is null;
create unique index errand_step_workflow on errand_step (owner_id, seq) where seq is not null;

insert into errand_step (consumer, owner_id, seq, name, result, done_at)
select '', call_id, seq, name, result, done_at from errand_workflow_step;

drop table errand_workflow_step;
