package dev.errand.internal.devui;

import java.util.List;

import dev.errand.CallStatus;
import dev.errand.CallStep;
import dev.errand.DeadLetterStatus;
import dev.errand.DurableCalls;
import dev.errand.internal.deadletter.DeadLetterReplayer;
import dev.errand.internal.deadletter.DeadLetterRepository;
import dev.errand.internal.flow.ChannelDispatcher;
import dev.errand.internal.handling.ConsumerRegistry;
import dev.errand.internal.operator.DeadLetterResource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The live half of Errand's Dev UI page ({@code quarkus dev} only): each public method is a JSON-RPC
 * method its web components call. It asks the beans the operator API asks, so the page and
 * {@code /errand/...} cannot disagree; it has no roles to check, as the Dev UI is the developer's own.
 */
public class ErrandDevUiService {

    /** The dead letters a page shows at most: the Dev UI is for a developer's few, the operator API pages. */
    static final int DEAD_LETTERS_SHOWN = 100;

    private final ConsumerRegistry consumers;
    private final DeadLetterRepository deadLetters;
    private final DeadLetterReplayer replayer;
    private final DurableCalls calls;

    public ErrandDevUiService(ConsumerRegistry consumers, DeadLetterRepository deadLetters,
            DeadLetterReplayer replayer, DurableCalls calls) {
        this.consumers = consumers;
        this.deadLetters = deadLetters;
        this.replayer = replayer;
        this.calls = calls;
    }

    /** As {@code GET /errand/consumers}. */
    public List<ChannelDispatcher.View> consumers() {
        return consumers.views();
    }

    /** As {@code POST /errand/consumers/{channel}/pause}; null for no such consumer. */
    public ChannelDispatcher.View pause(String channel) {
        return consumers.pauseByOperator(channel, true).orElse(null);
    }

    /** As {@code POST /errand/consumers/{channel}/resume}. */
    public ChannelDispatcher.View resume(String channel) {
        return consumers.pauseByOperator(channel, false).orElse(null);
    }

    /** As {@code GET /errand/dead-letters}: the waiting ones, newest first. */
    public List<DeadLetterResource.View> deadLetters() {
        return QuarkusTransaction.joiningExisting().call(() -> deadLetters
                .page(DeadLetterStatus.DEAD_LETTERED, null, null, 0, DEAD_LETTERS_SHOWN).stream()
                .map(DeadLetterResource.View::of).toList());
    }

    /** As {@code POST /errand/dead-letters/{id}/replay}. */
    public long replay(long id) {
        replayer.replay(id);
        return id;
    }

    /** As {@code GET /errand/workflows}: the newest top-level workflows. */
    public List<CallStatus> workflows() {
        return calls.workflows(null, null, 50);
    }

    /** As the steps of {@code GET /errand/calls/{id}}. */
    public List<CallStep> steps(String callId) {
        return calls.steps(callId);
    }
}
