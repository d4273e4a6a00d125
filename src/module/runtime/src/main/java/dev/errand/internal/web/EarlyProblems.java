package dev.errand.internal.web;

import java.net.URI;
import java.net.URISyntaxException;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Problem JSON for what Vert.x and Quarkus refuse before JAX-RS sees the request, where they answer
 * with an empty body: a declared {@code Content-Length} over {@code quarkus.http.limits.max-body-size}
 * (413), and, with {@code errand.http.all-endpoints=true}, a URI that cannot be parsed such as
 * {@code /orders/%zz} (400; the deployment moves Quarkus's own check here). A route just before
 * Quarkus's upload limit, so it answers first; requests Errand's conventions do not cover are
 * answered as Quarkus would.
 */
@Singleton
public class EarlyProblems {

    private static final String INVALID_URI = "The request URI cannot be read: an escape is not %XX in"
            + " hexadecimal, or a character is not allowed in a URI";

    private final HttpBuildTimeConfig config;
    private final long maxBodyBytes;

    public EarlyProblems(HttpBuildTimeConfig config,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") String maxBodySize) {
        this.config = config;
        this.maxBodyBytes = new MemorySizeConverter().convert(maxBodySize).asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
        // A path with a broken escape fails while the router reads it, before any route runs: the router
        // then asks its handler for 400, which otherwise answers "Bad Request" as plain text.
        router.errorHandler(400, context -> {
            if (config.allEndpoints() && !parses(context.request().uri()) && !context.response().ended()) {
                answer(context, 400, "invalid-uri", "Invalid URI", INVALID_URI, false);
            }
        });
    }

    private void check(RoutingContext context) {
        String rawUri = context.request().uri();
        if (config.allEndpoints() && !parses(rawUri)) {
            answer(context, 400, "invalid-uri", "Invalid URI", INVALID_URI, false);
            return;
        }
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && (config.allEndpoints() || ErrandPaths.isErrands(context.request().path()))) {
            long bytes;
            try {
                bytes = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                answer(context, 400, "invalid-request", "Invalid request", "Content-Length is not a number", true);
                return;
            }
            if (bytes > maxBodyBytes) {
                // The body is never read: the connection closes after the answer, as Quarkus does.
                answer(context, 413, "body-too-large", "Request body too large", "Request bodies are limited to "
                        + maxBodyBytes + " bytes (quarkus.http.limits.max-body-size); this one has " + bytes, true);
                return;
            }
        }
        context.next();
    }

    private static boolean parses(String uri) {
        try {
            new URI(uri);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void answer(RoutingContext context, int status, String type, String title, String detail,
            boolean close) {
        // The path as sent, which may be what could not be read; Problems cuts it short.
        Problem problem = Problems.problem(status, type, title, detail, context.request().path());
        JsonObject body = new JsonObject().put("type", problem.type()).put("title", problem.title())
                .put("status", problem.status()).put("detail", problem.detail()).put("instance", problem.instance());
        var response = context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (close) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
            response.endHandler(ignored -> context.request().connection().close());
        }
        response.end(body.encode());
    }
}
