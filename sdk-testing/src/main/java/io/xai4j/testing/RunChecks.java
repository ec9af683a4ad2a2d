package io.xai4j.testing;

import io.xai4j.batch.ProgressListener;
import io.xai4j.error.ErrorType;
import io.xai4j.error.XaiException;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The checks that run the method and compare or inspect its results. */
final class RunChecks {
    private static final int[] BATCH_SIZES = {1, 2, 3};
    private static final long CONCURRENT_SECONDS = 120;

    private RunChecks() {
    }

    static void determinism(Setup setup) {
        Setup.Run run = setup.all();
        setup.agree(setup.run(run), setup.run(run), "two runs of " + run + " differ");
    }

    /**
     * Requests of the first 1, 2 and 3 examples, all with the first example's class, each with the default batcher
     * and with batches of at most 1, 2 and 3, against {@link Setup#expected}.
     */
    static void batching(Setup setup) {
        if (setup.batchMethod()) {
            refusesOneExample(setup);
        }
        for (int n = setup.batchMethod() ? 2 : 1; n <= Math.min(3, setup.examples()); n++) {
            int[] examples = new int[n];
            Arrays.setAll(examples, i -> i);
            int[] classes = new int[n];
            Arrays.fill(classes, setup.classes[0]);
            Setup.Run run = setup.all().of(examples, classes);
            Map<String, Tensor> expected = setup.expected(run);
            setup.agree(expected, setup.run(run), run + " differs from " + "each example explained alone");
            for (int size : BATCH_SIZES) {
                setup.agree(expected, setup.run(run.batch(size)), run.batch(size) + " differs from "
                        + "each example explained alone");
            }
        }
    }

    /** A method that requires a batch refuses a request of one example with a usage error. */
    private static void refusesOneExample(Setup setup) {
        Setup.Run one = setup.all().of(new int[] {0}, new int[] {setup.classes[0]});
        try {
            setup.run(one);
        } catch (XaiException e) {
            if (e.code().type() != ErrorType.USAGE) {
                throw new AssertionError(one + ": a method that requires a batch refused one example with "
                        + e.code() + ", not a usage error: " + e.getMessage(), e);
            }
            return;
        }
        throw new AssertionError(one + ": a method that requires a batch explained one example instead of refusing it");
    }

    static void perExampleTargets(Setup setup) {
        Setup.Run run = setup.all();
        setup.agree(setup.expected(run), setup.run(run), run + " differs from " + "each example explained alone"
                + " with its class");
    }

    static void zeroInput(Setup setup) {
        Setup.Run run = setup.all().withZeroInput();
        Attributions.nonFinite(setup.run(run)).ifPresent(problem -> {
            throw new AssertionError(run + ": " + problem);
        });
    }

    /**
     * Two threads run different requests (the examples in order and reversed) twice each, meeting before every
     * model call ({@link LockStep}); each result must equal the same request run alone.
     */
    static void concurrency(Setup setup) {
        Setup.Run forward = setup.all();
        int[] examples = forward.examples().clone();
        int[] classes = forward.classes().clone();
        reverse(examples);
        reverse(classes);
        Setup.Run backward = forward.of(examples, classes);
        List<Setup.Run> runs = List.of(forward, backward);
        List<Map<String, Tensor>> alone = List.of(setup.run(forward), setup.run(backward));
        ObservedModel shared = new ObservedModel(setup.model, new LockStep());
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "conformance-" + setup.name());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<Map<String, Tensor>>>> results = new ArrayList<>();
            for (Setup.Run run : runs) {
                results.add(threads.submit(() -> List.of(setup.run(run, shared, ProgressListener.NONE),
                        setup.run(run, shared, ProgressListener.NONE))));
            }
            for (int t = 0; t < 2; t++) {
                for (Map<String, Tensor> result : results.get(t).get(CONCURRENT_SECONDS, TimeUnit.SECONDS)) {
                    setup.agree(alone.get(t), result, runs.get(t) + ", run while another thread ran " + runs.get(1 - t)
                            + ", differs from the same run alone");
                }
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof AssertionError a ? a
                    : new AssertionError("a concurrent run failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("two concurrent runs did not finish within " + CONCURRENT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            threads.shutdownNow();
        }
    }

    /** A run with batches of one row: see {@link ProgressLog} for the rule. */
    static void progress(Setup setup) {
        ProgressLog log = new ProgressLog();
        Setup.Run run = setup.all().batch(1);
        setup.run(run, new ObservedModel(setup.model, log::call), log);
        log.problem().ifPresent(problem -> {
            throw new AssertionError(run + ": " + problem);
        });
    }

    private static void reverse(int[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
