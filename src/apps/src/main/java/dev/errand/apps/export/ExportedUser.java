package dev.errand.apps.export;

/** A user as the CRM gets it. */
public record ExportedUser(long id, String firstName, String lastName, String email) {
}
