package io.trunkgate.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.trunkgate.tls.DevPki;

/** {@code pki dev --out DIR [--name HOST]...}: writes a development PKI. */
final class PkiCommand implements CliCommand {

    @Override
    public String usage() {
        return "pki dev --out DIR [--name HOST]...   write a dev PKI (root, intermediate, server leaf, test-peer leaf)";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (args.isEmpty() || !args.get(0).equals("dev")) {
            throw new UsageException("the only pki subcommand is 'dev'");
        }
        CliArgs a = CliArgs.parse(args.subList(1, args.size()), Set.of("--out", "--name"), Set.of());
        if (!a.positional().isEmpty()) {
            throw new UsageException("unexpected argument " + a.positional().get(0));
        }
        Path dir = a.value("--out").map(Path::of).orElseThrow(() -> new UsageException("--out DIR is required"));
        List<String> names = a.values("--name");
        DevPki pki = DevPki.generate(dir, names);
        out.println("dev PKI written to " + pki.dir() + " (NOT for production): " + DevPki.ROOT + ", "
                + DevPki.INTERMEDIATE + ", " + DevPki.SERVER_CHAIN + " + " + DevPki.SERVER_KEY + ", "
                + DevPki.PEER_CHAIN + " + " + DevPki.PEER_KEY);
        return EXIT_OK;
    }
}
