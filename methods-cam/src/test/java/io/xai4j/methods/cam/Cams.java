package io.xai4j.methods.cam;

import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.Model;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.MethodRuns;
import java.util.Map;

/** Test helpers: running a method on a model and computing expected maps. */
final class Cams {
    private Cams() {
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
