package io.trunkgate.bench;

import java.util.Collection;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** Runs {@link SrtpBench} and checks issue #6's target: our protect + unprotect at least 50% of raw JCE. */
public final class SrtpBenchMain {

    static final double TARGET = 0.50;

    private SrtpBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Options options = new OptionsBuilder().include(SrtpBench.class.getName() + ".*").build();
        Collection<RunResult> results = new Runner(options).run();
        double ours = 0;
        double raw = 0;
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            if (name.endsWith(".trunkgate")) {
                ours = r.getPrimaryResult().getScore();
            } else if (name.endsWith(".rawJce")) {
                raw = r.getPrimaryResult().getScore();
            }
        }
        double ratio = ours / raw;
        System.out.printf("raw JCE AES-CTR + HMAC-SHA1:          %,.0f protect+unprotect/s%n", raw);
        System.out.printf("SrtpProtector + SrtpUnprotector:       %,.0f protect+unprotect/s%n", ours);
        System.out.printf("ratio %.2f (target >= %.2f): %s%n", ratio, TARGET, ratio >= TARGET ? "OK" : "BELOW TARGET");
        System.exit(ratio >= TARGET ? 0 : 1);
    }
}
