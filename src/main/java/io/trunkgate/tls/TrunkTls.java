package io.trunkgate.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

import io.trunkgate.cert.CertSettings;
import io.trunkgate.cert.CertificateValidator;
import io.trunkgate.cert.CrlCache;
import io.trunkgate.cert.PeerTrustManager;
import io.trunkgate.cert.SelfCheck;
import io.trunkgate.cert.TrustAnchors;
import io.trunkgate.cert.TrustProfiles;
import io.trunkgate.config.ConfigException;
import io.trunkgate.config.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * trunkgate's TLS: our key material, the trust anchors of the client role, and the {@link TlsProfile} applied to
 * every engine. It is a Camel {@link SSLContextParameters} so a route names it ({@code sslContextParameters:
 * "#trunkTls"}); its SSL context always delegates to the current material, so replaced certificate files take
 * effect for new connections without a restart (CERT-2) while existing connections keep theirs.
 */
public class TrunkTls extends SSLContextParameters implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrunkTls.class);

    private final TlsProfile profile;
    private final KeySource keySource;
    private final TrustManager[] trustManagers;
    private final String trustSource;
    private volatile Loaded current;
    private ScheduledExecutorService reloader;
    private CrlCache crls;
    private final ThreadPoolExecutor handshakeTasks = HandshakeExecutor.create();

    /** The SSL context built from one version of the key material. */
    private record Loaded(KeyMaterial material, SSLContext context, long stamp) {
    }

    /** Where the key material comes from, and a stamp that changes when its files change. */
    public interface KeySource {
        KeyMaterial load() throws IOException, GeneralSecurityException;

        long stamp();
    }

    public TrunkTls(TlsProfile profile, KeySource keySource, TrustManager[] trustManagers, String trustSource)
            throws IOException, GeneralSecurityException {
        Providers.ensure();
        this.profile = profile;
        this.keySource = keySource;
        this.trustManagers = trustManagers;
        this.trustSource = trustSource;
        long stamp = keySource.stamp();
        this.current = build(keySource.load(), stamp);
    }

    /** From trunkgate.tls.*: a PEM pair, a PKCS#12 store, or (neither set) the dev PKI, generated once. */
    public static TrunkTls create(Settings settings) {
        Providers.ensure();
        TlsProfile profile = TlsProfile.from(settings);
        try {
            KeySource keys;
            Path devRoot = null;
            if (settings.find("trunkgate.tls.key-store").isPresent()) {
                Path store = settings.findPath("trunkgate.tls.key-store").orElseThrow();
                char[] password = settings.find("trunkgate.tls.key-store-password").orElse("").toCharArray();
                keys = filesSource(List.of(store), () -> KeyMaterial.fromPkcs12(store, password));
            } else if (settings.find("trunkgate.tls.certificate").isPresent()) {
                Path cert = settings.findPath("trunkgate.tls.certificate").orElseThrow();
                Path key = settings.findPath("trunkgate.tls.private-key").orElseThrow(() -> new ConfigException(
                        "trunkgate.tls.private-key", "is required with trunkgate.tls.certificate"));
                keys = filesSource(List.of(cert, key), () -> KeyMaterial.fromPem(cert, key));
            } else {
                Path dir = settings.findPath("trunkgate.tls.dev-pki-dir").orElseThrow();
                DevPki pki = DevPki.ensure(dir, settings.getList("trunkgate.tls.advertised-names"));
                LOG.warn("no certificate configured (trunkgate.tls.certificate): using the dev PKI in {} "
                        + "(root CA: {}); it is NOT for production", dir.toAbsolutePath(), pki.root().toAbsolutePath());
                keys = filesSource(List.of(pki.serverChain(), pki.serverKey()),
                        () -> KeyMaterial.fromPem(pki.serverChain(), pki.serverKey()));
                devRoot = pki.root();
            }
            // the client role's trust (CERT-1..4): a profile or PEM bundle; in dev mode the dev root
            String trustValue = settings.find("trunkgate.tls.trust").orElse(devRoot == null ? "" : devRoot.toString());
            TrustAnchors anchors = TrustProfiles.load(trustValue);
            CertSettings certSettings = CertSettings.from(settings);
            CrlCache crls = new CrlCache(certSettings.crlTimeout());
            TrustManager[] tms = {new PeerTrustManager(CertificateValidator.of(anchors, certSettings, crls))};
            TrunkTls tls = new TrunkTls(profile, keys, tms, anchors.name());
            tls.crls = crls;
            SelfCheck.enforce(SelfCheck.check(tls.chain(), settings.getList("trunkgate.tls.advertised-names"),
                    anchors, certSettings, java.time.Instant.now()), certSettings, LOG);
            tls.startReloading(settings.getInt("trunkgate.tls.reload-interval"));
            return tls;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException("cannot load the TLS key material or trust (trunkgate.tls.*): no such file "
                    + e.getFile(), e);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("cannot load the TLS key material or trust (trunkgate.tls.*): " + e.getMessage(), e);
        }
    }

    /** trunkgate's trust manager (the CERT-* validator) over a PEM bundle of anchors, without revocation. */
    public static TrustManager[] trustManagers(Path pemBundle) {
        return new TrustManager[] {new PeerTrustManager(CertificateValidator.withoutRevocation(
                TrustProfiles.fromPem(pemBundle), CertSettings.defaults()))};
    }

    private static KeySource filesSource(List<Path> files, KeyLoader loader) {
        return new KeySource() {
            @Override
            public KeyMaterial load() throws IOException, GeneralSecurityException {
                return loader.load();
            }

            /**
             * A digest of the files' bytes, not their mtime and size: a copy that keeps the mtime (cp -p), a coarse
             * file-system clock or a same-size key must still count as a change (CERT-2).
             */
            @Override
            public long stamp() {
                MessageDigest digest = sha256();
                for (Path f : files) {
                    try {
                        digest.update(Files.readAllBytes(f));
                    } catch (IOException e) {
                        digest.update((byte) 0); // missing now: a later write changes the stamp again
                    }
                    digest.update((byte) '|');
                }
                return ByteBuffer.wrap(digest.digest()).getLong();
            }
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface KeyLoader {
        KeyMaterial load() throws IOException, GeneralSecurityException;
    }

    private Loaded build(KeyMaterial material, long stamp) throws GeneralSecurityException, IOException {
        SSLContext context = SSLContext.getInstance("TLS", Providers.JSSE);
        KeyManager[] kms = material.keyManagers();
        context.init(kms, trustManagers, new SecureRandom());
        return new Loaded(material, context, stamp);
    }

    /** Polls the key files every {@code seconds} (0: never) and swaps in a new pair that loads and matches. */
    private void startReloading(int seconds) {
        if (seconds <= 0) {
            return;
        }
        reloader = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "trunkgate-tls-reload");
            t.setDaemon(true);
            return t;
        });
        reloader.scheduleWithFixedDelay(this::reloadIfChanged, seconds, seconds, TimeUnit.SECONDS);
    }

    /** Reloads when the files changed; a new pair that fails to load or match keeps the old one (CERT-2). */
    public boolean reloadIfChanged() {
        long stamp = keySource.stamp();
        Loaded old = current;
        if (stamp == old.stamp()) {
            return false;
        }
        try {
            current = build(keySource.load(), stamp);
            LOG.info("TLS certificate reloaded: {} (expires {}); new connections use it, existing ones keep theirs",
                    current.material().leaf().getSubjectX500Principal(), current.material().leaf().getNotAfter());
            return true;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            current = new Loaded(old.material(), old.context(), stamp); // do not retry until the files change again
            LOG.error("TLS certificate files changed but cannot be used, keeping {}: {}; retried when the files"
                    + " change again (CERT-2)",
                    old.material().leaf().getSubjectX500Principal(), e.getMessage());
            return false;
        }
    }

    public TlsProfile profile() {
        return profile;
    }

    public List<X509Certificate> chain() {
        return current.material().chain();
    }

    public String trustSource() {
        return trustSource;
    }

    /** A server engine for one connection from the remote, with the profile applied. */
    public SSLEngine newServerEngine() {
        return profile.applyServer(current.context().createSSLEngine());
    }

    /** A client engine for a connection we open to {@code host} (SNI, name check), with the profile applied. */
    public SSLEngine newClientEngine(String host, int port) {
        return profile.applyClient(current.context().createSSLEngine(host, port), host);
    }

    /**
     * The executor for {@code new SslHandler(engine, executor)}: delegated handshake tasks (the peer certificate check
     * of an {@link OffloadedHandshakeEngine}) run there, off the event loop, so a cold CRL can be awaited (CERT-9).
     */
    public Executor handshakeExecutor() {
        return handshakeTasks;
    }

    /**
     * For Camel components that take SSLContextParameters: a context whose engines carry the profile and the
     * current key material.
     */
    @Override
    public SSLContext createSSLContext(CamelContext camelContext) {
        return new ProfiledContext(this);
    }

    @Override
    public void close() {
        if (reloader != null) {
            reloader.shutdownNow();
        }
        handshakeTasks.shutdownNow();
        if (crls != null) {
            crls.close();
        }
    }

    /** An SSLContext that hands out profiled engines from the current material. */
    private static final class ProfiledContext extends SSLContext {
        ProfiledContext(TrunkTls tls) {
            super(new Spi(tls), Objects.requireNonNull(java.security.Security.getProvider(Providers.JSSE)), "TLS");
        }
    }

    private static final class Spi extends SSLContextSpi {
        private final TrunkTls tls;

        Spi(TrunkTls tls) {
            this.tls = tls;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("trunkgate's TLS context is initialised from trunkgate.tls.*");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return tls.current.context().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return tls.current.context().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return tls.newServerEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return tls.newClientEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return tls.current.context().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return tls.current.context().getClientSessionContext();
        }
    }
}
