package dev.errand.internal.handling;

/** A message made longer ago than its marker is kept ({@link LateCopies}): never run, never marked. */
final class PastMarkerRetention extends RuntimeException {

    PastMarkerRetention(String why) {
        super(why);
    }
}
