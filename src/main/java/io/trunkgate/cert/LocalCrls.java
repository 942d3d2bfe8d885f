package io.trunkgate.cert;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRL;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.security.auth.x500.X500Principal;

/**
 * CRL files given by trunkgate.crl.files or {@code cert verify --crl} (PEM or DER, several per file allowed): the way
 * to check revocation where distribution points cannot be reached. They are used before any download.
 */
public final class LocalCrls {

    private final List<CrlEntry> entries;

    private LocalCrls(List<CrlEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static LocalCrls none() {
        return new LocalCrls(List.of());
    }

    /** Reads every file; an unreadable file or one without a CRL fails naming the file. */
    public static LocalCrls load(List<Path> files) throws IOException {
        List<CrlEntry> entries = new ArrayList<>();
        for (Path file : files) {
            try (InputStream in = Files.newInputStream(file)) {
                int before = entries.size();
                for (CRL crl : CertificateFactory.getInstance("X.509").generateCRLs(in)) {
                    entries.add(new CrlEntry((X509CRL) crl, file.toString(), Instant.now()));
                }
                if (entries.size() == before) {
                    throw new IOException(file + ": no CRL in it");
                }
            } catch (CRLException | CertificateException e) {
                throw new IOException(file + ": not a CRL: " + e.getMessage(), e);
            }
        }
        return new LocalCrls(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    List<CrlEntry> byIssuer(X500Principal issuer) {
        return entries.stream().filter(e -> e.crl().getIssuerX500Principal().equals(issuer)).toList();
    }
}
