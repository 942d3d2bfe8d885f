package io.trunkgate.peers;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * External peers (openssl, sipp, stunnel4, testssl, python3 + pylibsrtp ...): a test that needs one calls
 * {@link #require}. Missing on a developer's machine: the test is skipped with the reason. Missing with
 * {@code TRUNKGATE_REQUIRE_PEERS=1} (set by .ci/run): the test fails.
 */
public final class Peers {

    private Peers() {
    }

    public static boolean required() {
        return "1".equals(System.getenv("TRUNKGATE_REQUIRE_PEERS"));
    }

    /** The absolute path of an executable on PATH (or an absolute path given), or skip/fail. */
    public static String require(String executable) {
        Optional<String> found = find(executable);
        if (found.isPresent()) {
            return found.get();
        }
        unavailable(executable + " is not installed (.ci/run installs it)");
        return null;
    }

    /** Skips (or fails under TRUNKGATE_REQUIRE_PEERS=1) with the reason. */
    public static void unavailable(String reason) {
        if (required()) {
            Assertions.fail("peer required but unavailable: " + reason);
        }
        System.err.println("SKIPPED (peer unavailable): " + reason);
        Assumptions.abort("peer unavailable: " + reason);
    }

    /** A peer's log file as written so far: empty before the peer wrote it, the error when it cannot be read. */
    public static String logText(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    public static Optional<String> find(String executable) {
        if (executable.startsWith("/")) {
            return new File(executable).canExecute() ? Optional.of(executable) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin:/sbin:/bin";
        for (String dir : path.split(File.pathSeparator)) {
            File f = new File(dir, executable);
            if (f.canExecute()) {
                return Optional.of(f.getAbsolutePath());
            }
        }
        return Optional.empty();
    }
}
