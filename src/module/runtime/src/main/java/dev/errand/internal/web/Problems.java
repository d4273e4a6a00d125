package dev.errand.internal.web;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Builds RFC 7807 responses, for the exception mappers and for filters that answer early. */
public final class Problems {

    /**
     * Most characters of a problem's detail. Details quote what the client sent (a header line, a
     * parameter, a parser's complaint about a value); a quote of a 95 MB line was answered whole, so
     * every detail is cut here, whoever wrote it.
     */
    public static final int MAX_DETAIL_CHARS = 200;

    private Problems() {
    }

    /** A problem of type {@code /problems/<type>} about the request's path. */
    public static Response response(int status, String type, String title, String detail, UriInfo uri) {
        return response(status, type, title, detail, uri.getPath());
    }

    /** The same, for a handler that has only the raw path (a Vert.x route, before JAX-RS). */
    public static Response response(int status, String type, String title, String detail, String path) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(problem(status, type, title, detail, path))
                .build();
    }

    /** The problem itself, its detail cut to {@link #MAX_DETAIL_CHARS}. */
    public static Problem problem(int status, String type, String title, String detail, String path) {
        return new Problem("/problems/" + type, title, status, shortened(detail), shortened(path));
    }

    /** {@code text} cut to {@link #MAX_DETAIL_CHARS} characters, its last an ellipsis, never half a surrogate pair. */
    static String shortened(String text) {
        if (text == null || text.length() <= MAX_DETAIL_CHARS) {
            return text;
        }
        int end = MAX_DETAIL_CHARS - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }
}
