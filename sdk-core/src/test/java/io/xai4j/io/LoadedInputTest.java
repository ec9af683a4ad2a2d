package io.xai4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.image.Preprocessing;
import io.xai4j.spi.DataType;
import io.xai4j.spi.Dim;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadedInputTest {
    /** An input declared with its batch fixed at 6, as PyTorch exports without dynamic axes give. */
    private static final TensorSpec FIXED_SIX = new TensorSpec("x", DataType.FLOAT32, List.of(Dim.fixed(6), Dim.fixed(1)));

    @TempDir
    Path dir;

    private LoadedInput load(Tensor t) {
        Path file = dir.resolve("t.npy");
        Npy.write(file, t);
        return LoadedInput.load(file, FIXED_SIX, Preprocessing.NONE);
    }

    @Test
    void anNpyOfTheDeclaredShapeIsABatchOfItsRows() {
        LoadedInput six = load(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 6, 1));

        assertThat(six.examples()).isEqualTo(6);
        assertThat(six.example(4).tensor().shape()).containsExactly(1, 1);
        assertThat(six.example(4).tensor().get(0)).isEqualTo(5f);
        assertThat(six.example(4).source()).isEqualTo(six.source());
    }

    @Test
    void anyNumberOfExamplesFitsAFixedBatch() {
        assertThat(load(Tensor.of(new float[] {1, 2}, 2, 1)).examples()).isEqualTo(2);
        assertThat(load(Tensor.of(new float[] {7}, 1)).examples()).as("one example without its batch axis").isEqualTo(1);
    }

    @Test
    void examplesOfAnotherShapeAreRefusedWithTheExampleShape() {
        assertThatThrownBy(() -> load(Tensor.zeros(6, 2)))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SHAPE_MISMATCH))
                .hasMessageContaining("has shape [6, 2], but model input 'x' [6,1] takes examples of shape [1]: give"
                        + " one example [1] or a batch [N,1]");
        assertThatThrownBy(() -> load(Tensor.zeros(2, 3, 1))).hasMessageContaining("has shape [2, 3, 1]");
    }

    @Test
    void aMissingFileSaysSoWhateverItsExtension() {
        for (String name : new String[] {"gone", "gone.png", "gone.npy"}) {
            assertThatThrownBy(() -> LoadedInput.load(dir.resolve(name), FIXED_SIX, Preprocessing.NONE))
                    .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                    .hasMessageContaining(name + " does not exist");
        }
    }

    @Test
    void theSpecAcceptsExamplesAfterItsBatchAxis() {
        assertThat(FIXED_SIX.acceptsExamples(new int[] {3, 1})).isTrue();
        assertThat(FIXED_SIX.acceptsExamples(new int[] {6, 2})).isFalse();
        assertThat(FIXED_SIX.acceptsExamples(new int[] {6})).isFalse();
        assertThat(FIXED_SIX.exampleShapeString()).isEqualTo("[1]");
    }
}
