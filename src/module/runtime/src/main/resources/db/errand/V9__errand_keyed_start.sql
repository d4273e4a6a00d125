-- Issue 26: keyed starts (DurableCalls.startOnce, and errand_business_key on an outside start). A
-- business key names one call per function: a second start with the key finds the first call's row
-- instead of recording another. The unique index is what finds it, in the starting transaction: a
-- concurrent second start waits on it until the first commits (and then gets the first's id) or rolls
-- back (and then records its own). Outside senders' keys are stored as outside:<key>, so they never meet
-- the service's own. A key is unique while its call is recorded (errand.retention.finished-calls).
alter table errand_call add column if not exists business_key text;
-- Every existing row has no key, so the partial index holds none of them; its build reads the table once
-- (holding the table's writes back meanwhile, as any index built inside Flyway's transaction does).
create unique index if not exists errand_call_business_key on errand_call (function, business_key)
    where business_key is not null;
