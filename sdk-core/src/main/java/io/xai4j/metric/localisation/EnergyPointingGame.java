package io.xai4j.metric.localisation;

import io.xai4j.metric.MetricDescriptor;
import io.xai4j.metric.MetricKind;
import io.xai4j.metric.MetricNeed;
import io.xai4j.render.ScalarMap;
import io.xai4j.spi.Parameters;
import io.xai4j.tensor.Tensor;
import java.util.List;
import java.util.Set;

/**
 * The energy-based pointing game (Score-CAM, Wang et al., 2020): the share of the attribution's positive energy,
 * channels summed, that lies in the target's true region, from 0 to 1; 0 for a map with no positive value.
 */
public final class EnergyPointingGame extends LocalisationMetric {
    private static final MetricDescriptor DESCRIPTOR = new MetricDescriptor("energy-pointing-game",
            MetricKind.LOCALISATION, "1", "the share of the positive attribution inside the target's true box or mask",
            Set.of(MetricNeed.GROUND_TRUTH), List.of(), true);

    @Override
    public MetricDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected double score(ScalarMap map, Tensor region, Parameters parameters) {
        float[] v = map.values();
        double inside = 0;
        double total = 0;
        for (int p = 0; p < v.length; p++) {
            double energy = Math.max(v[p], 0);
            total += energy;
            if (region.get(p) != 0) {
                inside += energy;
            }
        }
        return total == 0 ? 0 : inside / total;
    }
}
