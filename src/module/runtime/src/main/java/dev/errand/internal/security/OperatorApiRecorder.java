package dev.errand.internal.security;

import org.jboss.logging.Logger;

import io.quarkus.runtime.annotations.Recorder;

/** Says once at start that the operator API is closed, and why (see {@link OperatorApiWithoutSecurity}). */
@Recorder
public class OperatorApiRecorder {

    private static final Logger LOG = Logger.getLogger("dev.errand.security");

    public void closedWithoutSecurity() {
        LOG.warn(OperatorApiWithoutSecurity.REMEDY);
    }
}
