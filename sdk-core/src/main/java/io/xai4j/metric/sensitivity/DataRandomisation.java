package io.xai4j.metric.sensitivity;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.metric.Metric;
import io.xai4j.metric.MetricContext;
import io.xai4j.metric.MetricDescriptor;
import io.xai4j.metric.MetricKind;
import io.xai4j.metric.MetricNeed;
import io.xai4j.metric.MetricRequest;
import io.xai4j.metric.MetricResult;
import io.xai4j.metric.Similarity;
import io.xai4j.spi.Dim;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelSignature;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The data randomisation test (Adebayo et al., 2018): the inputs are explained again, for the same classes, with a
 * second model of the same inputs and outputs that the user gives (a model trained on randomly permuted labels),
 * and the new map is compared with the original as {@link Randomisation} compares its stages: Spearman's rank
 * correlation (the score) and SSIM ({@code details.ssim}). A method whose map hardly changes when the model has
 * learnt nothing of the data (a high score) fails the check.
 */
public final class DataRandomisation implements Metric {
    private static final MetricDescriptor DESCRIPTOR = new MetricDescriptor("data-randomisation",
            MetricKind.SENSITIVITY, "1", "Spearman correlation of the map with the map of a second model trained on "
                    + "random labels (data randomisation test; lower is better)", Set.of(MetricNeed.EXPLAINER),
            List.of(ParameterSpec.text("model", "", "the second model's file: same inputs and outputs, trained on "
                    + "randomised labels")), false);

    @Override
    public MetricDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public MetricResult evaluate(MetricContext context, MetricRequest request) {
        String file = request.parameters().getString("model");
        if (file == null || file.isBlank()) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "metric '" + DESCRIPTOR.name() + "' needs the second "
                    + "model: --metric-param " + DESCRIPTOR.name() + ".model=FILE (a model of the same inputs and "
                    + "outputs trained on randomised labels)");
        }
        MetricContext.Explain explain = context.explainer(DESCRIPTOR.name());
        Model second = context.models(DESCRIPTOR.name()).open(Path.of(file));
        requireSameSignature(context.model().signature(), second.signature(), file);
        Tensor again = explain.attribution(second, request.inputs(), request.target());
        int n = request.examples();
        double[] scores = new double[n];
        List<Double> ssim = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] original = Randomisation.map(request.attribution().row(i), request.exampleShape());
            double[] changed = Randomisation.map(again.row(i), request.exampleShape());
            scores[i] = Similarity.spearman(original, changed);
            ssim.add(Randomisation.ssimOf(original, changed, request.exampleShape()));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("better", "lower");
        details.put("model", Path.of(file).getFileName().toString());
        details.put("ssim", ssim);
        return new MetricResult(DESCRIPTOR.name(), scores, List.of(), details);
    }

    /**
     * Refuses a second model whose inputs or outputs differ from the first's in name, order, element type, rank or a
     * fixed size (symbolic sizes, such as the batch, match any).
     */
    static void requireSameSignature(ModelSignature first, ModelSignature second, String file) {
        List<String> differences = new ArrayList<>(differences("input", first.inputs(), second.inputs()));
        differences.addAll(differences("output", first.outputs(), second.outputs()));
        if (!differences.isEmpty()) {
            throw new XaiException(ErrorCode.INVALID_ARGUMENT, "metric 'data-randomisation': the second model " + file
                    + " must have the evaluated model's inputs and outputs, but " + String.join("; ", differences)
                    + ". Give a model of the same architecture trained on randomised labels");
        }
    }

    private static List<String> differences(String kind, List<TensorSpec> expected, List<TensorSpec> actual) {
        if (expected.size() != actual.size() || !sameNames(expected, actual)) {
            return List.of("its " + kind + "s are " + describe(actual) + ", not " + describe(expected));
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            TensorSpec e = expected.get(i);
            TensorSpec a = actual.get(i);
            if (e.type() != a.type() || !compatible(e.shape(), a.shape())) {
                out.add("its " + kind + " '" + a.name() + "' is " + a.type() + a.shapeString() + ", not " + e.type()
                        + e.shapeString());
            }
        }
        return out;
    }

    private static boolean sameNames(List<TensorSpec> a, List<TensorSpec> b) {
        return a.stream().map(TensorSpec::name).toList().equals(b.stream().map(TensorSpec::name).toList());
    }

    private static boolean compatible(List<Dim> a, List<Dim> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int d = 0; d < a.size(); d++) {
            if (a.get(d).isFixed() && b.get(d).isFixed() && a.get(d).size() != b.get(d).size()) {
                return false;
            }
        }
        return true;
    }

    private static String describe(List<TensorSpec> specs) {
        return specs.stream().map(s -> s.name() + s.shapeString()).collect(Collectors.joining(", ", "[", "]"));
    }
}
