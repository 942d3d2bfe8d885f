package io.trunkgate.admission;

import java.time.Duration;
import java.util.Optional;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;

/**
 * The gateway-wide limits of new calls ({@code trunkgate.limits.*}, {@code trunkgate.overload.*},
 * {@code trunkgate.drain.*}); a trunk's own limits are in trunks.yaml ({@code limits:}).
 *
 * @param maxCalls        calls at once, all trunks (0: no limit)
 * @param callsPerSecond  new calls per second, all trunks (0: no limit)
 * @param retryAfter      the Retry-After of every 503 the limits give, in seconds
 * @param maxQueueDelay   shed new calls while the call flow's queueing delay is over this; empty: never
 * @param mediaFill       shed new calls while this share (percent) of the media port range is held by calls; 0: never
 * @param drainTimeout    how long a drain waits for the calls in flight before it stops the gateway
 * @param warmupCalls     synthetic calls through the call path's code before the listeners open; 0: none
 */
public record AdmissionSettings(int maxCalls, int callsPerSecond, int retryAfter, Optional<Duration> maxQueueDelay,
                                int mediaFill, Duration drainTimeout, int warmupCalls) {

    public static AdmissionSettings from(Settings settings) {
        int fill = settings.getInt("trunkgate.overload.media-fill", 0);
        if (fill > 100) {
            throw new ConfigException("trunkgate.overload.media-fill", "must be a percentage 0..100, not " + fill);
        }
        long retry = settings.getDuration("trunkgate.limits.retry-after").toSeconds();
        return new AdmissionSettings(settings.getInt("trunkgate.limits.max-calls", 0),
                settings.getInt("trunkgate.limits.calls-per-second", 0), (int) Math.max(1, retry),
                settings.getDurationOrOff("trunkgate.overload.max-queue-delay"), fill,
                settings.getDuration("trunkgate.drain.timeout"), settings.getInt("trunkgate.warmup.calls", 0));
    }
}
