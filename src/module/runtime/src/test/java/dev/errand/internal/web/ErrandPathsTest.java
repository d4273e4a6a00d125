package dev.errand.internal.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Errand's conventions follow its endpoints however the path is spelt, and leave the host's alone. */
class ErrandPathsTest {

    @Test
    void errandsEndpointsAreCoveredHoweverThePathIsSpelt() {
        assertTrue(ErrandPaths.isErrands("/errand/dead-letters/replay"));
        assertTrue(ErrandPaths.isErrands("//errand/dead-letters/replay"));
        assertTrue(ErrandPaths.isErrands("/errand//dead-letters"));
        assertTrue(ErrandPaths.isErrands("/invoices/../errand/consumers/orders/pause"));
        assertTrue(ErrandPaths.isErrands("/./errand/consumers"));
    }

    @Test
    void theHostsOwnEndpointsAreNot() {
        assertFalse(ErrandPaths.isErrands("/invoices"));
        assertFalse(ErrandPaths.isErrands("/errands/x"));
        assertFalse(ErrandPaths.isErrands("/api/errand/x"));
    }
}
