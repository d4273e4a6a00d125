package dev.errand.internal.security;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;

import dev.errand.internal.web.Problems;

/**
 * Refuses every request to Errand's operator endpoints in a service that has no Quarkus security
 * extension. There, {@code @RolesAllowed} is not enforced at all, so pausing consumers or replaying
 * dead letters would be open to anyone who reaches the port. Errand's build registers this filter,
 * bound to {@link dev.errand.internal.operator.OperatorApi}, only when the security capability is
 * missing; the service's other endpoints never see it.
 */
public class OperatorApiWithoutSecurity implements ContainerRequestFilter {

    /** What to do about it, in the problem's detail and in the start-up line. */
    // Short enough to stand whole in a problem's detail (cut at 200 characters).
    public static final String REMEDY = "No security extension checks roles, so the operator API refuses all. Add"
            + " quarkus-elytron-security-properties-file or quarkus-oidc, or set errand.http.operator-api=false"
            + " (docs/operations/security.md)";

    @Override
    public void filter(ContainerRequestContext request) {
        request.abortWith(Problems.response(403, "operator-api-unsecured", "Operator API not secured", REMEDY,
                request.getUriInfo()));
    }
}
