package io.trunkgate.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.trunkgate.config.ConfigException;
import org.slf4j.LoggerFactory;

/** {@code java -jar trunkgate.jar [COMMAND] [ARGS]}; {@code run} is the default command. */
public final class TrunkgateCli {

    private static final Map<String, CliCommand> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("run", new RunCommand());
        COMMANDS.put("pki", new PkiCommand());
        COMMANDS.put("cert", new CertCommand());
        COMMANDS.put("route", new RouteCommand());
        COMMANDS.put("check", new CheckCommand());
    }

    private TrunkgateCli() {
    }

    public static void main(String[] args) {
        // the last lines before exit must reach the log (issue #17 item 8): the JVM's shutdown (SIGINT, System.exit)
        // waits until the command returned and logback's async appender wrote out its queue
        CountDownLatch returned = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                returned.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            flushLogs();
        }, "trunkgate-log-flush"));
        int code = execute(Arrays.asList(args), System.out, System.err);
        flushLogs();
        returned.countDown();
        if (code != 0 || !"run".equals(commandName(Arrays.asList(args)))) {
            System.exit(code);
        }
    }

    /** Stops logback: its async appender writes what it queued (up to its maxFlushTime) before the JVM ends. */
    static void flushLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback && logback.isStarted()) {
            logback.stop();
        }
    }

    private static String commandName(List<String> args) {
        return args.isEmpty() || args.get(0).startsWith("-") ? "run" : args.get(0);
    }

    /** Runs one command and returns its exit code (no System.exit: tests call this). */
    public static int execute(List<String> args, PrintStream out, PrintStream err) {
        String name = commandName(args);
        List<String> rest = args.isEmpty() || args.get(0).startsWith("-") ? args : args.subList(1, args.size());
        if (name.equals("help") || name.equals("--help")) {
            printUsage(out);
            return CliCommand.EXIT_OK;
        }
        CliCommand command = COMMANDS.get(name);
        if (command == null) {
            err.println("trunkgate: unknown command '" + name + "'");
            printUsage(err);
            return CliCommand.EXIT_USAGE;
        }
        try {
            return command.run(rest, out, err);
        } catch (UsageException e) {
            err.println("trunkgate " + name + ": " + e.getMessage());
            err.println("usage: " + command.usage());
            return CliCommand.EXIT_USAGE;
        } catch (ConfigException e) {
            err.println("trunkgate " + name + ": configuration error: " + e.getMessage());
            return CliCommand.EXIT_USAGE;
        } catch (Exception e) {
            err.println("trunkgate " + name + ": " + e);
            return CliCommand.EXIT_USAGE;
        }
    }

    private static void printUsage(PrintStream out) {
        out.println("usage: java -jar trunkgate.jar COMMAND [ARGS]   (run is the default)");
        COMMANDS.values().forEach(c -> out.println("  " + c.usage()));
    }
}
