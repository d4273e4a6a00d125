-- Issue 27: each step's history as Temporal users expect it: when it started, how many attempts it
-- took, and when it ended (done_at). Rows from before keep a null start and count one attempt.
alter table errand_step add column if not exists started_at timestamptz;
alter table errand_step add column if not exists attempts integer not null default 1;

-- The workflow step that is failing now, kept on the call's own row: a workflow runs one step at a
-- time, so one place is enough, and recording the step's success reads it in the same statement (no
-- extra round trip on the way that works). Written only when a step throws.
--   failing_seq       the step's number in the replay, null when no step is failing
--   failing_since     when its first attempt started
--   failing_attempts  its attempts that threw
--   failing_error     what the last one threw
alter table errand_call add column if not exists failing_seq integer;
alter table errand_call add column if not exists failing_since timestamptz;
alter table errand_call add column if not exists failing_attempts integer not null default 0;
alter table errand_call add column if not exists failing_error text;
