import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Times ONNX models directly on ONNX Runtime sessions, alternating between them in one process so that
 * variants of a graph see the same machine load: each round runs every model {@code calls} times (in rotated
 * order) and keeps the median; the result is the median over rounds. Used for the experiments in
 * {@code optimisations.md}.
 *
 * <p>Run with the ONNX Runtime jar on the class path:
 * {@code java -cp onnxruntime-1.29.0.jar tools/bench/SessionTiming.java a.onnx b.onnx}. Every float input
 * gets seeded normal values with the batch axis set to {@code -Dbatch}; an input named {@code seed} gets a one
 * on element 7 of each row (a class seed for a gradient model). Options (system properties): {@code batch}
 * (1), {@code rounds} (5), {@code calls} (21 at batch 1, else 3), {@code threads} (intra-op threads; default
 * ONNX Runtime's), {@code cpu} (time the calling thread's CPU instead of the wall clock: with {@code threads=1}
 * the least disturbed by other load), {@code profile} (write an ONNX Runtime profile per model). Outputs of
 * the same name are compared with the first model's, to show that variants agree.
 */
public final class SessionTiming {
    private SessionTiming() {
    }

    public static void main(String[] models) throws Exception {
        int batch = Integer.getInteger("batch", 1);
        int rounds = Integer.getInteger("rounds", 5);
        int calls = Integer.getInteger("calls", batch == 1 ? 21 : 3);
        boolean cpu = System.getProperty("cpu") != null;
        boolean profile = System.getProperty("profile") != null;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OrtSession> sessions = new ArrayList<>();
        for (String file : models) {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.addConfigEntry("session.force_spinning_stop", "1"); // as xai4j's sessions
            if (System.getProperty("threads") != null) {
                options.setIntraOpNumThreads(Integer.getInteger("threads"));
            }
            if (profile) {
                options.enableProfiling(file.replace(".onnx", ""));
            }
            sessions.add(env.createSession(file, options));
        }
        List<Map<String, OnnxTensor>> feeds = inputs(env, sessions, batch);
        compareOutputs(models, sessions, feeds);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[][] medians = new double[models.length][rounds];
        for (int round = 0; round <= rounds; round++) {
            for (int k = 0; k < models.length; k++) {
                int m = (k + round) % models.length;
                double[] times = new double[calls];
                for (int c = 0; c < calls; c++) {
                    long start = cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime();
                    try (OrtSession.Result ignored = sessions.get(m).run(feeds.get(m))) {
                        times[c] = ((cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime()) - start) / 1e6;
                    }
                }
                if (round > 0) { // round 0 warms up
                    medians[m][round - 1] = median(times);
                }
            }
        }
        for (int m = 0; m < models.length; m++) {
            System.out.printf("%-40s median %8.2f ms   per round %s%n", models[m], median(medians[m]),
                    Arrays.toString(Arrays.stream(medians[m]).map(v -> Math.round(v * 100) / 100.0).toArray()));
        }
        if (profile) {
            for (OrtSession s : sessions) {
                System.out.println("profile: " + s.endProfiling());
            }
        }
    }

    /** Per session, its inputs; an input name shared by several models gets the same values in all. */
    private static List<Map<String, OnnxTensor>> inputs(OrtEnvironment env, List<OrtSession> sessions, int batch)
            throws Exception {
        Random random = new Random(7);
        Map<String, OnnxTensor> all = new LinkedHashMap<>();
        List<Map<String, OnnxTensor>> feeds = new ArrayList<>();
        for (OrtSession session : sessions) {
            Map<String, OnnxTensor> feed = new LinkedHashMap<>();
            for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
                if (!all.containsKey(e.getKey())) {
                    all.put(e.getKey(), input(env, e, batch, random));
                }
                feed.put(e.getKey(), all.get(e.getKey()));
            }
            feeds.add(feed);
        }
        return feeds;
    }

    private static OnnxTensor input(OrtEnvironment env, Map.Entry<String, NodeInfo> e, int batch, Random random)
            throws Exception {
        long[] shape = ((TensorInfo) e.getValue().getInfo()).getShape().clone();
        shape[0] = batch;
        int size = 1;
        for (int i = 1; i < shape.length; i++) {
            shape[i] = Math.max(1, shape[i]);
        }
        for (long d : shape) {
            size *= (int) d;
        }
        float[] values = new float[size];
        if (e.getKey().equals("seed")) {
            int row = size / batch;
            for (int r = 0; r < batch; r++) {
                values[r * row + Math.min(7, row - 1)] = 1;
            }
        } else {
            for (int i = 0; i < size; i++) {
                values[i] = (float) random.nextGaussian();
            }
        }
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(values), shape);
    }

    private static void compareOutputs(String[] models, List<OrtSession> sessions, List<Map<String, OnnxTensor>> feeds)
            throws Exception {
        Map<String, float[]> reference = new LinkedHashMap<>();
        for (int m = 0; m < models.length; m++) {
            try (OrtSession.Result result = sessions.get(m).run(feeds.get(m))) {
                for (Map.Entry<String, OnnxValue> e : result) {
                    float[] v = ((OnnxTensor) e.getValue()).getFloatBuffer().array();
                    float[] ref = reference.putIfAbsent(e.getKey(), v);
                    if (ref != null) {
                        double diff = ref.length == v.length ? 0 : Double.NaN;
                        for (int i = 0; i < v.length && ref.length == v.length; i++) {
                            diff = Math.max(diff, Math.abs(v[i] - ref[i]));
                        }
                        System.out.printf("%s: output %s differs from %s by at most %.3g%n", models[m], e.getKey(),
                                models[0], diff);
                    }
                }
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
