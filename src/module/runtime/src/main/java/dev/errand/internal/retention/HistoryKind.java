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
     * A task's recorded steps ({@code Task.step}). Those of a message waiting as a dead letter stay: its
     * replay resumes after them, and must not run them again.
     */
    TASK_STEPS("task-steps", "errand_step", "done_at", "ctid", """
            and seq is null
            and not exists (select 1 from errand_dead_letter d where d.status = 'DEAD_LETTERED'
                            and d.message_id = errand_step.owner_id and d.consumer = errand_step.consumer)""", "",
            "errand_step_task_age", "errand_step (done_at) where seq is null"),

    /**
     * Finished durable calls, with their steps. Kept: a call whose parent still runs, one with a child
     * that still runs, and a failed one whose dead letter waits (its replay runs it from its record).
     */
    FINISHED_CALLS("finished-calls", "errand_call", "finished_at", "id", """
            and finished_at is not null
            and (parent_id is null or not exists (select 1 from errand_call p
                 where p.id = errand_call.parent_id and p.status not in ('SUCCEEDED', 'FAILED')))
            and not exists (select 1 from errand_call k
                            where k.parent_id = errand_call.id and k.status not in ('SUCCEEDED', 'FAILED'))
            and not exists (select 1 from errand_dead_letter d where d.status = 'DEAD_LETTERED'
                            and d.message_id = errand_call.id)""",
            "delete from errand_step s using gone where s.owner_id = gone.id and s.seq is not null",
            "errand_call_finished", "errand_call (finished_at) where finished_at is not null"),

    /** Dead letters an operator replayed or discarded; a letter still waiting is never removed. */
    DEAD_LETTERS("dead-letters", "errand_dead_letter", "resolved_at", "id", """
            and resolved_at is not null and status <> 'DEAD_LETTERED'""", "",
            "errand_dead_letter_resolved", "errand_dead_letter (resolved_at) where resolved_at is not null"),

    /** HTTP idempotency keys, counted from their expiry (never before it, whatever the window). */
    IDEMPOTENCY_KEYS("idempotency-keys", "errand_idempotency_key", "expires_at", "ctid", """
            and expires_at < now()""", "",
            "errand_idempotency_key_expiry", "errand_idempotency_key (expires_at)");

    /** The tables whose size is reported; the outbox is emptied as it is published. */
    static final String[] TABLES = { "errand_processed_message", "errand_step", "errand_call", "errand_dead_letter",
            "errand_idempotency_key", "errand_outbox" };

    final String tag;
    final String table;
    /** The time a row's window counts from. */
    final String since;
    /** How a batch's rows are named to the delete: {@code ctid}, or the primary key. */
    final String key;
    /** What keeps a row past its window (an {@code and …} on the kind's table). */
    final String mayGo;
    /** What goes with the rows removed (a statement over the removed keys, {@code gone}), or empty. */
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
     * Removes one batch: up to {@code ?2} rows that may go and are older than {@code ?1} seconds, oldest
     * first, with what goes alongside them; answers the rows removed.
     */
    String removeBatch() {
        return "with gone as (delete from " + table + " where " + key + " = any(array(select " + key + " from " + table
                + " where " + since + " < now() - make_interval(secs => ?) " + mayGo.strip() + " order by " + since
                + " limit ?)) returning " + (key.equals("ctid") ? "1 as one" : key + " as id") + ")"
                + (alongside.isEmpty() ? "" : ", alongside as (" + alongside + ")")
                + " select count(*) from gone";
    }

    /** The oldest row retention may remove, whether its window is past or not. */
    String oldest() {
        return "select " + since + " from " + table + " where " + since + " is not null " + mayGo.strip()
                + " order by " + since + " limit 1";
    }

    Duration window(RetentionConfig config) {
        return switch (this) {
            case PROCESSED_MESSAGES -> config.processedMessages();
            case TASK_STEPS -> config.taskSteps();
            case FINISHED_CALLS -> config.finishedCalls();
            case DEAD_LETTERS -> config.deadLetters();
            case IDEMPOTENCY_KEYS -> config.idempotencyKeys();
        };
    }
}
