package io.trunkgate.cert;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trust manager of our TLS client role (and of the optional client-auth server role): JSSE hands it the peer's
 * chain, it validates through the {@link CertificateValidator} and refuses with a {@link CertificateException} whose
 * message lists the failing findings with their requirement IDs, logged as one line. The host to check is the one
 * the connection was opened for: the engine's SNI host name, else its peer host, so one trust manager serves every
 * trunk; JSSE's own endpoint identification must stay off (it would check again, by other rules).
 */
public final class PeerTrustManager extends X509ExtendedTrustManager {

    private static final Logger LOG = LoggerFactory.getLogger(PeerTrustManager.class);
    /** Warnings (expiry soon, CRL unobtainable) are logged once per hour per message, not on every handshake. */
    private static final long WARNING_REPEAT_MILLIS = 3_600_000L;
    private static final int MAX_REMEMBERED_WARNINGS = 1000;

    private final CertificateValidator validator;
    private final Function<SSLEngine, PeerName> engineName;
    private final Map<String, Long> warned = new ConcurrentHashMap<>();

    public PeerTrustManager(CertificateValidator validator) {
        this(validator, PeerTrustManager::nameOf);
    }

    /**
     * @param engineName the name to check for an engine; the default reads SNI / peer host. A connection registry
     *                   that dialled an SRV target can supply {@link PeerName#viaSrv} here so messages show the owner.
     */
    public PeerTrustManager(CertificateValidator validator, Function<SSLEngine, PeerName> engineName) {
        this.validator = validator;
        this.engineName = engineName;
    }

    public CertificateValidator validator() {
        return validator;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        enforce(chain, engine == null ? null : engineName.apply(engine), PeerRole.SERVER);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        enforce(chain, socket instanceof SSLSocket s ? nameOf(s.getSSLParameters(), s.getHandshakeSession()) : null,
                PeerRole.SERVER);
    }

    /** Without a connection there is no dialled host: refused, since CERT-5 cannot be checked. */
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        enforce(chain, null, PeerRole.SERVER);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        enforce(chain, null, PeerRole.CLIENT);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        enforce(chain, null, PeerRole.CLIENT);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        enforce(chain, null, PeerRole.CLIENT);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return validator.trust().certificates().toArray(X509Certificate[]::new);
    }

    /** Validates and returns the report, or throws listing the ERROR findings. */
    public Report enforce(X509Certificate[] chain, PeerName name, PeerRole role) throws CertificateException {
        List<X509Certificate> certs = chain == null ? List.of() : Arrays.asList(chain);
        Report report = validator.validate(certs, name, role, Instant.now());
        String who = role == PeerRole.SERVER ? "server " + (name == null ? "(no host name)" : name) : "client";
        if (!report.valid()) {
            String line = report.line(Severity.ERROR);
            LOG.warn("TLS {} certificate refused: {}", who, line);
            throw new CertificateException("certificate of " + who + " refused: " + line);
        }
        if (!report.warnings().isEmpty()) {
            warnOnce(who, report.line(Severity.WARNING));
        }
        return report;
    }

    private void warnOnce(String who, String line) {
        long now = System.currentTimeMillis();
        Long last = warned.get(line);
        if (last == null || now - last > WARNING_REPEAT_MILLIS) {
            if (warned.size() > MAX_REMEMBERED_WARNINGS) {
                warned.clear();
            }
            warned.put(line, now);
            LOG.warn("TLS {} certificate accepted with warnings: {}", who, line);
        }
    }

    /** The SNI host name the engine asked for, else its peer host (the host the engine was created for). */
    public static PeerName nameOf(SSLEngine engine) {
        return nameOf(engine.getHandshakeSession(), engine.getSSLParameters(), engine.getPeerHost());
    }

    static PeerName nameOf(SSLParameters params, SSLSession handshake) {
        return nameOf(handshake, params, null);
    }

    private static PeerName nameOf(SSLSession handshake, SSLParameters params, String peerHost) {
        List<SNIServerName> requested = handshake instanceof ExtendedSSLSession e ? e.getRequestedServerNames() : null;
        PeerName sni = sniHost(requested);
        if (sni == null && params != null) {
            sni = sniHost(params.getServerNames());
        }
        if (sni != null) {
            return sni;
        }
        String host = peerHost != null ? peerHost : handshake != null ? handshake.getPeerHost() : null;
        return host == null ? null : PeerName.dialled(host);
    }

    private static PeerName sniHost(List<SNIServerName> names) {
        if (names != null) {
            for (SNIServerName n : names) {
                if (n instanceof SNIHostName h) {
                    return PeerName.dialled(h.getAsciiName());
                }
            }
        }
        return null;
    }
}
