package dev.errand.internal.problem;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Builds RFC 7807 responses, for the exception mappers and for filters that answer early. */
public final class Problems {

    private Problems() {
    }

    /** A problem of type {@code /problems/<type>} about the request's path. */
    public static Response response(int status, String type, String title, String detail, UriInfo uri) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("/problems/" + type, title, status, detail, uri.getPath()))
                .build();
    }
}
