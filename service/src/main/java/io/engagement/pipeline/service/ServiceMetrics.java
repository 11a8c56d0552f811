package io.engagement.pipeline.service;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The service's counters in the Prometheus text format ({@code GET /metrics}): requests by route and
 * status with their total time, events accepted, events rejected by reason, and the events waiting
 * for Kafka. Label values are routes as declared (not request paths) and reason codes, so the number
 * of series stays fixed.
 */
public final class ServiceMetrics {

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> requestNanos = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder unavailable = new LongAdder();
    private final LongSupplier pendingEvents;
    private final Supplier<long[]> cacheHitsAndMisses;

    /** @param cacheHitsAndMisses the analytics answers served from the cache and asked of ClickHouse */
    public ServiceMetrics(LongSupplier pendingEvents, Supplier<long[]> cacheHitsAndMisses) {
        this.pendingEvents = pendingEvents;
        this.cacheHitsAndMisses = cacheHitsAndMisses;
    }

    void request(String route, int status, long nanos) {
        requests.computeIfAbsent(route + "\u0000" + status, k -> new LongAdder())
                .increment();
        requestNanos.computeIfAbsent(route, k -> new LongAdder()).add(nanos);
    }

    void accepted(long events) {
        accepted.add(events);
    }

    void rejected(String reason) {
        rejected.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    void unavailable() {
        unavailable.increment();
    }

    public String prometheusText() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP engagement_service_requests_total HTTP requests by route and status.\n")
                .append("# TYPE engagement_service_requests_total counter\n");
        new TreeMap<>(requests).forEach((key, count) -> {
            String[] f = key.split("\u0000");
            out.append("engagement_service_requests_total{route=\"")
                    .append(f[0])
                    .append("\",status=\"")
                    .append(f[1])
                    .append("\"} ")
                    .append(count.sum())
                    .append('\n');
        });
        out.append("# HELP engagement_service_request_seconds_total Time spent answering, by route.\n")
                .append("# TYPE engagement_service_request_seconds_total counter\n");
        new TreeMap<>(requestNanos)
                .forEach((route, nanos) -> out.append("engagement_service_request_seconds_total{route=\"")
                        .append(route)
                        .append("\"} ")
                        .append(nanos.sum() / 1e9)
                        .append('\n'));
        out.append(
                        "# HELP engagement_service_events_accepted_total Events acknowledged by Kafka and answered as accepted.\n")
                .append("# TYPE engagement_service_events_accepted_total counter\n")
                .append("engagement_service_events_accepted_total ")
                .append(accepted.sum())
                .append('\n');
        out.append(
                        "# HELP engagement_service_events_rejected_total Events answered with a validation reason (not produced).\n")
                .append("# TYPE engagement_service_events_rejected_total counter\n");
        new TreeMap<>(rejected)
                .forEach((reason, count) -> out.append("engagement_service_events_rejected_total{reason=\"")
                        .append(reason)
                        .append("\"} ")
                        .append(count.sum())
                        .append('\n'));
        out.append(
                        "# HELP engagement_service_unavailable_total Tracking requests answered 503 (Kafka slow or down, too many pending).\n")
                .append("# TYPE engagement_service_unavailable_total counter\n")
                .append("engagement_service_unavailable_total ")
                .append(unavailable.sum())
                .append('\n');
        out.append("# HELP engagement_service_pending_events Events sent to Kafka and not yet acknowledged.\n")
                .append("# TYPE engagement_service_pending_events gauge\n")
                .append("engagement_service_pending_events ")
                .append(pendingEvents.getAsLong())
                .append('\n');
        long[] cache = cacheHitsAndMisses.get();
        out.append(
                        "# HELP engagement_service_analytics_cache_total Analytics answers served from the cache (hit) or asked of ClickHouse (miss).\n")
                .append("# TYPE engagement_service_analytics_cache_total counter\n")
                .append("engagement_service_analytics_cache_total{result=\"hit\"} ")
                .append(cache[0])
                .append('\n')
                .append("engagement_service_analytics_cache_total{result=\"miss\"} ")
                .append(cache[1])
                .append('\n');
        return out.toString();
    }
}
