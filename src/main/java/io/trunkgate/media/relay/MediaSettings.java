package io.trunkgate.media.relay;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;
import io.trunkgate.flow.Side;

/**
 * The relay's settings: {@code trunkgate.media.address} (default 127.0.0.1), {@code trunkgate.media.port-range}
 * (default 40000-44999; RTP on even ports, RTCP on the next odd one), {@code trunkgate.media.timeout}
 * (seconds without packets before a session is released, default 60), {@code trunkgate.media.socket-linger}
 * (seconds a released call's sockets stay bound for the next call before they close, default 600; 0 closes them at
 * once). Per side ({@code trunkgate.media.trunk.*}, {@code trunkgate.media.inside.*}): the address the relay binds
 * ({@code address}, default {@code trunkgate.media.address}) and the one our SDP toward that side carries
 * ({@code advertised-address}, default the bound one): behind NAT, the public address.
 *
 * @param address    {@code trunkgate.media.address}
 * @param bind       per side, the address the relay's sockets of that side bind
 * @param advertised per side, the address written into the SDP sent to that side
 */
public record MediaSettings(InetAddress address, int portMin, int portMax, Duration timeout, Duration socketLinger,
                            Map<Side, InetAddress> bind, Map<Side, String> advertised) {

    public static final String ADDRESS = "trunkgate.media.address";
    public static final String PORT_RANGE = "trunkgate.media.port-range";
    public static final String TIMEOUT = "trunkgate.media.timeout";
    public static final String SOCKET_LINGER = "trunkgate.media.socket-linger";

    public MediaSettings {
        bind = Map.copyOf(bind);
        advertised = Map.copyOf(advertised);
        if (!bind.keySet().containsAll(EnumSet.allOf(Side.class)) || !advertised.keySet().containsAll(EnumSet.allOf(Side.class))) {
            throw new IllegalArgumentException("media addresses must name both sides: " + bind + " " + advertised);
        }
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

    /** One address on both sides, bound and advertised. */
    public MediaSettings(InetAddress address, int portMin, int portMax, Duration timeout, Duration socketLinger) {
        this(address, portMin, portMax, timeout, socketLinger, bothSides(address), bothSides(address.getHostAddress()));
    }

    /** With the shipped socket linger. */
    public MediaSettings(InetAddress address, int portMin, int portMax, Duration timeout) {
        this(address, portMin, portMax, timeout, defaults().socketLinger());
    }

    private static <T> Map<Side, T> bothSides(T value) {
        return Map.of(Side.TRUNK, value, Side.INSIDE, value);
    }

    /** The address the relay's sockets of {@code side} bind. */
    public InetAddress bind(Side side) {
        return bind.get(side);
    }

    /** The address our SDP toward {@code side} carries: where that side sends its media. */
    public String advertised(Side side) {
        return advertised.get(side);
    }

    /** The shipped defaults (trunkgate-defaults.properties). */
    public static MediaSettings defaults() {
        return from(Settings.shipped());
    }

    /** From the trunkgate.media.* keys, each falling back to its shipped default. */
    public static MediaSettings from(Settings settings) {
        InetAddress address = address(ADDRESS, settings.get(ADDRESS));
        Map<Side, InetAddress> bind = new EnumMap<>(Side.class);
        Map<Side, String> advertised = new EnumMap<>(Side.class);
        for (Side side : Side.values()) {
            String prefix = "trunkgate.media." + side.word() + ".";
            InetAddress bound = settings.find(prefix + "address").map(a -> address(prefix + "address", a)).orElse(address);
            bind.put(side, bound);
            // an address literal, or a name resolved now: the SDP carries addresses (RFC 4566 c=)
            advertised.put(side, settings.find(prefix + "advertised-address")
                    .map(a -> address(prefix + "advertised-address", a).getHostAddress()).orElse(bound.getHostAddress()));
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
            return new MediaSettings(address, min, max, Duration.ofSeconds(seconds), Duration.ofSeconds(lingerSeconds),
                    bind, advertised);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(PORT_RANGE, e.getMessage());
        }
    }

    private static InetAddress address(String key, String value) {
        try {
            return InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw new ConfigException(key, "is not an address: '" + value + "'");
        }
    }
}
