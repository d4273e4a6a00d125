package dev.errand.apps.coupons;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import dev.errand.Admission;
import dev.errand.ProblemException;
import dev.errand.Roles;

/** Coupon campaigns: upload the marketer's CSV, watch it run, get the failures back as CSV. */
@Path("/campaigns")
@Produces(MediaType.APPLICATION_JSON)
public class CampaignResource {

    public static final String TEXT_CSV = "text/csv";

    /** The answer to an upload. */
    public record Accepted(long id, String name, CampaignStatus status, int total, int invalid) {
    }

    private final CampaignService campaigns;
    private final CampaignProgress progress;
    private final Admission backpressure;
    private final CampaignConfig config;

    public CampaignResource(CampaignService campaigns, CampaignProgress progress, Admission backpressure,
            CampaignConfig config) {
        this.config = config;
        this.campaigns = campaigns;
        this.progress = progress;
        this.backpressure = backpressure;
    }

    @POST
    @RolesAllowed(Roles.PRODUCER)
    @Consumes(TEXT_CSV)
    public Response upload(@QueryParam("name") String name, @QueryParam("couponCents") Integer couponCents,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length, InputStream csv) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new ProblemException(400, "invalid-name", "Invalid campaign name",
                    "Query parameter name is required, at most 200 characters");
        }
        if (couponCents == null || couponCents <= 0 || couponCents > config.maxCouponCents()) {
            throw new ProblemException(400, "invalid-amount", "Invalid coupon amount",
                    "Query parameter couponCents is required: a positive number of cents, at most "
                            + config.maxCouponCents() + " (errand.campaign.max-coupon-cents)");
        }
        if (length != null && length > config.maxUploadBytes()) {
            // Refused before a byte of the file is read.
            throw CsvRecipients.tooLarge(config.maxUploadBytes());
        }
        // Refused before the file is read while the grants queue is full; once accepted, the enqueuer
        // waits for room batch by batch.
        backpressure.admit(CouponChannels.GRANTS_QUEUE);
        Campaign campaign = campaigns.create(name.trim(), couponCents, csv);
        return Response.accepted(new Accepted(campaign.id, campaign.name, campaign.status, campaign.total,
                campaign.invalid)).location(URI.create("/campaigns/" + campaign.id)).build();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public List<CampaignProgress.View> list() {
        return progress.list(100);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.VIEWER)
    public CampaignProgress.View get(@PathParam("id") long id) {
        return progress.find(id).orElseThrow(() -> notFound(id));
    }

    @GET
    @Path("/{id}/failures")
    @RolesAllowed(Roles.VIEWER)
    @Produces(TEXT_CSV)
    public String failures(@PathParam("id") long id) throws IOException {
        if (!progress.exists(id)) {
            throw notFound(id);
        }
        StringWriter csv = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(csv, CSVFormat.DEFAULT.builder()
                .setHeader(CsvRecipients.HEADER, "reason").setRecordSeparator("\n").get())) {
            for (CampaignProgress.FailureRow row : progress.failures(id)) {
                printer.printRecord(row.userId(), row.reason());
            }
        }
        return csv.toString();
    }

    private static ProblemException notFound(long id) {
        return new ProblemException(404, "campaign-not-found", "Campaign not found", "No campaign with id " + id);
    }
}
