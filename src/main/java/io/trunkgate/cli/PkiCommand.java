package io.trunkgate.cli;

import java.io.PrintStream;
import java.util.List;

/** {@code pki dev --out DIR [--name HOST]...}: writes a development PKI. */
final class PkiCommand implements CliCommand {

    @Override
    public String usage() {
        return "pki dev --out DIR [--name HOST]...   write a dev PKI (root, intermediate, leaf, test-peer leaf)";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        throw new UsageException("not implemented yet");
    }
}
