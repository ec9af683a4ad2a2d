package io.xai4j.cli;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.ExternalData;
import io.xai4j.onnx.OnnxModel;
import io.xai4j.onnx.grad.GradientCache;
import io.xai4j.onnx.grad.GradientModel;
import io.xai4j.onnx.grad.OnnxGradientEngine;
import io.xai4j.spi.GradientRequest;
import io.xai4j.spi.GradientResult;
import io.xai4j.spi.Model;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Compares analytic gradients with central finite differences. The scalar is {@code f = <s, y>} for a random seed
 * {@code s} and the seeded tensor {@code y}; along each random direction {@code v} of a tensor {@code T},
 * {@code <g_T, v>} is compared with {@code (f(T + eps v) - f(T - eps v)) / (2 eps)}, where the perturbed tensor is
 * fed to the part of the model downstream of {@code T} (model inputs the rest of the model reads stay fixed).
 * The relative error divides the difference by the larger of both values and {@code |g| |v| / sqrt(n)}, the typical
 * size of a directional derivative, so that a direction nearly orthogonal to the gradient does not magnify rounding.
 * Each direction keeps the smallest error over the steps epsilon / 10^(k/2), k = 0..4: in float32, large
 * steps cross ReLU and MaxPool kinks and small ones drown in rounding, while a wrong gradient fails at every step.
 * A step whose change of {@code f}, analytic and numeric, stays within {@value #RESOLUTION} float32 units in the last
 * place of {@code f} ({@code sqrt(sum (s_i ulp(y_i))^2)}) cannot be measured; a direction with no measurable step is
 * unresolved (reported as NaN) and left out of the verdict; a NaN value of {@code f} or of the gradient fails.
 * Randomly initialised networks whose output barely depends on the input (a bias plus a vanishing signal) have
 * only such directions.
 */
final class GradientCheck {
    /** Floor of the relative error's denominator. */
    static final double TINY = 1e-12;
    /** Steps tried per direction: epsilon, epsilon / sqrt(10), epsilon / 10, ..., epsilon / 100. */
    static final int STEPS = 5;
    /** Changes of {@code f} within this many units in the last place of {@code f} are rounding noise. */
    static final double RESOLUTION = 100;

    /** Settings of one check. */
    record Settings(String output, String rules, boolean throughSoftmax, int directions, double epsilon, long seed) {
    }

    /**
     * The outcome for one tensor: the relative error along each direction, NaN where the change of {@code f} was
     * below float32 resolution at every step.
     */
    record TensorCheck(String tensor, double[] errors) {
        /** The largest error over the resolved directions; 0 when none is resolved. */
        double maxError() {
            double max = 0;
            for (double e : errors) {
                max = Math.max(max, Double.isNaN(e) ? 0 : e);
            }
            return max;
        }

        /** The number of directions whose change of {@code f} could not be measured in float32. */
        int unresolved() {
            return (int) Arrays.stream(errors).filter(Double::isNaN).count();
        }

        /** Whether no direction could be measured, so the check says nothing about this tensor. */
        boolean inconclusive() {
            return unresolved() == errors.length;
        }
    }

    /** The tensor the seed is the cotangent of, and one check per requested tensor, in order. */
    record Report(String seededTensor, List<TensorCheck> checks) {
    }

    private GradientCheck() {
    }

    /** Checks the gradient with respect to every tensor in {@code wrt} at {@code inputs}. */
    static Report run(OnnxModel model, Map<String, Tensor> inputs, List<String> wrt, Settings s) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
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
                try (Model tail = model.tail(t, gm.seededTensor())) {
                    checks.add(check(tail, gm.seededTensor(), t, at, r.gradients().get(t), inputs, seed, random, s));
                }
            }
            return new Report(gm.seededTensor(), checks);
        }
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
        double[] errors = new double[s.directions()];
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
                double fPlus = dot(seed, tail.forward(feed, Set.of(output)).get(output));
                feed.put(name, Tensor.of(minus, at.shape()));
                double numeric = (fPlus - dot(seed, tail.forward(feed, Set.of(output)).get(output))) / (2 * eps);
                double scale = Math.max(Math.max(Math.abs(analytic), Math.abs(numeric)), Math.max(typical, TINY));
                double error = Math.abs(analytic - numeric) / scale;
                if (Double.isNaN(error)) {
                    errors[d] = Double.POSITIVE_INFINITY;
                    break;
                }
                boolean measurable = 2 * eps * Math.max(Math.abs(analytic), Math.abs(numeric)) > noise;
                if (measurable && (Double.isNaN(errors[d]) || error < errors[d])) {
                    errors[d] = error;
                }
            }
        }
        return new TensorCheck(name, errors);
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

    static Tensor normal(Random random, int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (float) random.nextGaussian());
        }
        return t;
    }
}
