package io.trunkgate.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import io.trunkgate.cert.Pem;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev PKI's keys are its owner's only, and its leaves stay within the CA/Browser Forum's 825 days. */
class DevPkiTest {

    private static final List<String> KEYS = List.of(DevPki.ROOT_KEY, DevPki.INTERMEDIATE_KEY, DevPki.SERVER_KEY,
            DevPki.PEER_KEY);

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    @DisplayName("pki dev writes every private key 0600 in a 0700 folder, and nobody else may read them")
    void keysAreOwnerOnly(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.getFileAttributeView(tmp, PosixFileAttributeView.class) != null, "POSIX file system");
        DevPki pki = DevPki.generate(tmp.resolve("dev-pki"), List.of("trunk.example.test"));
        assertEquals("rwx------", mode(pki.dir()));
        for (String key : KEYS) {
            assertEquals("rw-------", mode(pki.dir().resolve(key)), key);
            assertTrue(Pem.readableByOthers(pki.dir().resolve(key)).isEmpty(), key);
        }
    }

    @Test
    @DisplayName("a dev PKI written before keys were owner-only is tightened when it is reused")
    void ensureTightensAnOldDevPki(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.getFileAttributeView(tmp, PosixFileAttributeView.class) != null, "POSIX file system");
        Path dir = tmp.resolve("dev-pki");
        DevPki first = DevPki.generate(dir, List.of());
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String key : KEYS) {
            Files.setPosixFilePermissions(dir.resolve(key), PosixFilePermissions.fromString("rw-r--r--"));
        }
        assertTrue(Pem.readableByOthers(first.serverKey()).isPresent());
        byte[] before = Files.readAllBytes(first.serverChain());
        DevPki again = DevPki.ensure(dir, List.of());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(again.serverChain())), "reused, not regenerated");
        assertEquals("rwx------", mode(dir));
        for (String key : KEYS) {
            assertEquals("rw-------", mode(dir.resolve(key)), key);
        }
    }

    @Test
    @DisplayName("the dev leaves are valid 825 days in all, notBefore and notAfter included (RFC 5280 4.1.2.5)")
    void leavesWithin825Days(@TempDir Path tmp) throws Exception {
        DevPki pki = DevPki.generate(tmp.resolve("dev-pki"), List.of());
        for (Path chain : List.of(pki.serverChain(), pki.peerChain())) {
            X509Certificate leaf = Pem.readCertificates(chain).get(0);
            Duration validity = Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant())
                    .plusSeconds(1);
            assertTrue(validity.compareTo(Duration.ofDays(825)) <= 0, chain + ": " + validity);
            assertTrue(validity.compareTo(Duration.ofDays(824)) > 0, chain + ": " + validity);
        }
    }

    @Test
    @DisplayName("a private key others can read is named, with who can read it")
    void readableKeyIsNamed(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.getFileAttributeView(tmp, PosixFileAttributeView.class) != null, "POSIX file system");
        Path key = tmp.resolve("server.key");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals("its group and all other users (rw-r--r--)", Pem.readableByOthers(key).orElseThrow());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        assertEquals("its group (rw-r-----)", Pem.readableByOthers(key).orElseThrow());
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertTrue(Pem.readableByOthers(key).isEmpty());
    }
}
