package com.example.invoices;

import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.errand.OutboundMessage;
import dev.errand.Outbox;

/**
 * The service's own API: an invoice to send is stored in the outbox in this request's transaction,
 * and Errand publishes it to the "invoices" queue once that commits.
 */
@Path("/invoices")
public class InvoiceResource {

    private final Outbox outbox;
    private final ObjectMapper json;

    InvoiceResource(Outbox outbox, ObjectMapper json) {
        this.outbox = outbox;
        this.json = json;
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
