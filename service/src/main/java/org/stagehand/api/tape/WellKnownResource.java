package org.stagehand.api.tape;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.stagehand.api.PublicUrls;

/**
 * {@code GET /.well-known/wlcg-tape-rest-api}: where the Tape REST API is, for gfal2's discovery.
 * Open to everyone, whatever {@code Authorization} holds (gfal2 sends its token here too, and a
 * refusal would fail every file of the bulk).
 */
@Path("/.well-known/wlcg-tape-rest-api")
@Produces(MediaType.APPLICATION_JSON)
public class WellKnownResource {

    private final String sitename;
    private final PublicUrls urls;

    /** @param urls where clients reach the service: the document's {@code uri} starts with it */
    public WellKnownResource(String sitename, PublicUrls urls) {
        this.sitename = sitename;
        this.urls = urls;
    }

    @GET
    public TapeJson.WellKnown document(@Context UriInfo uriInfo) {
        return new TapeJson.WellKnown(sitename, "Stagehand: files staged from the archive",
                List.of(new TapeJson.Endpoint(urls.of(uriInfo, "api", "v1").toString(), "v1")));
    }
}
