package dev.errand.internal.problem;

import jakarta.ws.rs.core.UriInfo;


/** Which requests Errand's HTTP conventions apply to: its own, or all when the service asks. */
public final class ErrandPaths {

    /** Where Errand's operator endpoints live. */
    public static final String PREFIX = "/errand/";

    private ErrandPaths() {
    }

    public static boolean covers(UriInfo uri, HttpConfig config) {
        return config.allEndpoints() || uri.getPath().startsWith(PREFIX);
    }
}
