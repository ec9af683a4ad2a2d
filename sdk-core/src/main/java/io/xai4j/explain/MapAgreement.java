package io.xai4j.explain;

import io.xai4j.image.Layout;
import io.xai4j.render.Reduction;
import io.xai4j.render.ScalarMap;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;

/**
 * How much two attributions of the same example agree, e.g. the Grad-CAM maps of an early and a late exit:
 * the Pearson correlation of their elements when the shapes are equal; otherwise of their maps after summing
 * channels (the same layout rules as the heatmaps) and resizing the smaller map bilinearly to the larger one's
 * size. 1 means the same pattern up to scale, 0 none.
 */
public final class MapAgreement {
    private MapAgreement() {
    }

    /** The correlation of two one-example attributions (a leading batch of 1 is allowed), in [-1, 1]. */
    public static double correlation(Tensor a, Tensor b, Layout layout) {
        if (Arrays.equals(a.shape(), b.shape())) {
            return pearson(a.toArray(), b.toArray());
        }
        ScalarMap ma = ScalarMap.reduce(a, layout, Reduction.SUM);
        ScalarMap mb = ScalarMap.reduce(b, layout, Reduction.SUM);
        int h = Math.max(ma.height(), mb.height());
        int w = Math.max(ma.width(), mb.width());
        return pearson(resized(ma, h, w), resized(mb, h, w));
    }

    private static float[] resized(ScalarMap map, int h, int w) {
        return map.height() == h && map.width() == w ? map.values() : map.resize(h, w).values();
    }

    static double pearson(float[] x, float[] y) {
        double mx = Arrays.stream(box(x)).average().orElse(0);
        double my = Arrays.stream(box(y)).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxx == 0 || syy == 0 ? 0 : sxy / Math.sqrt(sxx * syy);
    }

    private static double[] box(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
