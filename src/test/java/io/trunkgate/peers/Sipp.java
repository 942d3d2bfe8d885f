package io.trunkgate.peers;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's SIPp (sip-tester) with a scenario from src/test/resources/sipp and returns its exit code and output. */
public final class Sipp {

    public record Result(int exitCode, String output) {
        /** The cumulative "Successful call" count of SIPp's last statistics screen (-1 when absent). */
        public int successfulCalls() {
            return lastCount("Successful call");
        }

        public int failedCalls() {
            return lastCount("Failed call");
        }

        private int lastCount(String label) {
            int found = -1;
            for (String line : output.split("\n")) {
                if (line.trim().startsWith(label)) {
                    String[] cols = line.split("\\|");
                    found = Integer.parseInt(cols[cols.length - 1].trim());
                }
            }
            return found;
        }

        /** Exit code 0 and exactly {@code calls} successful calls, none failed. */
        public void assertCalls(String who, int calls) {
            org.junit.jupiter.api.Assertions.assertTrue(exitCode == 0 && successfulCalls() == calls && failedCalls() == 0,
                    who + ": exit " + exitCode + ", successful " + successfulCalls() + "/" + calls + ", failed "
                            + failedCalls() + "\n" + output);
        }
    }

    private Sipp() {
    }

    /** Runs a scenario to its end (SIPp's exit code: 0 when every call succeeded). */
    public static Result run(String scenario, List<String> args, int timeoutSeconds) throws IOException, InterruptedException {
        return start(scenario, args).await(timeoutSeconds);
    }

    /** A SIPp process running in the background (e.g. a UAS waiting for calls). */
    public static final class Running {
        private final Process process;
        private final Path dir;

        Running(Process process, Path dir) {
            this.process = process;
            this.dir = dir;
        }

        public Result await(int timeoutSeconds) throws IOException, InterruptedException {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, "sipp timed out after " + timeoutSeconds + " s\n" + collect(dir));
            }
            return new Result(process.exitValue(), collect(dir));
        }

        public void stop() {
            process.destroyForcibly();
        }
    }

    public static Running start(String scenario, List<String> args) throws IOException {
        String exe = Peers.require("sipp");
        Path dir = Files.createTempDirectory("sipp");
        Path sf = Path.of("src/test/resources/sipp", scenario).toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(exe, "-sf", sf.toString(), "-trace_err", "-nostdin",
                "-trace_stat", "-fd", "1"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(new File(dir.resolve("out.txt").toString())).start();
        return new Running(p, dir);
    }

    private static String collect(Path dir) throws IOException {
        StringBuilder out = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String text = Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1);
                out.append("== ").append(f.getFileName()).append('\n')
                        .append(text, Math.max(0, text.length() - 4000), text.length()).append('\n');
            }
        }
        return out.toString();
    }
}
