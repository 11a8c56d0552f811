package io.engagement.pipeline.service;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets per client: {@code perMinute} requests a minute, refilled continuously, so a client
 * may burst up to the limit and then gets one request every {@code 60 / perMinute} seconds. Buckets of
 * clients idle for a full refill are dropped when the map grows large, so memory stays bounded by the
 * number of recently active clients.
 */
public final class RateLimiter {

    private static final int PRUNE_ABOVE = 100_000;

    private final double capacity;
    private final double tokensPerNano;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, double[]> buckets = new ConcurrentHashMap<>(); // {tokens, lastNanos}

    public RateLimiter(int perMinute, LongSupplier nanoClock) {
        this.capacity = perMinute;
        this.tokensPerNano = perMinute / 60e9;
        this.nanoClock = nanoClock;
    }

    /** 0 when the request may go ahead (a token is taken), else the whole seconds to wait for the next token. */
    public long acquire(String client) {
        long now = nanoClock.getAsLong();
        if (buckets.size() > PRUNE_ABOVE) {
            buckets.entrySet().removeIf(e -> e.getValue()[0] + (now - (long) e.getValue()[1]) * tokensPerNano >= capacity);
        }
        double[] bucket = buckets.computeIfAbsent(client, c -> new double[] {capacity, now});
        synchronized (bucket) {
            double tokens = Math.min(capacity, bucket[0] + (now - (long) bucket[1]) * tokensPerNano);
            bucket[1] = now;
            if (tokens >= 1) {
                bucket[0] = tokens - 1;
                return 0;
            }
            bucket[0] = tokens;
            return (long) Math.ceil((1 - tokens) / tokensPerNano / 1e9);
        }
    }
}
