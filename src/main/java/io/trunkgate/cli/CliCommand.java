package io.trunkgate.cli;

import java.io.PrintStream;
import java.util.List;

/** One command of {@code java -jar trunkgate.jar COMMAND}. Exit codes: 0 ok, 1 a negative verdict, 2 usage or input error. */
public interface CliCommand {

    int EXIT_OK = 0;
    int EXIT_NEGATIVE = 1;
    int EXIT_USAGE = 2;

    /** One line for the command list. */
    String usage();

    int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
