package io.trunkgate.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.trunkgate.config.ConfigException;

/**
 * A value read from a YAML file with its place ({@code trunks[0].remote.hosts[1]}), so every validation error names
 * the file, the key, the rule and the requirement ID. Scalars are strings (failsafe schema): numbers are parsed here.
 */
final class ConfigNode {

    private final String file;
    private final String path;
    private final Object value;

    ConfigNode(String file, String path, Object value) {
        this.file = file;
        this.path = path;
        this.value = value instanceof String s && s.isBlank() ? null : value;
    }

    String path() {
        return path;
    }

    String file() {
        return file;
    }

    boolean present() {
        return value != null;
    }

    /** The error for this key: "FILE: KEY RULE". */
    ConfigException fail(String rule) {
        return new ConfigException(file + ": " + (path.isEmpty() ? "(top level)" : path), rule);
    }

    ConfigNode get(String key) {
        Map<?, ?> map = map();
        return new ConfigNode(file, path.isEmpty() ? key : path + "." + key, map == null ? null : map.get(key));
    }

    /** The map, or null when absent; fails when it is something else. */
    Map<?, ?> map() {
        if (value == null) {
            return null;
        }
        if (value instanceof Map<?, ?> m) {
            return m;
        }
        throw fail("must be a mapping of keys, not '" + value + "'");
    }

    /** Fails on a key not in {@code allowed}: a typo would otherwise be silently ignored. */
    ConfigNode allowOnly(String... allowed) {
        Map<?, ?> map = map();
        if (map != null) {
            List<String> ok = Arrays.asList(allowed);
            for (Object k : map.keySet()) {
                if (!ok.contains(String.valueOf(k))) {
                    throw new ConfigNode(file, path.isEmpty() ? String.valueOf(k) : path + "." + k, null)
                            .fail("is not a known key (expected one of " + String.join(", ", allowed) + ")");
                }
            }
        }
        return this;
    }

    /** The list items (a single value counts as a list of one); empty when absent. */
    List<ConfigNode> list() {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Map) {
            throw fail("must be a list, not a mapping");
        }
        List<?> items = value instanceof List<?> l ? l : List.of(value);
        List<ConfigNode> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(new ConfigNode(file, path + "[" + i + "]", items.get(i)));
        }
        return out;
    }

    /** The scalar text, trimmed, or null when absent. */
    String text() {
        if (value == null) {
            return null;
        }
        if (value instanceof Map || value instanceof List) {
            throw fail("must be a single value, not a " + (value instanceof Map ? "mapping" : "list"));
        }
        return String.valueOf(value).trim();
    }

    String required(String rule) {
        String t = text();
        if (t == null) {
            throw fail("is required: " + rule);
        }
        return t;
    }

    int port(int fallback, String id) {
        return whole(fallback, 1, 65535, "must be a port number 1..65535", id);
    }

    /** A whole number of 0 or more; {@code fallback} when absent. */
    int count(int fallback, String id) {
        return whole(fallback, 0, Integer.MAX_VALUE, "must be a whole number, 0 or more", id);
    }

    private int whole(int fallback, int min, int max, String rule, String id) {
        String t = text();
        if (t == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(t);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the error
        }
        throw fail(rule + ", not '" + t + "' (" + id + ")");
    }

    /** One of the words, case-insensitive, as an enum constant. */
    <E extends Enum<E>> E choice(Class<E> type, E fallback, String id) {
        String t = text();
        if (t == null) {
            if (fallback != null) {
                return fallback;
            }
            throw fail("is required: one of " + words(type) + " (" + id + ")");
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(t.replace('-', '_'))) {
                return e;
            }
        }
        throw fail("must be one of " + words(type) + ", not '" + t + "' (" + id + ")");
    }

    private static String words(Class<? extends Enum<?>> type) {
        StringBuilder b = new StringBuilder();
        for (Enum<?> e : type.getEnumConstants()) {
            b.append(b.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        return b.toString();
    }
}
