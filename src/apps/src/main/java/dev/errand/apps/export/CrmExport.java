package dev.errand.apps.export;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.errand.Call;
import dev.errand.DurableWorkflow;
import dev.errand.Workflow;
import io.smallrye.faulttolerance.api.RateLimit;

/**
 * The export, written like the naive loop: read the users, send each one to the CRM, report. Each
 * call is durable work: a crash, a redeploy or a CRM outage resumes it where it was, and no user is
 * sent twice.
 */
@ApplicationScoped
public class CrmExport {

    /**
     * What an export did; also posted to the CRM as its report.
     *
     * @param outcome null when it ran; REJECTED or EXPIRED when it waited for an approval that did not come
     */
    public record Summary(long exportId, long exported, long failed, String outcome) {
    }

    /** An admin's answer to an export that waits for approval. */
    public record Approval(boolean approved, String by) {
    }

    /** What the export waits for when it is large. */
    public static final String APPROVAL = "approval";

    private static final TypeReference<List<Long>> USER_IDS = new TypeReference<>() {
    };

    private final Workflow workflow;
    private final CrmGateway crm;
    private final ExportStore store;
    private final int approvalThreshold;
    private final Duration approvalTimeout;

    public CrmExport(Workflow workflow, CrmGateway crm, ExportStore store,
            @ConfigProperty(name = "exports.approval-threshold", defaultValue = "10000") int approvalThreshold,
            @ConfigProperty(name = "exports.approval-timeout", defaultValue = "24h") Duration approvalTimeout) {
        this.workflow = workflow;
        this.crm = crm;
        this.store = store;
        this.approvalThreshold = approvalThreshold;
        this.approvalTimeout = approvalTimeout;
    }

    /**
     * After {@code delaySeconds} (a durable sleep: no thread waits, a restart does not lose it), every
     * user of the export, each as a child workflow; then one report.
     */
    @DurableWorkflow(name = "export-users")
    public Call<Summary> exportUsers(long exportId, long delaySeconds) {
        if (delaySeconds > 0) {
            workflow.sleep(Duration.ofSeconds(delaySeconds));
        }
        List<Long> userIds = workflow.step("users", USER_IDS, key -> store.userIds(exportId));
        // Decided once, in a step: a replay after the threshold's setting changed keeps the first answer.
        if (workflow.step("needs approval", Boolean.class, key -> userIds.size() > approvalThreshold)) {
            // No thread waits; POST /exports/{id}/approval signals it, in its own transaction.
            Optional<Approval> approval = workflow.awaitSignal(APPROVAL, Approval.class, approvalTimeout);
            if (approval.isEmpty() || !approval.get().approved()) {
                return Call.returning(new Summary(exportId, 0, 0, approval.isEmpty() ? "EXPIRED" : "REJECTED"));
            }
        }
        List<Call<String>> sent = new ArrayList<>(userIds.size());
        for (long userId : userIds) {
            sent.add(sendUser(userId)); // each call is durable work
        }
        Workflow.Results<String> results = workflow.awaitAll(sent, String.class);
        Summary summary = new Summary(exportId, results.succeeded().size(), results.failed().size(), null);
        workflow.step("report", String.class, key -> {
            crm.report(key, new CrmClient.Report(String.valueOf(exportId), summary.exported(), summary.failed()));
            return "reported";
        });
        return Call.returning(summary);
    }

    /**
     * One user in two steps: the contact, then its owner, which needs the contact's id. A resumed run
     * never creates the contact again; a run that died inside step 1 repeats it with the same
     * idempotency key, and the CRM gives back the same contact.
     */
    @DurableWorkflow(name = "export-user")
    @RateLimit(value = 150, window = 1, windowUnit = ChronoUnit.SECONDS)
    public Call<String> sendUser(long userId) {
        ExportedUser user = store.user(userId);
        String contactId = workflow.step("contact", String.class, key -> crm.createContact(key, user));
        workflow.step("owner", String.class, key -> {
            crm.assignOwner(contactId, owner(user));
            return contactId;
        });
        return Call.returning(contactId);
    }

    /** Accounts are shared between ten owners, by user. */
    private static String owner(ExportedUser user) {
        return "owner-" + (user.id() % 10);
    }
}
