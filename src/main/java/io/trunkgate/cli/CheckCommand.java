package io.trunkgate.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.trunkgate.cert.CertSettings;
import io.trunkgate.cert.CertificateValidator;
import io.trunkgate.cert.CrlCache;
import io.trunkgate.cert.TrustAnchors;
import io.trunkgate.cert.TrustException;
import io.trunkgate.cert.TrustProfiles;
import io.trunkgate.check.CheckLine;
import io.trunkgate.check.CheckTarget;
import io.trunkgate.check.TrunkCheck;
import io.trunkgate.config.Settings;

/**
 * {@code check HOST[:PORT]}: is this remote's TLS server fit for a secure trunk? (CERT-10: make the cause obvious
 * before calls fail.) Exit 0 when every check passes, 1 when one fails, 2 on a usage error (an IP literal: CERT-6)
 * or an unreachable host.
 */
final class CheckCommand implements CliCommand {

    private static final int DEFAULT_TIMEOUT_SECONDS = 5;
    private static final int MAX_TIMEOUT_SECONDS = 120;

    @Override
    public String usage() {
        return "check HOST[:PORT] [--trust FILE|PROFILE] [--timeout SECONDS]   check a remote's TLS server against the"
                + " spec as our client role";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        CliArgs a = CliArgs.parse(args, Set.of("--trust", "--timeout"), Set.of());
        String hostPort = a.onlyPositional("HOST[:PORT]");
        String trustValue = a.value("--trust").orElse(null);
        int timeoutSeconds = a.value("--timeout").map(CheckCommand::seconds).orElse(DEFAULT_TIMEOUT_SECONDS);
        CheckTarget target;
        try {
            target = CheckTarget.parse(hostPort);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Settings settings = Settings.fromConfigDir();
        CertSettings cert = CertSettings.from(settings);
        TrustAnchors trust;
        try {
            trust = TrustProfiles.load(trustValue != null ? trustValue : cert.trust());
        } catch (TrustException e) {
            err.println("trunkgate check: " + e.getMessage());
            return EXIT_USAGE;
        }
        out.println("check " + target + " as our client role: SNI " + target.host() + ", trust " + trust + ", CRLs "
                + cert.crlPolicy().word() + ", timeout " + timeoutSeconds + " s");
        List<CheckLine> lines;
        try (CrlCache crls = new CrlCache(cert.crlTimeout())) {
            TrunkCheck check = new TrunkCheck(target, CertificateValidator.of(trust, cert, crls),
                    Duration.ofSeconds(timeoutSeconds));
            lines = check.run(l -> out.println(l.format()));
        } catch (java.io.IOException e) {
            err.println("trunkgate check: " + e.getMessage());
            return EXIT_USAGE;
        }
        List<String> failed = lines.stream().filter(l -> l.outcome() == CheckLine.Outcome.FAIL)
                .map(CheckLine::requirement).distinct().toList();
        long passed = lines.stream().filter(l -> l.outcome() == CheckLine.Outcome.PASS).count();
        out.println(failed.isEmpty() ? "verdict: CONFORMS (" + passed + " checks passed)"
                : "verdict: DOES NOT CONFORM (failed: " + String.join(", ", failed) + ")");
        return failed.isEmpty() ? EXIT_OK : EXIT_NEGATIVE;
    }

    private static int seconds(String v) {
        try {
            int s = Integer.parseInt(v);
            if (s >= 1 && s <= MAX_TIMEOUT_SECONDS) {
                return s;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException("--timeout takes whole seconds from 1 to " + MAX_TIMEOUT_SECONDS + ", not '" + v + "'");
    }
}
