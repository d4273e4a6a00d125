package dev.errand.internal.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.errand.internal.contract.SafeText;


/**
 * Refuses oversized JSON bodies. {@code quarkus.http.limits.max-body-size} is one limit for the whole
 * server, and must leave room for CSV uploads; a JSON command is a few hundred bytes, so it gets a
 * much tighter bound of its own. A declared {@code Content-Length} over the bound is refused before
 * anything is read; every body, chunked ones included, is also counted as it is read, and reading
 * stops at the bound: a sender cannot make the service buffer megabytes by leaving the length out.
 */
public class RequestLimits {

    private final HttpConfig config;
    private final HttpBuildTimeConfig switches;

    public RequestLimits(HttpConfig config, HttpBuildTimeConfig switches) {
        this.config = config;
        this.switches = switches;
    }

    /**
     * PostgreSQL refuses a NUL in text, and an unpaired surrogate cannot be stored at all: a query or
     * path parameter holding one would reach the database and fail there with a 500. Refused first,
     * for every parameter at once, whatever the endpoint.
     */
    @ServerRequestFilter(preMatching = true)
    public Response refuseUnstorableText(ContainerRequestContext request, UriInfo uri) {
        if (!ErrandPaths.covers(uri, switches)) {
            return null;
        }
        int length = uri.getRequestUri().getRawPath().length()
                + (uri.getRequestUri().getRawQuery() == null ? 0 : uri.getRequestUri().getRawQuery().length());
        if (length > config.maxUriLength()) {
            return Problems.response(414, "uri-too-long", "URI too long",
                    "The path and query are " + length + " characters; at most " + config.maxUriLength()
                            + " are read (errand.http.max-uri-length)", uri);
        }
        for (var parameter : uri.getQueryParameters(true).entrySet()) {
            String bad = unstorable(parameter.getKey(), parameter.getValue());
            if (bad != null) {
                return Problems.response(400, "invalid-request", "Invalid request",
                        "Query parameter '" + SafeText.of(parameter.getKey()) + "' " + bad, uri);
            }
        }
        for (var segment : uri.getPathSegments(true)) {
            if (SafeText.firstUnsafe(segment.getPath()) >= 0) {
                return Problems.response(400, "invalid-request", "Invalid request",
                        "The path holds a NUL character or an unpaired surrogate", uri);
            }
        }
        return null;
    }

    private static String unstorable(String name, java.util.List<String> values) {
        if (SafeText.firstUnsafe(name) >= 0) {
            return "has a name with a NUL character or an unpaired surrogate";
        }
        for (String value : values) {
            if (SafeText.firstUnsafe(value) >= 0) {
                return "holds a NUL character or an unpaired surrogate";
            }
        }
        return null;
    }

    @ServerRequestFilter
    public Response limitJsonBodies(ContainerRequestContext request, UriInfo uri) {
        if (!ErrandPaths.covers(uri, switches)) {
            return null;
        }
        MediaType type = request.getMediaType();
        if (type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            return null;
        }
        long limit = config.maxJsonBytes();
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            request.setEntityStream(new LimitedBody(request.getEntityStream(), limit));
            return null;
        }
        long bytes;
        try {
            bytes = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Problems.response(400, "invalid-request", "Invalid request",
                    "Content-Length is not a number", uri);
        }
        if (bytes <= limit) {
            // The length is the sender's word; the bytes are counted all the same.
            request.setEntityStream(new LimitedBody(request.getEntityStream(), limit));
            return null;
        }
        return Problems.response(413, "body-too-large", "Request body too large",
                "JSON bodies are limited to " + limit + " bytes; this one has " + bytes, uri);
    }
}
