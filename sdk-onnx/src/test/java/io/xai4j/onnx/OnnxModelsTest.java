package io.xai4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelsTest {
    @TempDir
    Path dir;

    @Test
    void missingFileIsModelNotFound() {
        assertThatThrownBy(() -> OnnxModels.read(dir.resolve("absent.onnx")))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND))
                .hasMessageContaining("absent.onnx");
    }

    @Test
    void pngTextAndEmptyFilesAreInvalidModels() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
            0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, (byte) 0xc4, (byte) 0x89};
        Files.write(dir.resolve("image.onnx"), png);
        Files.writeString(dir.resolve("notes.onnx"), "hello, this is not a model\n", StandardCharsets.UTF_8);
        Files.write(dir.resolve("empty.onnx"), new byte[0]);
        for (String name : new String[] {"image.onnx", "notes.onnx", "empty.onnx"}) {
            assertThatThrownBy(() -> OnnxModels.read(dir.resolve(name)))
                    .isInstanceOfSatisfying(XaiException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MODEL))
                    .hasMessageContaining(name).hasMessageContaining("not an ONNX model");
        }
    }

    @Test
    void aNegativeInputDimensionIsAnInvalidModel() {
        ModelProto model = TestModels.linear();
        ModelProto.Builder negative = model.toBuilder();
        negative.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                .getDimBuilder(1).setDimValue(-64);
        Path file = TestModels.write(negative.build(), dir, "negative.onnx");
        assertThatThrownBy(() -> OnnxModels.read(file))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MODEL))
                .hasMessageContaining("negative.onnx' declares input").hasMessageContaining("dimension -64 at axis 1");
        negative.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                .getDimBuilder(1).setDimValue(-1);
        Path unknown = TestModels.write(negative.build(), dir, "unknown.onnx");
        assertThat(OnnxModels.read(unknown).getGraph().getInput(0).getName()).as("-1, an unknown size").isEqualTo("x");
    }

    @Test
    void aModelLinkedToDevZeroIsRefusedUnread() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("zero.onnx"), Path.of("/dev/zero"));
        assertThatThrownBy(() -> OnnxModels.read(link))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_MODEL))
                .hasMessageContaining("zero.onnx is not a regular file");
    }

    @Test
    void writeThenReadRoundTrips() {
        ModelProto model = TestModels.linear();
        Path file = TestModels.write(model, dir, "linear.onnx");
        assertThat(OnnxModels.read(file)).isEqualTo(model);
    }

    @Test
    void sha256OfKnownBytes() throws Exception {
        Path file = dir.resolve("abc.bin");
        Files.writeString(file, "abc", StandardCharsets.US_ASCII);
        assertThat(OnnxModels.sha256(file))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void externalDataReferencesAreLeftUntouched() throws Exception {
        Path file = TestModels.write(TestModels.linearWithExternalWeights(dir), dir, "ext.onnx");
        TensorProto w = OnnxModels.read(file).getGraph().getInitializer(0);
        assertThat(w.getDataLocation()).isEqualTo(TensorProto.DataLocation.EXTERNAL);
        assertThat(w.getRawData().isEmpty()).isTrue();
        assertThat(w.getExternalData(0).getValue()).isEqualTo("weights.bin");
    }

    @Test
    void sameFileSeesThroughSpellingsAndLinks() throws Exception {
        Path model = Files.writeString(dir.resolve("m.onnx"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link.onnx"), model);
        assertThat(OnnxModels.sameFile(dir.resolve("sub/../m.onnx"), model)).isTrue();
        assertThat(OnnxModels.sameFile(link, model)).isTrue();
        assertThat(OnnxModels.sameFile(dir.resolve("absent.onnx"), model)).isFalse();
        assertThat(OnnxModels.sameFile(Files.writeString(dir.resolve("other.onnx"), "x"), model)).isFalse();
    }
}
