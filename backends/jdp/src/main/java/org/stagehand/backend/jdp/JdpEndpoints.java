package org.stagehand.backend.jdp;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the upstream's restore, status and download resources are, relative to its base URL.
 *
 * @param baseUrl the upstream's base URL
 * @param restorePath the restore resource, kept verbatim (the JDP needs its trailing slash)
 * @param statusPath the status resource, with {@code {id}} for the upstream request ID
 * @param downloadPath the download resource, with {@code {id}} for the file ID
 */
record JdpEndpoints(URI baseUrl, String restorePath, String statusPath, String downloadPath) {

    JdpEndpoints {
        String text = baseUrl.toString();
        // Without a trailing slash URI.resolve would replace the base's last path segment.
        baseUrl = text.endsWith("/") ? baseUrl : URI.create(text + "/");
    }

    URI restore() {
        return baseUrl.resolve(restorePath);
    }

    URI status(String requestId) {
        return baseUrl.resolve(fill(statusPath, requestId));
    }

    URI download(String fileId) {
        return baseUrl.resolve(fill(downloadPath, fileId));
    }

    private static String fill(String template, String id) {
        // Encode as a path segment: URLEncoder's '+' for space is a query-string convention.
        String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
        return template.replace(JdpBackendFactory.ID_PLACEHOLDER, encoded);
    }
}
