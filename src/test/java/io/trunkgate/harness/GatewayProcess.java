package io.trunkgate.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged gateway as an operator runs it, {@code java [OPTIONS] -jar target/trunkgate.jar run} from the project
 * root, as a process of its own (a real SIGTERM, JVM options such as a hosts file), with its output captured.
 */
public final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final List<String> output = new ArrayList<>();

    private GatewayProcess(Process process) {
        this.process = process;
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread pump = new Thread(() -> reader.lines().forEach(l -> {
            synchronized (output) {
                output.add(l);
            }
        }), "gateway-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts {@code java OPTIONS -jar target/trunkgate.jar run}; returns once it logged its readiness line. */
    public static GatewayProcess run(List<String> javaOptions) throws IOException, InterruptedException {
        return run(javaOptions, "trunkgate ready");
    }

    /** As {@link #run(List)}, returning once it logged a line with {@code ready} (an HA standby opens no listener). */
    public static GatewayProcess run(List<String> javaOptions, String ready) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java()));
        if (javaOptions.stream().noneMatch(o -> o.startsWith("-Dtrunkgate.management."))) {
            // not 9876: other gateways (tests, benchmarks, other engineers) run on this machine at the same time
            cmd.add("-Dtrunkgate.management.port=" + RunningGateway.freePort());
        }
        cmd.addAll(javaOptions);
        cmd.addAll(List.of("-jar", "target/trunkgate.jar", "run"));
        GatewayProcess gateway = new GatewayProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        try {
            gateway.awaitLog(Duration.ofSeconds(60), ready);
        } catch (AssertionError e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** The first line holding every fragment, waiting up to {@code timeout} for it. */
    public String awaitLog(Duration timeout, String... fragments) throws InterruptedException {
        return RunningGateway.awaitLine(this::output, timeout, fragments);
    }

    /** As {@link #awaitLog}, among the lines logged after the first {@code mark} (a size of {@link #output()}). */
    public String awaitLogAfter(int mark, Duration timeout, String... fragments) throws InterruptedException {
        return RunningGateway.awaitLine(() -> {
            List<String> all = output();
            return all.subList(Math.min(mark, all.size()), all.size());
        }, timeout, fragments);
    }

    /**
     * SIGTERM, as an orchestrator stops a container. (Through its handle: Process.destroy would also close the
     * process's output, and what it logs while it drains would be lost.)
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    /** SIGKILL (kill -9): the instance dies at once, as on a crash, its calls and connections with it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** The exit code, once the process ended within {@code timeout}; -1 when it did not. */
    public int waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
