package dev.errand.apps.signups;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.errand.Idempotent;
import dev.errand.Admission;
import dev.errand.ProblemException;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Sign-up: the account is created at once, the rest of the work follows in order. */
// The application's public API: anyone may place work here, within validation and backpressure.
@PermitAll
@Path("/signups")
@Produces(MediaType.APPLICATION_JSON)
public class SignupResource {

    /** The answer to {@code POST /signups}. */
    public record Accepted(long accountId, List<String> pending) {
    }

    /** {@code GET /signups/{id}}: the account and the items done, in the order they ran. */
    public record View(long accountId, String email, List<String> done) {
    }

    private final SignupService signups;
    private final Admission backpressure;
    private final AgroalDataSource dataSource;

    public SignupResource(SignupService signups, Admission backpressure, AgroalDataSource dataSource) {
        this.signups = signups;
        this.backpressure = backpressure;
        this.dataSource = dataSource;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Idempotent
    public Response signUp(@Valid @NotNull SignupRequest request) {
        backpressure.admit(SignupChannels.SIGNUPS_QUEUE);
        long id = signups.signUp(request);
        return Response.accepted(new Accepted(id, SignupChannels.STEPS)).location(URI.create("/signups/" + id)).build();
    }

    @GET
    @Path("/{id}")
    public View get(@PathParam("id") long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement account = connection.prepareStatement("select email from signup_account where id = ?");
                    PreparedStatement events = connection.prepareStatement(
                            "select step from signup_event where account_id = ? order by seq")) {
                account.setLong(1, id);
                String email;
                try (ResultSet rows = account.executeQuery()) {
                    if (!rows.next()) {
                        throw new ProblemException(404, "signup-not-found", "Sign-up not found", "No account " + id);
                    }
                    email = rows.getString(1);
                }
                events.setLong(1, id);
                List<String> done = new ArrayList<>();
                try (ResultSet rows = events.executeQuery()) {
                    while (rows.next()) {
                        done.add(rows.getString(1));
                    }
                }
                return new View(id, email, done);
            }
        });
    }
}
