package io.xai4j.spi.backward;

import io.xai4j.layer.GraphNode;
import io.xai4j.spi.DataType;
import io.xai4j.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link BackwardRule} sees of the forward node being differentiated, and the emitter through which it adds
 * the backward nodes. Tensors are referred to by name; every name the emitting methods return is fresh and unique
 * in the graph. All emitted ops must be standard ONNX ops (default domain) valid at opset 18 and later.
 *
 * <p>Attribute values accepted by {@link #emit(String, List, Map)}:
 * <ul>
 *   <li>{@link Long} or {@link Integer}: an {@code INT} attribute;</li>
 *   <li>{@link Double} or {@link Float}: a {@code FLOAT} attribute (stored as float32);</li>
 *   <li>{@link String}: a {@code STRING} attribute (UTF-8);</li>
 *   <li>{@code long[]}, {@code int[]}, or a {@link List} of {@link Long} or {@link Integer}: an {@code INTS}
 *       attribute; an empty list is an empty {@code INTS} attribute;</li>
 *   <li>{@code float[]}, {@code double[]}, or a {@link List} of {@link Double} or {@link Float}: a {@code FLOATS}
 *       attribute;</li>
 *   <li>a {@link List} of {@link String}: a {@code STRINGS} attribute;</li>
 *   <li>{@link Tensor}: a float32 {@code TENSOR} attribute (for example the {@code value} of
 *       {@code ConstantOfShape}).</li>
 * </ul>
 * The lists cover the values of {@link GraphNode#attributes()}, so a node's attributes can be passed on as they are.
 * Any other value is a {@code PLUGIN_FAILURE} error naming the attribute.
 */
public interface BackwardContext {
    /**
     * The forward node in its opset-18 form. Its attributes are {@link Long} ({@code INT}), {@link Double}
     * ({@code FLOAT}), {@link String} ({@code STRING}), a {@link List} of {@link Long} ({@code INTS}) or of
     * {@link Double} ({@code FLOATS}); attributes of other types (tensors, graphs, string lists) are left out.
     */
    GraphNode node();

    /** Number of inputs of the forward node (absent optional inputs count, with an empty name). */
    int inputCount();

    /** Name of forward input {@code i}, or the empty string if the optional input is absent. */
    String input(int i);

    /** Name of forward output {@code i}, or the empty string if absent. */
    String output(int i);

    /**
     * The concrete shape of a tensor of the forward graph (inputs, intermediates, constants) in the probe run that
     * the gradient graph is built from, batch included. Axes marked by {@link #batchDependent(String)} take other
     * sizes at run time, so emit shape computations ({@link #shapeOf(String)}) for them instead of constants.
     */
    int[] shape(String tensor);

    /** Per axis of a forward tensor, whether its size follows the batch size (it is symbolic at run time). */
    boolean[] batchDependent(String tensor);

    /** The element type of a forward tensor; gradients flow through floating-point tensors only. */
    DataType elementType(String tensor);

    /** Name of the gradient of forward output {@code i}, or null when no gradient reaches it. */
    String outputGradient(int i);

    /** Whether the gradient of forward input {@code i} is needed. */
    boolean needsGradient(int i);

    /**
     * The value of a tensor fixed at export time (an initializer, a Constant output, or an integer tensor computed
     * from shapes only) as a float32 tensor: integer and boolean constants are converted to float32 (exact up to
     * 2^24), double constants rounded. Empty for tensors that are not constant, for constants stored as external
     * data, and for element types other than float, double, int8, uint8, int32, int64 and bool.
     */
    Optional<Tensor> constantValue(String tensor);

    /** Emits a node with one output and returns the output's name. Attribute values: see the class comment. */
    String emit(String opType, List<String> inputs, Map<String, Object> attributes);

    /** Emits a node with {@code outputs} outputs and returns their names. Attribute values: see the class comment. */
    List<String> emit(String opType, List<String> inputs, int outputs, Map<String, Object> attributes);

    /** Adds {@code value} to the graph as a float32 initializer and returns its name; the value is copied. */
    String constant(Tensor value);

    /** A scalar (rank 0) constant with the element type of the forward tensor {@code likeTensor}. */
    String scalar(double value, String likeTensor);

    /** A 1-D INT64 constant, for example the axes of a ReduceSum or the target shape of a Reshape. */
    String int64s(long... values);

    /** {@code Shape(tensor)}, emitted once per tensor. */
    String shapeOf(String tensor);

    /** Zeros shaped and typed like the forward tensor {@code tensor}, independent of its values. */
    String zerosLike(String tensor);

    /**
     * Sums {@code gradient}, shaped like forward output 0 of this node, over the axes along which the forward
     * tensor {@code target} was broadcast, and reshapes the result to {@code target}'s shape: the gradient of an
     * input of a broadcasting element-wise op.
     */
    String reduceToShape(String gradient, String target);

    /** As {@link #reduceToShape(String, String)}, for a {@code gradient} shaped like the forward tensor {@code shapedLike}. */
    String reduceToShape(String gradient, String shapedLike, String target);

    /** A fresh tensor name built from {@code hint}. */
    String freshName(String hint);

    /** An {@code UNSUPPORTED_OP} error for this node, explaining what is not supported; the rule throws it. */
    RuntimeException unsupported(String what);

    /**
     * The forward node that computes {@code tensor}, in the graph being differentiated (opset 18, recurrent layers
     * unrolled); empty for model inputs, initializers and unknown names.
     */
    default Optional<GraphNode> producer(String tensor) {
        return Optional.empty();
    }

    /** The forward nodes that read {@code tensor}, in graph order (model outputs are not nodes). */
    default List<GraphNode> consumers(String tensor) {
        return List.of();
    }

    /**
     * Whether {@code tensor} is the differentiated tensor, whose gradient the seed gives (where a rule set that
     * {@link BackwardRuleSet#startsFromScore()} starts from the seed times the tensor); false when unknown.
     */
    default boolean isSeeded(String tensor) {
        return false;
    }

    /** The parameters the rule set was selected with ({@link RuleSetReference}); empty when none were given. */
    default Map<String, String> parameters() {
        return Map.of();
    }

    /**
     * Emits the backward of this node under the rules of the rule set's {@link BackwardRuleSet#base()} chain, as if
     * its inputs were {@code inputs} and the gradients of its outputs {@code outputGradients}, and returns one
     * gradient per input as a {@link BackwardRule} does (for the inputs whose gradient {@link #needsGradient(int)}
     * says is needed). Each substituted input must have the shape and type of the input it replaces; the node's
     * outputs keep their forward values, so this suits ops whose input gradients do not read their outputs, such as
     * the linear ops (Conv, Gemm, MatMul, pooling, normalisation in inference): for example Conv's input gradient
     * with the positive part of its weights, {@code baseBackward(List.of(x, positiveWeights), List.of(dy))}.
     */
    default List<String> baseBackward(List<String> inputs, List<String> outputGradients) {
        throw unsupported("this builder cannot emit the base backward of a node with substituted inputs");
    }
}
