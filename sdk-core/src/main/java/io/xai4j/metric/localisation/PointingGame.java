package io.xai4j.metric.localisation;

import io.xai4j.metric.MetricDescriptor;
import io.xai4j.metric.MetricKind;
import io.xai4j.metric.MetricNeed;
import io.xai4j.render.ScalarMap;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Parameters;
import io.xai4j.tensor.Tensor;
import java.util.List;
import java.util.Set;

/**
 * The pointing game (Zhang et al., 2018): a hit (1) when the attribution's largest pixel, channels summed, lies in
 * the target's true region, or within {@code tolerance} pixels of it; else a miss (0). The mean is the accuracy.
 * The first largest pixel in row-major order is taken, as numpy's {@code argmax}.
 */
public final class PointingGame extends LocalisationMetric {
    private static final MetricDescriptor DESCRIPTOR = new MetricDescriptor("pointing-game", MetricKind.LOCALISATION,
            "1", "1 when the largest attribution lies in the target's true box or mask, else 0 (mean: accuracy)",
            Set.of(MetricNeed.GROUND_TRUTH), List.of(ParameterSpec.integer("tolerance", 0, 0, 10_000,
                    "a largest pixel this many pixels (Euclidean) from the region still hits")), true);

    @Override
    public MetricDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected double score(ScalarMap map, Tensor region, Parameters parameters) {
        float[] v = map.values();
        int best = 0;
        for (int p = 1; p < v.length; p++) {
            if (v[p] > v[best]) {
                best = p;
            }
        }
        int tolerance = parameters.getInt("tolerance");
        int w = map.width();
        int by = best / w;
        int bx = best % w;
        for (int y = Math.max(0, by - tolerance); y <= Math.min(map.height() - 1, by + tolerance); y++) {
            for (int x = Math.max(0, bx - tolerance); x <= Math.min(w - 1, bx + tolerance); x++) {
                boolean near = (y - by) * (y - by) + (x - bx) * (x - bx) <= tolerance * tolerance;
                if (near && region.get(y * w + x) != 0) {
                    return 1;
                }
            }
        }
        return 0;
    }
}
