package io.xai4j.methods.gradient;

import io.xai4j.layer.GraphNode;
import io.xai4j.spi.backward.BackwardContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the {@code lrp} rules leave a tensor's relevance zero, read from the graph: a linear layer's output that
 * feeds Relu nodes only gets no relevance where it is negative, so rules may skip the work for negative outputs
 * (the gamma rule's second backward pass). A tensor's relevance is zero where its value is zero when every reader
 * hands relevance back in proportion to it: a linear layer under a rule that multiplies by its input (epsilon, gamma,
 * z-plus, alpha-beta), the proportional ops ({@code x dz/dx R / z}), and Relu, layout and selection ops whose
 * outputs have the same property; the score it starts from is the seed times the differentiated tensor.
 */
final class VanishingRelevance {
    private static final Set<LayerRule> TIMES_INPUT = Set.of(LayerRule.EPSILON, LayerRule.GAMMA, LayerRule.Z_PLUS,
            LayerRule.ALPHA_BETA);
    private static final Set<String> PROPORTIONAL = Set.of("Add", "Sub", "Sum", "AveragePool", "GlobalAveragePool",
            "ReduceMean", "ReduceSum", "BatchNormalization");
    /** Ops that move relevance with values, zero values staying zero: the property holds if it holds for outputs. */
    private static final Set<String> WITH_VALUES = Set.of("Relu", "Identity", "Reshape", "Flatten", "Transpose",
            "Squeeze", "Unsqueeze", "MaxPool", "Concat", "Slice", "Split");

    private final BackwardContext c;
    private final LrpComposite composite;
    private final Map<String, Boolean> zeroWhereZero = new HashMap<>();

    VanishingRelevance(BackwardContext c, LrpComposite composite) {
        this.c = c;
        this.composite = composite;
    }

    /** Whether the relevance of {@code z} is zero wherever {@code z <= 0}: Relu nodes are its only readers. */
    boolean belowZero(String z) {
        List<GraphNode> readers = c.consumers(z);
        return !c.isSeeded(z) && !readers.isEmpty() && readers.stream().allMatch(n -> n.opType().equals("Relu")
                && n.outputs().stream().allMatch(this::whereZero));
    }

    /** Whether the relevance of {@code t} is zero wherever {@code t} is. */
    private boolean whereZero(String t) {
        Boolean known = zeroWhereZero.get(t);
        if (known != null) {
            return known;
        }
        boolean result = c.consumers(t).stream().allMatch(this::proportionalReader);
        zeroWhereZero.put(t, result);
        return result;
    }

    private boolean proportionalReader(GraphNode n) {
        String op = n.opType();
        if (LinearLayer.OPS.contains(op)) {
            return TIMES_INPUT.contains(composite.ruleFor(op, false));
        }
        return PROPORTIONAL.contains(op) || WITH_VALUES.contains(op)
                && n.outputs().stream().filter(o -> !o.isEmpty()).allMatch(this::whereZero);
    }
}
