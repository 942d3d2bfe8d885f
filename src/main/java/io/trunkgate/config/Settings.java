package io.trunkgate.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;

/**
 * Typed access to the {@code trunkgate.*} keys. Inside Camel the values come from its properties component
 * (so {@code -Dtrunkgate.x=...} and {@code TRUNKGATE_X=...} override {@code config/application.properties},
 * which overrides {@code trunkgate-defaults.properties}); outside Camel (the CLI tools) the same order is
 * applied here. A bad value fails with a message naming the key.
 */
public final class Settings {

    public static final String DEFAULTS_RESOURCE = "trunkgate-defaults.properties";

    private static final Properties SHIPPED = defaults();

    private final Function<String, Optional<String>> lookup;

    /**
     * Settings over {@code lookup}; a key it does not know falls back to its shipped default, so code never repeats a
     * default (each lives once, in trunkgate-defaults.properties).
     */
    public Settings(Function<String, Optional<String>> lookup) {
        Properties defaults = SHIPPED;
        this.lookup = key -> lookup.apply(key).or(() -> Optional.ofNullable(defaults.getProperty(key)));
    }

    /** The shipped defaults alone (code that runs without configuration: tests and tools). */
    public static Settings shipped() {
        return new Settings(key -> Optional.empty());
    }

    /** Settings as the running Camel context resolves them. */
    public static Settings of(CamelContext context) {
        return new Settings(key -> context.getPropertiesComponent().resolveProperty(key));
    }

    /** Settings without Camel: system property, then environment, then the given file, then the defaults. */
    public static Settings standalone(Path applicationProperties) {
        Properties file = new Properties();
        if (applicationProperties != null && Files.isRegularFile(applicationProperties)) {
            try (InputStream in = Files.newInputStream(applicationProperties)) {
                file.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + applicationProperties, e);
            }
        }
        return new Settings(key -> {
            String v = System.getProperty(key);
            if (v == null) {
                v = System.getenv(envName(key));
            }
            if (v == null) {
                v = file.getProperty(key);
            }
            return Optional.ofNullable(v);
        });
    }

    /**
     * Settings of a tool run outside Camel: trunkgate.config.dir (from a system property, the environment or the
     * default) names the folder whose application.properties is read.
     */
    public static Settings fromConfigDir() {
        return standalone(Path.of(standalone(null).get("trunkgate.config.dir")).resolve("application.properties"));
    }

    /** The shipped defaults of every trunkgate.* key (a copy). */
    public static Properties defaults() {
        Properties p = new Properties();
        try (InputStream in = Settings.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the class path");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** trunkgate.trunk.port -> TRUNKGATE_TRUNK_PORT, the same mapping Camel applies. */
    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The value, or empty when unset or blank. */
    public Optional<String> find(String key) {
        return lookup.apply(key).map(String::trim).filter(s -> !s.isEmpty());
    }

    public String get(String key) {
        return find(key).orElseThrow(() -> new ConfigException(key, "is required but not set"));
    }

    public int getInt(String key) {
        String v = get(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "must be a whole number, not '" + v + "'");
        }
    }

    public int getPort(String key) {
        int port = getInt(key);
        if (port < 0 || port > 65535) {
            throw new ConfigException(key, "must be a port number 0..65535, not " + port);
        }
        return port;
    }

    public boolean getBoolean(String key) {
        String v = get(key).toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new ConfigException(key, "must be true or false, not '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    /** A comma separated list; empty when unset. */
    public List<String> getList(String key) {
        return find(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }

    /** One of the allowed words (lower case). */
    public String getChoice(String key, String... allowed) {
        String v = get(key).toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new ConfigException(key, "must be one of " + String.join(", ", allowed) + ", not '" + v + "'");
    }

    public Optional<Path> findPath(String key) {
        return find(key).map(Path::of);
    }

    /** A positive duration ({@link #duration}). */
    public Duration getDuration(String key) {
        return duration(key, get(key));
    }

    /** A positive duration, or empty when the key says {@code off} (the feature it times is switched off). */
    public Optional<Duration> getDurationOrOff(String key) {
        String v = get(key);
        return v.equalsIgnoreCase("off") ? Optional.empty() : Optional.of(duration(key, v));
    }

    private static final Pattern AMOUNT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    /**
     * A duration as a number with a unit ({@code 500ms}, {@code 5s}, {@code 1m}, {@code 1h}) or ISO-8601
     * ({@code PT5S}). A bare number is refused on purpose: older trunkgate keys count milliseconds, and guessing the
     * unit would be wrong.
     */
    public static Duration duration(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Matcher m = AMOUNT.matcher(v);
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        } else {
            try {
                d = Duration.parse(value.trim());
            } catch (DateTimeParseException e) {
                throw new ConfigException(key, "must be a duration such as 5s, 500ms, 1m or PT5S, not '" + value + "'");
            }
        }
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException(key, "must be a positive duration, not '" + value + "'");
        }
        return d;
    }

    /** A whole number of at least {@code min}. */
    public int getInt(String key, int min) {
        int v = getInt(key);
        if (v < min) {
            throw new ConfigException(key, "must be " + min + " or more, not " + v);
        }
        return v;
    }

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /**
     * A comma separated list of {@code address[:port]} ({@code 192.0.2.53}, {@code 192.0.2.53:5353},
     * {@code [2001:db8::53]:53}); empty when unset. Addresses only, never names: they are looked up nowhere (a DNS
     * server's own name would need DNS).
     */
    public List<InetSocketAddress> getAddresses(String key, int defaultPort) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String entry : getList(key)) {
            String host = entry;
            int port = defaultPort;
            if (entry.startsWith("[")) {
                int close = entry.indexOf(']');
                host = close > 0 ? entry.substring(1, close) : "";
                String rest = close > 0 ? entry.substring(close + 1) : "";
                if (rest.startsWith(":")) {
                    port = port(key, entry, rest.substring(1));
                } else if (!rest.isEmpty()) {
                    host = "";
                }
            } else if (entry.indexOf(':') == entry.lastIndexOf(':') && entry.indexOf(':') > 0) {
                host = entry.substring(0, entry.indexOf(':'));
                port = port(key, entry, entry.substring(entry.indexOf(':') + 1));
            }
            if (!IPV4.matcher(host).matches() && !(host.contains(":") && host.matches("[0-9A-Fa-f:.]+"))) {
                throw new ConfigException(key, "must list addresses as ADDRESS[:PORT] (an IPv6 address in [ ]), not '"
                        + entry + "'");
            }
            try {
                out.add(new InetSocketAddress(InetAddress.getByName(host), port)); // a literal: no lookup
            } catch (UnknownHostException e) {
                throw new ConfigException(key, "'" + entry + "' is not an IP address");
            }
        }
        return out;
    }

    private static int port(String key, String entry, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port > 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new ConfigException(key, "'" + entry + "' has no port 1..65535 after ':'");
    }
}
