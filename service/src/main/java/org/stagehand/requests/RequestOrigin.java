package org.stagehand.requests;

/**
 * Who asked for a request and how, when a door knows more than the DTS contract says.
 *
 * @param requesterOrcid the ORCID of the person the request is for (the JDP door's Token credential), or null
 * @param jdpRequestId the integer ID the JDP-compatible door gives the request, or null
 */
public record RequestOrigin(String requesterOrcid, Long jdpRequestId) {
}
