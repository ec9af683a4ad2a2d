import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.xai4j.bench.ResNet18;
import io.xai4j.inject.MethodRegistry;
import io.xai4j.inject.Xai4j;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.onnx.explain.ExplainerExport;
import io.xai4j.onnx.grad.GradientExport;
import io.xai4j.spi.ModelOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Times the exported explainers against the engine's gradient model of the benchmark ResNet-18, alternating between
 * them (rotated order) in one process, on one intra-op thread measured in the calling thread's CPU time (the least
 * disturbed by other load on a shared machine): exported integrated gradients with {@code steps} points on one
 * example against the gradient model on {@code steps} rows (one batched call of the path) and on {@code steps + 2}
 * rows (the IG method's call: the path, the input and the baseline), and exported saliency against the gradient
 * model on one row. Prints the median of each round's calls per variant and the median over rounds. Run after
 * building the benchmarks jar:
 * {@code java -Xmx6g -cp benchmarks/target/xai4j-benchmarks.jar tools/bench/ExportedTiming.java [steps] [rounds]};
 * {@code -Dprofile=DIR} writes an ONNX Runtime profile of every session to DIR (summarise with
 * {@code profile_summary.py}).
 */
public final class ExportedTiming {
    private static final int CLASS = 7;

    private ExportedTiming() {
    }

    public static void main(String[] a) throws Exception {
        int steps = a.length > 0 ? Integer.parseInt(a[0]) : 32;
        int rounds = a.length > 1 ? Integer.parseInt(a[1]) : 5;
        Path file = ResNet18.writeTemp(18);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        MethodRegistry registry = Xai4j.injector().getInstance(MethodRegistry.class);
        byte[] gradient;
        byte[] ig;
        byte[] saliency;
        try (OnnxModel m = OnnxModel.load(file, ModelOptions.defaults())) {
            gradient = GradientExport.build(m, GradientExport.Settings.of(List.of("input"))).model().toByteArray();
            ig = ExplainerExport.build(m, new ExplainerExport.Request(registry.get("integrated-gradients"),
                    Map.of("steps", String.valueOf(steps)), null, "exact")).model().toByteArray();
            saliency = ExplainerExport.build(m, ExplainerExport.Request.of(registry.get("saliency")))
                    .model().toByteArray();
        }
        float[] example = new float[3 * 224 * 224];
        Random random = new Random(1);
        for (int i = 0; i < example.length; i++) {
            example[i] = (float) random.nextGaussian();
        }
        Map<String, Callable<Object>> variants = new LinkedHashMap<>();
        OrtSession engine = env.createSession(gradient, options("engine"));
        variants.put("engine gradient model, " + steps + " rows", () -> engineCall(env, engine, example, steps));
        variants.put("engine gradient model, " + (steps + 2) + " rows", () -> engineCall(env, engine, example, steps + 2));
        OrtSession exportedIg = env.createSession(ig, options("exported-ig"));
        variants.put("exported IG-" + steps + ", 1 example", () -> exportedCall(env, exportedIg, example));
        variants.put("engine gradient model, 1 row", () -> engineCall(env, engine, example, 1));
        OrtSession exportedSaliency = env.createSession(saliency, options("exported-saliency"));
        variants.put("exported saliency, 1 example", () -> exportedCall(env, exportedSaliency, example));

        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        List<String> names = new ArrayList<>(variants.keySet());
        double[][] medians = new double[names.size()][rounds];
        for (int round = 0; round <= rounds; round++) {
            for (int k = 0; k < names.size(); k++) {
                int v = (k + round) % names.size();
                double[] times = new double[3];
                for (int c = 0; c < times.length; c++) {
                    long t0 = bean.getCurrentThreadCpuTime();
                    variants.get(names.get(v)).call();
                    times[c] = (bean.getCurrentThreadCpuTime() - t0) / 1e6;
                }
                if (round > 0) {
                    medians[v][round - 1] = median(times);
                }
            }
        }
        for (int v = 0; v < names.size(); v++) {
            System.out.printf("%-40s median %8.1f ms  rounds %s%n", names.get(v), median(medians[v].clone()),
                    Arrays.toString(Arrays.stream(medians[v]).map(x -> Math.round(x * 10) / 10.0).toArray()));
        }
        for (OrtSession s : List.of(engine, exportedIg, exportedSaliency)) {
            if (System.getProperty("profile") != null) {
                System.out.println("profile: " + s.endProfiling());
            }
            s.close();
        }
    }

    private static OrtSession.SessionOptions options(String name) throws Exception {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(1);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (System.getProperty("profile") != null) {
            o.enableProfiling(System.getProperty("profile") + "/" + name);
        }
        return o;
    }

    private static Object engineCall(OrtEnvironment env, OrtSession session, float[] example, int rows)
            throws Exception {
        float[] x = new float[rows * example.length];
        float[] seed = new float[rows * 1000];
        for (int k = 0; k < rows; k++) {
            System.arraycopy(example, 0, x, k * example.length, example.length);
            seed[k * 1000 + CLASS] = 1;
        }
        try (OnnxTensor xt = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {rows, 3, 224, 224});
                OnnxTensor st = OnnxTensor.createTensor(env, FloatBuffer.wrap(seed), new long[] {rows, 1000});
                OrtSession.Result r = session.run(Map.of("input", xt, "seed", st), Set.of("grad:input"))) {
            return null;
        }
    }

    private static Object exportedCall(OrtEnvironment env, OrtSession session, float[] example) throws Exception {
        try (OnnxTensor xt = OnnxTensor.createTensor(env, FloatBuffer.wrap(example), new long[] {1, 3, 224, 224});
                OnnxTensor tt = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {CLASS}), new long[] {1});
                OrtSession.Result r = session.run(Map.of("input", xt, "target", tt), Set.of("attribution"))) {
            return null;
        }
    }

    private static double median(double[] values) {
        Arrays.sort(values);
        return values[values.length / 2];
    }
}
