package io.xai4j.metric.sensitivity;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.layer.GraphNode;
import io.xai4j.layer.GraphView;
import io.xai4j.metric.AttributionMaps;
import io.xai4j.metric.Curve;
import io.xai4j.metric.Metric;
import io.xai4j.metric.MetricContext;
import io.xai4j.metric.MetricDescriptor;
import io.xai4j.metric.MetricKind;
import io.xai4j.metric.MetricNeed;
import io.xai4j.metric.MetricRequest;
import io.xai4j.metric.MetricResult;
import io.xai4j.metric.Similarity;
import io.xai4j.render.ScalarMap;
import io.xai4j.spi.Model;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The model parameter randomisation test (Adebayo et al., 2018), cascading: the weights of the layers with weights
 * (Conv, ConvTranspose, Gemm, MatMul) are replaced, from the output backwards and one more layer at each stage, by
 * Gaussian values of each tensor's own mean and standard deviation (seeded), in memory
 * ({@link Model#withWeights}), and the inputs are explained again for the same classes. Each stage compares the new
 * map with the original, as pixel maps over images (channels summed) or per element otherwise: Spearman's rank
 * correlation and SSIM (both maps scaled to [0, 1]). The score is the Spearman correlation once every layer is
 * randomised: a method whose map hardly changes when the model is destroyed (a high score) fails the check. The
 * curve holds the correlation per stage over the fraction of layers randomised.
 */
public final class Randomisation implements Metric {
    /** The op types whose constant inputs are randomised. */
    public static final Set<String> LAYERS = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul");
    private static final MetricDescriptor DESCRIPTOR = new MetricDescriptor("mprt", MetricKind.SENSITIVITY, "1",
            "Spearman correlation of the map with the map of the model whose weights are randomised layer by layer "
                    + "from the output (cascading MPRT; lower is better)", Set.of(MetricNeed.EXPLAINER),
            List.of(ParameterSpec.integer("layers", 0, 0, 100_000, "randomise at most this many layers from the "
                    + "output (0: all)")), false);

    @Override
    public MetricDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public MetricResult evaluate(MetricContext context, MetricRequest request) {
        MetricContext.Explain explain = context.explainer(DESCRIPTOR.name());
        GraphView graph = context.model().graph().orElseThrow(() -> new XaiException(ErrorCode.MISSING_CAPABILITY,
                "metric 'mprt' needs the model's graph, which the " + context.model().info().backend()
                        + " backend does not expose"));
        List<List<String>> layers = layersFromOutput(graph);
        int limit = request.parameters().getInt("layers");
        if (limit > 0 && limit < layers.size()) {
            layers = layers.subList(0, limit);
        }
        if (layers.isEmpty()) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "metric 'mprt': the model has no layer with weights ("
                    + String.join(", ", LAYERS) + ") to randomise");
        }
        int n = request.examples();
        int stages = layers.size();
        double[][] spearman = new double[n][stages + 1];
        double[][] ssim = new double[n][stages + 1];
        List<double[]> original = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            original.add(map(request.attribution().row(i), request.exampleShape()));
            spearman[i][0] = 1;
            ssim[i][0] = 1;
        }
        SplittableRandom random = new SplittableRandom(context.seed());
        Map<String, Tensor> replaced = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (int stage = 1; stage <= stages; stage++) {
            List<String> layer = layers.get(stage - 1);
            names.add(String.join(",", layer));
            for (String weight : layer) {
                replaced.put(weight, randomLike(graph.constant(weight).orElseThrow(), random));
            }
            Tensor again;
            try (Model randomised = context.model().withWeights(replaced)) {
                again = explain.attribution(randomised, request.inputs(), request.target());
            }
            for (int i = 0; i < n; i++) {
                double[] changed = map(again.row(i), request.exampleShape());
                spearman[i][stage] = Similarity.spearman(original.get(i), changed);
                ssim[i][stage] = ssimOf(original.get(i), changed, request.exampleShape());
            }
        }
        double[] scores = new double[n];
        List<Curve> curves = new ArrayList<>();
        double[] fractions = new double[stages + 1];
        for (int s = 0; s <= stages; s++) {
            fractions[s] = (double) s / stages;
        }
        List<List<Double>> ssimPerExample = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            scores[i] = spearman[i][stages];
            curves.add(Curve.of(fractions, spearman[i]));
            ssimPerExample.add(java.util.Arrays.stream(ssim[i]).boxed().toList());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("better", "lower");
        details.put("layersFromOutput", names);
        details.put("ssim", ssimPerExample);
        return new MetricResult(DESCRIPTOR.name(), scores, curves, details);
    }

    /** The weight names of each layer with weights, the last layer first. */
    static List<List<String>> layersFromOutput(GraphView graph) {
        List<List<String>> layers = new ArrayList<>();
        for (GraphNode node : graph.nodes()) {
            if (!LAYERS.contains(node.opType())) {
                continue;
            }
            List<String> weights = node.inputs().stream().skip(1)
                    .filter(in -> !in.isEmpty() && graph.producer(in).isEmpty() && graph.constant(in).isPresent()
                            && !graph.inputs().contains(in))
                    .toList();
            if (!weights.isEmpty()) {
                layers.add(0, weights);
            }
        }
        return layers;
    }

    private static Tensor randomLike(Tensor weights, SplittableRandom random) {
        double mean = 0;
        for (int e = 0; e < weights.size(); e++) {
            mean += weights.get(e);
        }
        mean /= weights.size();
        double variance = 0;
        for (int e = 0; e < weights.size(); e++) {
            variance += (weights.get(e) - mean) * (weights.get(e) - mean);
        }
        double std = Math.sqrt(variance / weights.size());
        Tensor out = Tensor.zeros(weights.shape());
        for (int e = 0; e < out.size(); e++) {
            out.set(e, (float) (mean + std * random.nextGaussian()));
        }
        return out;
    }

    /** The map compared: per pixel over images (channels summed), per element otherwise. */
    static double[] map(Tensor attribution, int[] exampleShape) {
        if (exampleShape.length == 2 || exampleShape.length == 3) {
            float[] v = AttributionMaps.perPixel(attribution, exampleShape).values();
            double[] out = new double[v.length];
            for (int p = 0; p < v.length; p++) {
                out[p] = v[p];
            }
            return out;
        }
        return AttributionMaps.perElement(attribution, exampleShape);
    }

    /** SSIM of two maps of {@link #map}, each scaled to [0, 1]. */
    static double ssimOf(double[] a, double[] b, int[] exampleShape) {
        int height = 1;
        int width = a.length;
        if (exampleShape.length == 2 || exampleShape.length == 3) {
            ScalarMap probe = AttributionMaps.perPixel(Tensor.zeros(exampleShape), exampleShape);
            height = probe.height();
            width = probe.width();
        }
        return Similarity.ssim(scaled(a), scaled(b), height, width, 1);
    }

    private static double[] scaled(double[] v) {
        double min = java.util.Arrays.stream(v).min().orElse(0);
        double max = java.util.Arrays.stream(v).max().orElse(0);
        double range = max > min ? max - min : 1;
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (v[i] - min) / range;
        }
        return out;
    }
}
