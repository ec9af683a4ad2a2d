package io.xai4j.metric.localisation;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.metric.AttributionMaps;
import io.xai4j.metric.Metric;
import io.xai4j.metric.MetricContext;
import io.xai4j.metric.MetricRequest;
import io.xai4j.metric.MetricResult;
import io.xai4j.render.ScalarMap;
import io.xai4j.spi.Parameters;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A metric of where the attribution lies against the target's true region: the attribution becomes a pixel map
 * at the input's resolution ({@link AttributionMaps#perPixel}), which each example's region ({@link
 * MetricRequest#groundTruth()}) scores. An example whose region is not known scores NaN.
 */
public abstract class LocalisationMetric implements Metric {

    /** The score of one example. */
    protected abstract double score(ScalarMap map, Tensor region, Parameters parameters);

    @Override
    public MetricResult evaluate(MetricContext context, MetricRequest request) {
        String name = descriptor().name();
        if (request.groundTruth().isEmpty()) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "metric '" + name + "' needs the true region of each "
                    + "input: boxes (a JSON file) or a mask image");
        }
        int n = request.examples();
        double[] scores = new double[n];
        int unknown = 0;
        for (int i = 0; i < n; i++) {
            Tensor region = request.groundTruth().get(i);
            if (region == null) {
                scores[i] = Double.NaN;
                unknown++;
                continue;
            }
            ScalarMap map = AttributionMaps.perPixel(request.attribution().row(i), request.exampleShape());
            if (region.rank() != 2 || region.dim(0) != map.height() || region.dim(1) != map.width()) {
                throw new XaiException(ErrorCode.SHAPE_MISMATCH, "metric '" + name + "': the true region of example "
                        + i + " has shape " + Arrays.toString(region.shape()) + ", expected the input's [" + map.height()
                        + ", " + map.width() + "]");
            }
            scores[i] = score(map, region, request.parameters());
        }
        return new MetricResult(name, scores, List.of(), Map.of("better", "higher", "examplesWithoutRegion", unknown));
    }
}
