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
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Times exported integrated gradients against the engine's gradient model on the same number of rows, alternating
 * between them in one process, on one intra-op thread measured in the calling thread's CPU time (the least disturbed
 * by other load on a shared machine): the ResNet-18 of the benchmarks, {@code steps + 2} rows. Run after building the
 * benchmarks jar: {@code java -Xmx6g -cp benchmarks/target/xai4j-benchmarks.jar tools/bench/ExportedTiming.java 32}.
 */
public final class ExportedTiming {
    private ExportedTiming() {
    }

    public static void main(String[] a) throws Exception {
        Path file = ResNet18.writeTemp(18);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(1);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        MethodRegistry reg = Xai4j.injector().getInstance(MethodRegistry.class);
        byte[] grad, ig;
        try (OnnxModel m = OnnxModel.load(file, ModelOptions.defaults())) {
            grad = GradientExport.build(m, GradientExport.Settings.of(List.of("input"))).model().toByteArray();
            ig = ExplainerExport.build(m, new ExplainerExport.Request(reg.get("integrated-gradients").descriptor(),
                    Map.of("steps", a.length > 0 ? a[0] : "32"), null, "exact")).model().toByteArray();
        }
        OrtSession gs = env.createSession(grad, o);
        OrtSession is = env.createSession(ig, o);
        int rows = Integer.parseInt(a.length > 0 ? a[0] : "32") + 2;
        Random r = new Random(1);
        float[] x1 = new float[3 * 224 * 224];
        for (int i = 0; i < x1.length; i++) x1[i] = (float) r.nextGaussian();
        float[] xr = new float[rows * x1.length];
        for (int k = 0; k < rows; k++) System.arraycopy(x1, 0, xr, k * x1.length, x1.length);
        float[] seed = new float[rows * 1000];
        for (int k = 0; k < rows; k++) seed[k * 1000 + 7] = 1;
        var bean = ManagementFactory.getThreadMXBean();
        List<Double> g = new ArrayList<>(), e = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            long t0 = bean.getCurrentThreadCpuTime();
            try (OnnxTensor xt = OnnxTensor.createTensor(env, FloatBuffer.wrap(xr), new long[] {rows, 3, 224, 224});
                 OnnxTensor st = OnnxTensor.createTensor(env, FloatBuffer.wrap(seed), new long[] {rows, 1000});
                 OrtSession.Result res = gs.run(Map.of("input", xt, "seed", st), Set.of("grad:input"))) { }
            long t1 = bean.getCurrentThreadCpuTime();
            try (OnnxTensor xt = OnnxTensor.createTensor(env, FloatBuffer.wrap(x1), new long[] {1, 3, 224, 224});
                 OnnxTensor tt = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[] {7}), new long[] {1});
                 OrtSession.Result res = is.run(Map.of("input", xt, "target", tt), Set.of("attribution"))) { }
            long t2 = bean.getCurrentThreadCpuTime();
            if (round > 0) { g.add((t1 - t0) / 1e6); e.add((t2 - t1) / 1e6); }
        }
        System.out.println("engine gradient model, " + rows + " rows, cpu ms: " + g);
        System.out.println("exported IG, " + rows + " rows, cpu ms: " + e);
    }
}
