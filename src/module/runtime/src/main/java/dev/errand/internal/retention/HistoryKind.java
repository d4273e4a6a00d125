package dev.errand.internal.retention;

import java.time.Duration;

import dev.errand.internal.config.RetentionConfig;

/**
 * What Errand records and keeps for a while: each kind with its window and with the statements that
 * remove one batch of it and read its oldest row. Every statement walks an index kept for it
 * ({@link RetentionIndexes}), oldest first, and deletes by {@code ctid} (a TID scan) or
 * by key: a batch costs its own rows, whatever the size of the table. The conditions that keep a row
 * past its window are written once per kind and serve both the removal and the oldest row reported.
 */
enum HistoryKind {

    /**
     * Processed-message markers. Nothing else holds a marker back: once the window is past, the start-up
     * check and the age guard ({@code past-marker-retention}) answer for a copy that still comes.
     */
    PROCESSED_MESSAGES("processed-messages", "errand_processed_message", "processed_at", "ctid", "", "",
            "errand_processed_message_age", "errand_processed_message (processed_at)"),

    /**
     * A task's recorded steps ({@code Task.step}). Those of a message waiting as a dead letter stay (its
     * replay resumes after them, and must not run them again), and so do those of one replayed within
     * the window, whose copy may not have run yet.
     */
    TASK_STEPS("task-steps", "errand_step", "done_at", "ctid", """
            and seq is null
            and not exists (select 1 from errand_dead_letter d
                            where d.consumer = errand_step.consumer
                              /* a step is kept under its message's idempotency id: "outside:<id>" for an outside
                                 sender's, whose dead letter has the bare id (Origin.idempotencyId) */
                              and d.message_id = case when errand_step.owner_id like 'outside:%'
                                                      then substr(errand_step.owner_id, 9) else errand_step.owner_id end
                              and d.origin = case when errand_step.owner_id like 'outside:%' then 'outside' else 'service' end
                              and (d.status = 'DEAD_LETTERED' or d.status = 'REPLAYED' and d.resolved_at > :before))""",
            "", "errand_step_task_age", "errand_step (done_at) where seq is null"),

    /**
     * Finished durable calls, with their steps, signals and restarts, top down: a child goes once its
     * parent has gone. Kept: a call that runs again (a replayed workflow keeps its old {@code finished_at}
     * until it ends), one whose parent is still recorded, one with a child that still runs, and a failed
     * one whose dead letter waits or was replayed within the window (its replay runs it from its record).
     */
    FINISHED_CALLS("finished-calls", "errand_call", "finished_at", "id", """
            and finished_at is not null and status in ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT')
            and (parent_id is null or not exists (select 1 from errand_call p where p.id = errand_call.parent_id))
            and not exists (select 1 from errand_call k
                            where k.parent_id = errand_call.id
                              and k.status not in ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'))
            and not exists (select 1 from errand_dead_letter d
                            where d.message_id = coalesce(errand_call.failed_by, errand_call.id)
                              and (errand_call.failed_by is not null or d.origin = errand_call.origin)
                              and (d.status = 'DEAD_LETTERED' or d.status = 'REPLAYED' and d.resolved_at > :before))""",
            "delete from errand_step s using gone where s.owner_id = gone.id and s.seq is not null;"
                    + "delete from errand_signal g using gone where g.call_id = gone.id;"
                    + "delete from errand_call_restart r using gone where r.call_id = gone.id",
            "errand_call_finished", "errand_call (finished_at) where finished_at is not null"),

    /** Dead letters an operator replayed or discarded; a letter still waiting is never removed. */
    DEAD_LETTERS("dead-letters", "errand_dead_letter", "resolved_at", "id", """
            and resolved_at is not null and status <> 'DEAD_LETTERED'""", "",
            "errand_dead_letter_resolved", "errand_dead_letter (resolved_at) where resolved_at is not null"),

    /** HTTP idempotency keys, counted from their expiry (never before it, whatever the window). */
    IDEMPOTENCY_KEYS("idempotency-keys", "errand_idempotency_key", "expires_at", "ctid", """
            and expires_at < now()""", "",
            "errand_idempotency_key_expiry", "errand_idempotency_key (expires_at)");

    /**
     * How long past its window a marker (and a task's step) is kept: a copy the age guard let in at the
     * very end of the window, or whose sender's clock runs ahead of the database's, still finds them. An
     * hour, or a tenth of a shorter window's length.
     */
    static Duration edgeGrace(Duration window) {
        Duration tenth = window.dividedBy(10);
        return tenth.compareTo(Duration.ofHours(1)) < 0 ? tenth : Duration.ofHours(1);
    }

    /** The tables whose size is reported; the outbox is emptied as it is published. */
    static final String[] TABLES = { "errand_processed_message", "errand_step", "errand_call", "errand_signal",
            "errand_call_restart", "errand_schedule", "errand_dead_letter", "errand_idempotency_key", "errand_outbox" };

    final String tag;
    final String table;
    /** The time a row's window counts from. */
    final String since;
    /** How a batch's rows are named to the delete: {@code ctid}, or the primary key. */
    final String key;
    /** What keeps a row past its window (an {@code and …} on the kind's table). */
    final String mayGo;
    /** What goes with the rows removed (statements over the removed keys, {@code gone}, split by ';'), or empty. */
    final String alongside;
    /** The index the statements walk, and what it is on. */
    final String index;
    final String indexOn;

    HistoryKind(String tag, String table, String since, String key, String mayGo, String alongside, String index,
            String indexOn) {
        this.tag = tag;
        this.table = table;
        this.since = since;
        this.key = key;
        this.mayGo = mayGo;
        this.alongside = alongside;
        this.index = index;
        this.indexOn = indexOn;
    }

    /**
     * Removes one batch: up to the last parameter's count of rows that may go and are older than the
     * window (every other parameter: its length in seconds), oldest first, with what goes alongside
     * them; answers the rows removed.
     */
    String removeBatch() {
        // The outer condition again: a row updated while the delete waited for it (a key taken over, a
        // workflow resumed) is deleted only if it still may go; a ctid or key match alone would not say.
        return bound("with gone as (delete from " + table + " where " + since + " < :before " + stillMayGo() + " and "
                + key + " = any(array(select " + key + " from "
                + table + " where " + since + " < :before " + mayGo.strip() + " order by " + since
                + " limit ?)) returning " + (key.equals("ctid") ? "1 as one" : key + " as id") + ")"
                + alongside()
                + " select count(*) from gone");
    }

    private String alongside() {
        StringBuilder with = new StringBuilder();
        String[] statements = alongside.isEmpty() ? new String[0] : alongside.split(";");
        for (int i = 0; i < statements.length; i++) {
            with.append(", alongside").append(i).append(" as (").append(statements[i]).append(")");
        }
        return with.toString();
    }

    /** What of {@link #mayGo} a row's own update can change: checked again on the row the delete reaches. */
    private String stillMayGo() {
        return switch (this) {
            case FINISHED_CALLS -> "and status in ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT')";
            case DEAD_LETTERS -> "and status <> 'DEAD_LETTERED'";
            default -> "";
        };
    }

    /** The oldest row retention may remove, its window past or not (every parameter: the window in seconds). */
    String oldest() {
        return bound("select " + since + " from " + table + " where " + since + " is not null " + mayGo.strip()
                + " order by " + since + " limit 1");
    }

    /**
     * The window's start, on the database's clock (the one that stamped the rows), written out where it
     * is used rather than joined in: a constant bound lets the planner walk the index in order.
     */
    private static String bound(String sql) {
        return sql.replace(":before", "now() - make_interval(secs => ?)");
    }

    /** The parameters of one of these statements (none of them holds a literal question mark). */
    static int parameters(String sql) {
        return (int) sql.chars().filter(c -> c == '?').count();
    }

    /** How long the kind is kept: its setting, and {@link #edgeGrace} for what a late copy needs. */
    Duration window(RetentionConfig config) {
        return switch (this) {
            case PROCESSED_MESSAGES -> config.processedMessages().plus(edgeGrace(config.processedMessages()));
            case TASK_STEPS -> config.taskSteps().plus(edgeGrace(config.taskSteps()));
            case FINISHED_CALLS -> config.finishedCalls();
            case DEAD_LETTERS -> config.deadLetters();
            case IDEMPOTENCY_KEYS -> config.idempotencyKeys();
        };
    }
}
