package io.xai4j.onnx.grad;

import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The context of a node whose inputs and output gradients are replaced by other tensors of the same shapes and
 * types, for {@link io.xai4j.spi.backward.BackwardContext#baseBackward}; everything else is the node's.
 */
final class SubstitutedContext implements BackwardContext {
    private final BackwardContext inner;
    private final NodeProto node;
    private final List<String> outputGradients;
    private final Map<String, String> originals = new HashMap<>();

    SubstitutedContext(BackwardContext inner, List<String> inputs, List<String> outputGradients) {
        this.inner = inner;
        NodeProto.Builder b = inner.node().toBuilder();
        for (int i = 0; i < inputs.size(); i++) {
            String original = inner.input(i);
            String substitute = inputs.get(i) == null ? "" : inputs.get(i);
            if (original.isEmpty() != substitute.isEmpty()) {
                throw inner.unsupported("baseBackward: input " + i + " must be " + (original.isEmpty()
                        ? "absent (empty), as the node's is" : "present, as the node's is"));
            }
            b.setInput(i, substitute);
            if (!substitute.equals(original)) {
                originals.put(substitute, original);
            }
        }
        this.node = b.build();
        this.outputGradients = outputGradients;
    }

    private String original(String tensor) {
        return originals.getOrDefault(tensor, tensor);
    }

    @Override
    public NodeProto node() {
        return node;
    }

    @Override
    public int inputCount() {
        return node.getInputCount();
    }

    @Override
    public String input(int i) {
        return i < node.getInputCount() ? node.getInput(i) : "";
    }

    @Override
    public String output(int i) {
        return inner.output(i);
    }

    @Override
    public TensorInfo info(String tensor) {
        return inner.info(original(tensor));
    }

    @Override
    public String outputGradient(int i) {
        return i < outputGradients.size() ? outputGradients.get(i) : null;
    }

    @Override
    public boolean needsGradient(int i) {
        return inner.needsGradient(i);
    }

    @Override
    public Optional<TensorProto> constantValue(String tensor) {
        return originals.containsKey(tensor) ? Optional.empty() : inner.constantValue(tensor);
    }

    @Override
    public String requireOutput(int i) {
        throw inner.unsupported("baseBackward cannot add output " + i + " to a node with substituted inputs");
    }

    @Override
    public String emit(String opType, List<String> inputs, AttributeProto... attributes) {
        return inner.emit(opType, inputs, attributes);
    }

    @Override
    public List<String> emit(String opType, List<String> inputs, int outputs, AttributeProto... attributes) {
        return inner.emit(opType, inputs, outputs, attributes);
    }

    @Override
    public String initializer(TensorProto value) {
        return inner.initializer(value);
    }

    @Override
    public String scalar(double value, String like) {
        return inner.scalar(value, original(like));
    }

    @Override
    public String int64s(long... values) {
        return inner.int64s(values);
    }

    @Override
    public String shapeOf(String tensor) {
        return inner.shapeOf(original(tensor));
    }

    @Override
    public String zerosLike(String tensor) {
        return inner.zerosLike(original(tensor));
    }

    @Override
    public String reduceToShape(String gradient, TensorInfo gradientInfo, String target) {
        return inner.reduceToShape(gradient, gradientInfo, original(target));
    }

    @Override
    public Map<String, double[]> evaluate(ModelProto model, Map<String, TensorProto> inputs) {
        return inner.evaluate(model, inputs);
    }

    @Override
    public String freshName(String hint) {
        return inner.freshName(hint);
    }

    @Override
    public RuntimeException unsupported(String what) {
        return inner.unsupported(what);
    }

    @Override
    public Optional<NodeProto> producer(String tensor) {
        return inner.producer(original(tensor));
    }

    @Override
    public List<NodeProto> consumers(String tensor) {
        return inner.consumers(original(tensor));
    }

    @Override
    public boolean isSeeded(String tensor) {
        return inner.isSeeded(original(tensor));
    }
}
