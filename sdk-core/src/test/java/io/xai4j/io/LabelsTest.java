package io.xai4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.DataType;
import io.xai4j.spi.Dim;
import io.xai4j.spi.ModelSignature;
import io.xai4j.spi.TensorSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsTest {
    @TempDir
    Path dir;

    @Test
    void readsTextAndBothJsonForms() throws Exception {
        assertThat(Labels.read(Files.writeString(dir.resolve("l.txt"), "cat\n\n dog \n"))).containsExactly("cat", "dog");
        assertThat(Labels.read(Files.writeString(dir.resolve("a.json"), "[\"cat\", \"dog\"]")))
                .containsExactly("cat", "dog");
        assertThat(Labels.read(Files.writeString(dir.resolve("o.json"),
                "{\"1\": [\"n02\", \"dog\"], \"0\": [\"n01\", \"cat\"]}"))).containsExactly("cat", "dog");
    }

    @Test
    void badFilesAreInputErrorsThatSayWhy() throws Exception {
        Path gap = Files.writeString(dir.resolve("gap.json"), "{\"0\": \"cat\", \"2\": \"dog\"}");
        assertThatThrownBy(() -> Labels.read(gap)).isInstanceOf(XaiException.class).hasMessageContaining("index 1")
                .extracting(e -> ((XaiException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT);
        Path broken = Files.writeString(dir.resolve("broken.json"), "[\"cat\",");
        assertThatThrownBy(() -> Labels.read(broken)).hasMessageContaining("broken.json").hasMessageContaining("JSON");
        assertThatThrownBy(() -> Labels.resolve(dir.resolve("missing.txt").toString()))
                .hasMessageContaining("missing.txt").hasMessageContaining("does not exist");
        Path devZero = Files.createSymbolicLink(dir.resolve("zero.txt"), Path.of("/dev/zero"));
        assertThatThrownBy(() -> Labels.read(devZero)).hasMessageContaining("zero.txt")
                .hasMessageContaining("not a regular file");
    }

    @Test
    void imagenetIsBuiltInAndChosenForThousandClassOutputs() {
        List<String> names = Labels.resolve("imagenet");
        assertThat(names).hasSize(1000).startsWith("tench", "goldfish");
        assertThat(names.get(999)).isEqualTo("toilet tissue");
        Labels.Choice chosen = Labels.forModel(List.of(), signature(1000));
        assertThat(chosen.names()).isEqualTo(names);
        assertThat(chosen.note()).contains("1000 classes").contains("ImageNet");
        assertThat(Labels.forModel(List.of(), signature(10)).names()).isEmpty();
        Labels.Choice given = Labels.forModel(List.of("a"), signature(1000));
        assertThat(given.names()).containsExactly("a");
        assertThat(given.note()).isNull();
    }

    private static ModelSignature signature(int classes) {
        TensorSpec in = new TensorSpec("x", DataType.FLOAT32, List.of(Dim.symbolic("N"), Dim.fixed(3)));
        TensorSpec out = new TensorSpec("logits", DataType.FLOAT32, List.of(Dim.symbolic("N"), Dim.fixed(classes)));
        return new ModelSignature(List.of(in), List.of(out));
    }
}
