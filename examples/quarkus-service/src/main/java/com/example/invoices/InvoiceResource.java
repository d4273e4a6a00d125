package com.example.invoices;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.OutboundMessage;
import dev.errand.Outbox;
import io.agroal.api.AgroalDataSource;

/**
 * The service's own API: an invoice to send is stored in the outbox in this request's transaction,
 * and Errand publishes it to the "invoices" queue once that commits.
 */
@Path("/invoices")
public class InvoiceResource {

    private final Outbox outbox;
    private final ObjectMapper json;
    private final AgroalDataSource database;

    InvoiceResource(Outbox outbox, ObjectMapper json, AgroalDataSource database) {
        this.outbox = outbox;
        this.json = json;
        this.database = database;
    }

    /** A sent invoice and its receipt; 404 until the worker has sent it. */
    @GET
    @Path("/{invoiceId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> sent(@PathParam("invoiceId") String invoiceId) throws SQLException {
        try (Connection connection = database.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "select customer, amount_cents, receipt from invoice_sent where invoice_id = ?")) {
            select.setString(1, invoiceId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw new NotFoundException("Invoice " + invoiceId + " has not been sent");
                }
                return Map.of("invoiceId", invoiceId, "customer", row.getString(1), "amountCents", row.getLong(2),
                        "receipt", row.getString(3));
            }
        }
    }

    @POST
    @Transactional
    public Response send(@Valid SendInvoice invoice) throws JsonProcessingException {
        // The message id is the invoice's: sending the same invoice twice sends it once.
        outbox.enqueue(OutboundMessage.json("invoices", "invoice:" + invoice.invoiceId(), "send-invoice", null,
                json.writeValueAsString(invoice)));
        return Response.accepted().build();
    }
}
