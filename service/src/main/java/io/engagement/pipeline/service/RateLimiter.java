package io.engagement.pipeline.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Token buckets per client: {@code perMinute} requests a minute, refilled continuously, so a client
 * may burst up to the limit and then gets one request every {@code 60 / perMinute} seconds. The
 * buckets live in a Caffeine cache bounded to {@code maxClients} entries that drops a bucket idle for a
 * full refill (by then it would be full again, so dropping it changes nothing): memory stays bounded
 * whatever number of clients shows up, and only clients the service authenticated or addresses it saw
 * get a bucket (docs/api.md, rate limits).
 */
public final class RateLimiter {

    /** A bucket: tokens left and when they were counted. */
    private static final class Bucket {
        double tokens;
        long atNanos;

        Bucket(double tokens, long atNanos) {
            this.tokens = tokens;
            this.atNanos = atNanos;
        }
    }

    private final double capacity;
    private final double tokensPerNano;
    private final LongSupplier nanoClock;
    private final Cache<String, Bucket> buckets;

    public RateLimiter(int perMinute, long maxClients, LongSupplier nanoClock) {
        this.capacity = perMinute;
        this.tokensPerNano = perMinute / 60e9;
        this.nanoClock = nanoClock;
        Ticker ticker = nanoClock::getAsLong;
        this.buckets = Caffeine.newBuilder()
                .maximumSize(maxClients)
                .expireAfterAccess(Duration.ofMinutes(1)) // a full refill at any limit
                .ticker(ticker)
                .build();
    }

    /** 0 when the request may go ahead (a token is taken), else the whole seconds to wait for the next token. */
    public long acquire(String client) {
        long now = nanoClock.getAsLong();
        Bucket bucket = buckets.get(client, c -> new Bucket(capacity, now));
        synchronized (bucket) {
            double tokens = Math.min(capacity, bucket.tokens + (now - bucket.atNanos) * tokensPerNano);
            bucket.atNanos = now;
            if (tokens >= 1) {
                bucket.tokens = tokens - 1;
                return 0;
            }
            bucket.tokens = tokens;
            return (long) Math.ceil((1 - tokens) / tokensPerNano / 1e9);
        }
    }

    /** Clients with a bucket now (after the cache's pending maintenance). */
    public long clients() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }
}
