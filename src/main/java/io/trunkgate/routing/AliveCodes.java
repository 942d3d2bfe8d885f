package io.trunkgate.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.trunkgate.config.ConfigException;

/**
 * Which answers to an OPTIONS probe say a remote host is alive ({@code trunkgate.probe.alive-codes}, like
 * Kamailio's {@code ds_ping_reply_codes}): {@code any} is every final response but 503 (a host that answers 503
 * takes no calls: it is overloaded or draining, RFC 3261 21.5.4), otherwise a list of codes and classes such as
 * {@code 200,2xx,404,501} (501: some gateways do not implement OPTIONS but answer it).
 */
public final class AliveCodes {

    private final boolean any;
    /** Exact codes (3 digits) or classes (1..6, for 1xx..6xx). */
    private final List<Integer> codes;
    private final List<Integer> classes;
    private final String text;

    private AliveCodes(boolean any, List<Integer> codes, List<Integer> classes, String text) {
        this.any = any;
        this.codes = List.copyOf(codes);
        this.classes = List.copyOf(classes);
        this.text = text;
    }

    /** Every final response but 503. */
    public static AliveCodes any() {
        return new AliveCodes(true, List.of(), List.of(), "any");
    }

    public static AliveCodes parse(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("any")) {
            return any();
        }
        List<Integer> codes = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        for (String item : v.split(",")) {
            String s = item.trim();
            if (s.matches("[2-6]xx")) {
                classes.add(s.charAt(0) - '0');
            } else if (s.matches("[2-6][0-9][0-9]")) {
                codes.add(Integer.parseInt(s));
            } else {
                throw new ConfigException(key, "must be any, or final response codes and classes such as"
                        + " 200,2xx,404 (ROUTE-5), not '" + value + "'");
            }
        }
        return new AliveCodes(false, codes, classes, v);
    }

    /** True when a final response with this status says the host is alive. */
    public boolean alive(int status) {
        if (status < 200) {
            return false;
        }
        if (any) {
            return status != 503;
        }
        return codes.contains(status) || classes.contains(status / 100);
    }

    @Override
    public String toString() {
        return text;
    }
}
