package dev.errand.internal.problem;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;


/**
 * Refuses oversized JSON bodies before they are read. {@code quarkus.http.limits.max-body-size} is
 * one limit for the whole server, and must leave room for CSV uploads; a JSON command is a few
 * hundred bytes, so it gets a much tighter bound of its own.
 */
public class RequestLimits {

    private final HttpConfig config;

    public RequestLimits(HttpConfig config) {
        this.config = config;
    }

    @ServerRequestFilter
    public Response limitJsonBodies(ContainerRequestContext request, UriInfo uri) {
        if (!ErrandPaths.covers(uri, config)) {
            return null;
        }
        MediaType type = request.getMediaType();
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE) || length == null) {
            return null;
        }
        long limit = config.maxJsonBytes();
        long bytes;
        try {
            bytes = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Problems.response(400, "invalid-request", "Invalid request",
                    "Content-Length is not a number", uri);
        }
        if (bytes <= limit) {
            return null;
        }
        return Problems.response(413, "body-too-large", "Request body too large",
                "JSON bodies are limited to " + limit + " bytes; this one has " + bytes, uri);
    }
}
