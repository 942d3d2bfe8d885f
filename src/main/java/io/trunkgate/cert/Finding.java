package io.trunkgate.cert;

import java.util.Objects;

/**
 * One observation about a certificate chain, citing the requirement it concerns (for example {@code CERT-5}), so an
 * operator can look the rule up in the spec. The same findings serve handshakes, the start-up self-check and the CLI.
 */
public record Finding(String requirement, Severity severity, String message) {

    public Finding {
        Objects.requireNonNull(requirement, "requirement");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(message, "message");
    }

    public static Finding info(String requirement, String message) {
        return new Finding(requirement, Severity.INFO, message);
    }

    public static Finding warning(String requirement, String message) {
        return new Finding(requirement, Severity.WARNING, message);
    }

    public static Finding error(String requirement, String message) {
        return new Finding(requirement, Severity.ERROR, message);
    }

    /** {@code CERT-5 ERROR: message}, the one-line form used in logs and exception messages. */
    @Override
    public String toString() {
        return requirement + " " + severity + ": " + message;
    }
}
