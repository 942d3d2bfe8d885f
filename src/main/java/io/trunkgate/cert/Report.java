package io.trunkgate.cert;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** The findings of one validation and the verdict they give: valid unless some finding is an ERROR. */
public final class Report {

    private final String subject;
    private final List<Finding> findings;

    public Report(String subject, Collection<Finding> findings) {
        this.subject = subject;
        this.findings = List.copyOf(findings);
    }

    /** What was validated, for messages: "certificate of lb01.example.com". */
    public String subject() {
        return subject;
    }

    public List<Finding> findings() {
        return findings;
    }

    public boolean valid() {
        return findings.stream().noneMatch(f -> f.severity() == Severity.ERROR);
    }

    public List<Finding> errors() {
        return of(Severity.ERROR);
    }

    public List<Finding> warnings() {
        return of(Severity.WARNING);
    }

    public List<Finding> of(Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).toList();
    }

    /** True when some finding cites {@code requirement} with {@code severity}. */
    public boolean has(String requirement, Severity severity) {
        return findings.stream().anyMatch(f -> f.requirement().equals(requirement) && f.severity() == severity);
    }

    public String verdict() {
        return valid() ? "VALID" : "INVALID";
    }

    /** The findings of one severity on one line, "; "-separated: for a log line or an exception message. */
    public String line(Severity severity) {
        return of(severity).stream().map(Finding::toString).collect(Collectors.joining("; "));
    }

    /** A counted summary: "INVALID (2 errors, 1 warning)". */
    public String summary() {
        int e = errors().size();
        int w = warnings().size();
        return verdict() + " (" + e + (e == 1 ? " error, " : " errors, ") + w + (w == 1 ? " warning)" : " warnings)");
    }

    /** Every finding, one per line under a title: the start-up self-check logs this as one block. */
    public String block(String title) {
        StringBuilder b = new StringBuilder(title).append(": ").append(summary());
        for (Finding f : findings) {
            b.append(System.lineSeparator()).append(String.format("  %-7s %-7s %s", f.severity(), f.requirement(),
                    f.message()));
        }
        return b.toString();
    }

    /** A report with more findings appended. */
    public Report with(Collection<Finding> more) {
        List<Finding> all = new ArrayList<>(findings);
        all.addAll(more);
        return new Report(subject, all);
    }

    @Override
    public String toString() {
        return block(subject);
    }
}
