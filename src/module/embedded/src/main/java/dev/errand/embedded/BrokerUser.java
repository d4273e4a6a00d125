package dev.errand.embedded;

import java.util.Objects;

/** The credentials the embedded broker accepts, and the connector presents. */
public record BrokerUser(String username, String password) {

    public BrokerUser {
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("The embedded broker needs a user name");
        }
        if (password == null || password.isBlank()) {
            throw new IllegalArgumentException("The embedded broker needs a password");
        }
    }

    @Override
    public String toString() {
        // Never the password: settings are logged.
        return "BrokerUser[" + Objects.toString(username) + "]";
    }
}
