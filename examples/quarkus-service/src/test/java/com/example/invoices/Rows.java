package com.example.invoices;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import io.agroal.api.AgroalDataSource;

/** Counts rows, so that tests check what the service and Errand recorded rather than what an endpoint says. */
final class Rows {

    private Rows() {
    }

    static long count(AgroalDataSource database, String sql, String argument) throws Exception {
        try (Connection connection = database.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, argument);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
