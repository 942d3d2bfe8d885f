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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
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
import org.apache.camel.Service;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * trunkgate's TLS: our key material, the trust anchors of the client role, and the {@link TlsProfile} applied to
 * every engine. It is a Camel {@link SSLContextParameters} so a route names it ({@code sslContextParameters:
 * "#trunkTls"}); its SSL context always delegates to the current material, so replaced certificate files take
 * effect for new connections without a restart (CERT-2) while existing connections keep theirs.
 */
public class TrunkTls extends SSLContextParameters implements Service {

    private static final Logger LOG = LoggerFactory.getLogger(TrunkTls.class);

    private final TlsProfile profile;
    private final KeySource keySource;
    private final TrustManager[] trustManagers;
    private final String trustSource;
    private volatile Loaded current;
    /** Seconds between checks of the key files for a replaced certificate (CERT-2); 0: never. */
    private int reloadSeconds;
    private CrlCache crls;
    /** The CRL cache's threads, from Camel's ExecutorServiceManager (create()). */
    private final List<ExecutorService> crlThreads = new ArrayList<>();
    private ScheduledExecutorService reloader;
    private volatile ExecutorService handshakeTasks;

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

    /**
     * From trunkgate.tls.*: a PEM pair, a PKCS#12 store, or (neither set) the dev PKI, generated once. Its threads
     * (CRL downloads, handshake tasks, certificate reload) come from {@code context}'s ExecutorServiceManager and
     * run only while it is started.
     */
    public static TrunkTls create(Settings settings, CamelContext context) {
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
            ExecutorServiceManager threads = context.getExecutorServiceManager();
            Object owner = TrunkTls.class;
            ExecutorService fetch = threads.newFixedThreadPool(owner, "trunkgate-crl-fetch", 4);
            ScheduledExecutorService refresh = threads.newSingleThreadScheduledExecutor(owner, "trunkgate-crl-refresh");
            CrlCache crls = new CrlCache(certSettings.crlTimeout(), fetch, refresh);
            TrustManager[] tms = {new PeerTrustManager(CertificateValidator.of(anchors, certSettings, crls))};
            TrunkTls tls = new TrunkTls(profile, keys, tms, anchors.name());
            tls.setCamelContext(context);
            tls.crls = crls;
            tls.crlThreads.addAll(List.of(fetch, refresh));
            // our chain is checked against what remotes trust: in dev mode our own dev root (the one they are told
            // to trust), not trunkgate.tls.trust, which names the remotes' roots (two dev instances trust each other's)
            TrustAnchors ours = devRoot == null ? anchors : TrustProfiles.load(devRoot.toString());
            SelfCheck.enforce(SelfCheck.check(tls.chain(), settings.getList("trunkgate.tls.advertised-names"),
                    ours, certSettings, java.time.Instant.now()), certSettings, LOG);
            tls.reloadSeconds = settings.getInt("trunkgate.tls.reload-interval");
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

    /** The CRL cache of the peer checks (CERT-9); null when built without one (tests). */
    public CrlCache crls() {
        return crls;
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
        Executor tasks = handshakeTasks;
        if (tasks == null) {
            throw new IllegalStateException("trunkTls is not started (it is a Camel service: add it to the context)");
        }
        return tasks;
    }

    /**
     * For Camel components that take SSLContextParameters: a context whose engines carry the profile and the
     * current key material.
     */
    @Override
    public SSLContext createSSLContext(CamelContext camelContext) {
        return new ProfiledContext(this);
    }

    /**
     * Starts the handshake task threads and, when {@code trunkgate.tls.reload-interval} is set, the polling of the key
     * files for a replaced certificate (CERT-2), both from the Camel context's ExecutorServiceManager.
     */
    @Override
    public synchronized void start() {
        if (handshakeTasks != null) {
            return;
        }
        ExecutorServiceManager threads = ObjectHelper.notNull(getCamelContext(), "camelContext").getExecutorServiceManager();
        handshakeTasks = threads.newThreadPool(this, "trunkgate-tls-handshake", HandshakeExecutor.profile());
        if (reloadSeconds > 0) {
            reloader = threads.newSingleThreadScheduledExecutor(this, "trunkgate-tls-reload");
            reloader.scheduleWithFixedDelay(this::reloadIfChanged, reloadSeconds, reloadSeconds, TimeUnit.SECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        ExecutorServiceManager threads = getCamelContext() == null ? null : getCamelContext().getExecutorServiceManager();
        List<ExecutorService> pools = new ArrayList<>(crlThreads);
        pools.add(reloader);
        pools.add(handshakeTasks);
        for (ExecutorService pool : pools) {
            if (pool != null && threads != null) {
                threads.shutdownNow(pool);
            }
        }
        reloader = null;
        handshakeTasks = null;
        crlThreads.clear();
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
