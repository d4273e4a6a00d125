package dev.errand.internal.web;

import java.net.URI;

import jakarta.ws.rs.core.UriInfo;

/** Which requests Errand's HTTP conventions apply to: its own, or all when the service asks. */
public final class ErrandPaths {

    /** Where Errand's operator endpoints live. */
    public static final String PREFIX = "/errand/";

    private ErrandPaths() {
    }

    public static boolean covers(UriInfo uri, HttpBuildTimeConfig config) {
        return config.allEndpoints() || isErrands(uri.getPath());
    }

    /**
     * Whether a raw request path leads to Errand's endpoints. Read before routing (the cross-site
     * guard runs pre-matching), so {@code //errand/...} or {@code /x/../errand/...}, which a router
     * may still match, count as Errand's too; a path that cannot be read counts as Errand's.
     */
    static boolean isErrands(String path) {
        try {
            String normalized = URI.create(("/" + path).replaceAll("/{2,}", "/")).normalize().getPath();
            return normalized.startsWith(PREFIX);
        } catch (IllegalArgumentException unreadable) {
            return true;
        }
    }
}
