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

    /** @param dir the folder SIPp ran in (its -trace_stat CSV) */
    public record Result(int exitCode, String output, Path dir) {
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

        /**
         * How many {@code message}s the scenario screen shows received on its first line for it, e.g. "503" for the
         * line {@code 503 <----------} (the last screen); -1 when absent.
         */
        public int received(String message) {
            int found = -1;
            boolean seen = false;
            for (String line : output.split("\n")) {
                String t = line.trim();
                if (t.startsWith("Messages  Retrans")) {
                    seen = false; // a new screen
                }
                if (!seen && t.startsWith(message + " <-")) {
                    for (String col : t.substring(t.indexOf("<-")).replaceAll("^<-+", "").trim().split("\\s+")) {
                        if (col.matches("[0-9]+")) { // past an "E-RTD1" marker
                            found = Integer.parseInt(col);
                            break;
                        }
                    }
                    seen = true;
                }
            }
            return found;
        }

        /**
         * The cumulative average of SIPp's "Response Time 1" (the scenario's rtd) in ms, from its -trace_stat CSV
         * (the final screen shows it reset); -1 when absent.
         */
        public double responseTimeMillis() throws IOException {
            try (var files = Files.list(dir)) {
                Path csv = files.filter(f -> f.getFileName().toString().endsWith("_.csv")).findFirst().orElse(null);
                if (csv == null) {
                    return -1;
                }
                // SIPp puts tabs inside its date fields: split lines, then ';'
                List<String> lines = Files.readAllLines(csv, java.nio.charset.StandardCharsets.ISO_8859_1);
                int col = List.of(lines.get(0).split(";")).indexOf("ResponseTime1(C)");
                String[] hms = lines.get(lines.size() - 1).split(";")[col].split(":");
                return Integer.parseInt(hms[0]) * 3_600_000.0 + Integer.parseInt(hms[1]) * 60_000.0
                        + Integer.parseInt(hms[2]) * 1000.0 + Integer.parseInt(hms[3]) / 1000.0;
            }
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
        private final int port;

        Running(Process process, Path dir, int port) {
            this.process = process;
            this.dir = dir;
            this.port = port;
        }

        /** The -p port it was started with; 0 when none was given. */
        public int port() {
            return port;
        }

        public Result await(int timeoutSeconds) throws IOException, InterruptedException {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, "sipp timed out after " + timeoutSeconds + " s\n" + collect(dir), dir);
            }
            return new Result(process.exitValue(), collect(dir), dir);
        }

        public void stop() {
            process.destroyForcibly();
        }

        /** The folder SIPp runs in (its -trace_msg log, its screens). */
        public Path dir() {
            return dir;
        }

        /** How many {@code method} requests its -trace_msg log shows so far (a UAS: received, retransmissions too). */
        public int requests(String method) throws IOException {
            String log = messages();
            int n = 0;
            for (int at = log.indexOf("\n" + method + " sip:"); at >= 0; at = log.indexOf("\n" + method + " sip:", at + 1)) {
                n++;
            }
            return n;
        }

        /** What SIPp's -trace_msg log holds so far (empty without -trace_msg). */
        public String messages() throws IOException {
            try (var files = Files.list(dir)) {
                StringBuilder out = new StringBuilder();
                for (Path f : files.filter(f -> f.getFileName().toString().endsWith("_messages.log")).toList()) {
                    out.append(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1));
                }
                return out.toString();
            }
        }
    }

    /**
     * How many {@code method} requests each of the running UASs logged so far (-trace_msg), after a moment for their
     * logs to catch up.
     */
    public static int[] requests(List<Running> uas, String method) throws IOException, InterruptedException {
        Thread.sleep(300);
        int[] n = new int[uas.size()];
        for (int i = 0; i < n.length; i++) {
            n[i] = uas.get(i).requests(method);
        }
        return n;
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
        int p2 = args.indexOf("-p");
        return new Running(p, dir, p2 >= 0 ? Integer.parseInt(args.get(p2 + 1)) : 0);
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
