import io.xai4j.api.ExplainOptions;
import io.xai4j.api.Xai;
import io.xai4j.error.XaiException;
import io.xai4j.explain.Explanation;
import io.xai4j.io.LoadedInput;
import io.xai4j.spi.Model;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Java API part of the reliability trial: threads sharing one model, a model closed while threads explain,
 * and open/close and explain cycles watched for leaks. Prints one line per check, {@code OK} or {@code FAIL}, and
 * exits with 1 when any fails. Run with the CLI jar on the class path:
 * {@code java -cp cli/target/xai4j-cli.jar ApiTrial.java MODEL IMAGE [CLOSE_ROUNDS] [CYCLES]}.
 */
public final class ApiTrial {
    private static final Xai XAI = Xai.discover();
    private static final ExplainOptions SALIENCY = ExplainOptions.builder("saliency").target("0").build();
    private static boolean failed;

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Path image = Path.of(args[1]);
        int closeRounds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int cycles = args.length > 3 ? Integer.parseInt(args[3]) : 300;
        sharedModel(model, image, 8, 10);
        closeWhileExplaining(model, image, closeRounds);
        leaks(model, image, cycles);
        System.exit(failed ? 1 : 0);
    }

    /** Threads explaining the same input on one model get bit-equal attributions. */
    private static void sharedModel(Path modelFile, Path image, int threads, int calls) throws Exception {
        try (Model model = XAI.open(modelFile)) {
            LoadedInput input = XAI.load(model, image);
            float[] reference = attribution(model, input);
            AtomicInteger different = new AtomicInteger();
            List<Throwable> errors = new ArrayList<>();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(start(() -> {
                    for (int c = 0; c < calls; c++) {
                        try {
                            if (!Arrays.equals(reference, attribution(model, input))) {
                                different.incrementAndGet();
                            }
                        } catch (RuntimeException e) {
                            synchronized (errors) {
                                errors.add(e);
                            }
                        }
                    }
                }));
            }
            for (Thread w : workers) {
                w.join();
            }
            report(different.get() == 0 && errors.isEmpty(), threads + " threads x " + calls + " calls on one model",
                    different.get() + " results differ from the single-thread one, errors " + errors);
        }
    }

    /**
     * A model closed while threads explain: each call finishes or fails with the library's own error (an
     * XaiException); anything else, or a crash of the JVM, fails the trial.
     */
    private static void closeWhileExplaining(Path modelFile, Path image, int rounds) throws Exception {
        Random random = new Random(15);
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        List<Throwable> foreign = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            Model model = XAI.open(modelFile);
            LoadedInput input = XAI.load(model, image);
            CountDownLatch started = new CountDownLatch(4);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                workers.add(start(() -> {
                    started.countDown();
                    for (int c = 0; c < 50; c++) {
                        try {
                            attribution(model, input);
                            outcomes.merge("finished", 1, Integer::sum);
                        } catch (XaiException e) {
                            outcomes.merge("XaiException " + e.code(), 1, Integer::sum);
                            return;
                        } catch (RuntimeException e) {
                            synchronized (foreign) {
                                foreign.add(e);
                            }
                            return;
                        }
                    }
                }));
            }
            started.await();
            Thread.sleep(random.nextInt(200));
            model.close();
            for (Thread w : workers) {
                w.join();
            }
        }
        report(foreign.isEmpty(), "close while explaining, " + rounds + " rounds of 4 threads",
                "outcomes " + outcomes + (foreign.isEmpty() ? "" : ", foreign exceptions " + foreign));
    }

    /** Open/close cycles and repeated calls: the resident memory settles. */
    private static void leaks(Path modelFile, Path image, int cycles) throws IOException {
        for (int i = 0; i < cycles; i++) {
            if (i == cycles / 3) {
                System.gc();
                long early = rssKb();
                for (int j = cycles / 3; j < cycles; j++) {
                    try (Model model = XAI.open(modelFile)) {
                        attribution(model, XAI.load(model, image));
                    }
                }
                System.gc();
                long late = rssKb();
                report(late - early < 100_000, cycles + " open, explain, close cycles",
                        "resident memory " + early / 1024 + " MB after " + cycles / 3 + " cycles, " + late / 1024
                                + " MB after " + cycles);
                return;
            }
            try (Model model = XAI.open(modelFile)) {
                attribution(model, XAI.load(model, image));
            }
        }
    }

    private static Thread start(Runnable work) {
        Thread thread = new Thread(work);
        thread.start();
        return thread;
    }

    private static float[] attribution(Model model, LoadedInput input) {
        List<Explanation> explanations = XAI.explain(model, input, SALIENCY);
        return explanations.get(0).attribution().toArray();
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static void report(boolean ok, String check, String detail) {
        failed |= !ok;
        System.out.println((ok ? "OK   " : "FAIL ") + check + ": " + detail);
    }
}
