package dev.errand.internal.functions;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.errand.CallStatus;
import dev.errand.DurableCalls;
import dev.errand.ProgressSource;

/** The latest top-level workflows on the dashboard, each with its children done and failed. */
@ApplicationScoped
public class WorkflowProgress implements ProgressSource {

    private static final int SHOWN = 10;

    private final DurableCalls calls;

    public WorkflowProgress(DurableCalls calls) {
        this.calls = calls;
    }

    @Override
    public List<Progress> progress() {
        return calls.workflows(null, null, SHOWN).stream().map(WorkflowProgress::progress).toList();
    }

    private static Progress progress(CallStatus workflow) {
        CallStatus.Children children = workflow.children();
        String status = workflow.currentStep() == null ? workflow.state().name()
                : workflow.state() + " (" + workflow.currentStep() + ")";
        return new Progress("workflow", workflow.id(), workflow.function(), status, children.succeeded(),
                children.failed(), children.total(), workflow.createdAt(), workflow.state().finished());
    }
}
