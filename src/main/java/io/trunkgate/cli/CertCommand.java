package io.trunkgate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.trunkgate.cert.CertSettings;
import io.trunkgate.cert.CertificateValidator;
import io.trunkgate.cert.CrlCache;
import io.trunkgate.cert.Finding;
import io.trunkgate.cert.LocalCrls;
import io.trunkgate.cert.PeerName;
import io.trunkgate.cert.PeerRole;
import io.trunkgate.cert.Pem;
import io.trunkgate.cert.Report;
import io.trunkgate.cert.TrustAnchors;
import io.trunkgate.cert.TrustException;
import io.trunkgate.cert.TrustProfiles;
import io.trunkgate.config.Settings;

/**
 * {@code cert verify}: the handshake's validation, offline, for an operator holding a peer's chain (CERT-10: make the
 * cause obvious). Prints every finding and the verdict; exit 0 valid, 1 invalid, 2 usage error or unreadable input.
 */
final class CertCommand implements CliCommand {

    @Override
    public String usage() {
        return "cert verify --chain FILE --name HOST [--trust FILE|PROFILE] [--crl FILE]... [--at INSTANT]"
                + " [--role server|client]   validate a certificate chain as a handshake would";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.isEmpty() || !args.get(0).equals("verify")) {
            throw new UsageException("the only cert subcommand is 'verify'");
        }
        CliArgs a = CliArgs.parse(args.subList(1, args.size()),
                Set.of("--chain", "--name", "--trust", "--crl", "--at", "--role"), Set.of());
        if (!a.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + a.positional().get(0));
        }
        Path chainFile = a.value("--chain").map(Path::of).orElse(null);
        String name = a.value("--name").orElse(null);
        String trustValue = a.value("--trust").orElse(null);
        List<Path> crlFiles = a.values("--crl").stream().map(Path::of).toList();
        Instant at = a.value("--at").map(CertCommand::instant).orElse(Instant.now());
        PeerRole role = a.value("--role").map(CertCommand::role).orElse(PeerRole.SERVER);
        if (chainFile == null) {
            throw new UsageException("--chain FILE is required");
        }
        if (name == null && role == PeerRole.SERVER) {
            throw new UsageException("--name HOST is required for a server certificate (CERT-5)");
        }
        Settings settings = Settings.fromConfigDir();
        CertSettings cert = CertSettings.from(settings);

        List<X509Certificate> chain;
        LocalCrls local;
        TrustAnchors trust;
        try {
            chain = Pem.readCertificates(chainFile);
            local = crlFiles.isEmpty() ? null : LocalCrls.load(crlFiles);
        } catch (IOException e) {
            err.println("trunkgate cert verify: cannot read " + e.getMessage());
            return EXIT_USAGE;
        }
        try {
            trust = TrustProfiles.load(trustValue != null ? trustValue : cert.trust());
        } catch (TrustException e) {
            err.println("trunkgate cert verify: " + e.getMessage());
            return EXIT_USAGE;
        }

        out.println("chain: " + chainFile + " (" + chain.size() + (chain.size() == 1 ? " certificate)" : " certificates)")
                + ", name: " + (name == null ? "-" : name) + ", role: " + role.name().toLowerCase(Locale.ROOT)
                + ", trust: " + trust + ", at: " + at + ", CRLs: "
                + (local != null ? "local files " + crlFiles : "downloaded from distribution points, "
                        + cert.crlPolicy().word()));
        Report report;
        PeerName peer = name == null ? null : PeerName.dialled(name);
        if (local != null) {
            report = CertificateValidator.withLocalCrls(trust, cert, local).validate(chain, peer, role, at);
        } else {
            try (CrlCache cache = new CrlCache(cert.crlTimeout())) {
                report = CertificateValidator.of(trust, cert, cache).validate(chain, peer, role, at);
            }
        }
        for (Finding f : report.findings()) {
            out.println(String.format("%-7s %-7s %s", f.severity(), f.requirement(), f.message()));
        }
        out.println("verdict: " + report.summary());
        return report.valid() ? EXIT_OK : EXIT_NEGATIVE;
    }

    /** ISO-8601: an instant ({@code 2026-01-31T12:00:00Z}) or a date-time with offset. */
    private static Instant instant(String v) {
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException e2) {
                throw new UsageException("--at takes an ISO-8601 instant such as 2026-01-31T12:00:00Z, not '" + v + "'");
            }
        }
    }

    private static PeerRole role(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "server" -> PeerRole.SERVER;
            case "client" -> PeerRole.CLIENT;
            default -> throw new UsageException("--role is server or client, not '" + v + "'");
        };
    }
}
