package org.stagehand.api.jdp;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.stagehand.auth.BearerTokenAuthenticator;
import org.stagehand.http.ApiException;

/**
 * The JDP's credential, {@code Authorization: Token <orcid>_<secret>}: the DTS's shared secret after
 * the ORCID of the user it stages for. The secret is checked against every accepted one in constant
 * time (by its SHA-256, as the bearer tokens are); it is never stored, logged or echoed.
 */
final class JdpCredentials {

    private static final String SCHEME = "token ";
    /** An ORCID (e.g. {@code 0000-0002-1825-0097}) or another plain account name: nothing that could forge a log line. */
    private static final Pattern ORCID = Pattern.compile("[0-9A-Za-z-]{1,64}");

    private final BearerTokenAuthenticator secrets;

    private JdpCredentials(BearerTokenAuthenticator secrets) {
        this.secrets = secrets;
    }

    /**
     * The accepted secrets, from the configured environment variable.
     *
     * @throws IllegalStateException when it holds none: the door is never open to anyone
     */
    static JdpCredentials from(JdpApiConfiguration config, Map<String, String> environment) {
        return new JdpCredentials(BearerTokenAuthenticator.ofSecrets(environment.get(config.getSecretsEnvironmentVariable()))
                .orElseThrow(() -> new IllegalStateException("jdpApi.enabled is true but the environment variable "
                        + config.getSecretsEnvironmentVariable() + " (jdpApi.secretsEnvironmentVariable) holds no secret")));
    }

    /**
     * The ORCID of a valid credential.
     *
     * @throws ApiException 401 when the header is missing, malformed or carries a secret not accepted
     */
    String orcidOf(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw refused("an Authorization header is required");
        }
        String value = authorization.strip();
        if (!value.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
            throw refused("the Authorization header must use the Token scheme");
        }
        String credential = value.substring(SCHEME.length()).strip();
        int underscore = credential.indexOf('_');
        if (underscore <= 0 || underscore == credential.length() - 1) {
            throw refused("the credential must be <orcid>_<secret>");
        }
        String orcid = credential.substring(0, underscore);
        boolean accepted = secrets.authenticate(credential.substring(underscore + 1)).isPresent();
        if (!accepted) {
            throw refused("the secret is not accepted");
        }
        if (!ORCID.matcher(orcid).matches()) {
            throw refused("the ORCID before the '_' must be letters, digits and '-' only, at most 64");
        }
        return orcid;
    }

    private static ApiException refused(String why) {
        return new ApiException(401, "a valid credential is required: Authorization: Token <orcid>_<secret> (" + why + ")");
    }
}
