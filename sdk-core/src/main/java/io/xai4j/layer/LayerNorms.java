package io.xai4j.layer;

import java.util.List;
import java.util.Optional;

/**
 * Recognises layer normalisation in a graph: a {@code LayerNormalization} node (opset 17 and later) or the
 * standard ops older exporters decompose it into (PyTorch at opset 13):
 * {@code d = x - ReduceMean(x)}, {@code v = ReduceMean(d^2)}, {@code y = d / Sqrt(v + eps)}, then an optional
 * affine {@code y * weight + bias}. The square may be {@code Pow(d, 2)} or {@code Mul(d, d)}, the division a
 * {@code Mul} by {@code Reciprocal(Sqrt(...))}, and the epsilon and either affine op may be missing.
 */
final class LayerNorms {
    private static final int CONSTANT_DEPTH = 3;

    private LayerNorms() {
    }

    /** Whether {@code tensor}, produced by an {@code opType} node, is the output of a layer normalisation. */
    static boolean isLayerNorm(GraphView graph, String tensor, String opType) {
        if (opType.equals("LayerNormalization")) {
            return true;
        }
        if (!List.of("Add", "Mul", "Div").contains(opType)) {
            return false;
        }
        String normalised = withoutAffine(graph, tensor);
        GraphNode node = graph.producer(normalised).orElse(null);
        if (node == null || node.inputs().size() != 2) {
            return false;
        }
        String a = node.inputs().get(0);
        String b = node.inputs().get(1);
        if (node.opType().equals("Div")) {
            return isStandardDeviationOf(graph, b, a);
        }
        if (node.opType().equals("Mul")) {
            return reciprocalInput(graph, b).filter(s -> isStandardDeviationOf(graph, s, a)).isPresent()
                    || reciprocalInput(graph, a).filter(s -> isStandardDeviationOf(graph, s, b)).isPresent();
        }
        return false;
    }

    /** Steps back over an {@code Add} of a constant (the bias), then a {@code Mul} by a constant (the weight). */
    private static String withoutAffine(GraphView graph, String tensor) {
        String current = tensor;
        for (String op : List.of("Add", "Mul")) {
            GraphNode node = graph.producer(current).filter(n -> n.opType().equals(op)).orElse(null);
            if (node != null) {
                current = otherThanConstant(graph, node).orElse(current);
            }
        }
        return current;
    }

    /** The one non-constant input of a binary node whose other input is constant. */
    private static Optional<String> otherThanConstant(GraphView graph, GraphNode node) {
        if (node.inputs().size() != 2) {
            return Optional.empty();
        }
        String a = node.inputs().get(0);
        String b = node.inputs().get(1);
        boolean constA = isConstant(graph, a, CONSTANT_DEPTH);
        boolean constB = isConstant(graph, b, CONSTANT_DEPTH);
        return constA == constB ? Optional.empty() : Optional.of(constA ? b : a);
    }

    private static Optional<String> reciprocalInput(GraphView graph, String tensor) {
        return graph.producer(tensor).filter(n -> n.opType().equals("Reciprocal")).flatMap(n -> n.input(0));
    }

    /** Whether {@code std} is {@code Sqrt(ReduceMean(deviation^2) [+ eps])} for the mean deviation {@code d}. */
    private static boolean isStandardDeviationOf(GraphView graph, String std, String deviation) {
        Optional<String> source = deviationSource(graph, deviation);
        if (source.isEmpty()) {
            return false;
        }
        String variance = graph.producer(std).filter(n -> n.opType().equals("Sqrt")).flatMap(n -> n.input(0))
                .orElse(null);
        if (variance == null) {
            return false;
        }
        GraphNode plusEps = graph.producer(variance).filter(n -> n.opType().equals("Add")).orElse(null);
        if (plusEps != null) {
            variance = otherThanConstant(graph, plusEps).orElse(null);
        }
        String square = variance == null ? null : graph.producer(variance)
                .filter(n -> n.opType().equals("ReduceMean")).flatMap(n -> n.input(0)).orElse(null);
        GraphNode squaring = square == null ? null : graph.producer(square).orElse(null);
        if (squaring == null || squaring.inputs().size() != 2) {
            return false;
        }
        String base = squaring.inputs().get(0);
        boolean squares = squaring.opType().equals("Pow") && isTwo(graph, squaring.inputs().get(1))
                || squaring.opType().equals("Mul") && base.equals(squaring.inputs().get(1));
        return squares && (base.equals(deviation) || deviationSource(graph, base).equals(source));
    }

    /** Whether an exponent is the constant 2 (a constant whose value cannot be read is taken as 2). */
    private static boolean isTwo(GraphView graph, String exponent) {
        if (!isConstant(graph, exponent, CONSTANT_DEPTH)) {
            return false;
        }
        return graph.constant(exponent).map(t -> t.size() == 1 && t.get(0) == 2f).orElse(true);
    }

    /** {@code x} when {@code deviation} is {@code Sub(x, ReduceMean(x))}. */
    private static Optional<String> deviationSource(GraphView graph, String deviation) {
        GraphNode sub = graph.producer(deviation).filter(n -> n.opType().equals("Sub")).orElse(null);
        if (sub == null || sub.inputs().size() != 2) {
            return Optional.empty();
        }
        String x = sub.inputs().get(0);
        boolean meanOfX = graph.producer(sub.inputs().get(1)).filter(n -> n.opType().equals("ReduceMean"))
                .flatMap(n -> n.input(0)).filter(x::equals).isPresent();
        return meanOfX ? Optional.of(x) : Optional.empty();
    }

    /**
     * Whether {@code tensor} does not depend on a graph input: an initializer, a Constant node's output, or
     * (up to {@code depth} nodes back) a node computed from such tensors only.
     */
    private static boolean isConstant(GraphView graph, String tensor, int depth) {
        Optional<GraphNode> node = graph.producer(tensor);
        if (node.isEmpty()) {
            return !graph.inputs().contains(tensor);
        }
        if (node.get().opType().equals("Constant")) {
            return true;
        }
        return depth > 0 && node.get().inputs().stream().filter(i -> !i.isEmpty())
                .allMatch(i -> isConstant(graph, i, depth - 1));
    }
}
