package dev.errand.internal.retention;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.internal.config.RetentionConfig;
import dev.errand.internal.handling.ConsumerPolicies;
import dev.errand.internal.handling.StartupProblems;

/**
 * Refuses to start with a retention that could let a message run twice: a marker (or a task's steps)
 * must outlive the longest time a message of any consumer can keep coming back, its scheduled retries
 * all taken; a task's steps must outlive its message's marker, since a copy the marker window lets in
 * resumes after them; and a finished call must outlive its message's marker, since past the marker the
 * call's record is what stops a late copy of its message from running it again. Reported with the
 * other settings' problems ({@code StartupChecks}).
 */
@ApplicationScoped
public class RetentionChecks implements StartupProblems {

    private final RetentionConfig config;
    private final ConsumerPolicies policies;

    RetentionChecks(RetentionConfig config, ConsumerPolicies policies) {
        this.config = config;
        this.policies = policies;
    }

    @Override
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        String longest = null;
        Duration span = Duration.ZERO;
        for (String channel : policies.consumers()) {
            Duration consumerSpan = policies.redelivery(channel).span();
            if (consumerSpan.compareTo(span) > 0) {
                span = consumerSpan;
                longest = channel;
            }
        }
        if (longest != null) {
            ConsumerPolicies.Redelivery retry = policies.redelivery(longest);
            String why = "consumer \"" + longest + "\" may still receive a message " + span + " after its first attempt ("
                    + retry.maxAttempts() + " attempts, redelivery-delay " + retry.redeliveryDelay() + " doubling up to"
                    + " max-redelivery-delay " + retry.maxRedeliveryDelay() + "). Raise the retention, or lower"
                    + " errand.consumers.\"" + longest + "\".max-attempts or max-redelivery-delay"
                    + " (or errand.consumers.max-attempts, errand.consumers.max-redelivery-delay for every consumer)";
            if (config.processedMessages().compareTo(span) < 0) {
                problems.add("errand.retention.processed-messages=" + config.processedMessages()
                        + " would remove a message's marker while a copy of it can still arrive, and that copy"
                        + " would run again: " + why);
            }
            if (config.taskSteps().compareTo(span) < 0) {
                problems.add("errand.retention.task-steps=" + config.taskSteps()
                        + " would remove a task's recorded steps while it may still be retried, and its retry"
                        + " would run them again: " + why);
            }
        }
        if (config.taskSteps().compareTo(config.processedMessages()) < 0) {
            problems.add("errand.retention.task-steps=" + config.taskSteps()
                    + " is shorter than errand.retention.processed-messages=" + config.processedMessages()
                    + ": a copy let in by its marker's window resumes after its recorded steps, which must still be there");
        }
        if (config.finishedCalls().compareTo(config.processedMessages()) < 0) {
            problems.add("errand.retention.finished-calls=" + config.finishedCalls()
                    + " is shorter than errand.retention.processed-messages=" + config.processedMessages()
                    + ": a late copy of a call's message is stopped by its marker, then by the call's record;"
                    + " the record must stay at least as long as the marker");
        }
        return problems;
    }
}
