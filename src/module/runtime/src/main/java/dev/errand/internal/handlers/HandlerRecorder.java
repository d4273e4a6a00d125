package dev.errand.internal.handlers;

import java.util.HashSet;
import java.util.List;

import io.quarkus.runtime.annotations.Recorder;

/** Carries what the build found about the handlers into the running service. */
@Recorder
public class HandlerRecorder {

    public void record(List<String> handlerChannels, List<String> breakerNames) {
        HandlerCatalog.record(handlerChannels, new HashSet<>(breakerNames));
    }
}
