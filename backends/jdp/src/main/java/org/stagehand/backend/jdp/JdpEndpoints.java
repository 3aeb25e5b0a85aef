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

    /** The placeholder the status and download templates must contain. */
    static final String ID_PLACEHOLDER = "{id}";

    /**
     * The endpoints of the configured keys, checked.
     *
     * @throws IllegalArgumentException naming the key at fault
     */
    static JdpEndpoints checked(URI baseUrl, String restorePath, String statusPath, String downloadPath) {
        String scheme = baseUrl.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("backend.baseUrl must be an absolute http or https URL, not '"
                    + baseUrl + "'");
        }
        if (restorePath.startsWith("/") || statusPath.startsWith("/") || downloadPath.startsWith("/")) {
            // A leading slash would drop the base URL's own path when resolved.
            throw new IllegalArgumentException(
                    "backend.restorePath, statusPath and downloadPath are relative to backend.baseUrl: drop the leading '/'");
        }
        requirePlaceholder("statusPath", statusPath);
        requirePlaceholder("downloadPath", downloadPath);
        return new JdpEndpoints(baseUrl, restorePath, statusPath, downloadPath);
    }

    private static void requirePlaceholder(String key, String template) {
        if (!template.contains(ID_PLACEHOLDER)) {
            throw new IllegalArgumentException("backend." + key + " must contain " + ID_PLACEHOLDER + ", not '"
                    + template + "'");
        }
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
        return template.replace(ID_PLACEHOLDER, encoded);
    }
}
