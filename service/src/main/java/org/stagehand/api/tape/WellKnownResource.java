package org.stagehand.api.tape;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/**
 * {@code GET /.well-known/wlcg-tape-rest-api}: where the Tape REST API is, for gfal2's discovery.
 * Open to everyone, whatever {@code Authorization} holds (gfal2 sends its token here too, and a
 * refusal would fail every file of the bulk).
 */
@Path("/.well-known/wlcg-tape-rest-api")
@Produces(MediaType.APPLICATION_JSON)
public class WellKnownResource {

    private final String sitename;

    public WellKnownResource(String sitename) {
        this.sitename = sitename;
    }

    @GET
    public TapeJson.WellKnown document(@Context UriInfo uriInfo) {
        return new TapeJson.WellKnown(sitename, "Stagehand: files staged from the archive",
                List.of(new TapeJson.Endpoint(uriInfo.getBaseUriBuilder().path("api/v1").build().toString(), "v1")));
    }
}
