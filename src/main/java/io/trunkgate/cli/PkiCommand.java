package io.trunkgate.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        Path dir = null;
        List<String> names = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (i + 1 >= args.size()) {
                throw new UsageException(a + " needs a value");
            }
            switch (a) {
                case "--out" -> dir = Path.of(args.get(++i));
                case "--name" -> names.add(args.get(++i));
                default -> throw new UsageException("unknown option " + a);
            }
        }
        if (dir == null) {
            throw new UsageException("--out DIR is required");
        }
        DevPki pki = DevPki.generate(dir, names);
        out.println("dev PKI written to " + pki.dir() + " (NOT for production): " + DevPki.ROOT + ", "
                + DevPki.INTERMEDIATE + ", " + DevPki.SERVER_CHAIN + " + " + DevPki.SERVER_KEY + ", "
                + DevPki.PEER_CHAIN + " + " + DevPki.PEER_KEY);
        return EXIT_OK;
    }
}
