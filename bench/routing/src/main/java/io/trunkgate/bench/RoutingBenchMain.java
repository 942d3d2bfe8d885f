package io.trunkgate.bench;

import java.util.Collection;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** Runs {@link RoutingBench} and checks issue #4's budget: the routing steps add at most 25% to the parse cost. */
public final class RoutingBenchMain {

    static final double BUDGET = 0.25;

    private RoutingBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Options options = new OptionsBuilder().include(RoutingBench.class.getName() + ".*").build();
        Collection<RunResult> results = new Runner(options).run();
        double parse = 0;
        double pipeline = 0;
        double sipParse = 0;
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            double score = r.getPrimaryResult().getScore();
            if (name.endsWith("jainSipParse")) {
                parse = score;
            } else if (name.endsWith(".sipParse")) {
                sipParse = score;
            } else if (name.endsWith("parseUriRoute")) {
                pipeline = score;
            }
        }
        // cost per message is 1/rate; the budget's baseline is JAIN-SIP's bare parse of the same bytes:
        // overhead = (1/pipeline - 1/parse) / (1/parse) = parse/pipeline - 1 (negative: sipParse's direct path for
        // plain lines saves more than the routing steps cost)
        double overhead = parse / pipeline - 1;
        System.out.printf("JAIN-SIP bare parse:        %,.0f INVITE/s%n", parse);
        System.out.printf("sipParse (strict, exchange): %,.0f INVITE/s (%.2fx the bare parse)%n", sipParse, sipParse / parse);
        System.out.printf("sipParse+sipUri+trunkRoute: %,.0f INVITE/s%n", pipeline);
        // for information: what sipUri + trunkRoute alone cost, relative to the bare parse
        System.out.printf("sipUri+trunkRoute alone: %.1f%% of the bare parse cost%n",
                (parse / pipeline - parse / sipParse) * 100);
        System.out.printf("routing steps add %.1f%% to the parse cost (budget %.0f%%): %s%n", overhead * 100,
                BUDGET * 100, overhead <= BUDGET ? "OK" : "OVER BUDGET");
        System.exit(overhead <= BUDGET ? 0 : 1);
    }
}
