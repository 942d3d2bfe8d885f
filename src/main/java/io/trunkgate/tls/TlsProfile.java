package io.trunkgate.tls;

import java.util.List;
import java.util.Set;

import javax.net.ssl.SSLEngine;

import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;
import org.bouncycastle.jsse.BCSNIHostName;
import org.bouncycastle.jsse.BCSSLEngine;
import org.bouncycastle.jsse.BCSSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trunk's TLS profile, applied to each SSL engine (never JVM-wide, so an application embedding trunkgate keeps
 * its own TLS settings): TLS 1.2 only (TLS-4), the five suites of TLS-5 with the server's order (ECDHE-GCM first),
 * ECDHE on secp384r1 only (TLS-6). Named groups per engine need Bouncy Castle's JSSE (JDK 17 has no per-engine
 * API: see platform facts).
 */
public record TlsProfile(List<String> protocols, List<String> cipherSuites, List<String> namedGroups,
        ClientAuth clientAuth) {

    private static final Logger LOG = LoggerFactory.getLogger(TlsProfile.class);

    /** TLS-5, in the server's preference order. */
    public static final List<String> SPEC_SUITES = List.of(
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
            "TLS_RSA_WITH_AES_256_CBC_SHA256",
            "TLS_RSA_WITH_AES_256_CBC_SHA");
    public static final List<String> SPEC_PROTOCOLS = List.of("TLSv1.2");
    public static final List<String> SPEC_GROUPS = List.of("secp384r1");

    private static final Set<String> KNOWN_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    /** TLS-7: one-way TLS by default; a client certificate may be asked for as an optional hardening. */
    public enum ClientAuth { NONE, WANT, NEED }

    public TlsProfile {
        protocols = List.copyOf(protocols);
        cipherSuites = List.copyOf(cipherSuites);
        namedGroups = List.copyOf(namedGroups);
    }

    public static TlsProfile spec() {
        return new TlsProfile(SPEC_PROTOCOLS, SPEC_SUITES, SPEC_GROUPS, ClientAuth.NONE);
    }

    /** The profile from trunkgate.tls.*; a departure from the spec is allowed but logged with the requirement ID. */
    public static TlsProfile from(Settings settings) {
        List<String> protocols = settings.getList("trunkgate.tls.protocols");
        List<String> suites = settings.getList("trunkgate.tls.cipher-suites");
        List<String> groups = settings.getList("trunkgate.tls.named-groups");
        for (String p : protocols) {
            if (!KNOWN_PROTOCOLS.contains(p)) {
                throw new ConfigException("trunkgate.tls.protocols", "has '" + p + "': only TLSv1.2 (TLS-4) or TLSv1.3 can be named");
            }
        }
        if (protocols.isEmpty() || suites.isEmpty() || groups.isEmpty()) {
            throw new ConfigException("trunkgate.tls.protocols/cipher-suites/named-groups", "must not be empty (TLS-4, TLS-5, TLS-6)");
        }
        warnIfNotSpec("trunkgate.tls.protocols", protocols, SPEC_PROTOCOLS, "TLS-4");
        warnIfNotSpec("trunkgate.tls.cipher-suites", suites, SPEC_SUITES, "TLS-5");
        warnIfNotSpec("trunkgate.tls.named-groups", groups, SPEC_GROUPS, "TLS-6");
        String auth = settings.getChoice("trunkgate.tls.client-auth", "none", "want", "need");
        return new TlsProfile(protocols, suites, groups, ClientAuth.valueOf(auth.toUpperCase()));
    }

    private static void warnIfNotSpec(String key, List<String> value, List<String> spec, String id) {
        if (!spec.containsAll(value)) {
            LOG.warn("{}={} goes beyond the spec ({} allows only {}): peers may refuse this trunk", key,
                    String.join(",", value), id, String.join(",", spec));
        }
    }

    /** Server side of a connection from the remote: our order wins, the client may be asked for a certificate. */
    public SSLEngine applyServer(SSLEngine engine) {
        engine.setUseClientMode(false);
        BCSSLParameters p = common(engine);
        p.setNeedClientAuth(clientAuth == ClientAuth.NEED);
        if (clientAuth == ClientAuth.WANT) {
            p.setWantClientAuth(true);
        }
        bc(engine).setParameters(p);
        return engine;
    }

    /**
     * Client side of a connection we open (TLS-7): SNI carries the host dialled. The name check (CERT-5, CERT-6,
     * CERT-11, CERT-12) is the trust manager's (io.trunkgate.cert.PeerTrustManager, which reads the SNI name), so no
     * JSSE endpoint identification here.
     */
    public SSLEngine applyClient(SSLEngine engine, String host) {
        engine.setUseClientMode(true);
        BCSSLParameters p = common(engine);
        p.setServerNames(List.of(new BCSNIHostName(host)));
        bc(engine).setParameters(p);
        return engine;
    }

    private BCSSLParameters common(SSLEngine engine) {
        BCSSLParameters p = bc(engine).getParameters();
        p.setProtocols(protocols.toArray(String[]::new));
        p.setCipherSuites(cipherSuites.toArray(String[]::new));
        p.setNamedGroups(namedGroups.toArray(String[]::new));
        p.setUseCipherSuitesOrder(true);
        return p;
    }

    private static BCSSLEngine bc(SSLEngine engine) {
        if (engine instanceof BCSSLEngine bc) {
            return bc;
        }
        throw new IllegalStateException("the TLS profile needs Bouncy Castle's JSSE engine, got " + engine.getClass().getName());
    }
}
