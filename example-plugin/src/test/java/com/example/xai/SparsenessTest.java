package com.example.xai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.metric.MetricContext;
import io.xai4j.metric.MetricRequest;
import io.xai4j.metric.MetricResult;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plugin's metric against the Gini index's closed forms. */
class SparsenessTest {

    @Test
    void oneHotUniformAndHalfMapsGiveTheirClosedForms() {
        Tensor maps = Tensor.of(new float[] {
            0, 0, -3, 0,       // one element holds everything: (n - 1) / n
            2, -2, 2, 2,       // uniform magnitudes: 0
            0, 1, 0, -1,       // half: (1 + 3) / (4 * 2)
            0, 0, 0, 0}, 4, 4);
        MetricRequest request = new MetricRequest(Map.of("x", Tensor.zeros(4, 4)), "x", new ResolvedTarget("y",
                Collections.nCopies(4, new int[] {0}), Collections.nCopies(4, "0")), maps, Map.of(), List.of(),
                new Sparseness().descriptor().parse(Map.of()));

        MetricResult result = new Sparseness().evaluate(new MetricContext(null, null, 0, null), request);

        assertThat(result.scores()[0]).isCloseTo(0.75, within(1e-12));
        assertThat(result.scores()[1]).isCloseTo(0.0, within(1e-12));
        assertThat(result.scores()[2]).isCloseTo(0.5, within(1e-12));
        assertThat(result.scores()[3]).isZero();
        assertThat(new Sparseness().descriptor().higherIsBetter()).isTrue();
    }
}
