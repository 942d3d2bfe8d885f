package io.trunkgate.limits;

/**
 * At most {@code perSecond} events per second on average, in bursts of up to {@code burst}: a token bucket refilled
 * continuously from {@link System#nanoTime()}. Thread-safe.
 */
public final class TokenBucket {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    public TokenBucket(double perSecond, double burst) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("a rate needs a positive rate and a burst of 1 or more");
        }
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    /** A bucket whose burst is one second's worth (at least 1). */
    public static TokenBucket perSecond(double perSecond) {
        return new TokenBucket(perSecond, Math.max(1, perSecond));
    }

    /** Takes one token when there is one. */
    public synchronized boolean tryTake() {
        refill(System.nanoTime());
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** True when the bucket is full again at {@code now}: it no longer remembers anything and may be dropped. */
    synchronized boolean full(long now) {
        refill(now);
        return tokens >= burst;
    }

    private void refill(long now) {
        long elapsed = now - last;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * perNano);
            last = now;
        }
    }
}
