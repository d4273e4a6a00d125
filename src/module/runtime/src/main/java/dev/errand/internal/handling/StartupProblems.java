package dev.errand.internal.handling;

import java.util.List;

/**
 * What a feature finds wrong in the settings before the service starts, reported with the consumers'
 * own problems by {@link StartupChecks}, all at once.
 */
public interface StartupProblems {

    /** @return one line per problem, each saying what to change; empty when there is none */
    List<String> problems();
}
