package io.trunkgate.cert;

import io.trunkgate.config.ConfigException;

/** A trust setting that cannot be used (unreadable file, a leaf as anchor: CERT-2); start-up and the CLI stop on it. */
public class TrustException extends ConfigException {

    public TrustException(String message) {
        super(message, (Throwable) null);
    }

    public TrustException(String message, Throwable cause) {
        super(message, cause);
    }
}
