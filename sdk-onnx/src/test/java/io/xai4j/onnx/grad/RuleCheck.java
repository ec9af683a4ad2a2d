package io.xai4j.onnx.grad;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.xai4j.onnx.ElementTypes;
import io.xai4j.onnx.TensorConversion;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.TensorProto.DataType;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Dot-product check of backward rules on small op-level graphs: for random x, direction v and seed s,
 * {@code <s, (f(x + eps v) - f(x - eps v)) / (2 eps)>} must equal {@code <grad, v>}, and the gradient model's forward
 * output the model's own. The graph is built in double precision when ONNX Runtime runs every op in double (relative
 * tolerance 1e-6), else in float with a looser tolerance. The public {@link GradientCheck} checks a loaded model in
 * float32, where finite differences are only accurate to about 1e-2, too loose to pin a rule down; this harness
 * builds each graph itself, in the element type it needs.
 */
final class RuleCheck {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private final IntFunction<ModelProto> model;
    private final Map<String, int[]> shapes = new LinkedHashMap<>();
    private Map<String, int[]> runShapes;
    private final Map<String, double[]> fixed = new HashMap<>();
    private List<String> wrt;
    private String output;
    private double minMagnitude = 0.2;
    private boolean positive;
    private long seed = 11;

    private RuleCheck(IntFunction<ModelProto> model) {
        this.model = model;
    }

    static RuleCheck of(IntFunction<ModelProto> model) {
        return new RuleCheck(model);
    }

    RuleCheck shape(String input, int... shape) {
        shapes.put(input, shape);
        return this;
    }

    /** Shapes for the check run, when they differ from the probe shapes (another batch size). */
    RuleCheck runShape(String input, int... shape) {
        if (runShapes == null) {
            runShapes = new LinkedHashMap<>();
        }
        runShapes.put(input, shape);
        return this;
    }

    /** Values fed to {@code input} in the check runs instead of random ones, never perturbed (an integer input). */
    RuleCheck fixed(String input, double... values) {
        fixed.put(input, values);
        return this;
    }

    RuleCheck wrt(String... names) {
        this.wrt = List.of(names);
        return this;
    }

    RuleCheck output(String name) {
        this.output = name;
        return this;
    }

    /** Inputs drawn with magnitudes in [m, 1] (away from kinks at zero). */
    RuleCheck minMagnitude(double m) {
        this.minMagnitude = m;
        return this;
    }

    RuleCheck positiveInputs() {
        this.positive = true;
        return this;
    }

    RuleCheck seed(long s) {
        this.seed = s;
        return this;
    }

    /** Runs the check, naming {@code caseName} in a failure. */
    void run(String caseName) {
        try {
            run();
        } catch (AssertionError e) {
            throw new AssertionError(caseName + ": " + e.getMessage(), e);
        }
    }

    /** Runs the check; returns the element type used. */
    int run() {
        try {
            return run(DataType.DOUBLE_VALUE);
        } catch (RuntimeException | OrtException e) {
            if (!notImplemented(e)) {
                if (e instanceof RuntimeException r) {
                    throw r;
                }
                throw new AssertionError(e);
            }
        }
        try {
            return run(DataType.FLOAT_VALUE);
        } catch (OrtException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean notImplemented(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("NOT_IMPLEMENTED") || m.contains("Could not find an implementation")
                    || m.contains("Type 'tensor(double)' of input parameter")
                    || m.contains("does not support double")) {
                return true;
            }
        }
        return false;
    }

    private int run(int type) throws OrtException {
        ModelProto m = model.apply(type);
        List<String> w = wrt != null ? wrt : floatInputs(m);
        GradientGraphBuilder b = GradientGraphBuilder.forModel(m).inputShapes(shapes).wrt(w)
                .differentiateThroughSoftmax(true);
        if (output != null) {
            b.output(output);
        }
        GradientModel gm = b.build(ENV);
        Map<String, int[]> run = runShapes != null ? runShapes : shapes;
        Random r = new Random(seed);
        Map<String, double[]> x = new HashMap<>();
        Map<String, double[]> v = new HashMap<>();
        for (Map.Entry<String, int[]> e : run.entrySet()) {
            if (fixed.containsKey(e.getKey())) {
                assertThat(fixed.get(e.getKey())).as("fixed values of %s", e.getKey()).hasSize(size(e.getValue()));
                x.put(e.getKey(), fixed.get(e.getKey()));
                continue;
            }
            x.put(e.getKey(), sample(r, size(e.getValue()), minMagnitude, positive));
            v.put(e.getKey(), sample(r, size(e.getValue()), 0, false));
        }
        double eps = type == DataType.DOUBLE_VALUE ? 1e-6 : 2e-3;
        double tolerance = type == DataType.DOUBLE_VALUE ? 1e-6 : 2e-3;
        String out = gm.differentiatedOutput();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            try (OrtSession original = ENV.createSession(m.toByteArray(), opts);
                    OrtSession gradient = ENV.createSession(gm.toByteArray(), opts)) {
                double[] y = forward(original, m, run, x, out);
                int batch = run.values().iterator().next().length > 0 ? run.values().iterator().next()[0] : 1;
                double[] s = sample(r, size(gm.seedShape(batch)), 0, false);
                Map<String, double[]> feed = new HashMap<>(x);
                Map<String, int[]> feedShapes = new HashMap<>(run);
                feed.put(gm.seedInput(), s);
                feedShapes.put(gm.seedInput(), gm.seedShape(batch));
                Map<String, double[]> results = runAll(gradient, gm.model(), feedShapes, feed);
                assertThat(results.get(out)).as("forward output of the gradient model").hasSize(y.length);
                for (int i = 0; i < y.length; i++) {
                    assertThat(results.get(out)[i]).as("forward output %s[%d]", out, i)
                            .isCloseTo(y[i], org.assertj.core.data.Offset.offset(1e-4 + 1e-4 * Math.abs(y[i])));
                }
                double analytic = 0;
                for (String name : w) {
                    double[] g = results.get(gm.gradientOutputs().get(name));
                    double[] dir = v.get(name);
                    assertThat(g).as("gradient of %s", name).hasSameSizeAs(dir);
                    for (int i = 0; i < g.length; i++) {
                        analytic += g[i] * dir[i];
                    }
                }
                Map<String, double[]> plus = new HashMap<>(x);
                Map<String, double[]> minus = new HashMap<>(x);
                for (String name : w) {
                    plus.put(name, axpy(x.get(name), v.get(name), eps));
                    minus.put(name, axpy(x.get(name), v.get(name), -eps));
                }
                double[] yp = forward(original, m, run, plus, out);
                double[] ym = forward(original, m, run, minus, out);
                double numeric = 0;
                for (int i = 0; i < s.length; i++) {
                    numeric += s[i] * (yp[i] - ym[i]) / (2 * eps);
                }
                assertThat(Math.abs(analytic)).as("<grad, v> must not vanish").isGreaterThan(1e-6);
                double rel = Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric));
                assertThat(rel).as("relative error of <grad,v>=%s vs finite difference %s (%s)", analytic, numeric,
                        type == DataType.DOUBLE_VALUE ? "double" : "float").isLessThan(tolerance);
            }
        }
        return type;
    }

    private static List<String> floatInputs(ModelProto m) {
        List<String> names = new ArrayList<>();
        for (ValueInfoProto in : ShapeProbe.runtimeInputs(m.getGraph()).values()) {
            if (OnnxTensors.isFloat(in.getType().getTensorType().getElemType())) {
                names.add(in.getName());
            }
        }
        return names;
    }

    private static double[] forward(OrtSession session, ModelProto m, Map<String, int[]> shapes,
            Map<String, double[]> x, String out) throws OrtException {
        return runAll(session, m, shapes, x).get(out);
    }

    static Map<String, double[]> runAll(OrtSession session, ModelProto m, Map<String, int[]> shapes,
            Map<String, double[]> values) throws OrtException {
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            for (ValueInfoProto in : m.getGraph().getInputList()) {
                if (values.containsKey(in.getName())) {
                    feed.put(in.getName(), TensorConversion.toOrt(ENV, values.get(in.getName()),
                            shapes.get(in.getName()), ElementTypes.javaType(in.getType().getTensorType().getElemType())));
                }
            }
            Map<String, double[]> out = new HashMap<>();
            try (OrtSession.Result r = session.run(feed)) {
                for (Map.Entry<String, OnnxValue> e : r) {
                    out.put(e.getKey(), TensorConversion.toDoubles((OnnxTensor) e.getValue()));
                }
            }
            return out;
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    static double[] sample(Random r, int n, double minMagnitude, boolean positive) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            double mag = minMagnitude + (1 - minMagnitude) * r.nextDouble();
            d[i] = positive || r.nextBoolean() ? mag : -mag;
        }
        return d;
    }

    private static double[] axpy(double[] x, double[] v, double a) {
        double[] o = x.clone();
        for (int i = 0; i < o.length; i++) {
            o[i] += a * v[i];
        }
        return o;
    }

    static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
