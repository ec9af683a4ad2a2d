package io.xai4j.methods.gradient;

import io.xai4j.layer.GraphNode;
import io.xai4j.spi.backward.BackwardContext;
import io.xai4j.spi.backward.BackwardRule;
import io.xai4j.spi.backward.BackwardRuleSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Layer-wise relevance propagation (Bach et al. 2015; Montavon et al. 2019) as a backward rule set: the backward
 * pass starts from the target's score and carries relevance, not gradients, so the "gradient" of the input is its
 * relevance. Parameters: {@link LrpSettings}. Per op type:
 * <ul>
 *   <li>linear layers (Conv, ConvTranspose, and Gemm or MatMul by a weight on either side): the {@link LayerRule}
 *       the composite gives them ({@link LrpComposite}), with a BatchNormalization that follows them folded in
 *       ({@link LinearLayer}); a Gemm or MatMul of two tensors that both depend on the input (attention) gives each
 *       half of the epsilon rule's share;</li>
 *   <li>activations (Relu, LeakyRelu, PRelu, Clip, Sigmoid, Tanh, Softplus, Elu, Selu, Gelu, HardSigmoid,
 *       HardSwish, Softsign, Identity): relevance passes unchanged, as Zennit's {@code Pass};</li>
 *   <li>Add, Sub, Sum (residual and skip connections, a bias), average pooling, ReduceMean, ReduceSum and a
 *       BatchNormalization that is not folded: each input gets its share of the output, {@code x_i dz/dx_i R / z}
 *       (Zennit's {@code Norm}); terms that are constants (biases) keep theirs, so conservation holds where they
 *       are zero;</li>
 *   <li>Mul: signal-take-all (Arras et al. 2017, LRP for LSTMs): a gate (the output of a Sigmoid or HardSigmoid, or
 *       one minus it) gets no relevance and the other factor all of it; a factor that does not depend on the input
 *       (a constant scale) passes all of it to the other; two signals share it equally;</li>
 *   <li>Div: all to the numerator;</li>
 *   <li>every other op (MaxPool, Concat, Split, Slice, reshapes, Softmax, LayerNormalization, ...) keeps its exact
 *       backward: for the selections and layout ops this moves relevance unchanged (MaxPool's winner takes all,
 *       Concat splits it by part).</li>
 * </ul>
 */
public final class LrpRules implements BackwardRuleSet {
    public static final String NAME = "lrp";
    private static final List<String> PASS = List.of("Relu", "LeakyRelu", "PRelu", "Clip", "Sigmoid", "Tanh",
            "Softplus", "Elu", "Selu", "Gelu", "HardSigmoid", "HardSwish", "Softsign", "Identity");
    private static final List<String> PROPORTIONAL = List.of("Add", "Sub", "Sum", "AveragePool",
            "GlobalAveragePool", "ReduceMean", "ReduceSum");
    private static final Set<String> GATES = Set.of("Sigmoid", "HardSigmoid");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean startsFromScore() {
        return true;
    }

    @Override
    public Map<String, BackwardRule> rules() {
        Map<String, BackwardRule> rules = new HashMap<>();
        LinearLayer.OPS.forEach(op -> rules.put(op, LrpRules::layer));
        PASS.forEach(op -> rules.put(op, c -> List.of(c.outputGradient(0))));
        PROPORTIONAL.forEach(op -> rules.put(op, c -> proportional(c, 1)));
        rules.put("BatchNormalization", LrpRules::batchNormalization);
        rules.put("Mul", LrpRules::product);
        rules.put("Div", c -> List.of(c.reduceToShape(c.outputGradient(0), c.input(0))));
        return Map.copyOf(rules);
    }

    private static List<String> layer(BackwardContext c) {
        LrpSettings settings = LrpSettings.of(c.parameters());
        boolean product = !c.node().opType().startsWith("Conv");
        if (product && c.needsGradient(0) && c.needsGradient(1)) {
            return proportional(c, 0.5);
        }
        int signal = product && !c.needsGradient(0) ? 1 : 0;
        LinearLayer layer = new LinearLayer(c, signal);
        boolean first = settings.composite().hasFirst() && layer.isFirstImageLayer(settings.low().length);
        LayerRule rule = settings.composite().ruleFor(c.node().opType(), first);
        String[] grads = new String[c.inputCount()];
        grads[signal] = rule.relevance(layer, c.outputGradient(0), settings);
        return Arrays.asList(grads);
    }

    /**
     * Each input's share of the output's relevance, {@code x_i dz/dx_i R / z} times {@code weight}: exact for every
     * op linear in each input, with the base rules' input gradients.
     */
    private static List<String> proportional(BackwardContext c, double weight) {
        Ops o = new Ops(c);
        String like = c.output(0);
        String unit = o.perUnit(c.outputGradient(0), c.output(0), LrpSettings.of(c.parameters()).stabilizer(), like);
        if (weight != 1) {
            unit = o.mul(unit, o.scalar(weight, like));
        }
        List<String> grads = new ArrayList<>(c.baseBackward(c.node().inputs(), List.of(unit)));
        for (int i = 0; i < grads.size(); i++) {
            if (grads.get(i) != null) {
                grads.set(i, o.mul(c.input(i), grads.get(i)));
            }
        }
        return grads;
    }

    /** Folded into the layer before it ({@link LinearLayer}): relevance passes; otherwise a proportional share. */
    private static List<String> batchNormalization(BackwardContext c) {
        Optional<GraphNode> layer = c.producer(c.input(0));
        if (layer.isPresent() && LinearLayer.OPS.contains(layer.get().opType())
                && LinearLayer.foldedNormalization(c, layer.get()).isPresent()) {
            return List.of(c.outputGradient(0));
        }
        return proportional(c, 1);
    }

    /** Signal-take-all at gates; otherwise all to the one factor that depends on the input, or half to each. */
    private static List<String> product(BackwardContext c) {
        String r = c.outputGradient(0);
        boolean gate0 = isGate(c, c.input(0));
        boolean gate1 = isGate(c, c.input(1));
        List<String> grads = Arrays.asList(null, null);
        if (gate0 != gate1 || (!c.needsGradient(0) || !c.needsGradient(1))) {
            int signal = gate0 != gate1 ? (gate0 ? 1 : 0) : (c.needsGradient(0) ? 0 : 1);
            if (c.needsGradient(signal)) {
                grads.set(signal, c.reduceToShape(r, c.input(signal)));
            }
            return grads;
        }
        Ops o = new Ops(c);
        String half = o.mul(r, o.scalar(0.5, c.output(0)));
        grads.set(0, c.reduceToShape(half, c.input(0)));
        grads.set(1, c.reduceToShape(half, c.input(1)));
        return grads;
    }

    /** Whether {@code t} is a gate: a Sigmoid's (or HardSigmoid's) output, or a constant minus a gate. */
    private static boolean isGate(BackwardContext c, String t) {
        Optional<GraphNode> p = c.producer(t);
        if (p.isEmpty()) {
            return false;
        }
        GraphNode n = p.get();
        return GATES.contains(n.opType()) || (n.opType().equals("Sub")
                && c.constantValue(n.inputs().get(0)).isPresent() && isGate(c, n.inputs().get(1)));
    }
}
