package io.xai4j.methods.cam;

import io.xai4j.batch.Batcher;
import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.Model;
import io.xai4j.spi.Parameters;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/** Test helpers: running a method on a model and making inputs. */
final class Cams {
    private Cams() {
    }

    static Attribution attribute(AttributionMethod method, Model model, Tensor x, int[] classes,
            Map<String, String> parameters, String layer, int maxBatch) {
        List<int[]> indices = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int k : classes) {
            indices.add(new int[] {k});
            labels.add("class " + k);
        }
        String output = model.signature().outputs().get(0).name();
        return method.attribute(new AttributionContext(model, Batcher.defaults().withMaxBatchSize(maxBatch), 1),
                new AttributionRequest(Map.of(model.signature().inputs().get(0).name(), x),
                        model.signature().inputs().get(0).name(), new ResolvedTarget(output, indices, labels),
                        Parameters.parse(method.descriptor(), parameters), Optional.ofNullable(layer)));
    }

    static Tensor random(long seed, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, (float) r.nextDouble(-1, 1));
        }
        return t;
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
