package io.xai4j.onnx.grad;

import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.TensorProto;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link BackwardRule} sees of the forward node, and the emitter through which it adds backward
 * nodes. Every name returned by the emitting methods is fresh and unique in the graph.
 */
public interface BackwardContext {
    /** The forward node, in its opset-18 form. */
    NodeProto node();

    /** Number of inputs of the forward node (absent optional inputs count, with an empty name). */
    int inputCount();

    /** Name of forward input {@code i}, or the empty string if the optional input is absent. */
    String input(int i);

    /** Name of forward output {@code i}, or the empty string if absent. */
    String output(int i);

    /** Shape and element type of a tensor of the forward graph (inputs, intermediates, initializers). */
    TensorInfo info(String tensor);

    /** Name of the gradient of forward output {@code i}, or null when no gradient reaches it. */
    String outputGradient(int i);

    /** Whether the gradient of forward input {@code i} is needed. */
    boolean needsGradient(int i);

    /** The value of a tensor fixed at export time (an initializer or a Constant output), if it is one. */
    Optional<TensorProto> constantValue(String tensor);

    /**
     * Makes optional forward output {@code i} available (adding it to the forward node when absent, for
     * example MaxPool's Indices) and returns its name.
     */
    String requireOutput(int i);

    /** Emits a node with one output and returns the output's name. */
    String emit(String opType, List<String> inputs, AttributeProto... attributes);

    /** Emits a node with {@code outputs} outputs and returns their names. */
    List<String> emit(String opType, List<String> inputs, int outputs, AttributeProto... attributes);

    /** Adds an initializer (its name is replaced by a fresh one) and returns its name. */
    String initializer(TensorProto value);

    /** A scalar constant with the element type of {@code like}. */
    String scalar(double value, String like);

    /** A 1-D INT64 constant. */
    String int64s(long... values);

    /** {@code Shape(tensor)}, emitted once per tensor. */
    String shapeOf(String tensor);

    /** Zeros shaped and typed like {@code tensor}, independent of its values. */
    String zerosLike(String tensor);

    /**
     * Sums {@code gradient} (shaped like {@code gradientInfo}) over the axes along which
     * {@code target} was broadcast, and reshapes the result to {@code target}'s shape.
     */
    String reduceToShape(String gradient, TensorInfo gradientInfo, String target);

    /**
     * Runs a small model once at export time (for example to tabulate a linear map) and returns its
     * outputs as doubles, keyed by output name.
     */
    Map<String, double[]> evaluate(ModelProto model, Map<String, TensorProto> inputs);

    /** A fresh tensor name built from {@code hint}. */
    String freshName(String hint);

    /** An UNSUPPORTED_OP error for this node, explaining what is not supported. */
    RuntimeException unsupported(String what);

    /** The forward node that computes {@code tensor}; empty for graph inputs and initializers. */
    Optional<NodeProto> producer(String tensor);

    /** The forward nodes that read {@code tensor}, in graph order. */
    List<NodeProto> consumers(String tensor);

    /** Whether {@code tensor} is the differentiated tensor, whose gradient the seed gives. */
    boolean isSeeded(String tensor);
}
