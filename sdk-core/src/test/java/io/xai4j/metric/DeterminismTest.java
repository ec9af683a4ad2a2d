package io.xai4j.metric;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.batch.Batcher;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every installed metric gives equal results for equal seeds, and an example scores the same alone as in a batch. */
class DeterminismTest {
    private final LinearModel model = new LinearModel(9, 3, 3, 6, 6);

    private static Tensor random(long seed, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(shape);
        for (int e = 0; e < t.size(); e++) {
            t.set(e, (float) r.nextDouble(-1, 1));
        }
        return t;
    }

    private MetricResult run(Metric metric, Tensor x, Tensor attribution, long seed) {
        int n = x.dim(0);
        Tensor region = Tensor.zeros(6, 6);
        region.set(7, 1);
        region.set(8, 1);
        ResolvedTarget target = new ResolvedTarget("y", Collections.nCopies(n, new int[] {1}),
                Collections.nCopies(n, "class 1"));
        MetricContext.Explain explain = (m, inputs, t) -> model.inputTimesGradient(inputs.get("x"), 1);
        return metric.evaluate(new MetricContext(model, Batcher.defaults().withMaxBatchSize(5), seed, explain),
                new MetricRequest(Map.of("x", x), "x", target, attribution,
                        Map.of("convergenceDelta", Collections.nCopies(n, 0.5)), Collections.nCopies(n, region),
                        metric.descriptor().parse(Map.of())));
    }

    @Test
    void equalSeedsGiveEqualScoresAndExamplesDoNotDependOnTheirBatch() {
        Tensor x = random(1, 3, 3, 6, 6);
        Tensor attribution = random(2, 3, 3, 6, 6);
        // mprt and data-randomisation need ONNX models: DemoRandomisationTest (cli) checks them
        List<Metric> metrics = MetricRegistry.discover().all().stream()
                .filter(m -> !Set.of("mprt", "data-randomisation").contains(m.descriptor().name())).toList();
        assertThat(metrics).hasSizeGreaterThanOrEqualTo(7);
        for (Metric metric : metrics) {
            MetricResult first = run(metric, x, attribution, 11);
            MetricResult again = run(metric, x, attribution, 11);
            MetricResult alone = run(metric, x.rows(1, 2), attribution.rows(1, 2), 11);
            assertThat(again.scores()).as(metric.descriptor().name()).containsExactly(first.scores());
            assertThat(alone.scores()[0]).as(metric.descriptor().name() + " alone").isEqualTo(first.scores()[1]);
        }
    }
}
