package io.trunkgate.check;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import io.trunkgate.cert.CertificateValidator;
import io.trunkgate.cert.PeerName;
import io.trunkgate.cert.PeerRole;
import io.trunkgate.cert.Report;
import io.trunkgate.cert.Severity;

/**
 * Decides like our client role (the same {@link CertificateValidator}, the dialled host) and keeps the chain and the
 * report, so {@code check} can show them even when the server is refused. {@code validator} null: accepts anything
 * (the protocol probes test what the server accepts, not whom we trust).
 */
final class RecordingTrustManager extends X509ExtendedTrustManager {

    private final CertificateValidator validator;
    private final String host;
    private volatile List<X509Certificate> chain = List.of();
    private volatile Report report;

    RecordingTrustManager(CertificateValidator validator, String host) {
        this.validator = validator;
        this.host = host;
    }

    static RecordingTrustManager acceptingAll(String host) {
        return new RecordingTrustManager(null, host);
    }

    List<X509Certificate> chain() {
        return chain;
    }

    /** The validator's report, null when no certificate arrived (or for the probes). */
    Report report() {
        return report;
    }

    private void check(X509Certificate[] presented) throws CertificateException {
        chain = presented == null ? List.of() : List.copyOf(Arrays.asList(presented));
        if (validator == null) {
            return;
        }
        report = validator.validate(chain, PeerName.dialled(host), PeerRole.SERVER, Instant.now());
        if (!report.valid()) {
            throw new CertificateException("certificate of server " + host + " refused: " + report.line(Severity.ERROR));
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("check is a client only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("check is a client only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("check is a client only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return validator == null ? new X509Certificate[0]
                : validator.trust().certificates().toArray(X509Certificate[]::new);
    }
}
