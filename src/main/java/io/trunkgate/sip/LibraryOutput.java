package io.trunkgate.sip;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nothing is printed outside the logger (issue #17 item 6). JAIN-SIP's parsers (its SIP header parsers and its SDP
 * field parsers) print the stack trace of what they reject to the console before they throw: about 500 traces in a
 * fuzz run of 55,000 messages. Code that hands untrusted bytes to JAIN-SIP runs them inside {@link #quietly}: what
 * that thread prints meanwhile is kept from the console, counted, and given to the logger {@code gov.nist} at DEBUG
 * (its first line); the exception JAIN-SIP throws is what the caller logs, once. Output of other threads, and of
 * this thread outside {@code quietly}, passes through untouched.
 * <p>
 * {@code System.out} and {@code System.err} are wrapped once (again if someone replaces them later): the wrapper
 * only looks at a thread-local flag per write.
 */
public final class LibraryOutput {

    private static final Logger LOG = LoggerFactory.getLogger("gov.nist");
    /** What one quiet section keeps of the printed text for its DEBUG line. */
    private static final int KEPT = 300;
    private static final ThreadLocal<Section> SECTION = ThreadLocal.withInitial(Section::new);
    private static final LongAdder WRITES = new LongAdder();

    private LibraryOutput() {
    }

    /** A call into a library that may print. */
    @FunctionalInterface
    public interface Call<T, E extends Exception> {
        T call() throws E;
    }

    /** The state of the current thread: how deep in quiet sections, and what was printed in them. */
    private static final class Section {
        int depth;
        final StringBuilder printed = new StringBuilder();
    }

    /** Runs {@code call} with this thread's console output kept off the console. */
    public static <T, E extends Exception> T quietly(Call<T, E> call) throws E {
        install();
        Section section = SECTION.get();
        section.depth++;
        try {
            return call.call();
        } finally {
            if (--section.depth == 0 && section.printed.length() > 0) {
                String text = section.printed.toString();
                section.printed.setLength(0);
                if (LOG.isDebugEnabled()) {
                    int eol = text.indexOf('\n');
                    LOG.debug("JAIN-SIP printed (kept off the console): {}", (eol >= 0 ? text.substring(0, eol) : text).strip());
                }
            }
        }
    }

    /** Writes kept off the console since start (for tests and metrics). */
    public static long swallowed() {
        return WRITES.sum();
    }

    /** Wraps System.out and System.err unless they are wrapped already (a lock only when one is not). */
    static void install() {
        if (!(System.out instanceof Guarded) || !(System.err instanceof Guarded)) {
            wrap();
        }
    }

    private static synchronized void wrap() {
        if (!(System.out instanceof Guarded)) {
            System.setOut(new Guarded(System.out));
        }
        if (!(System.err instanceof Guarded)) {
            System.setErr(new Guarded(System.err));
        }
    }

    /** A console stream that drops what a thread writes inside a quiet section. */
    private static final class Guarded extends PrintStream {
        Guarded(PrintStream console) {
            super(new Gate(console), true, Charset.defaultCharset()); // what System.out encodes with by default
        }
    }

    private static final class Gate extends OutputStream {
        private final PrintStream console;

        Gate(PrintStream console) {
            this.console = console;
        }

        private static boolean quiet(byte[] b, int off, int len) {
            Section section = SECTION.get();
            if (section.depth == 0) {
                return false;
            }
            WRITES.increment();
            int room = KEPT - section.printed.length();
            if (room > 0) {
                section.printed.append(new String(b, off, Math.min(room, len), java.nio.charset.StandardCharsets.UTF_8));
            }
            return true;
        }

        @Override
        public void write(int b) {
            if (!quiet(new byte[] {(byte) b}, 0, 1)) {
                console.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (!quiet(b, off, len)) {
                console.write(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            console.flush();
        }
    }
}
