package io.xai4j.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.batch.Batcher;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.metric.faithfulness.Deletion;
import io.xai4j.metric.faithfulness.Insertion;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Deletion and insertion on a linear model with its exact attributions follow the closed-form curves. */
class PerturbationCurveTest {
    private static final int CLASS = 1;
    private final LinearModel model = new LinearModel(7, 3, 3, 4, 5);
    private final Tensor x = random(11, 2, 3, 4, 5);

    private static Tensor random(long seed, int... shape) {
        SplittableRandom random = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(shape);
        for (int e = 0; e < t.size(); e++) {
            t.set(e, (float) random.nextDouble(-1, 1));
        }
        return t;
    }

    private static ResolvedTarget target(int examples) {
        return new ResolvedTarget("y", java.util.Collections.nCopies(examples, new int[] {CLASS}),
                java.util.Collections.nCopies(examples, "class 1"));
    }

    private MetricResult run(Metric metric, LinearModel m, Tensor input, Tensor attribution, Map<String, ?> params,
            int batch) {
        MetricRequest request = new MetricRequest(Map.of("x", input), "x", target(input.dim(0)), attribution, Map.of(),
                List.of(), metric.descriptor().parse(params));
        return metric.evaluate(new MetricContext(m, Batcher.defaults().withMaxBatchSize(batch), 0, null), request);
    }

    /** The pixel (all channels) sums of {@code W x}, sorted: the closed-form order of features. */
    private double[] sortedPixelAttributions(Tensor example, boolean descending) {
        Tensor a = model.inputTimesGradient(example, CLASS);
        double[] pixels = new double[20];
        for (int e = 0; e < a.size(); e++) {
            pixels[e % 20] += a.get(e);
        }
        Comparator<Double> order = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
        return Arrays.stream(pixels).boxed().sorted(order).mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void deletionAndInsertionMatchTheClosedFormCurves() {
        Tensor attribution = model.inputTimesGradient(x, CLASS);
        for (String order : List.of("morf", "lerf")) {
            MetricResult deletion = run(new Deletion(), model, x, attribution, Map.of("order", order), 64);
            MetricResult insertion = run(new Insertion(), model, x, attribution, Map.of("order", order), 64);
            for (int i = 0; i < 2; i++) {
                double[] sorted = sortedPixelAttributions(x.row(i), order.equals("morf"));
                double full = model.score(x.row(i), CLASS);
                double[] expectedDeletion = new double[21];
                double[] expectedInsertion = new double[21];
                expectedDeletion[0] = full;
                expectedInsertion[0] = model.bias[CLASS];
                for (int k = 1; k <= 20; k++) {
                    expectedDeletion[k] = expectedDeletion[k - 1] - sorted[k - 1];
                    expectedInsertion[k] = expectedInsertion[k - 1] + sorted[k - 1];
                }
                Curve d = deletion.curves().get(i);
                Curve in = insertion.curves().get(i);
                assertThat(d.scores()).containsExactly(expectedDeletion, within(1e-5));
                assertThat(in.scores()).containsExactly(expectedInsertion, within(1e-5));
                assertThat(d.fractions()[0]).isZero();
                assertThat(d.fractions()[20]).isEqualTo(1.0);
                double area = 0;
                for (int k = 0; k < 20; k++) {
                    area += (expectedDeletion[k] + expectedDeletion[k + 1]) / 2 / 20;
                }
                assertThat(deletion.scores()[i]).isCloseTo(area, within(1e-5));
            }
        }
    }

    @Test
    void mostRelevantFirstBeatsLeastRelevantFirstAndARandomRanking() {
        Tensor exact = model.inputTimesGradient(x, CLASS);
        double morf = run(new Deletion(), model, x, exact, Map.of(), 64).mean();
        double lerf = run(new Deletion(), model, x, exact, Map.of("order", "lerf"), 64).mean();
        double random = run(new Deletion(), model, x, random(3, 2, 3, 4, 5), Map.of(), 64).mean();
        assertThat(morf).isLessThan(random).isLessThan(lerf);
        double insertMorf = run(new Insertion(), model, x, exact, Map.of(), 64).mean();
        assertThat(insertMorf).isGreaterThan(run(new Insertion(), model, x, random(3, 2, 3, 4, 5), Map.of(), 64).mean());
    }

    @Test
    void fewerStepsSampleTheSameCurveAndBatchEveryStep() {
        Tensor attribution = model.inputTimesGradient(x, CLASS);
        Curve full = run(new Deletion(), model, x, attribution, Map.of(), 64).curves().get(0);
        model.batches.clear();
        MetricResult five = run(new Deletion(), model, x, attribution, Map.of("steps", 5), 2);
        Curve coarse = five.curves().get(0);
        assertThat(coarse.fractions()).containsExactly(0, 0.25, 0.5, 0.75, 1);
        for (int k = 0; k < 5; k++) {
            assertThat(coarse.scores()[k]).isCloseTo(full.scores()[k * 5], within(1e-6));
        }
        assertThat(model.batches).containsExactly(2, 2, 1, 2, 2, 1);   // ceil(5 / 2) calls per example
        assertThat(five.details()).containsEntry("forwardCalls", 6L).containsEntry("modelEvaluations", 10L);
    }

    @Test
    void layerMapsAreResizedToThePixelsAndTokenEmbeddingsSumToTokens() {
        Tensor map = Tensor.zeros(2, 1, 2, 1);
        map.set(0, 1);   // the top half of example 0 is the most relevant
        map.set(3, 1);   // the bottom half of example 1
        MetricResult deletion = run(new Deletion(), model, x, map, Map.of("steps", 3), 64);
        assertThat(deletion.curves().get(0).scores()[1]).isCloseTo(model.score(x.row(0), CLASS)
                - topHalf(model.inputTimesGradient(x.row(0), CLASS)), within(1e-4));

        LinearModel tokens = new LinearModel(5, 3, 6);
        Tensor ids = Tensor.of(new float[] {3, 1, 4, 1, 5, 9}, 1, 6);
        Tensor embedding = Tensor.zeros(1, 6, 4);
        Tensor exact = tokens.inputTimesGradient(ids, CLASS);
        for (int t = 0; t < 6; t++) {
            for (int e = 0; e < 4; e++) {
                embedding.set(t * 4 + e, exact.get(t) / 4);
            }
        }
        Curve fromEmbedding = run(new Deletion(), tokens, ids, embedding, Map.of(), 64).curves().get(0);
        Curve fromTokens = run(new Deletion(), tokens, ids, exact, Map.of(), 64).curves().get(0);
        assertThat(fromEmbedding.scores()).hasSize(7).containsExactly(fromTokens.scores(), within(1e-6));
    }

    private static double topHalf(Tensor a) {
        double s = 0;
        for (int c = 0; c < 3; c++) {
            for (int e = 0; e < 10; e++) {
                s += a.get(c * 20 + e);
            }
        }
        return s;
    }

    @Test
    void superpixelFeaturesAndClearErrors() {
        Tensor attribution = model.inputTimesGradient(x, CLASS);
        MetricResult slic = run(new Deletion(), model, x, attribution, Map.of("superpixels", "slic", "segments", 4), 64);
        assertThat((String) slic.details().get("features")).contains("slic");
        assertThat(slic.curves().get(0).scores().length).isLessThan(21);
        assertThatThrownBy(() -> run(new Deletion(), model, x, Tensor.zeros(2, 7), Map.of(), 64))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SHAPE_MISMATCH))
                .hasMessageContaining("[3, 4, 5]");
        assertThatThrownBy(() -> run(new Deletion(), model, x, attribution, Map.of("order", "up"), 64))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                .hasMessageContaining("metric 'deletion'").hasMessageContaining("morf, lerf");
    }

    @Test
    void theRegistryFindsTheShippedMetrics() {
        assertThat(MetricRegistry.discover().names()).contains("deletion", "insertion");
        assertThatThrownBy(() -> MetricRegistry.discover().get("deletoin"))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_METRIC))
                .hasMessageContaining("did you mean 'deletion'");
    }
}
