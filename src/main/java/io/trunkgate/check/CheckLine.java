package io.trunkgate.check;

/** One line of {@code check}: an outcome, the requirement it concerns, and what was seen. */
public record CheckLine(Outcome outcome, String requirement, String text) {

    /** PASS and FAIL decide the verdict; WARN, INFO and SKIP only inform. */
    public enum Outcome { PASS, FAIL, WARN, INFO, SKIP }

    public static CheckLine pass(String requirement, String text) {
        return new CheckLine(Outcome.PASS, requirement, text);
    }

    public static CheckLine fail(String requirement, String text) {
        return new CheckLine(Outcome.FAIL, requirement, text);
    }

    public static CheckLine info(String requirement, String text) {
        return new CheckLine(Outcome.INFO, requirement, text);
    }

    public String format() {
        return String.format("%-4s  %-7s %s", outcome, requirement, text);
    }
}
