package org.stagehand.http;

import com.fasterxml.jackson.core.JsonParser;
import io.dropwizard.core.setup.Environment;

/**
 * The defences against hostile input that apply to every door: query strings checked before
 * anything runs, JSON bodies strictly UTF-8 and without duplicate keys, token-like query parameters redacted as the request
 * enters Jetty (so no log line holds them). See docs/security.md.
 */
public final class InputDefences {

    private InputDefences() {
    }

    public static void install(Environment environment) {
        environment.getObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        environment.jersey().register(new QueryParameterCheck());
        environment.jersey().register(new Utf8BodyCheck());
        environment.jersey().register(new JsonParseErrorMapper());
        environment.lifecycle().addEventListener(QueryRedaction.onEveryConnector());
        environment.lifecycle().addEventListener(SlashRuns.onEveryConnector());
    }
}
