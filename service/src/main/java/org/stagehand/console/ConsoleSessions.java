package org.stagehand.console;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.stagehand.auth.BearerTokenAuthenticator;

/**
 * Who may read the console when admin tokens are configured: a request with
 * {@code Authorization: Bearer <admin token>} (scripts), or a browser that signed in once with the
 * token through the login form and holds the session cookie. The cookie carries no token, only an
 * expiry signed with a key this run drew at start (so a restart signs everyone out); it is HttpOnly,
 * SameSite=Strict, limited to {@code /console}, and Secure when the admin connector is https.
 */
final class ConsoleSessions {

    static final String COOKIE = "stagehand_console";
    static final Duration LIFETIME = Duration.ofHours(8);

    private final Optional<BearerTokenAuthenticator> tokens;
    private final Clock clock;
    private final byte[] key = new byte[32];

    ConsoleSessions(Optional<BearerTokenAuthenticator> tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
        new SecureRandom().nextBytes(key);
    }

    /** Whether the console needs a sign-in at all (admin tokens configured). */
    boolean guarded() {
        return tokens.isPresent();
    }

    boolean isAdminToken(String token) {
        return token != null && !token.isEmpty() && tokens.isPresent() && tokens.get().authenticate(token).isPresent();
    }

    /** Whether this request may read the console. */
    boolean allowed(HttpServletRequest request) {
        if (tokens.isEmpty()) {
            return true;
        }
        String header = request.getHeader("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return isAdminToken(header.substring(7).trim());
        }
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (COOKIE.equals(cookie.getName()) && validSession(cookie.getValue())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A {@code Set-Cookie} value for a new session. */
    String newSessionCookie(boolean secure) {
        long expires = clock.instant().plus(LIFETIME).getEpochSecond();
        String value = expires + "." + sign(Long.toString(expires));
        return COOKIE + "=" + value + "; Path=/console; Max-Age=" + LIFETIME.toSeconds()
                + "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** A {@code Set-Cookie} value that ends the session. */
    static String endedSessionCookie(boolean secure) {
        return COOKIE + "=; Path=/console; Max-Age=0; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    /** Whether a cookie value is a session this run signed and that has not expired. */
    boolean validSession(String value) {
        int dot = value == null ? -1 : value.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        String expires = value.substring(0, dot);
        long seconds;
        try {
            seconds = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return false;
        }
        // Constant time: the signature is a secret until it matches.
        return MessageDigest.isEqual(sign(expires).getBytes(StandardCharsets.US_ASCII),
                value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))
                && clock.instant().getEpochSecond() < seconds;
    }

    private String sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(("console-session:" + text).getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
