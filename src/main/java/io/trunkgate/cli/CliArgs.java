package io.trunkgate.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A command's arguments: {@code --name value} options (repeatable), {@code --flag} switches and positional words. */
final class CliArgs {

    private final Map<String, List<String>> options = new LinkedHashMap<>();
    private final List<String> flags = new ArrayList<>();
    private final List<String> positional = new ArrayList<>();

    private CliArgs() {
    }

    /** Fails with a UsageException on an unknown option or an option without its value. */
    static CliArgs parse(List<String> args, Set<String> valued, Set<String> switches) {
        CliArgs parsed = new CliArgs();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (valued.contains(a)) {
                if (i + 1 >= args.size()) {
                    throw new UsageException(a + " needs a value");
                }
                parsed.options.computeIfAbsent(a, k -> new ArrayList<>()).add(args.get(++i));
            } else if (switches.contains(a)) {
                parsed.flags.add(a);
            } else if (a.startsWith("--")) {
                throw new UsageException("unknown option " + a);
            } else {
                parsed.positional.add(a);
            }
        }
        return parsed;
    }

    /** The option's value (the last one given), if given. */
    Optional<String> value(String name) {
        List<String> v = options.get(name);
        return v == null ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    List<String> values(String name) {
        return options.getOrDefault(name, List.of());
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    List<String> positional() {
        return positional;
    }

    /** The one positional word, named {@code what} in the errors. */
    String onlyPositional(String what) {
        if (positional.isEmpty()) {
            throw new UsageException(what + " is required");
        }
        if (positional.size() > 1) {
            throw new UsageException("unexpected argument " + positional.get(1) + " (one " + what + " only)");
        }
        return positional.get(0);
    }
}
