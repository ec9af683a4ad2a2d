package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.OnnxAttributes.of;
import static org.assertj.core.api.Assertions.assertThat;

import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto.DataType;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Models below opset 18 are upgraded before differentiation. Each check compares the upgraded forward output
 * with ONNX Runtime running the original model, and the gradient with finite differences of the original.
 */
class OpsetUpgradeTest {
    @Test
    void opset11AttributesBecomeInputsAndSoftmaxKeepsItsFlatteningSemantics() {
        RuleCheck.of(t -> TestGraph.of(t).opset(11).input("x", 2, 3, 4)
                .node("Unsqueeze", "x", "u", of("axes", 0L, 4)).node("Squeeze", "u", "s", of("axes", 0L, 4))
                .node("Split", "s", "p,q", of("axis", 2L), of("split", 1L, 3))
                .node("ReduceMean", "q", "m", of("axes", new long[] {2}), of("keepdims", 1L))
                .node("ReduceSum", "p", "r", of("axes", new long[] {1}), of("keepdims", 1L))
                .node("Mul", "m,r", "mr").node("Add", "s,mr", "z")
                .node("Softmax", "z", "y", of("axis", 1L)).output("y").build())
                .shape("x", 2, 3, 4).run();
    }

    @Test
    void opset11LogSoftmaxAndReduceMaxWithAxesAttribute() {
        RuleCheck.of(t -> TestGraph.of(t).opset(11).input("x", 2, 3, 4)
                .node("ReduceMax", "x", "m", of("axes", new long[] {2}), of("keepdims", 1L))
                .node("Sub", "x,m", "z").node("LogSoftmax", "z", "y", of("axis", 1L)).output("y").build())
                .shape("x", 2, 3, 4).run();
    }

    @Test
    void opset6ClipAndOpset2PadAttributes() {
        RuleCheck.of(t -> TestGraph.of(t).opset(6).input("x", 2, 3)
                .node("Clip", "x", "c", of("min", -0.5f), of("max", 0.5f)).output("c").build())
                .shape("x", 2, 3).run();
        RuleCheck.of(t -> TestGraph.of(t).opset(2).input("x", 2, 3)
                .node("Pad", "x", "y", of("pads", 0L, 1, 1, 2), of("value", 0.5f)).output("y").build())
                .shape("x", 2, 3).run();
    }

    @Test
    void opset9SliceAttributesAndUpsample() {
        RuleCheck.of(t -> TestGraph.of(t).opset(9).input("x", 2, 5)
                .node("Slice", "x", "y", of("starts", new long[] {1}), of("ends", new long[] {4}), of("axes", new long[] {1}))
                .output("y").build()).shape("x", 2, 5).run();
        RuleCheck.of(t -> TestGraph.of(t).opset(9).input("x", 1, 1, 2, 3)
                .tensor(OnnxTensors.ofDoubles("sc", DataType.FLOAT_VALUE, new double[] {1, 1, 2, 2}, 4))
                .node("Upsample", "x,sc", "y", of("mode", "linear")).output("y").build()).shape("x", 1, 1, 2, 3).run();
    }

    @Test
    void opset10ResizeNearest() {
        RuleCheck.of(t -> TestGraph.of(t).opset(10).input("x", 1, 1, 2, 3)
                .tensor(OnnxTensors.ofDoubles("sc", DataType.FLOAT_VALUE, new double[] {1, 1, 2, 3}, 4))
                .node("Resize", "x,sc", "y", of("mode", "nearest")).output("y").build()).shape("x", 1, 1, 2, 3).run();
    }

    @Test
    void upgradedModelImportsOpset18WithoutMovedAttributes() {
        ModelProto m = TestGraph.of(DataType.FLOAT_VALUE).opset(11).input("x", 2, 3, 4)
                .node("ReduceMean", "x", "m", of("axes", new long[] {1})).node("Split", "m", "a,b", of("axis", 2L))
                .node("Add", "a,b", "y").output("y").build();
        Map<String, TensorInfo> infos = new HashMap<>(ShapeProbe.probe(RuleCheck.ENV, m, Map.of("x", new int[] {2, 3, 4}), null).infos());
        ModelProto up = OpsetUpgrade.toOpset18(m, infos);
        assertThat(OpsetUpgrade.defaultOpset(up)).isEqualTo(18);
        assertThat(up.getIrVersion()).isGreaterThanOrEqualTo(8);
        NodeProto reduce = up.getGraph().getNode(0);
        assertThat(OnnxAttributes.has(reduce, "axes")).isFalse();
        assertThat(reduce.getInputCount()).isEqualTo(2);
        NodeProto split = up.getGraph().getNode(1);
        assertThat(OnnxAttributes.getInt(split, "num_outputs", -1)).isEqualTo(2);
    }
}
