package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.OnnxAttributes.of;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtSession;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto.DataType;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KinkProbeTest {
    private static final double[] X = {-1, 0.25, 0.75, 2, 3, -2, 0.1, 0.2};

    @Test
    void decisionsAreSignsBoundsAndPositionsInThePlane() throws Exception {
        ModelProto m = TestGraph.of(DataType.FLOAT_VALUE).input("x", 2, 1, 2, 2).values("lo", new double[] {-0.5})
                .values("hi", new double[] {0.5}).values("slope", new double[] {0.1})
                .node("Relu", "x", "r").node("LeakyRelu", "x", "l").node("PRelu", "x,slope", "p")
                .node("Clip", "x,lo,hi", "c").node("MaxPool", "x", "m", of("kernel_shape", 2L, 2))
                .node("MaxPool", "x", "m2,idx", of("kernel_shape", 2L, 2)).node("Sum", "r,l,p,c", "y")
                .output("y").output("m").output("m2").build();
        ModelProto probed = KinkProbe.instrument(m);

        Map<String, double[]> out = run(probed);
        assertThat(out.get("kink:r")).containsExactly(0, 1, 1, 1, 1, 0, 1, 1);
        assertThat(out.get("kink:l")).containsExactly(-1, 1, 1, 1, 1, -1, 1, 1);
        assertThat(out.get("kink:p")).containsExactly(-1, 1, 1, 1, 1, -1, 1, 1);
        assertThat(out.get("kink:c")).containsExactly(-1, 0, 1, 1, 1, -1, 0, 0);
        // the element each window takes, within the plane of its example and channel
        assertThat(out.get("kink:m")).containsExactly(3, 0);
        assertThat(out.get("kink:m2")).containsExactly(3, 0);
        assertThat(out.get("y")).isEqualTo(run(m).get("y"));
        assertThat(probed.getGraph().getNodeList()).filteredOn(n -> n.getOpType().equals("MaxPool"))
                .extracting(NodeProto::getOutputCount).containsExactly(2, 2);
        assertThat(probed.getGraph().getOutputList()).extracting(ValueInfoProto::getName)
                .containsExactly("y", "m", "m2", "kink:r", "kink:l", "kink:p", "kink:c", "kink:m", "kink:m2");
    }

    @Test
    void aModelBelowOpset10IsLeftAsItIs() {
        ModelProto m = TestGraph.of(DataType.FLOAT_VALUE).opset(9).input("x", 2, 3).node("Relu", "x", "y").output("y")
                .build();
        assertThat(KinkProbe.instrument(m)).isSameAs(m);
    }

    private static Map<String, double[]> run(ModelProto m) throws Exception {
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
                OrtSession session = RuleCheck.ENV.createSession(m.toByteArray(), opts)) {
            return RuleCheck.runAll(session, m, Map.of("x", new int[] {2, 1, 2, 2}), Map.of("x", X));
        }
    }
}
