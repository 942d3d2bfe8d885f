package io.trunkgate.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;

import io.trunkgate.cert.Pem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our certificate chain (leaf, then every intermediate: TLS-9) and its private key, from a PEM pair or a PKCS#12
 * key store. Loading checks that the key belongs to the leaf, so a half-replaced pair is never used.
 */
public record KeyMaterial(List<X509Certificate> chain, PrivateKey key, String source) {

    private static final char[] IN_MEMORY_PASSWORD = "trunkgate".toCharArray();
    private static final Logger LOG = LoggerFactory.getLogger(KeyMaterial.class);

    public KeyMaterial {
        chain = List.copyOf(chain);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public static KeyMaterial fromPem(Path certificate, Path privateKey) throws IOException, GeneralSecurityException {
        warnIfReadableByOthers(privateKey);
        List<X509Certificate> chain = Pem.readCertificates(certificate);
        PrivateKey key = Pem.readPrivateKey(privateKey);
        return checked(new KeyMaterial(chain, key, certificate + " + " + privateKey));
    }

    public static KeyMaterial fromPkcs12(Path keyStore, char[] password) throws IOException, GeneralSecurityException {
        warnIfReadableByOthers(keyStore);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, password);
        }
        Enumeration<String> aliases = ks.aliases();
        while (aliases.hasMoreElements()) {
            String alias = aliases.nextElement();
            if (ks.isKeyEntry(alias)) {
                PrivateKey key = (PrivateKey) ks.getKey(alias, password);
                Certificate[] certs = ks.getCertificateChain(alias);
                List<X509Certificate> chain = new ArrayList<>();
                Arrays.stream(certs).forEach(c -> chain.add((X509Certificate) c));
                return checked(new KeyMaterial(chain, key, keyStore.toString()));
            }
        }
        throw new GeneralSecurityException(keyStore + ": no private key entry in the key store");
    }


    /** The key is used all the same (refusing would stop a running gateway over a mode bit), but said loudly. */
    private static void warnIfReadableByOthers(Path keyFile) {
        Pem.readableByOthers(keyFile).ifPresent(who -> LOG.warn("private key file {} is readable by {}: anyone who can"
                + " read it can impersonate this gateway; make it readable by its owner only (chmod 600)",
                keyFile.toAbsolutePath(), who));
    }

    /** Proves the key signs for the leaf's public key. */
    private static KeyMaterial checked(KeyMaterial m) throws GeneralSecurityException {
        String algorithm = switch (m.key().getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> throw new GeneralSecurityException(m.source() + ": unsupported key type " + m.key().getAlgorithm());
        };
        byte[] probe = "trunkgate key check".getBytes();
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(m.key());
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(m.leaf().getPublicKey());
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException(m.source() + ": the private key does not belong to the certificate "
                    + m.leaf().getSubjectX500Principal());
        }
        return m;
    }

    /** Key managers of Bouncy Castle's JSSE (PKIX): needed for the TLS_RSA_* suites under BCJSSE. */
    public KeyManager[] keyManagers() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("trunkgate", key, IN_MEMORY_PASSWORD, chain.toArray(Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX", Providers.JSSE);
        kmf.init(ks, IN_MEMORY_PASSWORD);
        return kmf.getKeyManagers();
    }
}
