package io.trunkgate.transport;

import java.time.Duration;
import java.util.Optional;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;

/**
 * How long a stream connection may stay quiet, and how our outbound trunk connections check that theirs still
 * carries anything (RFC 5626 section 4.4.1).
 *
 * @param idle        {@code trunkgate.connection.idle-timeout}: a connection without a dialog and without any SIP
 *                    message for this long is closed; empty: never
 * @param ping        {@code trunkgate.connection.keepalive-interval}: after this long without receiving anything, an
 *                    outbound trunk connection sends a double-CRLF ping; empty: no pings
 * @param pongTimeout {@code trunkgate.connection.keepalive-timeout}: how long to wait for the pong (anything received)
 * @param requirePong {@code trunkgate.connection.keepalive-require-pong}: close on a missing pong even when the peer
 *                    never answered a ping on this connection (by default such a peer is taken not to implement
 *                    RFC 5626 pongs and is left alone)
 */
public record KeepAliveSettings(Optional<Duration> idle, Optional<Duration> ping, Duration pongTimeout,
                                boolean requirePong) {

    public static KeepAliveSettings from(Settings settings) {
        Optional<Duration> idle = settings.getDurationOrOff("trunkgate.connection.idle-timeout");
        long transactionMillis = 64L * settings.getInt("trunkgate.sip.t1");
        idle.filter(d -> d.toMillis() <= transactionMillis).ifPresent(d -> {
            throw new ConfigException("trunkgate.connection.idle-timeout", "must be longer than 64*T1 ("
                    + transactionMillis + " ms): a transaction counts as activity only while its messages pass, not "
                    + d.toMillis() + " ms");
        });
        return new KeepAliveSettings(idle, settings.getDurationOrOff("trunkgate.connection.keepalive-interval"),
                settings.getDuration("trunkgate.connection.keepalive-timeout"),
                settings.getBoolean("trunkgate.connection.keepalive-require-pong"));
    }

    /** How often a connection checks its clocks: a quarter of the shortest, between 50 ms and 5 s. */
    long tickMillis() {
        long shortest = pongTimeout.toMillis();
        shortest = Math.min(shortest, idle.map(Duration::toMillis).orElse(shortest));
        shortest = Math.min(shortest, ping.map(Duration::toMillis).orElse(shortest));
        return Math.max(50, Math.min(5000, shortest / 4));
    }
}
