package io.trunkgate.cli;

/** Bad command-line arguments: the CLI prints the message and the usage, and exits 2. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
