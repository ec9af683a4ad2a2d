package io.xai4j.methods.cam;

import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.Model;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.MethodRuns;
import io.xai4j.testing.models.AnalyticModel;
import io.xai4j.testing.models.QuadraticModel;
import java.util.Map;

/** Test helpers: models, running a method on a model and computing expected maps. */
final class Cams {
    /** The layer of the test models. */
    static final String LAYER = AnalyticModel.LAYER;

    private Cams() {
    }

    /** A random quadratic head on the layer {@code act = 2x + 0.5} of inputs {@code [N,C,H,W]}. */
    static QuadraticModel model(long seed, int channels, int height, int width, int classes) {
        QuadraticModel model = QuadraticModel.random(seed, classes, channels, height, width);
        model.layerFunction(0.5, 2, 0);
        return model;
    }

    /** Global average pooling and a linear layer on the layer {@code act = 2x + 0.5}. */
    static QuadraticModel gapLinear(float[][] weights, double[] bias, int height, int width) {
        QuadraticModel model = QuadraticModel.gapLinear(weights, bias, height, width);
        model.layerFunction(0.5, 2, 0);
        return model;
    }

    static Attribution attribute(AttributionMethod method, Model model, Tensor x, int[] classes,
            Map<String, String> parameters, String layer, int maxBatch) {
        String input = model.signature().inputs().get(0).name();
        return MethodRuns.run(method, model, maxBatch, 1, Map.of(input, x), input,
                MethodRuns.classes(model.signature().outputs().get(0).name(), classes), parameters, layer);
    }

    static double[] relu(double[] v) {
        double[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(0, out[i]);
        }
        return out;
    }

    /** {@code sum_c w_c a[c,p]}. */
    static double[] weighted(double[] a, double[] w, int cells) {
        double[] m = new double[cells];
        for (int c = 0; c < w.length; c++) {
            for (int p = 0; p < cells; p++) {
                m[p] += w[c] * a[c * cells + p];
            }
        }
        return m;
    }

    static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
