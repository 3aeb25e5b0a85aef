package org.stagehand.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.stagehand.auth.BearerTokenAuthenticator;

class ConsoleSessionsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    private static String value(String setCookie) {
        return setCookie.substring(ConsoleSessions.COOKIE.length() + 1, setCookie.indexOf(';'));
    }

    private static ConsoleSessions sessions(Instant now) {
        return new ConsoleSessions(BearerTokenAuthenticator.ofSecrets("secret-token"), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aSessionIsValidUntilItsLifetimeEnds() {
        ConsoleSessions sessions = sessions(NOW);
        String cookie = value(sessions.newSessionCookie(false));
        assertThat(sessions.validSession(cookie)).isTrue();
        assertThat(cookie).doesNotContain("secret-token");
        ConsoleSessions later = new ConsoleSessions(BearerTokenAuthenticator.ofSecrets("secret-token"),
                Clock.fixed(NOW.plus(ConsoleSessions.LIFETIME), ZoneOffset.UTC));
        // Another run (a restart) drew another key: its sessions are not this run's.
        assertThat(later.validSession(cookie)).isFalse();
    }

    @Test
    void anExpiredOrAlteredSessionIsRefused() {
        ConsoleSessions sessions = sessions(NOW);
        String cookie = value(sessions.newSessionCookie(false));
        String signature = cookie.substring(cookie.indexOf('.') + 1);
        long expiry = Long.parseLong(cookie.substring(0, cookie.indexOf('.')));
        assertThat(sessions.validSession((expiry + 3600) + "." + signature)).isFalse();
        assertThat(sessions.validSession(cookie + "A")).isFalse();
        assertThat(sessions.validSession("garbage")).isFalse();
        assertThat(sessions.validSession(null)).isFalse();
    }

    @Test
    void theCookieIsStrictHttpOnlyAndSecureOnHttps() {
        String cookie = sessions(NOW).newSessionCookie(true);
        assertThat(cookie).contains("; Path=/console").contains("; HttpOnly").contains("; SameSite=Strict")
                .endsWith("; Secure");
        assertThat(sessions(NOW).newSessionCookie(false)).doesNotContain("Secure");
    }

    @Test
    void withoutAdminTokensEveryoneMayRead() {
        ConsoleSessions open = new ConsoleSessions(Optional.empty(), Clock.systemUTC());
        assertThat(open.guarded()).isFalse();
        assertThat(open.allowed(null)).isTrue();
    }
}
