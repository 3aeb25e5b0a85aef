package org.stagehand.console;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders the console's pages with Mustache from the very answer of each page's endpoint (turned into
 * a map with the JSON's names), plus what only a page needs: sizes for people, the chart's bars,
 * links. Every value goes through Mustache's HTML escaping ({@code {{name}}}; no template uses the
 * unescaped form), so request IDs, paths and error messages cannot add markup.
 */
final class ConsolePages {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final int CHART_WIDTH = 600;
    private static final int CHART_HEIGHT = 120;

    private final DefaultMustacheFactory templates = new DefaultMustacheFactory("org/stagehand/console/templates");
    private final Map<String, Mustache> compiled = new ConcurrentHashMap<>();
    private final ObjectMapper mapper;

    ConsolePages(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    String overview(ConsoleJson.Overview overview, boolean signOut) {
        Map<String, Object> model = model(overview, "Overview", "overview", signOut);
        model.put("chart", chart(overview.throughput()));
        return render("overview", model);
    }

    String requests(ConsoleJson.RequestList list, boolean signOut) {
        Map<String, Object> model = model(list, "Requests", "requests", signOut);
        List<Map<String, Object>> options = new ArrayList<>();
        List<String> statuses = new ArrayList<>(List.of(""));
        Arrays.stream(RequestSearch.Status.values()).map(RequestSearch.Status::apiName).forEach(statuses::add);
        for (String status : statuses) {
            options.add(Map.of("value", status, "label", status.isEmpty() ? "any" : status,
                    "selected", status.equals(list.status() == null ? "" : list.status())));
        }
        model.put("status_options", options);
        if (list.nextBefore() != null) {
            model.put("next_href", "/console/requests?" + (query("q", list.q()) + query("status", list.status())
                    + query("before", list.nextBefore())).substring(1));
        }
        return render("requests", model);
    }

    String request(ConsoleJson.RequestDetail detail, boolean signOut) {
        Map<String, Object> model = model(detail, "Request " + detail.requestId(), "requests", signOut);
        if (detail.nextAfter() != null) {
            model.put("next_href", "/console/requests/" + detail.requestId() + "?" + query("after", detail.nextAfter()).substring(1));
        }
        return render("request", model);
    }

    String tape(ConsoleJson.TapeView tape, boolean signOut) {
        return render("tape", model(tape, "Tape", "tape", signOut));
    }

    String login(String message) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Sign in");
        model.put("message", message);
        return render("login", model);
    }

    String error(int status, String message, boolean signOut) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", "Error " + status);
        model.put("code", status);
        model.put("message", message);
        model.put("sign_out", signOut);
        return render("error", model);
    }

    private Map<String, Object> model(Object answer, String title, String section, boolean signOut) {
        Map<String, Object> model = withSizes(mapper.convertValue(answer, MAP));
        model.put("title", title);
        model.put("nav_" + section, true);
        model.put("sign_out", signOut);
        return model;
    }

    /** Adds {@code <key>_human} beside every {@code ..._bytes} / {@code bytes} number, at any depth. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withSizes(Map<String, Object> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> nested) {
                value = withSizes((Map<String, Object>) nested);
            } else if (value instanceof List<?> list) {
                value = list.stream().map(item -> item instanceof Map<?, ?> m ? withSizes((Map<String, Object>) m) : item)
                        .toList();
            } else if (value instanceof Number number && entry.getKey().endsWith("bytes")) {
                out.put(entry.getKey() + "_human", human(number.longValue()));
            }
            out.put(entry.getKey(), value);
        }
        return out;
    }

    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** One bar per minute of the hour, scaled to the busiest minute; text alternatives come from the table. */
    private static Map<String, Object> chart(ConsoleJson.Throughput throughput) {
        Instant since = Instant.parse(throughput.since());
        long max = Math.max(1, throughput.perMinute().stream().mapToLong(ConsoleJson.Minute::files).max().orElse(1));
        double slot = CHART_WIDTH / 60.0;
        List<Map<String, Object>> bars = new ArrayList<>();
        for (ConsoleJson.Minute minute : throughput.perMinute()) {
            long index = ChronoUnit.MINUTES.between(since, Instant.parse(minute.minute()));
            if (index < 0 || index >= 60) {
                continue;
            }
            long height = Math.max(1, Math.round((double) minute.files() / max * (CHART_HEIGHT - 10)));
            bars.add(Map.of("x", String.format(Locale.ROOT, "%.1f", index * slot + 1),
                    "y", CHART_HEIGHT - height, "height", height,
                    "width", String.format(Locale.ROOT, "%.1f", slot - 2),
                    "label", minute.minute() + ": " + minute.files() + " files, " + human(minute.bytes())));
        }
        return Map.of("width", CHART_WIDTH, "height", CHART_HEIGHT, "bars", bars, "max_files", max);
    }

    private static String query(String name, String value) {
        return value == null ? "" : "&" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private String render(String template, Map<String, Object> model) {
        Mustache mustache = compiled.computeIfAbsent(template, name -> templates.compile(name + ".mustache"));
        StringWriter out = new StringWriter();
        mustache.execute(out, model);
        return out.toString();
    }
}
