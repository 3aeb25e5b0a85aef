package org.stagehand.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PublicUrlsTest {

    /** A request whose base URI is what its Host header made it. */
    private static UriInfo requestWithBase(String base) {
        return (UriInfo) Proxy.newProxyInstance(UriInfo.class.getClassLoader(), new Class<?>[] {UriInfo.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getBaseUri")) {
                        return URI.create(base);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void configuredBaseWinsOverTheRequestsHost() {
        PublicUrls urls = new PublicUrls(Optional.of(URI.create("https://stage.example.org/stagehand")));

        assertThat(urls.of(requestWithBase("http://evil.example:8080/"), "dts", "staging", "abc"))
                .hasToString("https://stage.example.org/stagehand/dts/staging/abc");
    }

    @Test
    void withoutConfiguredBaseTheRequestsBaseIsUsed() {
        PublicUrls urls = new PublicUrls(Optional.empty());

        assertThat(urls.of(requestWithBase("http://localhost:8080/"), "dts", "staging", "abc"))
                .hasToString("http://localhost:8080/dts/staging/abc");
    }

    @Test
    void segmentsAreEncodedAsPathSegments() {
        PublicUrls urls = new PublicUrls(Optional.of(URI.create("https://stage.example.org/")));

        assertThat(urls.of(requestWithBase("http://localhost/"), "a b", "c/d"))
                .hasToString("https://stage.example.org/a%20b/c%2Fd");
    }

    @Test
    void onlyAbsoluteHttpUrlsWithAHostAndNoQueryAreValidBases() {
        assertThat(PublicUrls.isValidBaseUrl("https://stage.example.org/x/")).isTrue();
        assertThat(PublicUrls.isValidBaseUrl("http://10.0.0.1:8080")).isTrue();
        assertThat(PublicUrls.isValidBaseUrl("stage.example.org")).isFalse();
        assertThat(PublicUrls.isValidBaseUrl("/dts")).isFalse();
        assertThat(PublicUrls.isValidBaseUrl("ftp://stage.example.org/")).isFalse();
        assertThat(PublicUrls.isValidBaseUrl("https:///nohost")).isFalse();
        assertThat(PublicUrls.isValidBaseUrl("https://stage.example.org/?q=1")).isFalse();
        assertThat(PublicUrls.isValidBaseUrl("https://user:pw@stage.example.org/")).isFalse();
        assertThat(PublicUrls.isValidBaseUrl("https://stage example.org/")).isFalse();
    }
}
