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
    }

    private Sipp() {
    }

    public static Result run(String scenario, List<String> args, int timeoutSeconds) throws IOException, InterruptedException {
        String exe = Peers.require("sipp");
        Path dir = Files.createTempDirectory("sipp");
        Path sf = Path.of("src/test/resources/sipp", scenario).toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(exe, "-sf", sf.toString(), "-bg", "-trace_err", "-nostdin"));
        cmd.removeIf("-bg"::equals);
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(new File(dir.resolve("out.txt").toString())).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, "sipp timed out after " + timeoutSeconds + " s\n" + collect(dir));
        }
        return new Result(p.exitValue(), collect(dir));
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
