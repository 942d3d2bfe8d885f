package io.trunkgate.cert;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;

/**
 * The certificate settings, read once from {@link Settings}; a bad value fails naming the key.
 *
 * @param trust              trunkgate.tls.trust: a profile name or a PEM file; empty means "not configured"
 * @param allowWildcards     trunkgate.tls.allow-wildcards (CERT-11, default false)
 * @param expiryWarningDays  trunkgate.tls.expiry-warning-days (CERT-8, default 30)
 * @param crlTimeout         trunkgate.crl.timeout (CERT-9, default 5s)
 * @param crlFiles           trunkgate.crl.files: local CRL files (comma separated)
 * @param crlPolicy          trunkgate.crl.policy: soft-fail | hard-fail
 * @param selfCheckFails     trunkgate.tls.self-check: fail (true) | warn (false)
 * @param ownKey             trunkgate.tls.private-key, else trunkgate.tls.key-store: the file holding our private key,
 *                           whose permissions the self-check looks at; null when none is configured (the dev PKI
 *                           writes its own keys owner-only)
 */
public record CertSettings(String trust, boolean allowWildcards, int expiryWarningDays, Duration crlTimeout,
        List<Path> crlFiles, CrlPolicy crlPolicy, boolean selfCheckFails, Path ownKey) {

    public static final String TRUST = "trunkgate.tls.trust";
    public static final String ALLOW_WILDCARDS = "trunkgate.tls.allow-wildcards";
    public static final String EXPIRY_WARNING_DAYS = "trunkgate.tls.expiry-warning-days";
    public static final String SELF_CHECK = "trunkgate.tls.self-check";
    public static final String CRL_TIMEOUT = "trunkgate.crl.timeout";
    public static final String CRL_FILES = "trunkgate.crl.files";
    public static final String CRL_POLICY = "trunkgate.crl.policy";
    public static final String PRIVATE_KEY = "trunkgate.tls.private-key";
    public static final String KEY_STORE = "trunkgate.tls.key-store";

    /** The defaults of trunkgate-defaults.properties, for code that runs without settings (tests, tools). */
    public static CertSettings defaults() {
        return from(Settings.shipped());
    }

    public static CertSettings from(Settings s) {
        int days = s.getInt(EXPIRY_WARNING_DAYS);
        if (days < 0) {
            throw new ConfigException(EXPIRY_WARNING_DAYS, "must be 0 or more days, not " + days);
        }
        return new CertSettings(s.find(TRUST).orElse(""), s.getBoolean(ALLOW_WILDCARDS), days,
                duration(CRL_TIMEOUT, s.get(CRL_TIMEOUT)),
                s.getList(CRL_FILES).stream().map(Path::of).toList(),
                CrlPolicy.of(s.getChoice(CRL_POLICY, "soft-fail", "hard-fail")),
                s.getChoice(SELF_CHECK, "warn", "fail").equals("fail"),
                s.findPath(PRIVATE_KEY).or(() -> s.findPath(KEY_STORE)).orElse(null));
    }

    public CertSettings withTrust(String value) {
        return new CertSettings(value, allowWildcards, expiryWarningDays, crlTimeout, crlFiles, crlPolicy,
                selfCheckFails, ownKey);
    }

    public CertSettings withAllowWildcards(boolean allow) {
        return new CertSettings(trust, allow, expiryWarningDays, crlTimeout, crlFiles, crlPolicy, selfCheckFails,
                ownKey);
    }

    public CertSettings withCrlPolicy(CrlPolicy policy) {
        return new CertSettings(trust, allowWildcards, expiryWarningDays, crlTimeout, crlFiles, policy,
                selfCheckFails, ownKey);
    }

    public CertSettings withCrlTimeout(Duration timeout) {
        return new CertSettings(trust, allowWildcards, expiryWarningDays, timeout, crlFiles, crlPolicy,
                selfCheckFails, ownKey);
    }

    public CertSettings withCrlFiles(List<Path> files) {
        return new CertSettings(trust, allowWildcards, expiryWarningDays, crlTimeout, List.copyOf(files), crlPolicy,
                selfCheckFails, ownKey);
    }

    public CertSettings withOwnKey(Path keyFile) {
        return new CertSettings(trust, allowWildcards, expiryWarningDays, crlTimeout, crlFiles, crlPolicy,
                selfCheckFails, keyFile);
    }

    public CertSettings withExpiryWarningDays(int days) {
        return new CertSettings(trust, allowWildcards, days, crlTimeout, crlFiles, crlPolicy, selfCheckFails,
                ownKey);
    }

    /** See {@link Settings#duration}. */
    public static Duration duration(String key, String value) {
        return Settings.duration(key, value);
    }
}
