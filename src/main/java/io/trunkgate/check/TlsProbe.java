package io.trunkgate.check;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import io.trunkgate.tls.Providers;
import org.bouncycastle.jsse.BCSNIHostName;
import org.bouncycastle.jsse.BCSSLParameters;
import org.bouncycastle.jsse.BCSSLSocket;

/**
 * One TLS handshake through Bouncy Castle's JSSE offering exactly the protocols, suites and groups given (per
 * socket: BCJSSE can name groups, SunJSSE on JDK 17 cannot), with SNI = the host dialled. Each probe is its own
 * connection, so one refusal cannot hide another.
 */
final class TlsProbe {

    /** What a probe offers. */
    record Offer(List<String> protocols, List<String> suites, List<String> groups) {
    }

    /** Accepted (with what was negotiated) or refused (with why). */
    record Result(boolean accepted, String protocol, String suite, String failure) {
    }

    /** The TCP connection itself failed: the host is unreachable, not refusing TLS. */
    static final class UnreachableException extends IOException {
        UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final CheckTarget target;
    private final int timeoutMillis;

    TlsProbe(CheckTarget target, Duration timeout) {
        Providers.ensure();
        this.target = target;
        this.timeoutMillis = (int) timeout.toMillis();
    }

    /** A handshaken connection; the caller closes it. A handshake failure closes it and throws. */
    SSLSocket open(Offer offer, X509TrustManager trust) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS", Providers.JSSE);
        context.init(null, new TrustManager[] {trust}, new SecureRandom());
        Socket raw = connect(target, timeoutMillis);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(raw, target.host(), target.port(), true);
        try {
            socket.setSoTimeout(timeoutMillis);
            BCSSLSocket bc = (BCSSLSocket) socket;
            BCSSLParameters p = bc.getParameters();
            p.setProtocols(offer.protocols().toArray(String[]::new));
            p.setCipherSuites(offer.suites().toArray(String[]::new));
            p.setNamedGroups(offer.groups().toArray(String[]::new));
            p.setServerNames(List.of(new BCSNIHostName(target.host())));
            bc.setParameters(p);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Handshakes with the offer, accepting any certificate (this asks what the server accepts, not whom we trust). */
    Result probe(Offer offer) throws UnreachableException {
        try (SSLSocket s = open(offer, RecordingTrustManager.acceptingAll(target.host()))) {
            return new Result(true, s.getSession().getProtocol(), s.getSession().getCipherSuite(), null);
        } catch (UnreachableException e) {
            throw e;
        } catch (IOException | GeneralSecurityException e) {
            return new Result(false, null, null, describe(e));
        }
    }

    static Socket connect(CheckTarget target, int timeoutMillis) throws UnreachableException {
        Socket raw = new Socket();
        try {
            raw.connect(new InetSocketAddress(target.host(), target.port()), timeoutMillis);
            raw.setTcpNoDelay(true);
            return raw;
        } catch (IOException e) {
            try {
                raw.close();
            } catch (IOException ignored) {
                // nothing to release
            }
            throw new UnreachableException("cannot reach " + target + ": " + describe(e), e);
        }
    }

    /** The innermost message of a failure: usually the alert the server sent, e.g. handshake_failure(40). */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        return t instanceof java.net.SocketTimeoutException ? "no answer (" + m + ")" : m;
    }
}
