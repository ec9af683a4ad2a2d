package io.xai4j.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.DataType;
import io.xai4j.spi.Dim;
import io.xai4j.spi.LayerInfo;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelCapability;
import io.xai4j.spi.ModelInfo;
import io.xai4j.spi.ModelSignature;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LayerSelectorTest {

    /** A model that only describes its graph: one node per tensor, in order. */
    static final class GraphOnly implements Model, GraphView {
        final List<LayerInfo> layers = new ArrayList<>();
        final List<GraphNode> nodes = new ArrayList<>();
        final List<String> outputs = new ArrayList<>();
        boolean listsLayers = true;

        GraphOnly node(String node, String op, String output, List<String> inputs, long... shape) {
            layers.add(new LayerInfo(output, op, node, Arrays.stream(shape).boxed().toList()));
            nodes.add(new GraphNode(node, op, inputs, List.of(output), Map.of()));
            return this;
        }

        @Override
        public ModelSignature signature() {
            List<TensorSpec> outs = outputs.stream()
                    .map(o -> new TensorSpec(o, DataType.FLOAT32, List.of(Dim.symbolic("N"), Dim.fixed(10)))).toList();
            return new ModelSignature(List.of(new TensorSpec("x", DataType.FLOAT32, List.of(Dim.symbolic("N")))), outs);
        }

        @Override
        public Map<String, Tensor> forward(Map<String, Tensor> inputs, Set<String> wanted) {
            throw new AssertionError("layer selection must not run the model beyond layers()");
        }

        @Override
        public Set<ModelCapability> capabilities() {
            return Set.of(ModelCapability.INTERMEDIATES);
        }

        @Override
        public List<LayerInfo> layers(Map<String, int[]> inputShapes) {
            if (!listsLayers) {
                throw new UnsupportedOperationException("no layers");
            }
            return layers;
        }

        @Override
        public Optional<GraphView> graph() {
            return Optional.of(this);
        }

        @Override
        public ModelInfo info() {
            return new ModelInfo("graph", "0".repeat(64), "test", "cpu");
        }

        @Override
        public void close() {
        }

        @Override
        public List<GraphNode> nodes() {
            return nodes;
        }

        @Override
        public List<String> inputs() {
            return List.of("x");
        }

        @Override
        public List<String> outputs() {
            return outputs;
        }

        @Override
        public Optional<Tensor> constant(String tensor) {
            return Optional.empty();
        }
    }

    /** A PyTorch-style ResNet tail with an early exit after layer3. */
    static GraphOnly resnet() {
        GraphOnly m = new GraphOnly();
        m.node("/layer3/layer3.1/relu_1/Relu", "Relu", "/layer3/layer3.1/relu_1/Relu_output_0", List.of("x"), 1, 256, 14, 14)
                .node("/exit1/GlobalAveragePool", "GlobalAveragePool", "p1", List.of("/layer3/layer3.1/relu_1/Relu_output_0"), 1, 256, 1, 1)
                .node("/exit1/Flatten", "Flatten", "f1", List.of("p1"), 1, 256)
                .node("/exit1/Gemm", "Gemm", "exit1", List.of("f1"), 1, 10)
                .node("/layer4/layer4.1/conv2/Conv", "Conv", "/layer4/layer4.1/conv2/Conv_output_0",
                        List.of("/layer3/layer3.1/relu_1/Relu_output_0"), 1, 512, 7, 7)
                .node("/layer4/layer4.1/Shape", "Shape", "/layer4/layer4.1/Shape_output_0",
                        List.of("/layer4/layer4.1/conv2/Conv_output_0"), 4)
                .node("/layer4/layer4.1/relu_1/Relu", "Relu", "/layer4/layer4.1/relu_1/Relu_output_0",
                        List.of("/layer4/layer4.1/conv2/Conv_output_0"), 1, 512, 7, 7)
                .node("/avgpool/GlobalAveragePool", "GlobalAveragePool", "pooled",
                        List.of("/layer4/layer4.1/relu_1/Relu_output_0"), 1, 512, 1, 1)
                .node("/Flatten", "Flatten", "flat", List.of("pooled"), 1, 512)
                .node("/fc/Gemm", "Gemm", "exit2", List.of("flat"), 1, 10);
        m.outputs.addAll(List.of("exit1", "exit2"));
        return m;
    }

    @Test
    void aTensorNameANodeNameAndAScopeEachResolve() {
        GraphOnly m = resnet();
        assertThat(LayerSelector.select(m, Map.of(), "/layer4/layer4.1/conv2/Conv_output_0", null).tensor())
                .isEqualTo("/layer4/layer4.1/conv2/Conv_output_0");
        assertThat(LayerSelector.select(m, Map.of(), "/layer4/layer4.1/relu_1/Relu", null).tensor())
                .isEqualTo("/layer4/layer4.1/relu_1/Relu_output_0");
        for (String scope : List.of("/layer4/", "layer4", "layer4.1", "layer4/layer4.1")) {
            SelectedLayer s = LayerSelector.select(m, Map.of(), scope, null);
            assertThat(s.tensor()).as(scope).isEqualTo("/layer4/layer4.1/relu_1/Relu_output_0");
            assertThat(s.automatic()).isFalse();
            assertThat(s.shape()).containsExactly(1L, 512L, 7L, 7L);
        }
        assertThat(LayerSelector.select(m, Map.of(), "layer3", null).tensor())
                .isEqualTo("/layer3/layer3.1/relu_1/Relu_output_0");
    }

    @Test
    void anUnknownNameListsTheClosestNames() {
        assertThatThrownBy(() -> LayerSelector.select(resnet(), Map.of(), "/layer4/layer4.1/relu/Relu", null))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_LAYER))
                .hasMessageContaining("unknown layer '/layer4/layer4.1/relu/Relu'")
                .hasMessageContaining("/layer4/layer4.1/relu_1/Relu");
        assertThatThrownBy(() -> LayerSelector.select(resnet(), Map.of(), "layer5", null))
                .hasMessageContaining("closest");
    }

    @Test
    void automaticSelectionTakesTheLastSpatialActivationOnThePathToTheTargetOutput() {
        SelectedLayer late = LayerSelector.select(resnet(), Map.of(), null, "exit2");
        assertThat(late.tensor()).isEqualTo("/layer4/layer4.1/relu_1/Relu_output_0");
        assertThat(late.automatic()).isTrue();
        assertThat(late.reason()).contains("exit2");
        assertThat(LayerSelector.select(resnet(), Map.of(), null, "exit1").tensor())
                .isEqualTo("/layer3/layer3.1/relu_1/Relu_output_0");
        assertThat(LayerSelector.select(resnet(), Map.of(), null, null).tensor())
                .as("the first output").isEqualTo("/layer3/layer3.1/relu_1/Relu_output_0");
    }

    @Test
    void aVitWithAClassTokenReadoutGetsTheLastNormBeforeAttention() {
        GraphOnly m = new GraphOnly();
        m.node("embed", "Add", "tokens", List.of("x"), 1, 197, 64)
                .node("/blocks.0/norm1/LayerNormalization", "LayerNormalization", "n0", List.of("tokens"), 1, 197, 64)
                .node("/blocks.0/attn/Softmax", "Softmax", "a0", List.of("n0"), 1, 4, 197, 197)
                .node("/blocks.0/Add", "Add", "b0", List.of("a0", "tokens"), 1, 197, 64)
                .node("/blocks.1/norm1/LayerNormalization", "LayerNormalization", "n1", List.of("b0"), 1, 197, 64)
                .node("/blocks.1/attn/Softmax", "Softmax", "a1", List.of("n1"), 1, 4, 197, 197)
                .node("/blocks.1/Add", "Add", "b1", List.of("a1", "b0"), 1, 197, 64)
                .node("/norm/LayerNormalization", "LayerNormalization", "final", List.of("b1"), 1, 197, 64)
                .node("/Gather", "Gather", "cls", List.of("final"), 1, 64)
                .node("/head/Gemm", "Gemm", "logits", List.of("cls"), 1, 10);
        m.outputs.add("logits");
        assertThat(LayerSelector.select(m, Map.of(), null, null).tensor()).isEqualTo("n1");

        GraphOnly mean = new GraphOnly();
        mean.node("embed", "Add", "tokens", List.of("x"), 1, 196, 64)
                .node("/blocks.0/Add", "Add", "b0", List.of("tokens"), 1, 196, 64)
                .node("/ReduceMean", "ReduceMean", "pooled", List.of("b0"), 1, 64)
                .node("/head/Gemm", "Gemm", "logits", List.of("pooled"), 1, 10);
        mean.outputs.add("logits");
        assertThat(LayerSelector.select(mean, Map.of(), null, null).tensor()).isEqualTo("b0");
    }

    @Test
    void aModelWithoutSpatialOrTokenLayersNeedsAnExplicitLayer() {
        GraphOnly m = new GraphOnly();
        m.node("fc", "Gemm", "y", List.of("x"), 1, 10);
        m.outputs.add("y");
        assertThatThrownBy(() -> LayerSelector.select(m, Map.of(), null, null))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_LAYER))
                .hasMessageContaining("--layer");
        m.listsLayers = false;
        assertThat(LayerSelector.select(m, Map.of(), "anything", null).tensor()).isEqualTo("anything");
        assertThatThrownBy(() -> LayerSelector.select(m, Map.of(), null, null)).hasMessageContaining("--layer");
    }

    /** ConvNeXt: the head normalises the pooled vector channels-last, [1,1,1,768], which is no spatial map. */
    @Test
    void theInputOfTheHeadsGlobalPoolingWinsOverLaterChannelsLastTensors() {
        GraphOnly m = new GraphOnly();
        m.node("/features/se/GlobalAveragePool", "GlobalAveragePool", "se", List.of("x"), 1, 768, 1, 1)
                .node("/features/Mul", "Mul", "features", List.of("x", "se"), 1, 768, 2, 2)
                .node("/avgpool/GlobalAveragePool", "GlobalAveragePool", "pooled", List.of("features"), 1, 768, 1, 1)
                .node("/classifier/Transpose", "Transpose", "nhwc", List.of("pooled"), 1, 1, 1, 768)
                .node("/classifier/LayerNormalization", "LayerNormalization", "normed", List.of("nhwc"), 1, 1, 1, 768)
                .node("/classifier/Flatten", "Flatten", "flat", List.of("normed"), 1, 768)
                .node("/classifier/Gemm", "Gemm", "logits", List.of("flat"), 1, 10);
        m.outputs.add("logits");
        SelectedLayer s = LayerSelector.select(m, Map.of(), null, null);
        assertThat(s.tensor()).isEqualTo("features");
        assertThat(s.reason()).contains("global pooling");
    }

    /** Inception at a small input: the last block is 1x1, so the map before it, not a tensor inside a branch. */
    @Test
    void aOneByOnePooledMapFallsBackToTheLastSpatialMapOnTheMainPath() {
        GraphOnly m = new GraphOnly();
        m.node("/Mixed_6e/Concat", "Concat", "m6e", List.of("x"), 1, 768, 3, 3)
                .node("/Mixed_7a/Conv", "Conv", "a", List.of("m6e"), 1, 320, 1, 1)
                .node("/Mixed_7a/MaxPool", "MaxPool", "b", List.of("m6e"), 1, 768, 1, 1)
                .node("/Mixed_7a/Concat", "Concat", "m7a", List.of("a", "b"), 1, 1088, 1, 1)
                .node("/Mixed_7c/Conv", "Conv", "c", List.of("m7a"), 1, 320, 1, 1)
                .node("/Mixed_7c/Pad", "Pad", "padded", List.of("m7a"), 1, 1088, 3, 3)
                .node("/Mixed_7c/AveragePool", "AveragePool", "d", List.of("padded"), 1, 1088, 1, 1)
                .node("/Mixed_7c/Concat", "Concat", "m7c", List.of("c", "d"), 1, 1408, 1, 1)
                .node("/avgpool/GlobalAveragePool", "GlobalAveragePool", "pooled", List.of("m7c"), 1, 1408, 1, 1)
                .node("/Flatten", "Flatten", "flat", List.of("pooled"), 1, 1408)
                .node("/fc/Gemm", "Gemm", "logits", List.of("flat"), 1, 10);
        m.outputs.add("logits");
        SelectedLayer s = LayerSelector.select(m, Map.of(), null, null);
        assertThat(s.tensor()).as("not the Pad inside a branch of the last block").isEqualTo("m6e");
        assertThat(s.reason()).contains("main path");
    }
}
