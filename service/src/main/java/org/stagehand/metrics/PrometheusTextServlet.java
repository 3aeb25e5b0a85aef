package org.stagehand.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The metric registry in Prometheus's text exposition format (version 0.0.4), on the admin port
 * at {@code /prometheus}. Names are the Dropwizard names with every character outside
 * {@code [a-zA-Z0-9_]} turned into {@code _}; meters become counters ({@code _total}), timers
 * summaries in seconds. A gauge without a value, or whose value cannot be read, is left out.
 */
public final class PrometheusTextServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final double[] QUANTILES = {0.5, 0.75, 0.95, 0.99};

    private final transient MetricRegistry registry;

    public PrometheusTextServlet(MetricRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        response.setHeader("Cache-Control", "must-revalidate,no-cache,no-store");
        write(registry, response.getWriter());
    }

    /** Writes every metric of {@code registry}. */
    static void write(MetricRegistry registry, PrintWriter out) {
        for (Map.Entry<String, Gauge> entry : registry.getGauges().entrySet()) {
            Object value = valueOf(entry.getValue());
            if (value instanceof Number number) {
                String name = sanitize(entry.getKey());
                out.printf("# TYPE %s gauge%n%s %s%n", name, name, format(number.doubleValue()));
            } else if (value instanceof Boolean flag) {
                String name = sanitize(entry.getKey());
                out.printf("# TYPE %s gauge%n%s %s%n", name, name, flag ? "1" : "0");
            }
        }
        for (Map.Entry<String, Counter> entry : registry.getCounters().entrySet()) {
            String name = sanitize(entry.getKey());
            out.printf("# TYPE %s gauge%n%s %d%n", name, name, entry.getValue().getCount());
        }
        for (Map.Entry<String, Meter> entry : registry.getMeters().entrySet()) {
            String name = sanitize(entry.getKey()) + "_total";
            out.printf("# TYPE %s counter%n%s %d%n", name, name, entry.getValue().getCount());
        }
        for (Map.Entry<String, Histogram> entry : registry.getHistograms().entrySet()) {
            summary(out, sanitize(entry.getKey()), entry.getValue().getSnapshot(), entry.getValue().getCount(), 1.0);
        }
        double secondsPerNano = 1.0 / TimeUnit.SECONDS.toNanos(1);
        for (Map.Entry<String, Timer> entry : registry.getTimers().entrySet()) {
            summary(out, sanitize(entry.getKey()) + "_seconds", entry.getValue().getSnapshot(),
                    entry.getValue().getCount(), secondsPerNano);
        }
        out.flush();
    }

    /** A gauge's value; null when it has none or cannot be read (the gauge is left out, the scrape goes on). */
    private static Object valueOf(Gauge<?> gauge) {
        try {
            return gauge.getValue();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void summary(PrintWriter out, String name, Snapshot snapshot, long count, double scale) {
        out.printf("# TYPE %s summary%n", name);
        for (double quantile : QUANTILES) {
            out.printf("%s{quantile=\"%s\"} %s%n", name, quantile, format(snapshot.getValue(quantile) * scale));
        }
        out.printf("%s_count %d%n", name, count);
    }

    static String sanitize(String name) {
        String sanitized = name.replaceAll("[^a-zA-Z0-9_]", "_");
        return Character.isDigit(sanitized.charAt(0)) ? "_" + sanitized : sanitized;
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
