package io.xai4j.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.batch.Batcher;
import io.xai4j.metric.faithfulness.Infidelity;
import io.xai4j.metric.sensitivity.MaxSensitivity;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Infidelity and max-sensitivity against literal reimplementations of Captum's definitions. */
class NoiseMetricsTest {
    private static final int CLASS = 2;
    private final LinearModel model = new LinearModel(3, 4, 2, 3);
    private final Tensor x = Tensor.of(new float[] {0.5f, -1, 2, 0.25f, 1.5f, -0.75f, 1, 1, -2, 0.5f, 0, 3}, 2, 2, 3);

    private static ResolvedTarget target(int n) {
        return new ResolvedTarget("y", Collections.nCopies(n, new int[] {CLASS}), Collections.nCopies(n, "class 2"));
    }

    private MetricResult run(Metric metric, Tensor attribution, Map<String, ?> params, long seed,
            MetricContext.Explain explain) {
        return metric.evaluate(new MetricContext(model, Batcher.defaults().withMaxBatchSize(4), seed, explain),
                new MetricRequest(Map.of("x", x), "x", target(2), attribution, Map.of(), List.of(),
                        metric.descriptor().parse(params)));
    }

    private Tensor gradient() {
        Tensor g = Tensor.zeros(2, 2, 3);
        for (int e = 0; e < g.size(); e++) {
            g.set(e, (float) model.weights[CLASS][e % 6]);
        }
        return g;
    }

    @Test
    void infidelityIsZeroForTheGradientOfALinearModelAndMatchesTheDefinitionOtherwise() {
        assertThat(run(new Infidelity(), gradient(), Map.of("noise", 0.1), 5, null).scores())
                .containsExactly(new double[] {0, 0}, within(1e-9));
        Tensor inputTimesGradient = model.inputTimesGradient(x, CLASS);
        MetricResult result = run(new Infidelity(), inputTimesGradient, Map.of("noise", 0.1, "samples", 7), 5, null);
        for (int i = 0; i < 2; i++) {
            SplittableRandom random = new SplittableRandom(5);
            double sum = 0;
            for (int s = 0; s < 7; s++) {
                double dot = 0;
                double change = 0;
                for (int e = 0; e < 6; e++) {
                    double noise = (float) (random.nextGaussian() * 0.1);
                    dot += noise * inputTimesGradient.get(i * 6 + e);
                    change += model.weights[CLASS][e] * noise;   // f(x) - f(x - I) of a linear model
                }
                sum += (dot - change) * (dot - change);
            }
            assertThat(result.scores()[i]).isCloseTo(sum / 7, within(1e-4 * Math.max(1, sum / 7)));
        }
        assertThat(result.details()).containsEntry("forwardCalls", 4L);   // 8 rows per example, 4 per call
        assertThat(run(new Infidelity(), inputTimesGradient, Map.of("noise", 0.1), 5, null).scores())
                .containsExactly(run(new Infidelity(), inputTimesGradient, Map.of("noise", 0.1), 5, null).scores());
        assertThat(run(new Infidelity(), inputTimesGradient, Map.of("noise", 0.1), 6, null).scores()[0])
                .isNotEqualTo(run(new Infidelity(), inputTimesGradient, Map.of("noise", 0.1), 5, null).scores()[0]);
    }

    @Test
    void maxSensitivityIsTheLargestRelativeChangeOfTheAttribution() {
        MetricContext.Explain constant = (m, inputs, t) -> {
            assertThat(t.indices()).allSatisfy(i -> assertThat(i).containsExactly(CLASS));
            return gradient().rows(0, 1).repeatRows(inputs.get("x").dim(0));
        };
        assertThat(run(new MaxSensitivity(), gradient(), Map.of(), 1, constant).scores()).containsExactly(0, 0);
        MetricContext.Explain identity = (m, inputs, t) -> inputs.get("x").copy();
        MetricResult result = run(new MaxSensitivity(), x, Map.of("samples", 5, "radius", 0.1), 1, identity);
        for (int i = 0; i < 2; i++) {
            SplittableRandom random = new SplittableRandom(1);
            double norm = 0;
            for (int e = 0; e < 6; e++) {
                norm += x.get(i * 6 + e) * x.get(i * 6 + e);
            }
            double worst = 0;
            for (int s = 0; s < 5; s++) {
                double d = 0;
                for (int e = 0; e < 6; e++) {
                    float noisy = (float) (x.get(i * 6 + e) + random.nextDouble(-0.1, 0.1));
                    d += (noisy - x.get(i * 6 + e)) * (noisy - x.get(i * 6 + e));
                }
                worst = Math.max(worst, Math.sqrt(d));
            }
            assertThat(result.scores()[i]).isCloseTo(worst / Math.sqrt(norm), within(1e-6));
        }
    }
}
