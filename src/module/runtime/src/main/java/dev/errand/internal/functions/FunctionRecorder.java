package dev.errand.internal.functions;

import java.util.List;

import io.quarkus.runtime.annotations.Recorder;

/** Carries the durable functions the build found into the running service. */
@Recorder
public class FunctionRecorder {

    /** Each spec is {@link FunctionSpec#encode()}d: plain strings cross the recorder safely. */
    public void record(List<String> specs) {
        FunctionCatalog.record(specs.stream().map(FunctionSpec::decode).toList());
    }
}
