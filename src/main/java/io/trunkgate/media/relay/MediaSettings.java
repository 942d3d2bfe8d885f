package io.trunkgate.media.relay;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;

/**
 * The relay's settings: {@code trunkgate.media.address} (default 127.0.0.1), {@code trunkgate.media.port-range}
 * (default 40000-44999; RTP on even ports, RTCP on the next odd one), {@code trunkgate.media.timeout}
 * (seconds without packets before a session is released, default 60), {@code trunkgate.media.socket-linger}
 * (seconds a released call's sockets stay bound for the next call before they close, default 5; 0 closes them at
 * once).
 */
public record MediaSettings(InetAddress address, int portMin, int portMax, Duration timeout, Duration socketLinger) {

    public static final String ADDRESS = "trunkgate.media.address";
    public static final String PORT_RANGE = "trunkgate.media.port-range";
    public static final String TIMEOUT = "trunkgate.media.timeout";
    public static final String SOCKET_LINGER = "trunkgate.media.socket-linger";

    public MediaSettings {
        if (portMin < 1024 || portMax > 65535 || portMax - portMin < 3) {
            throw new IllegalArgumentException("media port range must lie in 1024-65535 and hold two port pairs: "
                    + portMin + "-" + portMax);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("media timeout must be positive: " + timeout);
        }
        if (socketLinger.isNegative()) {
            throw new IllegalArgumentException("media socket linger must not be negative: " + socketLinger);
        }
    }

    /** With the shipped socket linger. */
    public MediaSettings(InetAddress address, int portMin, int portMax, Duration timeout) {
        this(address, portMin, portMax, timeout, defaults().socketLinger());
    }

    /** The shipped defaults (trunkgate-defaults.properties). */
    public static MediaSettings defaults() {
        return from(Settings.shipped());
    }

    /** From the trunkgate.media.* keys, each falling back to its shipped default. */
    public static MediaSettings from(Settings settings) {
        InetAddress address;
        String host = settings.get(ADDRESS);
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ConfigException(ADDRESS, "is not an address: '" + host + "'");
        }
        String range = settings.get(PORT_RANGE);
        String[] bounds = range.split("-");
        int min;
        int max;
        long seconds;
        try {
            if (bounds.length != 2) {
                throw new NumberFormatException();
            }
            min = Integer.parseInt(bounds[0].trim());
            max = Integer.parseInt(bounds[1].trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(PORT_RANGE, "must be LOW-HIGH, e.g. 40000-44999, not '" + range + "'");
        }
        String timeout = settings.get(TIMEOUT);
        try {
            seconds = Long.parseLong(timeout.trim());
            if (seconds <= 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new ConfigException(TIMEOUT, "must be whole seconds, 1 or more, not '" + timeout + "'");
        }
        String linger = settings.get(SOCKET_LINGER);
        long lingerSeconds;
        try {
            lingerSeconds = Long.parseLong(linger.trim());
            if (lingerSeconds < 0) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new ConfigException(SOCKET_LINGER, "must be whole seconds, 0 or more, not '" + linger + "'");
        }
        try {
            return new MediaSettings(address, min, max, Duration.ofSeconds(seconds), Duration.ofSeconds(lingerSeconds));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(PORT_RANGE, e.getMessage());
        }
    }
}
