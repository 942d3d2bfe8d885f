package io.trunkgate.check;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import javax.net.ssl.SSLSocket;

import io.trunkgate.cert.CertificateValidator;
import io.trunkgate.cert.Finding;
import io.trunkgate.cert.Report;
import io.trunkgate.cert.Severity;
import io.trunkgate.check.CheckLine.Outcome;
import io.trunkgate.tls.TlsProfile;

/**
 * {@code check}: connects to a remote trunk host as our client role would and tells, one line per requirement,
 * whether its TLS server conforms: the profile handshake (TLS-4..6), each suite of TLS-5 alone and one outside it,
 * TLS 1.3 and TLS 1.1 refused (TLS-4), P-256-only and X25519-only ECDHE refused (TLS-6), the chain it sent
 * (TLS-9) and the validator's findings (CERT-*), then a SIP OPTIONS on the verified connection.
 */
public final class TrunkCheck {

    /** A suite the spec does not list, which a conforming server refuses (TLS-5). */
    static final String OUTSIDE_SUITE = "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256";
    static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");
    /** Groups a conforming server must refuse for ECDHE (TLS-6). */
    static final List<String> OTHER_GROUPS = List.of("secp256r1", "x25519");
    /** Requirements in the order the report shows them; others follow in the validator's order. */
    private static final List<String> REPORT_ORDER = List.of("TLS-9", "TLS-10", "CERT-1", "CERT-2", "CERT-5", "CERT-6",
            "CERT-11", "CERT-12", "CERT-8", "CERT-9");

    private final CheckTarget target;
    private final CertificateValidator validator;
    private final TlsProbe probe;
    private final LegacyHelloProbe legacy;
    private final TlsProfile profile = TlsProfile.spec();

    public TrunkCheck(CheckTarget target, CertificateValidator validator, Duration timeout) {
        this.target = target;
        this.validator = validator;
        this.probe = new TlsProbe(target, timeout);
        this.legacy = new LegacyHelloProbe(target, timeout);
    }

    /**
     * Runs every step, handing each line to {@code sink} as soon as it is known.
     *
     * @return the lines; a FAIL among them means the remote does not conform
     * @throws IOException (a {@link TlsProbe.UnreachableException}) when the host cannot be reached at all
     */
    public List<CheckLine> run(Consumer<CheckLine> sink) throws IOException {
        List<CheckLine> lines = new ArrayList<>();
        Consumer<CheckLine> emit = l -> {
            lines.add(l);
            sink.accept(l);
        };
        RecordingTrustManager trust = new RecordingTrustManager(validator, target.host());
        CheckLine options = profileHandshake(trust, emit);
        suites(emit);
        protocols(emit);
        groups(emit);
        chain(trust, emit);
        emit.accept(options);
        return lines;
    }

    /** TLS-4..6 as our client role offers them; on success also the OPTIONS line (shown last). */
    private CheckLine profileHandshake(RecordingTrustManager trust, Consumer<CheckLine> emit) throws IOException {
        TlsProbe.Offer offer = new TlsProbe.Offer(profile.protocols(), profile.cipherSuites(), profile.namedGroups());
        SSLSocket socket;
        try {
            socket = probe.open(offer, trust);
        } catch (TlsProbe.UnreachableException e) {
            throw e;
        } catch (IOException | GeneralSecurityException e) {
            if (trust.report() != null && !trust.report().valid()) {
                emit.accept(CheckLine.info("TLS-4", "the server answered the profile (TLS 1.2, TLS-5 suites, secp384r1);"
                        + " our client role refuses its certificate (below)"));
            } else {
                emit.accept(CheckLine.fail("TLS-4", "no handshake with the profile (TLS 1.2, the TLS-5 suites,"
                        + " secp384r1) as our client role: " + TlsProbe.describe(e)));
            }
            return new CheckLine(Outcome.SKIP, "TLS-1", "OPTIONS not sent: there is no verified connection");
        }
        try (socket) {
            String suite = socket.getSession().getCipherSuite();
            String curve = suite.startsWith("TLS_ECDHE_") ? "ECDHE on " + String.join(",", profile.namedGroups())
                    + " (the only group offered)" : "RSA key exchange (no curve)";
            emit.accept(CheckLine.pass("TLS-4", "as our client role: " + socket.getSession().getProtocol() + ", "
                    + suite + ", " + curve));
            try {
                String status = OptionsPing.ping(socket, target);
                boolean ok = status.startsWith("SIP/2.0 2");
                return new CheckLine(ok ? Outcome.PASS : Outcome.WARN, "TLS-1",
                        "OPTIONS on the verified connection: " + status);
            } catch (IOException e) {
                return CheckLine.fail("TLS-1", "OPTIONS on the verified connection: " + TlsProbe.describe(e));
            }
        }
    }

    private void suites(Consumer<CheckLine> emit) throws IOException {
        for (String suite : TlsProfile.SPEC_SUITES) {
            TlsProbe.Result r = probe.probe(new TlsProbe.Offer(List.of("TLSv1.2"), List.of(suite), profile.namedGroups()));
            emit.accept(r.accepted() ? CheckLine.pass("TLS-5", "accepts " + suite)
                    : CheckLine.fail("TLS-5", "refuses " + suite + ", which TLS-5 lists: " + r.failure()));
        }
        TlsProbe.Result r = probe.probe(new TlsProbe.Offer(List.of("TLSv1.2"), List.of(OUTSIDE_SUITE),
                profile.namedGroups()));
        emit.accept(r.accepted() ? CheckLine.fail("TLS-5", "accepts " + OUTSIDE_SUITE + ", which TLS-5 does not list")
                : CheckLine.pass("TLS-5", "refuses " + OUTSIDE_SUITE + " (not in TLS-5): " + r.failure()));
    }

    private void protocols(Consumer<CheckLine> emit) throws IOException {
        List<String> anyGroup = new ArrayList<>(profile.namedGroups());
        OTHER_GROUPS.forEach(anyGroup::add);
        TlsProbe.Result v13 = probe.probe(new TlsProbe.Offer(List.of("TLSv1.3"), TLS13_SUITES, anyGroup));
        emit.accept(v13.accepted() ? CheckLine.fail("TLS-4", "accepts TLS 1.3 (" + v13.suite() + "): only 1.2 is allowed")
                : CheckLine.pass("TLS-4", "refuses TLS 1.3: " + v13.failure()));
        TlsProbe.Result v11 = legacy.probe();
        emit.accept(v11.accepted() ? CheckLine.fail("TLS-4", "accepts TLS 1.1: only 1.2 is allowed")
                : CheckLine.pass("TLS-4", "refuses TLS 1.1: " + v11.failure()));
    }

    private void groups(Consumer<CheckLine> emit) throws IOException {
        List<String> ecdhe = TlsProfile.SPEC_SUITES.stream().filter(s -> s.startsWith("TLS_ECDHE_")).toList();
        for (String group : OTHER_GROUPS) {
            TlsProbe.Result r = probe.probe(new TlsProbe.Offer(List.of("TLSv1.2"), ecdhe, List.of(group)));
            emit.accept(r.accepted() ? CheckLine.fail("TLS-6", "accepts ECDHE offered on " + group + " only ("
                    + r.suite() + "): only secp384r1 is allowed")
                    : CheckLine.pass("TLS-6", "refuses ECDHE offered on " + group + " only: " + r.failure()));
        }
    }

    /** The certificates sent, then the validator's findings, one line per requirement. */
    private void chain(RecordingTrustManager trust, Consumer<CheckLine> emit) {
        List<X509Certificate> chain = trust.chain();
        if (chain.isEmpty()) {
            emit.accept(new CheckLine(Outcome.SKIP, "TLS-9", "no certificate was received"));
            return;
        }
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            emit.accept(CheckLine.info("TLS-9", "sent [" + i + "] " + c.getSubjectX500Principal().getName()
                    + "; issuer " + c.getIssuerX500Principal().getName() + "; expires " + c.getNotAfter().toInstant()));
        }
        Report report = trust.report();
        Map<String, List<Finding>> byRequirement = new LinkedHashMap<>();
        REPORT_ORDER.forEach(id -> byRequirement.put(id, new ArrayList<>()));
        report.findings().forEach(f -> byRequirement.computeIfAbsent(f.requirement(), k -> new ArrayList<>()).add(f));
        boolean pathFound = report.findings().stream()
                .anyMatch(f -> f.requirement().equals("CERT-1") && f.message().startsWith("path: "));
        for (Map.Entry<String, List<Finding>> e : byRequirement.entrySet()) {
            List<Finding> findings = e.getValue();
            if (findings.isEmpty()) {
                if (e.getKey().equals("TLS-9")) {
                    emit.accept(pathFound
                            ? CheckLine.pass("TLS-9", "complete: the " + chain.size() + " certificate(s) sent reach the"
                                    + " trust anchor without fetching any")
                            : new CheckLine(Outcome.SKIP, "TLS-9", "completeness unknown: the chain reaches no trusted"
                                    + " root (CERT-1)"));
                }
                continue;
            }
            Severity worst = findings.stream().map(Finding::severity).max(Enum::compareTo).orElse(Severity.INFO);
            Outcome outcome = switch (worst) {
                case ERROR -> Outcome.FAIL;
                case WARNING -> Outcome.WARN;
                default -> Outcome.PASS;
            };
            String text = String.join("; ", findings.stream().filter(f -> f.severity() == worst)
                    .map(Finding::message).toList());
            if (e.getKey().equals("TLS-9") && worst == Severity.INFO) {
                text = "complete (" + chain.size() + " certificate(s) sent); " + text;
            }
            emit.accept(new CheckLine(outcome, e.getKey(), text));
        }
    }
}
