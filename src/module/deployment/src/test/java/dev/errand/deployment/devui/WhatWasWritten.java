package dev.errand.deployment.devui;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import io.agroal.api.AgroalDataSource;

/**
 * The rows the Dev UI's buttons change, as the database holds them: the test reads them here because
 * the dev-mode service's database is the test resource's, whose address only the service knows.
 */
@Path("/written")
public class WhatWasWritten {

    private final AgroalDataSource database;

    WhatWasWritten(AgroalDataSource database) {
        this.database = database;
    }

    /** Whether the greetings consumer took message {@code id}: Errand records each message it processed. */
    @GET
    @Path("processed/{id}")
    public String processed(@PathParam("id") String id) throws SQLException {
        return one("select count(*) from errand_processed_message where consumer = ? and message_id = ?",
                Greeter.CHANNEL, id);
    }

    @GET
    @Path("dead-letter/{id}")
    public String deadLetter(@PathParam("id") String id) throws SQLException {
        return one("select max(status) from errand_dead_letter where message_id = ?", id);
    }

    @GET
    @Path("call/{id}")
    public String call(@PathParam("id") String id) throws SQLException {
        return one("select max(status) from errand_call where id = ?", id);
    }

    private String one(String sql, String... arguments) throws SQLException {
        try (Connection connection = database.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                query.setString(i + 1, arguments[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return String.valueOf(rows.getString(1));
            }
        }
    }
}
