package io.trunkgate.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.trunkgate.cert.CertificateNames;
import io.trunkgate.cert.Pem;

/**
 * A development PKI: root CA, intermediate CA, a server leaf (our certificate) and a second leaf for a test peer,
 * RSA 2048, written as PEM. Never for production: the root's key sits beside it. The folder is its owner's only
 * (0700) and so is every private key (0600), from the moment the file exists; the leaves are valid 825 days in all
 * (the CA/Browser Forum limit), back-dated one hour for clock skew.
 */
public final class DevPki {

    public static final String ROOT = "root.pem";
    public static final String ROOT_KEY = "root.key";
    public static final String INTERMEDIATE = "intermediate.pem";
    public static final String INTERMEDIATE_KEY = "intermediate.key";
    /** Server leaf then intermediate: what a TLS server presents (TLS-9). */
    public static final String SERVER_CHAIN = "server-chain.pem";
    public static final String SERVER_KEY = "server.key";
    public static final String PEER_CHAIN = "peer-chain.pem";
    public static final String PEER_KEY = "peer.key";

    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> KEY_MODE = PosixFilePermissions.fromString("rw-------");

    private final Path dir;

    private DevPki(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public Path root() {
        return dir.resolve(ROOT);
    }

    public Path serverChain() {
        return dir.resolve(SERVER_CHAIN);
    }

    public Path serverKey() {
        return dir.resolve(SERVER_KEY);
    }

    public Path peerChain() {
        return dir.resolve(PEER_CHAIN);
    }

    public Path peerKey() {
        return dir.resolve(PEER_KEY);
    }

    /** Writes a new dev PKI whose leaves carry {@code names} (always with localhost) as SAN dNSNames. */
    public static DevPki generate(Path dir, Collection<String> names) throws IOException {
        String[] sans = withLocalhost(names).toArray(String[]::new);
        CertificateIssuer.Issued root = CertificateIssuer.ca("trunkgate dev root CA (not for production)")
                .validity(Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(3650)))
                .selfSigned();
        CertificateIssuer.Issued intermediate = CertificateIssuer.ca("trunkgate dev intermediate CA").pathLength(0)
                .validity(Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1825)))
                .issuedBy(root);
        CertificateIssuer.Issued server = CertificateIssuer.leaf(sans[0]).dns(sans).issuedBy(intermediate);
        CertificateIssuer.Issued peer = CertificateIssuer.leaf(sans[0]).dns(sans).issuedBy(intermediate);
        Files.createDirectories(dir);
        ownerOnly(dir, DIR_MODE);
        Pem.write(dir.resolve(ROOT), root.certificate());
        writeKey(dir.resolve(ROOT_KEY), root.key());
        Pem.write(dir.resolve(INTERMEDIATE), intermediate.certificate());
        writeKey(dir.resolve(INTERMEDIATE_KEY), intermediate.key());
        Pem.write(dir.resolve(SERVER_CHAIN), server.certificate(), intermediate.certificate());
        writeKey(dir.resolve(SERVER_KEY), server.key());
        Pem.write(dir.resolve(PEER_CHAIN), peer.certificate(), intermediate.certificate());
        writeKey(dir.resolve(PEER_KEY), peer.key());
        return new DevPki(dir);
    }

    /** A key file created 0600 before its first byte is written: no moment when others could read it. */
    private static void writeKey(Path file, PrivateKey key) throws IOException {
        Files.deleteIfExists(file);
        if (posix(file.getParent())) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(KEY_MODE));
        }
        Files.writeString(file, Pem.encode(key), StandardCharsets.US_ASCII);
    }

    /** Sets {@code mode} where the file system has POSIX permissions (elsewhere the folder's ACL decides). */
    private static void ownerOnly(Path path, Set<PosixFilePermission> mode) throws IOException {
        if (posix(path)) {
            Files.setPosixFilePermissions(path, mode);
        }
    }

    private static boolean posix(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
    }

    /**
     * The dev PKI in {@code dir}, reused when its server leaf still carries every name and has 30+ days left;
     * otherwise generated anew.
     */
    public static DevPki ensure(Path dir, Collection<String> names) throws IOException {
        DevPki existing = new DevPki(dir);
        if (Files.isRegularFile(existing.serverChain()) && Files.isRegularFile(existing.serverKey())
                && Files.isRegularFile(existing.root())) {
            try {
                X509Certificate leaf = Pem.readCertificates(existing.serverChain()).get(0);
                boolean fresh = leaf.getNotAfter().toInstant().isAfter(Instant.now().plus(Duration.ofDays(30)));
                boolean named = CertificateNames.dnsNames(leaf).stream().map(CertificateNames::normalise).toList()
                        .containsAll(withLocalhost(names));
                if (fresh && named) {
                    // a dev PKI written before keys were owner-only (0644) is tightened, not kept readable
                    ownerOnly(dir, DIR_MODE);
                    for (String key : List.of(ROOT_KEY, INTERMEDIATE_KEY, SERVER_KEY, PEER_KEY)) {
                        if (Files.exists(dir.resolve(key))) {
                            ownerOnly(dir.resolve(key), KEY_MODE);
                        }
                    }
                    return existing;
                }
            } catch (IOException | CertificateNames.MalformedSanException e) {
                // unreadable: make a new one below
            }
        }
        return generate(dir, names);
    }

    private static Set<String> withLocalhost(Collection<String> names) {
        Set<String> all = new LinkedHashSet<>();
        all.add("localhost");
        names.forEach(n -> all.add(n.toLowerCase(Locale.ROOT)));
        return all;
    }
}
