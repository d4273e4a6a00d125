package dev.errand.apps.export;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The third party's CRM (in the demo and tests: the simulator, reached over HTTP). */
@RegisterRestClient(configKey = "crm")
@Path("/simulator/crm")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public interface CrmClient {

    record NewContact(String firstName, String lastName, String email) {
    }

    record Owner(String owner) {
    }

    record Report(String exportId, long exported, long failed) {
    }

    @POST
    @Path("/contacts")
    Response createContact(@HeaderParam("Idempotency-Key") String idempotencyKey, NewContact contact);

    @PUT
    @Path("/contacts/{contactId}/owner")
    Response assignOwner(@PathParam("contactId") String contactId, Owner owner);

    @POST
    @Path("/reports")
    Response report(@HeaderParam("Idempotency-Key") String idempotencyKey, Report report);
}
