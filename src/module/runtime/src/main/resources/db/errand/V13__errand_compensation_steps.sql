-- Which of a workflow's steps are its compensation's (Workflow.compensate): a restart of a cancelled
-- workflow forgets them and goes on from the first of them. A step's record time cannot tell: a step
-- in flight when the cancellation commits is recorded after it.
alter table errand_step add column if not exists compensation boolean not null default false;
