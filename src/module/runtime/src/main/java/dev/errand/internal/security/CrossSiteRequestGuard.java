package dev.errand.internal.security;

import java.net.URI;
import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.errand.internal.web.ErrandPaths;
import dev.errand.internal.web.HttpBuildTimeConfig;
import dev.errand.internal.web.Problems;

/**
 * Refuses state-changing requests that a browser sent on behalf of another site. A browser repeats
 * cached basic-auth credentials to this service from any page, so without this a page elsewhere could
 * make a logged-in administrator's browser replay or delete dead letters (cross-site request forgery).
 * Browsers mark such requests with {@code Sec-Fetch-Site} and {@code Origin}; clients that are not
 * browsers (curl, services) send neither and are not affected.
 */
public class CrossSiteRequestGuard {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final HttpBuildTimeConfig config;

    public CrossSiteRequestGuard(HttpBuildTimeConfig config) {
        this.config = config;
    }

    @ServerRequestFilter(preMatching = true)
    public Response refuseCrossSiteWrites(ContainerRequestContext request, UriInfo uri) {
        if (SAFE_METHODS.contains(request.getMethod()) || !ErrandPaths.covers(uri, config)) {
            return null;
        }
        String fetchSite = request.getHeaderString("Sec-Fetch-Site");
        String origin = request.getHeaderString("Origin");
        boolean crossSite = "cross-site".equals(fetchSite) || "same-site".equals(fetchSite)
                || (origin != null && !sameOrigin(origin, uri.getBaseUri()));
        if (!crossSite) {
            return null;
        }
        return Problems.response(403, "cross-site-request", "Cross-site request refused",
                "Requests that change something must come from this service's own pages", uri);
    }

    private static boolean sameOrigin(String origin, URI base) {
        try {
            URI from = URI.create(origin);
            return base.getHost() != null && base.getHost().equalsIgnoreCase(from.getHost())
                    && effectivePort(base) == effectivePort(from) && base.getScheme().equalsIgnoreCase(from.getScheme());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
