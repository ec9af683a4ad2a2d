package io.xai4j.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.tensor.Tensor;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExplanationExampleTest {

    private static Explanation batchOfTwo(List<String> sources) {
        Provenance provenance = new Provenance("integrated-gradients", "1.0", Map.of("steps", "8"), "3;5", "m.onnx",
                "ab12", "onnxruntime", "cpu", "dev", 42L, null, null, "exact", sources, Instant.EPOCH, Map.of());
        return new Explanation("integrated-gradients", "3;5", List.of("class 3", "class 5"),
                Map.of("x", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)),
                List.of(List.of(new Prediction(3, "class 3", 0.9, 2.0)), List.of(new Prediction(5, "class 5", 0.7, 1.0))),
                Map.of("convergenceDelta", List.of(0.5, -0.25), "steps", 8, "layerShape", List.of(2L, 3L)), provenance);
    }

    @Test
    void anExampleKeepsItsRowsLabelPredictionsAndPerExampleDetails() {
        Explanation second = batchOfTwo(List.of("batch.npy")).example(1);

        assertThat(second.examples()).isEqualTo(1);
        assertThat(second.attribution().shape()).containsExactly(1, 3);
        assertThat(second.attribution().toArray()).containsExactly(4, 5, 6);
        assertThat(second.targetLabels()).containsExactly("class 5");
        assertThat(second.predictions()).hasSize(1);
        assertThat(second.predictions().get(0).get(0).index()).isEqualTo(5);
        assertThat(second.details()).containsEntry("convergenceDelta", List.of(-0.25)).containsEntry("steps", 8)
                .containsEntry("layerShape", List.of(2L, 3L));
        assertThat(second.provenance().inputSources()).containsExactly("batch.npy[1]");
        assertThat(second.targetSpec()).isEqualTo("5");
        assertThat(second.provenance().target()).isEqualTo("5");
    }

    @Test
    void anExampleOfOneSourceEachKeepsItsOwnAndASingleExampleStaysAsItIs() {
        Explanation two = batchOfTwo(List.of("a.npy", "b.npy"));
        assertThat(two.example(0).provenance().inputSources()).containsExactly("a.npy");
        assertThat(two.example(1).provenance().inputSources()).containsExactly("b.npy");
        assertThat(batchOfTwo(List.of("a.npy", "b.npy", "c.npy")).example(1).provenance().inputSources())
                .containsExactly("a.npy", "b.npy", "c.npy");

        Explanation one = two.example(0);
        assertThat(one.example(0)).isSameAs(one);
    }
}
