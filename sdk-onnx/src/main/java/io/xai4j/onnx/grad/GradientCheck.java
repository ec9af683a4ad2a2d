package io.xai4j.onnx.grad;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.layer.Embeddings;
import io.xai4j.onnx.ExternalData;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.onnx.OrtEnvironments;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.GradientResult;
import io.xai4j.spi.Model;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Compares analytic gradients with central finite differences. The scalar is {@code f = <s, y>} for a random seed
 * {@code s} and the seeded tensor {@code y}; along each random direction {@code v} of a tensor {@code T},
 * {@code <g_T, v>} is compared with {@code (f(T + eps v) - f(T - eps v)) / (2 eps)}, where the perturbed tensor is
 * fed to the part of the model downstream of {@code T} (model inputs the rest of the model reads stay fixed).
 * The relative error divides the difference by the larger of both values and {@code |g| |v| / sqrt(n)}, the typical
 * size of a directional derivative, so that a direction nearly orthogonal to the gradient does not magnify rounding.
 * Each direction tries the steps epsilon / 10^(k/2), k = 0..4: in float32, large steps cross ReLU and MaxPool kinks
 * and small ones drown in rounding, while a wrong gradient fails at every step.
 * A step whose change of {@code f}, analytic and numeric, stays within {@value #RESOLUTION} float32 units in the last
 * place of {@code f} ({@code sqrt(sum (s_i ulp(y_i))^2)}) cannot be measured; a direction with no measurable step is
 * unresolved (reported as NaN) and left out of the verdict; a NaN value of {@code f} or of the gradient fails.
 * Randomly initialised networks whose output barely depends on the input (a bias plus a vanishing signal) have
 * only such directions.
 *
 * <p>A step crosses a kink when a decision of a Relu, LeakyRelu, PRelu, Clip or MaxPool node downstream of
 * {@code T} differs between {@code T - eps v} and {@code T + eps v} (a sign, a bound, the element a pooling window
 * takes): its difference quotient then mixes two linear pieces and is no derivative. Each direction keeps its best
 * measurable step that crosses no kink, or, when every measurable step crosses one, its best step, and reports the
 * kinks that step crosses. A direction above the tolerance at a kink-free step is a wrong gradient (FAIL); one
 * above it whose every step crossed a kink is KINK_CROSSING: finite differences cannot tell a wrong gradient from
 * the kinks there, as where the forward pass sits within rounding of a kink (float32 forwards of deep ReLU
 * networks do on some inputs).
 */
public final class GradientCheck {
    /** Steps tried per direction: epsilon, epsilon / sqrt(10), epsilon / 10, ..., epsilon / 100. */
    public static final int STEPS = 5;
    /** Changes of {@code f} within this many units in the last place of {@code f} are rounding noise. */
    public static final double RESOLUTION = 100;
    /**
     * The default tolerance: float32 finite differences across the kinks of ReLU and MaxPool networks are only
     * accurate to about 1e-2, while a wrong backward rule typically shows errors above 0.5.
     */
    public static final double DEFAULT_TOLERANCE = 0.05;
    /** Floor of the relative error's denominator. */
    private static final double TINY = 1e-12;

    /** The outcome of a tensor or of a whole check. */
    public enum Verdict {
        /** Every resolved direction is within the tolerance and at least one is resolved. */
        PASS,
        /** Some direction exceeds the tolerance at a step that crosses no kink: a wrong gradient. */
        FAIL,
        /**
         * Some direction exceeds the tolerance, and every measurable step of each such direction crossed a kink, so
         * finite differences cannot tell a wrong gradient from the kinks.
         */
        KINK_CROSSING,
        /** No direction could be measured in float32, so the check says nothing. */
        INCONCLUSIVE
    }

    /**
     * Settings of one check.
     *
     * @param output         the model output; null for the first
     * @param rules          the backward rule set to check, e.g. {@link GradientRequest#EXACT}
     * @param throughSoftmax seed the output itself even when it ends in Softmax (else the logits before it)
     * @param directions     random directions per tensor, at least 1
     * @param epsilon        the largest finite-difference step, positive
     * @param tolerance      the largest relative error that passes, positive
     * @param seed           seed of the random seed tensor {@code s} and of the directions
     */
    public record Settings(String output, String rules, boolean throughSoftmax, int directions, double epsilon,
            double tolerance, long seed) {
        public Settings {
            Objects.requireNonNull(rules, "rules");
            if (directions < 1 || !(epsilon > 0) || !(tolerance > 0)) {
                throw new XaiException(ErrorCode.INVALID_ARGUMENT, "directions must be >= 1 and epsilon and tolerance"
                        + " > 0; got " + directions + ", " + epsilon + ", " + tolerance);
            }
        }

        /** The exact gradient of the first output: 4 directions, epsilon 1e-3, tolerance 0.05, seed 0. */
        public static Settings defaults() {
            return new Settings(null, GradientRequest.EXACT, false, 4, 1e-3, DEFAULT_TOLERANCE, 0);
        }
    }

    /**
     * The outcome for one tensor.
     *
     * @param tensor    the checked tensor
     * @param errors    the relative error along each direction, NaN where the change of {@code f} was below float32
     *                  resolution at every step
     * @param kinks     per direction, the kinks its kept step crosses: each Relu, LeakyRelu, PRelu, Clip or MaxPool
     *                  output whose decisions differ between both points, with the number of elements that differ;
     *                  empty when the step crosses none
     * @param tolerance the largest error that passes
     */
    public record TensorCheck(String tensor, double[] errors, List<Map<String, Integer>> kinks, double tolerance) {
        public TensorCheck {
            errors = errors.clone();
            if (kinks.size() != errors.length) {
                throw new IllegalArgumentException(kinks.size() + " kink maps for " + errors.length + " directions");
            }
            kinks = kinks.stream().map(k -> Collections.unmodifiableMap(new LinkedHashMap<>(k))).toList();
        }

        /** A check whose steps cross no kink. */
        public TensorCheck(String tensor, double[] errors, double tolerance) {
            this(tensor, errors, Collections.nCopies(errors.length, Map.of()), tolerance);
        }

        @Override
        public double[] errors() {
            return errors.clone();
        }

        /** Whether direction {@code d} exceeds the tolerance and every measurable step of it crossed a kink. */
        public boolean kinkCrossing(int d) {
            return errors[d] > tolerance && !kinks.get(d).isEmpty();
        }

        /** The number of kink-crossing directions. */
        public int kinkCrossings() {
            return (int) IntStream.range(0, errors.length).filter(this::kinkCrossing).count();
        }

        /** The largest error over the resolved directions; 0 when none is resolved. */
        public double maxError() {
            double max = 0;
            for (double e : errors) {
                max = Math.max(max, Double.isNaN(e) ? 0 : e);
            }
            return max;
        }

        /** The number of directions whose change of {@code f} could not be measured in float32. */
        public int unresolved() {
            return (int) Arrays.stream(errors).filter(Double::isNaN).count();
        }

        /**
         * FAIL when a direction exceeds the tolerance at a step that crosses no kink, else KINK_CROSSING when one
         * exceeds it, else INCONCLUSIVE when no direction is resolved, else PASS.
         */
        public Verdict verdict() {
            long failing = Arrays.stream(errors).filter(e -> e > tolerance).count();
            return failing > kinkCrossings() ? Verdict.FAIL : failing > 0 ? Verdict.KINK_CROSSING
                    : unresolved() == errors.length ? Verdict.INCONCLUSIVE : Verdict.PASS;
        }
    }

    /** The tensor the seed is the cotangent of, and one check per requested tensor, in order. */
    public record Report(String seededTensor, List<TensorCheck> checks) {
        public Report {
            checks = List.copyOf(checks);
        }

        /** The first of FAIL, KINK_CROSSING, INCONCLUSIVE that some tensor has, else PASS. */
        public Verdict verdict() {
            List<Verdict> all = checks.stream().map(TensorCheck::verdict).toList();
            return Stream.of(Verdict.FAIL, Verdict.KINK_CROSSING, Verdict.INCONCLUSIVE).filter(all::contains)
                    .findFirst().orElse(Verdict.PASS);
        }
    }

    private GradientCheck() {
    }

    /**
     * Checks the gradient with respect to every tensor in {@code wrt} (model inputs or intermediate tensors) at
     * {@code inputs}, a value for every model input, batch first.
     */
    public static Report run(OnnxModel model, Map<String, Tensor> inputs, List<String> wrt, Settings s) {
        if (inputs.isEmpty()) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "no input values given; the model's inputs: "
                    + model.signature().inputNames());
        }
        inputs.forEach((name, value) -> {
            if (value.hasNonFinite()) {
                throw new XaiException(ErrorCode.NON_FINITE_INPUT, "input '" + name + "' contains NaN or infinite"
                        + " values; finite differences need finite inputs");
            }
        });
        OrtEnvironment env = OrtEnvironments.get();
        Set<String> inner = new HashSet<>(wrt);
        inner.removeAll(inputs.keySet());
        try (OrtSession.SessionOptions options = sessionOptions(model);
                OnnxGradientEngine engine = new OnnxGradientEngine(model.proto(), env, options,
                        GradientCache.fromEnvironment(), model.directory(), model.ruleSets())) {
            GradientModel gm = engine.gradientModel(request(inputs, Tensor.zeros(1), wrt, inner, s));
            Random random = new Random(s.seed());
            int batch = inputs.values().iterator().next().dim(0);
            Tensor seed = normal(random, gm.seedShape(batch));
            GradientResult r = engine.vjp(request(inputs, seed, wrt, inner, s));
            List<TensorCheck> checks = new ArrayList<>();
            for (String t : wrt) {
                Tensor at = inner.contains(t) ? r.activations().get(t) : inputs.get(t);
                try (Model tail = model.tail(t, gm.seededTensor(), KinkProbe::instrument)) {
                    checks.add(check(tail, gm.seededTensor(), t, at, r.gradients().get(t), inputs, seed, random, s));
                }
            }
            return new Report(gm.seededTensor(), checks);
        }
    }

    /** The tensors checked by default: every floating-point input, and the embedding lookup of any other input. */
    public static List<String> defaultTensors(OnnxModel model) {
        List<String> tensors = new ArrayList<>();
        for (TensorSpec input : model.signature().inputs()) {
            if (input.type().isFloatingPoint()) {
                tensors.add(input.name());
            } else {
                model.graph().flatMap(g -> Embeddings.lookupOf(g, input.name())).ifPresent(tensors::add);
            }
        }
        return tensors;
    }

    /**
     * {@code given} followed by default values for the other model inputs, in declaration order: seeded random
     * normal values of the declared shape with symbolic dimensions 1, zeros for integer inputs.
     */
    public static Map<String, Tensor> withDefaultInputs(OnnxModel model, Map<String, Tensor> given, long seed) {
        Map<String, Tensor> values = new LinkedHashMap<>(given);
        Random random = new Random(seed ^ 0x5DEECE66DL);
        model.unitInputShapes().forEach((name, shape) -> values.computeIfAbsent(name, n ->
                model.signature().input(n).type().isFloatingPoint() ? normal(random, shape) : Tensor.zeros(shape)));
        return values;
    }

    /** Default session options that find the model's external data. */
    private static OrtSession.SessionOptions sessionOptions(OnnxModel model) {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            ExternalData.resolveFrom(options, model.directory());
            return options;
        } catch (OrtException e) {
            options.close();
            throw new XaiException(ErrorCode.MODEL_EXECUTION, "cannot configure ONNX Runtime: " + e.getMessage(), e);
        }
    }

    private static GradientRequest request(Map<String, Tensor> inputs, Tensor seed, List<String> wrt, Set<String> inner,
            Settings s) {
        return new GradientRequest(inputs, s.output(), seed, Set.copyOf(wrt), inner, s.rules(), s.throughSoftmax());
    }

    private static TensorCheck check(Model tail, String output, String name, Tensor at, Tensor gradient,
            Map<String, Tensor> inputs, Tensor seed, Random random, Settings s) {
        float[] x = at.toArray();
        float[] g = gradient.toArray();
        double gNorm = 0;
        for (float gi : g) {
            gNorm += (double) gi * gi;
        }
        Set<String> outputs = Set.copyOf(tail.signature().outputNames());
        List<String> decisions = tail.signature().outputNames().stream().filter(o -> o.startsWith(KinkProbe.PREFIX))
                .toList();
        double[] errors = new double[s.directions()];
        List<Map<String, Integer>> kinks = new ArrayList<>();
        Map<String, Tensor> feed = new HashMap<>(inputs);
        feed.put(name, at);
        double noise = RESOLUTION * ulpNorm(seed, tail.forward(feed, Set.of(output)).get(output));
        float[] plus = new float[x.length];
        float[] minus = new float[x.length];
        for (int d = 0; d < errors.length; d++) {
            double[] v = new double[x.length];
            double vNorm = 0;
            for (int i = 0; i < v.length; i++) {
                v[i] = random.nextGaussian();
                vNorm += v[i] * v[i];
            }
            double typical = Math.sqrt(gNorm * vNorm / Math.max(1, x.length));
            errors[d] = Double.NaN;
            Map<String, Integer> kept = Map.of();
            for (int k = 0; k < STEPS; k++) {
                double eps = s.epsilon() / Math.pow(10, k / 2.0);
                double analytic = 0;
                for (int i = 0; i < x.length; i++) {
                    plus[i] = (float) (x[i] + eps * v[i]);
                    minus[i] = (float) (x[i] - eps * v[i]);
                    analytic += g[i] * ((double) plus[i] - minus[i]);
                }
                analytic /= 2 * eps;
                feed.put(name, Tensor.of(plus, at.shape()));
                Map<String, Tensor> atPlus = tail.forward(feed, outputs);
                feed.put(name, Tensor.of(minus, at.shape()));
                Map<String, Tensor> atMinus = tail.forward(feed, outputs);
                double numeric = (dot(seed, atPlus.get(output)) - dot(seed, atMinus.get(output))) / (2 * eps);
                double scale = Math.max(Math.max(Math.abs(analytic), Math.abs(numeric)), Math.max(typical, TINY));
                double error = Math.abs(analytic - numeric) / scale;
                if (Double.isNaN(error)) {
                    errors[d] = Double.POSITIVE_INFINITY;
                    kept = Map.of();
                    break;
                }
                boolean measurable = 2 * eps * Math.max(Math.abs(analytic), Math.abs(numeric)) > noise;
                Map<String, Integer> crossed = crossedKinks(decisions, atPlus, atMinus);
                boolean better = Double.isNaN(errors[d]) || crossed.isEmpty() && !kept.isEmpty()
                        || crossed.isEmpty() == kept.isEmpty() && error < errors[d];
                if (measurable && better) {
                    errors[d] = error;
                    kept = crossed;
                }
            }
            kinks.add(kept);
        }
        return new TensorCheck(name, errors, kinks, s.tolerance());
    }

    /** The decisions that differ between two runs, by the node output they belong to, with how many elements do. */
    private static Map<String, Integer> crossedKinks(List<String> decisions, Map<String, Tensor> a,
            Map<String, Tensor> b) {
        Map<String, Integer> crossed = new LinkedHashMap<>();
        for (String decision : decisions) {
            Tensor p = a.get(decision);
            Tensor q = b.get(decision);
            int differ = 0;
            for (int i = 0; i < p.size(); i++) {
                differ += p.get(i) != q.get(i) ? 1 : 0;
            }
            if (differ > 0) {
                crossed.put(decision.substring(KinkProbe.PREFIX.length()), differ);
            }
        }
        return crossed;
    }

    /**
     * {@code sqrt(sum (s_i ulp(y_i))^2)}: the float32 rounding step of {@code <s, y>}, its elements rounding
     * independently.
     */
    private static double ulpNorm(Tensor s, Tensor y) {
        double sum = 0;
        for (int i = 0; i < s.size(); i++) {
            double step = s.get(i) * (double) Math.ulp(y.get(i));
            sum += step * step;
        }
        return Math.sqrt(sum);
    }

    private static double dot(Tensor a, Tensor b) {
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            sum += (double) a.get(i) * b.get(i);
        }
        return sum;
    }

    private static Tensor normal(Random random, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (float) random.nextGaussian());
        }
        return t;
    }
}
