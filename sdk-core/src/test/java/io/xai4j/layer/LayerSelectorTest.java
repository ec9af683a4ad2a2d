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
            return node(node, op, output, inputs, Map.of(), shape);
        }

        GraphOnly node(String node, String op, String output, List<String> inputs, Map<String, Object> attributes,
                long... shape) {
            layers.add(new LayerInfo(output, op, node, Arrays.stream(shape).boxed().toList()));
            nodes.add(new GraphNode(node, op, inputs, List.of(output), attributes));
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

    /** A tf2onnx export: the last map is transposed to [N,H,W,C] and pooled by a ReduceMean over H and W. */
    static GraphOnly channelsLastHead() {
        GraphOnly m = new GraphOnly();
        m.node("model/conv/Conv2D", "Conv", "conv", List.of("x"), 1, 32, 16, 16)
                .node("model/conv/Relu", "Relu", "relu", List.of("conv"), 1, 32, 16, 16)
                .node("model/conv/Relu__20", "Transpose", "nhwc", List.of("relu"), Map.of("perm", List.of(0L, 2L, 3L, 1L)),
                        1, 16, 16, 32)
                .node("model/gap/Mean", "ReduceMean", "gap", List.of("nhwc"), 1, 32)
                .node("model/dense/MatMul", "MatMul", "logits", List.of("gap"), 1, 10);
        m.outputs.add("logits");
        return m;
    }

    @Test
    void aChannelsLastMapBeforeTheHeadIsTakenAsTheChannelsFirstMapItWasTransposedFrom() {
        GraphOnly m = channelsLastHead();
        SelectedLayer s = LayerSelector.select(m, Map.of(), null, null);
        assertThat(s.tensor()).isEqualTo("relu");
        assertThat(s.shape()).containsExactly(1L, 32L, 16L, 16L);
        assertThat(s.reason()).contains("[N,C,H,W]");
        assertThat(ChannelsLast.is(m, "nhwc")).isTrue();
        assertThat(ChannelsLast.is(m, "relu")).isFalse();
        assertThat(ChannelsLast.channelsFirstSource(m, "nhwc")).contains("relu");
    }

    @Test
    void aChannelsLastMapWithoutAChannelsFirstTwinIsTakenAndSaidToBeChannelsLast() {
        GraphOnly m = new GraphOnly();
        m.node("conv", "Conv", "conv", List.of("x"), 1, 32, 16, 16)
                .node("to_nhwc", "Transpose", "nhwc", List.of("conv"), Map.of("perm", List.of(0L, 2L, 3L, 1L)),
                        1, 16, 16, 32)
                .node("relu", "Relu", "relu", List.of("nhwc"), 1, 16, 16, 32)
                .node("scale", "Mul", "scaled", List.of("relu", "relu"), 1, 16, 16, 32)
                .node("gap", "ReduceMean", "gap", List.of("scaled"), 1, 32)
                .node("dense", "MatMul", "logits", List.of("gap"), 1, 10);
        m.outputs.add("logits");
        SelectedLayer s = LayerSelector.select(m, Map.of(), null, null);
        assertThat(s.tensor()).isEqualTo("scaled");
        assertThat(s.reason()).contains("channels-last [N,H,W,C]");
        assertThat(ChannelsLast.is(m, "scaled")).as("Relu and Mul keep the layout").isTrue();
        assertThat(ChannelsLast.channelsFirstSource(m, "scaled")).isEmpty();
    }

    @Test
    void aTransposeWithAnotherPermutationIsNotChannelsLast() {
        GraphOnly m = new GraphOnly();
        m.node("t", "Transpose", "t", List.of("x"), Map.of("perm", List.of(0L, 1L, 3L, 2L)), 1, 8, 5, 4)
                .node("back", "Transpose", "back", List.of("x"), Map.of("perm", List.of(0L, 3L, 1L, 2L)), 1, 8, 5, 4);
        assertThat(ChannelsLast.is(m, "t")).isFalse();
        assertThat(ChannelsLast.is(m, "back")).isFalse();
        assertThat(ChannelsLast.is(m, "x")).as("a graph input").isFalse();
    }

    @Test
    void theEmbeddingLookupOfATokenInputIsAGatherFromAWeightTable() {
        GraphOnly m = new GraphOnly();
        m.node("shape_gather", "Gather", "picked", List.of("x", "x"), 1, 8)
                .node("cast", "Cast", "ids", List.of("x"), 1, 8)
                .node("/embed/Gather", "Gather", "embedded", List.of("embed.weight", "ids"), 1, 8, 16)
                .node("/pos/Gather", "Gather", "positions", List.of("pos.weight", "ids"), 1, 8, 16);
        assertThat(Embeddings.lookupOf(m, "x")).as("the first lookup; a table computed from the input is none")
                .contains("embedded");
        assertThat(Embeddings.lookupOf(m, "embedded")).isEmpty();
        assertThat(Embeddings.isLookup(m, "positions")).isTrue();
        assertThat(Embeddings.isLookup(m, "picked")).isFalse();
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

    /**
     * Adds a layer normalisation of {@code input} as PyTorch exports it at opset 13 (weights, bias, epsilon and
     * exponent are initializers, so they have no producer); returns its output.
     */
    static String decomposedLayerNorm(GraphOnly m, String scope, String input, boolean squareByMul,
            boolean reciprocal, boolean affine, long... shape) {
        long[] reduced = shape.clone();
        reduced[reduced.length - 1] = 1;
        m.node(scope + "/ReduceMean", "ReduceMean", scope + "/mean", List.of(input), reduced)
                .node(scope + "/Sub", "Sub", scope + "/d", List.of(input, scope + "/mean"), shape);
        if (squareByMul) {
            m.node(scope + "/Mul_sq", "Mul", scope + "/sq", List.of(scope + "/d", scope + "/d"), shape);
        } else {
            m.node(scope + "/Pow", "Pow", scope + "/sq", List.of(scope + "/d", "two"), shape);
        }
        m.node(scope + "/ReduceMean_1", "ReduceMean", scope + "/var", List.of(scope + "/sq"), reduced)
                .node(scope + "/Add", "Add", scope + "/var_eps", List.of(scope + "/var", "eps"), reduced)
                .node(scope + "/Sqrt", "Sqrt", scope + "/std", List.of(scope + "/var_eps"), reduced);
        if (reciprocal) {
            m.node(scope + "/Reciprocal", "Reciprocal", scope + "/inv", List.of(scope + "/std"), reduced)
                    .node(scope + "/Mul_norm", "Mul", scope + "/normed", List.of(scope + "/inv", scope + "/d"), shape);
        } else {
            m.node(scope + "/Div", "Div", scope + "/normed", List.of(scope + "/d", scope + "/std"), shape);
        }
        if (!affine) {
            return scope + "/normed";
        }
        m.node(scope + "/Mul", "Mul", scope + "/scaled", List.of(scope + "/normed", scope + "/weight"), shape)
                .node(scope + "/Add_1", "Add", scope + "/Add_1_output_0", List.of(scope + "/scaled", scope + "/bias"),
                        shape);
        return scope + "/Add_1_output_0";
    }

    /** A two-block class-token ViT at opset 13: every layer norm decomposed, the head reads token 0 of the last. */
    static GraphOnly vitOpset13(boolean squareByMul, boolean reciprocal, boolean affine) {
        GraphOnly m = new GraphOnly();
        m.node("/embed/Add", "Add", "tokens", List.of("x"), 1, 17, 32);
        String residual = "tokens";
        for (int b = 0; b < 2; b++) {
            String block = "/encoder/layers/encoder_layer_" + b;
            String normed = decomposedLayerNorm(m, block + "/ln_1", residual, squareByMul, reciprocal, affine,
                    1, 17, 32);
            m.node(block + "/MatMul_v", "MatMul", block + "/v", List.of(normed), 1, 17, 32)
                    .node(block + "/Softmax", "Softmax", block + "/attn", List.of(normed), 2, 17, 17)
                    .node(block + "/MatMul", "MatMul", block + "/o", List.of(block + "/attn", block + "/v"), 1, 17, 32)
                    .node(block + "/Add_2", "Add", block + "/out", List.of(block + "/o", residual), 1, 17, 32);
            residual = block + "/out";
        }
        String last = decomposedLayerNorm(m, "/encoder/ln", residual, squareByMul, reciprocal, affine, 1, 17, 32);
        m.node("/Gather", "Gather", "cls", List.of(last), 1, 32)
                .node("/heads/head/Gemm", "Gemm", "logits", List.of("cls"), 1, 10);
        m.outputs.add("logits");
        return m;
    }

    @Test
    void aVitWithDecomposedLayerNormsGetsTheNormBeforeTheLastAttention() {
        SelectedLayer s = LayerSelector.select(vitOpset13(false, false, true), Map.of(), null, null);
        assertThat(s.tensor()).isEqualTo("/encoder/layers/encoder_layer_1/ln_1/Add_1_output_0");
        assertThat(s.reason()).contains("normalised input of the last attention");
        assertThat(LayerSelector.select(vitOpset13(true, true, false), Map.of(), null, null).tensor())
                .as("Mul(d, d), Reciprocal then Mul, no affine")
                .isEqualTo("/encoder/layers/encoder_layer_1/ln_1/normed");
        assertThat(LayerSelector.select(vitOpset13(true, false, true), Map.of(), null, null).tensor())
                .isEqualTo("/encoder/layers/encoder_layer_1/ln_1/Add_1_output_0");
    }

    /** Neither a fused nor a decomposed norm: the residual stream entering the last attention block. */
    @Test
    void aClassTokenReadoutWithoutNormsGetsTheInputOfTheLastAttentionBlock() {
        GraphOnly m = new GraphOnly();
        m.node("/embed/Add", "Add", "tokens", List.of("x"), 1, 17, 32);
        String residual = "tokens";
        for (int b = 0; b < 2; b++) {
            String p = "/blocks." + b;
            m.node(p + "/q/MatMul", "MatMul", p + "/q", List.of(residual), 1, 17, 32)
                    .node(p + "/k/MatMul", "MatMul", p + "/k", List.of(residual), 1, 17, 32)
                    .node(p + "/v/MatMul", "MatMul", p + "/v", List.of(residual), 1, 17, 32)
                    .node(p + "/attn/Softmax", "Softmax", p + "/attn", List.of(p + "/q", p + "/k"), 1, 2, 17, 17)
                    .node(p + "/MatMul", "MatMul", p + "/o", List.of(p + "/attn", p + "/v"), 1, 17, 32)
                    .node(p + "/Add", "Add", p + "/out", List.of(p + "/o", residual), 1, 17, 32)
                    .node(p + "/mlp/MatMul", "MatMul", p + "/mlp", List.of(p + "/out"), 1, 17, 32)
                    .node(p + "/Add_1", "Add", p + "/res", List.of(p + "/mlp", p + "/out"), 1, 17, 32);
            residual = p + "/res";
        }
        m.node("/Gather", "Gather", "cls", List.of(residual), 1, 32)
                .node("/head/Gemm", "Gemm", "logits", List.of("cls"), 1, 10);
        m.outputs.add("logits");
        SelectedLayer s = LayerSelector.select(m, Map.of(), null, null);
        assertThat(s.tensor()).as("not v (read after the Softmax, but not by it), nor a tensor after the Softmax")
                .isEqualTo("/blocks.0/res");
        assertThat(s.reason()).contains("input of the last attention block");
    }

    /** LR-ASPP: low (1/8) and high (1/16, upsampled to 1/8) branches, each with a classifier conv, summed, resized. */
    @Test
    void aSegmentationOutputWithTwoClassifierBranchesGetsTheDeepestClassifierInput() {
        GraphOnly m = new GraphOnly();
        m.node("/backbone/low/Relu", "Relu", "low", List.of("x"), 1, 40, 8, 8)
                .node("/backbone/high/Relu", "Relu", "high", List.of("low"), 1, 960, 4, 4)
                .node("/head/cbr/Conv", "Conv", "cbr_conv", List.of("high"), 1, 128, 4, 4)
                .node("/head/cbr/Relu", "Relu", "cbr", List.of("cbr_conv"), 1, 128, 4, 4)
                .node("/head/scale/GlobalAveragePool", "GlobalAveragePool", "gap", List.of("high"), 1, 960, 1, 1)
                .node("/head/scale/Conv", "Conv", "scale_conv", List.of("gap"), 1, 128, 1, 1)
                .node("/head/scale/Sigmoid", "Sigmoid", "scale", List.of("scale_conv"), 1, 128, 1, 1)
                .node("/head/Mul", "Mul", "/head/Mul_output_0", List.of("cbr", "scale"), 1, 128, 4, 4)
                .node("/head/Resize", "Resize", "up", List.of("/head/Mul_output_0", "", "", "sizes"), 1, 128, 8, 8)
                .node("/head/low_classifier/Conv", "Conv", "low_scores", List.of("low", "wl", "bl"), 1, 4, 8, 8)
                .node("/head/high_classifier/Conv", "Conv", "high_scores", List.of("up", "wh", "bh"), 1, 4, 8, 8)
                .node("/head/Add", "Add", "scores", List.of("low_scores", "high_scores"), 1, 4, 8, 8)
                .node("/Resize", "Resize", "out", List.of("scores", "", "", "sizes"), 1, 4, 64, 64);
        m.outputs.add("out");
        SelectedLayer s = LayerSelector.select(m, Map.of(), null, "out");
        assertThat(s.tensor()).as("the high branch's classifier input, before its upsampling")
                .isEqualTo("/head/Mul_output_0");
        assertThat(s.shape()).containsExactly(1L, 128L, 4L, 4L);
        assertThat(s.reason()).contains("classifier of the segmentation output 'out'")
                .contains("2 classifier branches");
    }

    /** DeepLabV3: an ASPP with a pooling branch, a 3x3 conv, one classifier conv, a resize to the input size. */
    @Test
    void aSegmentationOutputWithOneClassifierGetsItsInput() {
        GraphOnly m = new GraphOnly();
        m.node("/backbone/layer4/Relu", "Relu", "c5", List.of("x"), 1, 2048, 8, 8)
                .node("/aspp/convs.0/Relu", "Relu", "b0", List.of("c5"), 1, 256, 8, 8)
                .node("/aspp/pool/GlobalAveragePool", "GlobalAveragePool", "gap", List.of("c5"), 1, 2048, 1, 1)
                .node("/aspp/pool/Conv", "Conv", "gap_conv", List.of("gap"), 1, 256, 1, 1)
                .node("/aspp/pool/Resize", "Resize", "b1", List.of("gap_conv", "", "", "sizes"), 1, 256, 8, 8)
                .node("/aspp/Concat", "Concat", "cat", List.of("b0", "b1"), 1, 512, 8, 8)
                .node("/aspp/project/Relu", "Relu", "aspp", List.of("cat"), 1, 256, 8, 8)
                .node("/head/conv/Conv", "Conv", "head_conv", List.of("aspp"), 1, 256, 8, 8)
                .node("/head/relu/Relu", "Relu", "features", List.of("head_conv"), 1, 256, 8, 8)
                .node("/head/classifier/Conv", "Conv", "logits", List.of("features", "w", "b"), 1, 21, 8, 8)
                .node("/Resize", "Resize", "out", List.of("logits", "", "", "sizes"), 1, 21, 64, 64)
                .node("/Softmax", "Softmax", "probs", List.of("out"), 1, 21, 64, 64);
        m.outputs.addAll(List.of("out", "probs"));
        for (String output : List.of("out", "probs")) {
            SelectedLayer s = LayerSelector.select(m, Map.of(), null, output);
            assertThat(s.tensor()).as(output).isEqualTo("features");
            assertThat(s.reason()).contains("segmentation output '" + output + "'").doesNotContain("branches");
        }
    }

    /** A map output with no classifier conv behind it keeps the last spatial map. */
    @Test
    void aMapOutputWithoutAClassifierConvKeepsTheLastSpatialMap() {
        GraphOnly m = new GraphOnly();
        m.node("/enc/Relu", "Relu", "features", List.of("x"), 1, 16, 8, 8)
                .node("/dec/ConvTranspose", "ConvTranspose", "decoded", List.of("features"), 1, 3, 16, 16);
        m.outputs.add("decoded");
        assertThat(LayerSelector.select(m, Map.of(), null, null).tensor()).isEqualTo("decoded");
    }

    /**
     * An LSTM classifier as PyTorch exports it with batch_first: the LSTM node's raw output is [T, directions, N, H]
     * (4-D, but its first axis is not the batch), then transposed to [N, T, 2H]; the head reads the last step.
     */
    static GraphOnly lstm() {
        GraphOnly m = new GraphOnly();
        m.node("/rnn/Transpose", "Transpose", "time_major", List.of("x"), 20, 1, 4)
                .node("/rnn/LSTM", "LSTM", "raw", List.of("time_major"), 20, 2, 1, 32)
                .node("/rnn/Transpose_1", "Transpose", "steps_major", List.of("raw"), 20, 1, 2, 32)
                .node("/rnn/Reshape", "Reshape", "merged", List.of("steps_major"), 20, 1, 64)
                .node("/rnn/Transpose_2", "Transpose", "sequence", List.of("merged"), 1, 20, 64)
                .node("/Gather", "Gather", "last", List.of("sequence"), 1, 64)
                .node("/head/Gemm", "Gemm", "logits", List.of("last"), 1, 10);
        m.outputs.add("logits");
        return m;
    }

    @Test
    void aRecurrentModelGetsItsBatchFirstSequenceNotTheRawLstmOutput() {
        SelectedLayer s = LayerSelector.select(lstm(), Map.of("x", new int[] {1, 20, 4}), null, null);

        assertThat(s.tensor()).isEqualTo("sequence");
        assertThat(s.reason()).contains("the last [N,T,C] tensor over the input's 20 time steps");
    }

    @Test
    void aGivenLayerWhoseFirstAxisIsNotTheBatchIsAUsageError() {
        assertThatThrownBy(() -> LayerSelector.select(lstm(), Map.of("x", new int[] {1, 20, 4}), "raw", null))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_LAYER))
                .hasMessageContaining("layer 'raw' has shape [20, 2, 1, 32] for a batch of 1: its first axis is not"
                        + " the batch");
    }

    @Test
    void aModelWithoutABatchFirstMapOrSequenceGetsAUsageErrorThatSaysHowToChoose() {
        assertThatThrownBy(() -> LayerSelector.select(lstm(), Map.of("x", new int[] {1, 80}), null, null))
                .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_LAYER))
                .hasMessageContaining("each with the batch on its first axis; give one with --layer");
    }
}
