package io.trunkgate.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.trunkgate.TrunkgateConfiguration;
import io.trunkgate.admission.CallAdmission;
import io.trunkgate.config.Settings;
import io.trunkgate.flow.TrunkgateBeans;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code run}: the gateway on camel-main. From the project root it loads {@code ./routes/*.yaml} and
 * {@code ./config/application.properties}; elsewhere (or embedded) the routes shipped in the jar.
 * <p>
 * SIGTERM drains it ({@link CallAdmission#drain()}): new INVITEs and OPTIONS get 503 with Retry-After while the calls
 * in flight go on until they end or {@code trunkgate.drain.timeout} passes; then it stops and exits 0. A second
 * SIGTERM stops it at once. SIGTERM is taken from the JVM (which would run its shutdown hooks at once and exit 143);
 * SIGINT keeps camel-main's own handling: an immediate, orderly stop.
 */
final class RunCommand implements CliCommand {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Override
    public String usage() {
        return "run                      start the gateway (routes/*.yaml, config/application.properties)";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        if (!args.isEmpty()) {
            throw new UsageException("run takes no arguments; settings come from config/ and -Dtrunkgate.*");
        }
        Main main = new Main();
        Settings bootstrap = Settings.standalone(null);
        Path configDir = Path.of(bootstrap.get("trunkgate.config.dir"));
        main.setDefaultPropertyPlaceholderLocation(
                "file:" + configDir.resolve("application.properties") + ";optional=true");
        main.setInitialProperties(Settings.defaults());
        main.addInitialProperty("camel.main.routes-include-pattern",
                Files.isDirectory(Path.of("routes")) ? "file:routes/*.yaml" : "classpath:routes/*.yaml");
        // route counters for /observe/dev/route, not per-processor ones: the call path pays for every counter
        main.addInitialProperty("camel.main.jmx-management-statistics-level", "RoutesOnly");
        // Camel's exchanges, and the error handler's and pipeline's task per step, reused rather than made per SIP
        // message: 228 -> 190 KB allocated per call, with the parser's header scan (docs/benchmarks.md, run 94)
        main.addInitialProperty("camel.main.exchange-factory", "pooled");
        main.configure().addConfiguration(new TrunkgateConfiguration());
        drainOnSigterm(main);
        try {
            main.run();
        } finally {
            // the final line of every run's log; TrunkgateCli then flushes the async appender (issue #17 item 8)
            LOG.info("trunkgate stopped (exit code {})", main.getExitCode());
        }
        return main.getExitCode();
    }

    private static void drainOnSigterm(Main main) {
        AtomicBoolean draining = new AtomicBoolean();
        Signal.handle(new Signal("TERM"), signal -> {
            if (!draining.compareAndSet(false, true)) {
                LOG.warn("SIGTERM again: stopping now, the calls still up are cut");
                main.completed();
                return;
            }
            CamelContext context = main.getCamelContext();
            Runnable drainThenStop = () -> {
                try {
                    if (context != null && context.isStarted() && context.getRegistry()
                            .lookupByName(TrunkgateBeans.CALL_ADMISSION) instanceof CallAdmission admission) {
                        admission.drain();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    LOG.warn("drain failed, stopping now: {}", e.toString());
                } finally {
                    main.completed();
                }
            };
            // named by Camel's pattern like every thread of the gateway; not the signal's thread, which must return
            Thread drain = context != null ? context.getExecutorServiceManager().newThread("trunkgate-drain", drainThenStop)
                    : new Thread(drainThenStop, "trunkgate-drain");
            drain.start();
        });
    }
}
