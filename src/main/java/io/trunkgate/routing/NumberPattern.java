package io.trunkgate.routing;

/**
 * A dialled-number pattern of inbound.dnis (ROUTE-2) and outbound.numbers: an optional +, digits, {@code ?} for any
 * one digit, and an optional trailing {@code *} for any rest ({@code "+1317555*"}). Visual separators are ignored,
 * as in the numbers matched (sipUri removes them). The + is significant: +1317... does not match 1317....
 */
public final class NumberPattern {

    private final String pattern;
    private final boolean prefix;
    private final String body;

    private NumberPattern(String pattern) {
        this.pattern = pattern;
        this.prefix = pattern.endsWith("*");
        this.body = prefix ? pattern.substring(0, pattern.length() - 1) : pattern;
    }

    /** Throws IllegalArgumentException with the rule when the text is not a pattern. */
    public static NumberPattern parse(String text) {
        String p = text.trim().replaceAll("[-.() ]", "");
        if (!p.matches("\\+?[0-9?]*\\*?") || p.isEmpty() || p.equals("+")) {
            throw new IllegalArgumentException("must be a number pattern (+, digits, ? for one digit, a trailing * for"
                    + " any rest, e.g. \"+1317555*\"), not '" + text + "'");
        }
        return new NumberPattern(p);
    }

    public boolean matches(String number) {
        if (number == null) {
            return false;
        }
        int n = body.length();
        if (prefix ? number.length() < n : number.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char p = body.charAt(i);
            char c = number.charAt(i);
            if (p == '?' ? (c < '0' || c > '9') : p != c) {
                return false;
            }
        }
        return true;
    }

    /** How many characters it fixes: a longer literal pattern is more specific and wins a tie. */
    public int specificity() {
        int s = 0;
        for (int i = 0; i < body.length(); i++) {
            if (body.charAt(i) != '?') {
                s++;
            }
        }
        return prefix ? s * 2 : s * 2 + 1;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
