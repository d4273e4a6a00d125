package com.example.invoices;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import dev.errand.Admission;

/** A service's own endpoint that asks for room on its queue before it takes work (HostProblemsTest). */
@Path("/probe/room")
public class RoomProbeResource {

    private final Admission admission;

    RoomProbeResource(Admission admission) {
        this.admission = admission;
    }

    @GET
    public String room() {
        admission.admit("invoices");
        return "room";
    }
}
