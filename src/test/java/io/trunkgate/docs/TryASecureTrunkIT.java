package io.trunkgate.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.trunkgate.peers.Peers;
import org.junit.jupiter.api.Test;

/**
 * docs/try-a-secure-trunk.md as a new user runs it (issue #17 item 9): every shell block of the page, read from the
 * page, run from the project root with the packaged jar, in order. Each block says how in the comment above it:
 * {@code try: run} (must exit 0), {@code try: start} (keeps running; {@code ready at "TEXT"}: wait for TEXT in its
 * output), {@code try: skip}. The calls are placed by the page's own SIPp lines, so the test passes only when the
 * page works as written. At the end both gateways get SIGTERM and must log {@code trunkgate stopped} last (item 8).
 */
class TryASecureTrunkIT {

    private static final Path PAGE = Path.of("docs/try-a-secure-trunk.md");
    private static final Pattern MARK = Pattern.compile("<!-- try: (run|start|skip)(?:, ready at \"([^\"]+)\")?.*-->");

    /** One shell block of the page and how the page says to run it. */
    record Block(String mode, String ready, String script) {
    }

    static List<Block> blocks() throws IOException {
        List<Block> blocks = new ArrayList<>();
        List<String> lines = Files.readAllLines(PAGE, StandardCharsets.UTF_8);
        Matcher mark = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher m = MARK.matcher(line.trim());
            if (m.matches()) {
                mark = m;
            } else if (line.trim().equals("```sh")) {
                StringBuilder script = new StringBuilder();
                while (!lines.get(++i).trim().equals("```")) {
                    script.append(lines.get(i)).append('\n');
                }
                assertTrue(mark != null, "a shell block of " + PAGE + " without a '<!-- try: ... -->' line above it: " + script);
                blocks.add(new Block(mark.group(1), mark.group(2), script.toString()));
                mark = null;
            }
        }
        return blocks;
    }

    /** A block started in the background, its output in a file. */
    record Started(Block block, Process process, Path output) {
        String text() throws IOException {
            return Files.readString(output, StandardCharsets.UTF_8);
        }
    }

    @Test
    void the_page_runs_as_written_and_places_its_calls() throws Exception {
        Peers.require("sipp");
        assertTrue(Files.isRegularFile(Path.of("target/trunkgate.jar")), "target/trunkgate.jar: package first");
        List<Block> blocks = blocks();
        assertTrue(blocks.stream().filter(b -> b.mode().equals("run")).count() >= 3, "the page has fewer runnable blocks: " + blocks);
        List<Started> started = new ArrayList<>();
        try {
            for (Block block : blocks) {
                switch (block.mode()) {
                    case "skip" -> { }
                    case "run" -> run(block);
                    default -> started.add(start(block));
                }
            }
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                stop(started.get(i));
            }
        }
        for (Started s : started) {
            if (s.block().script().contains("trunkgate.jar run")) {
                List<String> lines = s.text().lines().filter(l -> !l.isBlank()).toList();
                assertFalse(lines.isEmpty());
                assertTrue(lines.get(lines.size() - 1).contains("trunkgate stopped"),
                        "the gateway's last log line after SIGTERM: " + lines.get(lines.size() - 1));
                // log lines at level ERROR (logback's "HH:mm:ss.SSS ERROR"), and error findings of the self-check's
                // report ("  ERROR   CERT-1 ..."): each instance's own chain is checked against its dev root, which
                // the other side trusts, not against trunkgate.tls.trust (the other side's root)
                List<String> errors = lines.stream().filter(l -> l.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR .*")
                        || l.matches("^\\s+ERROR\\s+\\S+-\\d+ .*")).toList();
                assertTrue(errors.isEmpty(), "an ERROR in " + s.block().script() + ": " + errors);
            }
        }
    }

    private static void run(Block block) throws IOException, InterruptedException {
        Path out = Files.createTempFile("try-a-trunk", ".out");
        Process p = new ProcessBuilder("bash", "-e", "-c", block.script()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("did not end within 180 s: " + block.script() + tail(out));
        }
        assertEquals(0, p.exitValue(), "exit code of " + block.script() + tail(out));
    }

    private static Started start(Block block) throws IOException, InterruptedException {
        Path out = Files.createTempFile("try-a-trunk", ".out");
        Process p = new ProcessBuilder("bash", "-c", block.script()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        Started s = new Started(block, p, out);
        if (block.ready() != null) {
            long end = System.currentTimeMillis() + 120_000;
            while (!s.text().contains(block.ready())) {
                if (!p.isAlive() || System.currentTimeMillis() > end) {
                    stop(s);
                    fail("no '" + block.ready() + "' from " + block.script() + tail(out));
                }
                Thread.sleep(200);
            }
        } else {
            Thread.sleep(500);
        }
        return s;
    }

    /** SIGTERM to the block's processes (bash and what it started), as Ctrl-C or an orchestrator would stop them. */
    private static void stop(Started s) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(s.process().descendants().toList());
        all.add(s.process().toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
    }

    private static String tail(Path out) throws IOException {
        String text = Files.readString(out, StandardCharsets.UTF_8);
        return "\n--- output ---\n" + text.substring(Math.max(0, text.length() - 4000));
    }
}
