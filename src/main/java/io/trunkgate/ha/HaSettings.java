package io.trunkgate.ha;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;

/**
 * The {@code trunkgate.ha.*} keys (docs/configuration.md, docs/high-availability.md). Both instances of a pair have the
 * same configuration: the lease alone decides which is active.
 *
 * @param redisUri   {@code redis://[user:password@]host:port[/db]} or {@code rediss://...} (TLS)
 * @param instanceId this instance's name in the lease (default: host name and process id)
 * @param lease      how long the active's lease lives without a renewal: the standby takes over after it lapses
 * @param redisCa    PEM file of the CA certificates Redis's TLS certificate must chain to ({@code rediss://}); null:
 *                   the JVM's trust store
 */
public record HaSettings(boolean enabled, String redisUri, String instanceId, Duration lease, Path redisCa) {

    public HaSettings(boolean enabled, String redisUri, String instanceId, Duration lease) {
        this(enabled, redisUri, instanceId, lease, null);
    }

    /** Bound of one Redis command: past it the command counts as failed, and the call it was for goes on. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);
    /** Expiry of a call's state in Redis, refreshed by every write (longer than any real call, like the dialogs' 12 h). */
    public static final Duration CALL_TTL = Duration.ofHours(12);

    public static HaSettings from(Settings settings) {
        boolean enabled = settings.getBoolean("trunkgate.ha.enabled");
        String uri = settings.find("trunkgate.ha.redis-uri").orElse("");
        if (enabled && !(uri.startsWith("redis://") || uri.startsWith("rediss://"))) {
            throw new ConfigException("trunkgate.ha.redis-uri", "must be a redis:// or rediss:// URI when trunkgate.ha.enabled"
                    + " is true, not '" + redact(uri) + "'");
        }
        int seconds = settings.getInt("trunkgate.ha.lease-seconds", 1);
        String id = settings.find("trunkgate.ha.instance-id").orElseGet(HaSettings::defaultInstanceId);
        Path ca = settings.find("trunkgate.ha.redis-ca").map(Path::of).orElse(null);
        if (enabled && ca != null) {
            if (!uri.startsWith("rediss://")) {
                throw new ConfigException("trunkgate.ha.redis-ca", "is for TLS to Redis: trunkgate.ha.redis-uri must then be a"
                        + " rediss:// URI, not '" + redact(uri) + "'");
            }
            if (!Files.isReadable(ca)) {
                throw new ConfigException("trunkgate.ha.redis-ca", "cannot read " + ca + " (a PEM file of CA certificates)");
            }
        }
        return new HaSettings(enabled, uri, id, Duration.ofSeconds(seconds), ca);
    }

    /** host name + "-" + process id: two instances on one host still differ. */
    static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "trunkgate";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    /** How often the active renews its lease and the standby tries to take it: a third of the lease. */
    public Duration tick() {
        return lease.dividedBy(3);
    }

    /** The URI without its password, for log lines. */
    public String redactedUri() {
        return redact(redisUri);
    }

    static String redact(String uri) {
        int at = uri.indexOf('@');
        int scheme = uri.indexOf("://");
        return at > 0 && scheme > 0 && at > scheme ? uri.substring(0, scheme + 3) + "***@" + uri.substring(at + 1) : uri;
    }
}
