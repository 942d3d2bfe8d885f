package io.trunkgate.cert;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** PEM files: certificate chains, PKCS#8 and PKCS#1 private keys (read through Bouncy Castle's PEMParser). */
public final class Pem {

    private Pem() {
    }

    /** Every certificate of a PEM file, in file order; fails when there is none. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> certs = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof X509CertificateHolder holder) {
                    certs.add(converter.getCertificate(holder));
                }
            }
        } catch (CertificateException e) {
            throw new IOException(file + ": bad certificate: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new IOException(file + ": no PEM certificate in it");
        }
        return certs;
    }

    /** The private key of a PEM file: PKCS#8 ("PRIVATE KEY") or PKCS#1 ("RSA PRIVATE KEY", "EC PRIVATE KEY"). */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            Object o;
            while ((o = parser.readObject()) != null) {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
            }
        }
        throw new IOException(file + ": no unencrypted PEM private key (PKCS#8 or PKCS#1) in it");
    }

    /** PEM text of certificates and/or keys, in the order given. */
    public static String encode(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                if (o instanceof List<?> list) {
                    for (Object item : list) {
                        writer.writeObject(item);
                    }
                } else {
                    writer.writeObject(o);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    public static void write(Path file, Object... objects) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, encode(objects), StandardCharsets.US_ASCII);
    }

    /**
     * Who besides its owner may read a private key file, e.g. "group and others (rw-r--r--)"; empty when nobody
     * else may, or when the file system has no POSIX permissions to tell.
     */
    public static Optional<String> readableByOthers(Path keyFile) {
        Set<PosixFilePermission> mode;
        try {
            mode = Files.getPosixFilePermissions(keyFile);
        } catch (UnsupportedOperationException | IOException e) {
            return Optional.empty();
        }
        boolean group = mode.contains(PosixFilePermission.GROUP_READ);
        boolean others = mode.contains(PosixFilePermission.OTHERS_READ);
        if (!group && !others) {
            return Optional.empty();
        }
        return Optional.of((group && others ? "its group and all other users" : group ? "its group" : "all other users")
                + " (" + PosixFilePermissions.toString(mode) + ")");
    }
}
