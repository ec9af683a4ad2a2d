package io.xai4j.onnx.grad;

import io.xai4j.layer.GraphNode;
import io.xai4j.onnx.ElementTypes;
import io.xai4j.onnx.Graphs;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.spi.DataType;
import io.xai4j.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The core, protobuf-free {@link io.xai4j.spi.backward.BackwardContext} over the builder's {@link BackwardContext}. */
final class CoreBackwardContext implements io.xai4j.spi.backward.BackwardContext {
    private final BackwardContext inner;
    private final String ruleSet;
    private final Map<String, BackwardRule> base;
    private final Map<String, String> parameters;
    private GraphNode node;

    CoreBackwardContext(BackwardContext inner, String ruleSet, Map<String, BackwardRule> base,
            Map<String, String> parameters) {
        this.inner = inner;
        this.ruleSet = ruleSet;
        this.base = base;
        this.parameters = parameters;
    }

    @Override
    public GraphNode node() {
        if (node == null) {
            node = graphNode(inner.node());
        }
        return node;
    }

    private static GraphNode graphNode(NodeProto n) {
        return new GraphNode(n.getName(), n.getOpType(), n.getInputList(), n.getOutputList(),
                Graphs.simpleAttributes(n));
    }

    @Override
    public Optional<GraphNode> producer(String tensor) {
        return inner.producer(tensor).map(CoreBackwardContext::graphNode);
    }

    @Override
    public List<GraphNode> consumers(String tensor) {
        return inner.consumers(tensor).stream().map(CoreBackwardContext::graphNode).toList();
    }

    @Override
    public boolean isSeeded(String tensor) {
        return inner.isSeeded(tensor);
    }

    @Override
    public Map<String, String> parameters() {
        return parameters;
    }

    @Override
    public List<String> baseBackward(List<String> inputs, List<String> outputGradients) {
        NodeProto n = inner.node();
        if (inputs.size() != n.getInputCount()) {
            throw unsupported("baseBackward needs " + n.getInputCount() + " inputs, one per forward input, got "
                    + inputs.size());
        }
        BackwardRule rule = base.get(n.getOpType());
        if (rule == null) {
            throw unsupported("the base rule set has no rule for " + n.getOpType());
        }
        return rule.backward(new SubstitutedContext(inner, inputs, outputGradients));
    }

    @Override
    public int inputCount() {
        return inner.inputCount();
    }

    @Override
    public String input(int i) {
        return inner.input(i);
    }

    @Override
    public String output(int i) {
        return inner.output(i);
    }

    @Override
    public int[] shape(String tensor) {
        return inner.info(tensor).shape();
    }

    @Override
    public boolean[] batchDependent(String tensor) {
        return inner.info(tensor).batchDependent();
    }

    @Override
    public DataType elementType(String tensor) {
        return ElementTypes.fromOnnx(inner.info(tensor).elemType());
    }

    @Override
    public String outputGradient(int i) {
        return inner.outputGradient(i);
    }

    @Override
    public boolean needsGradient(int i) {
        return inner.needsGradient(i);
    }

    @Override
    public Optional<Tensor> constantValue(String tensor) {
        return inner.constantValue(tensor).flatMap(CoreConversions::toTensor);
    }

    @Override
    public String emit(String opType, List<String> inputs, Map<String, Object> attributes) {
        return emit(opType, inputs, 1, attributes).get(0);
    }

    @Override
    public List<String> emit(String opType, List<String> inputs, int outputs, Map<String, Object> attributes) {
        Objects.requireNonNull(attributes, "attributes (Map.of() for none)");
        return inner.emit(opType, inputs, outputs, CoreConversions.toAttributes(attributes, opType, describeNode()));
    }

    @Override
    public String constant(Tensor value) {
        return inner.initializer(CoreConversions.toProto(value));
    }

    @Override
    public String scalar(double value, String likeTensor) {
        return inner.scalar(value, likeTensor);
    }

    @Override
    public String int64s(long... values) {
        return inner.int64s(values);
    }

    @Override
    public String shapeOf(String tensor) {
        return inner.shapeOf(tensor);
    }

    @Override
    public String zerosLike(String tensor) {
        return inner.zerosLike(tensor);
    }

    @Override
    public String reduceToShape(String gradient, String target) {
        return reduceToShape(gradient, inner.output(0), target);
    }

    @Override
    public String reduceToShape(String gradient, String shapedLike, String target) {
        return inner.reduceToShape(gradient, inner.info(shapedLike), target);
    }

    @Override
    public String freshName(String hint) {
        return inner.freshName(hint);
    }

    @Override
    public RuntimeException unsupported(String what) {
        return inner.unsupported(what + " (backward rule set '" + ruleSet + "')");
    }

    private String describeNode() {
        NodeProto n = inner.node();
        return "op " + n.getOpType() + " (node '" + GradientGraphBuilder.nodeName(n) + "', rule set '" + ruleSet + "')";
    }
}
