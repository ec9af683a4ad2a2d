package io.xai4j.onnx;

import static io.xai4j.onnx.TestModels.FLOAT;
import static io.xai4j.onnx.TestModels.intAttr;
import static io.xai4j.onnx.TestModels.intsAttr;
import static io.xai4j.onnx.TestModels.node;
import static io.xai4j.onnx.TestModels.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.layer.GraphNode;
import io.xai4j.layer.GraphView;
import io.xai4j.io.Npy;
import io.xai4j.layer.LayerSelector;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.spi.Model;
import io.xai4j.spi.ModelOptions;
import io.xai4j.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphViewAndTailTest {
    @TempDir
    Path dir;

    static float[] values(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextDouble(-1, 1);
        }
        return v;
    }

    static final float[] FC_W = values(2, 3 * 4);

    /**
     * x[N,2,5,5] (+ s[N,3] added to the logits when {@code withSecondInput}) -> Conv(4 filters, 3x3, pad 1)
     * -> Relu "/layer1/relu/Relu_output_0" -> GlobalAveragePool -> Flatten -> Gemm(3x4) -> Softmax -> probs[N,3].
     */
    static ModelProto cnn(boolean withSecondInput) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("cnn")
                .addInput(value("x", FLOAT, "N", 2, 5, 5)).addOutput(value("probs", FLOAT, "N", 3))
                .addInitializer(Graphs.floatTensor("conv.W", values(1, 4 * 2 * 9), 4, 2, 3, 3))
                .addInitializer(Graphs.floatTensor("conv.b", new float[] {0.1f, -0.1f, 0.2f, 0f}, 4))
                .addInitializer(Graphs.floatTensor("fc.W", FC_W, 3, 4))
                .addInitializer(Graphs.floatTensor("fc.b", new float[] {0.5f, 0f, -0.5f}, 3))
                .addNode(node("Conv", "/layer1/conv/Conv", new String[] {"x", "conv.W", "conv.b"},
                        new String[] {"/layer1/conv/Conv_output_0"}, intsAttr("pads", 1, 1, 1, 1),
                        intsAttr("kernel_shape", 3, 3)))
                .addNode(node("Relu", "/layer1/relu/Relu", new String[] {"/layer1/conv/Conv_output_0"},
                        new String[] {"/layer1/relu/Relu_output_0"}))
                .addNode(node("GlobalAveragePool", "/avgpool/GlobalAveragePool",
                        new String[] {"/layer1/relu/Relu_output_0"}, new String[] {"pooled"}))
                .addNode(node("Flatten", "/Flatten", new String[] {"pooled"}, new String[] {"flat"}, intAttr("axis", 1)))
                .addNode(node("Gemm", "/fc/Gemm", new String[] {"flat", "fc.W", "fc.b"}, new String[] {"logits"},
                        intAttr("transB", 1)));
        String beforeSoftmax = "logits";
        if (withSecondInput) {
            g.addInput(value("s", FLOAT, "N", 3))
                    .addNode(node("Add", "/shift/Add", new String[] {"logits", "s"}, new String[] {"shifted"}));
            beforeSoftmax = "shifted";
        }
        g.addNode(node("Softmax", "/Softmax", new String[] {beforeSoftmax}, new String[] {"probs"}, intAttr("axis", 1)));
        return TestModels.model(g.build());
    }

    @Test
    void theGraphViewListsNodesInOrderWithAttributesAndConstants() {
        try (OnnxModel model = OnnxModel.load(TestModels.write(cnn(false), dir, "cnn.onnx"), ModelOptions.defaults())) {
            GraphView g = model.graph().orElseThrow();
            assertThat(g.nodes()).extracting(GraphNode::opType)
                    .containsExactly("Conv", "Relu", "GlobalAveragePool", "Flatten", "Gemm", "Softmax");
            assertThat(g.inputs()).containsExactly("x");
            assertThat(g.outputs()).containsExactly("probs");
            GraphNode gemm = g.producer("logits").orElseThrow();
            assertThat(gemm.intAttribute("transB")).contains(1L);
            assertThat(g.nodes().get(0).intsAttribute("pads")).contains(List.of(1L, 1L, 1L, 1L));
            assertThat(g.consumers("/layer1/relu/Relu_output_0")).extracting(GraphNode::opType)
                    .containsExactly("GlobalAveragePool");
            Tensor w = g.constant("fc.W").orElseThrow();
            assertThat(w.shape()).containsExactly(3, 4);
            assertThat(w.toArray()).containsExactly(FC_W);
            assertThat(g.constant("logits")).isEmpty();
            assertThat(g.ancestors("pooled")).contains("x", "conv.W", "/layer1/relu/Relu_output_0")
                    .doesNotContain("logits");
        }
    }

    @Test
    void theTailRunsFromTheLayerToTheOutputsInOneBatch() {
        try (OnnxModel model = OnnxModel.load(TestModels.write(cnn(false), dir, "cnn.onnx"), ModelOptions.defaults())) {
            String layer = "/layer1/relu/Relu_output_0";
            Tensor x = Tensor.of(values(7, 3 * 2 * 25), 3, 2, 5, 5);
            Map<String, Tensor> whole = model.forward(Map.of("x", x), Set.of(layer, "probs"));
            try (Model tail = model.tail(layer)) {
                assertThat(tail.signature().inputNames()).containsExactly(layer);
                assertThat(tail.signature().outputNames()).containsExactly("probs");
                Tensor probs = tail.forward(Map.of(layer, whole.get(layer)), Set.of("probs")).get("probs");
                assertThat(probs.toArray()).containsExactly(whole.get("probs").toArray(), within(1e-6f));
            }
            assertThat(LayerSelector.select(model, Map.of("x", new int[] {1, 2, 5, 5}), null, null).tensor())
                    .isEqualTo(layer);
            assertThat(LayerSelector.select(model, Map.of("x", new int[] {1, 2, 5, 5}), "layer1", null).tensor())
                    .isEqualTo(layer);
        }
    }

    @Test
    void aTailThatStillNeedsAnotherInputOrAnUnknownLayerIsAnError() {
        try (OnnxModel model = OnnxModel.load(TestModels.write(cnn(true), dir, "two.onnx"), ModelOptions.defaults())) {
            assertThatThrownBy(() -> model.tail("/layer1/relu/Relu_output_0"))
                    .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_OP))
                    .hasMessageContaining("[s]").hasMessageContaining("probs");
            assertThatThrownBy(() -> model.tail("nope"))
                    .isInstanceOfSatisfying(XaiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_LAYER))
                    .hasMessageContaining("'nope'");
            try (Model tail = model.tail("shifted")) {
                assertThat(tail.signature().inputNames()).containsExactly("shifted");
            }
        }
    }

    private static final String RESNET_INNER = "/layer4/layer4.0/relu_1/Relu_output_0";

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = GraphViewAndTailTest.class.getResourceAsStream("/gradients/" + name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void theTailFromAnInnerTensorReproducesTheLogits() throws IOException {
        ModelProto resnet = ModelProto.parseFrom(resource("resnet_op13.onnx"));
        Tensor inner = Npy.read(resource("resnet.inner.npy"), "inner");
        Tensor logits = Npy.read(resource("resnet.logits.npy"), "logits");
        ModelProto tail = TailGraph.of(resnet, RESNET_INNER, List.of());
        assertThat(tail.getGraph().getNodeCount()).isLessThan(resnet.getGraph().getNodeCount() / 4);
        try (OnnxModel model = OnnxModel.load(TestModels.write(resnet, dir, "resnet.onnx"), ModelOptions.defaults());
                Model part = model.tail(RESNET_INNER, "logits")) {
            assertThat(part.signature().inputNames()).containsExactly(RESNET_INNER);
            float[] got = part.forward(Map.of(RESNET_INNER, inner), Set.of("logits")).get("logits").toArray();
            float[] expected = logits.toArray();
            assertThat(got).hasSameSizeAs(expected);
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i]).isCloseTo(expected[i], within(1e-4f * (1 + Math.abs(expected[i]))));
            }
        }
    }

    @Test
    void modelInputsTheTailStillReadsStayInputsAndSharedProducersKeepRunning() {
        GraphProto g = GraphProto.newBuilder().setName("split").addInput(value("x", FLOAT, "N", 4))
                .addOutput(value("y", FLOAT, "N", 2))
                .addInitializer(Graphs.int64Tensor("sizes", new long[] {2, 2}, 2))
                .addInitializer(Graphs.int64Tensor("zero", new long[] {0}, 1))
                .addInitializer(Graphs.int64Tensor("two", new long[] {2}, 1))
                .addInitializer(Graphs.int64Tensor("one", new long[] {1}, 1))
                .addNode(node("Split", "split", new String[] {"x", "sizes"}, new String[] {"a", "b"}, intAttr("axis", 1)))
                .addNode(node("Relu", "relu", new String[] {"a"}, new String[] {"ra"}))
                .addNode(node("Mul", "mul", new String[] {"ra", "b"}, new String[] {"m"}))
                .addNode(node("Slice", "slice", new String[] {"x", "zero", "two", "one"}, new String[] {"x0"}))
                .addNode(node("Add", "add", new String[] {"m", "x0"}, new String[] {"y"})).build();
        ModelProto split = TestModels.model(g);
        ModelProto tail = TailGraph.of(split, "a", List.of("y"));
        assertThat(tail.getGraph().getInputList()).extracting(v -> v.getName()).containsExactlyInAnyOrder("x", "a");
        NodeProto splitNode = tail.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Split"))
                .findFirst().orElseThrow();
        assertThat(splitNode.getOutputList()).doesNotContain("a").contains("b");
        try (OnnxModel model = OnnxModel.load(TestModels.write(split, dir, "split.onnx"), ModelOptions.defaults());
                Model part = model.tail("a", "y")) {
            assertThat(part.signature().inputNames()).containsExactlyInAnyOrder("x", "a");
            Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4);
            Tensor a = Tensor.of(new float[] {-5, 6}, 1, 2);
            // y = relu(a) * x[:, 2:4] + x[:, 0:2]
            assertThat(part.forward(Map.of("x", x, "a", a), Set.of("y")).get("y").toArray())
                    .containsExactly(1f, 2f + 6 * 4);
        }
    }

    @Test
    void anUnknownTensorIsNamedWithCloseNames() throws IOException {
        ModelProto resnet = ModelProto.parseFrom(resource("resnet_op13.onnx"));
        assertThatThrownBy(() -> TailGraph.of(resnet, "/layer4/layer4.0/relu_1/Relu_output", List.of()))
                .isInstanceOf(XaiException.class).hasMessageContaining(RESNET_INNER)
                .extracting(e -> ((XaiException) e).code()).isEqualTo(ErrorCode.UNKNOWN_LAYER);
    }
}
