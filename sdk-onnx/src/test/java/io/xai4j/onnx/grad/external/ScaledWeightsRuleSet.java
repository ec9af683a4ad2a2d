package io.xai4j.onnx.grad.external;

import io.xai4j.layer.GraphNode;
import io.xai4j.spi.backward.BackwardContext;
import io.xai4j.spi.backward.BackwardRule;
import io.xai4j.spi.backward.BackwardRuleSet;
import java.util.List;
import java.util.Map;

/**
 * Uses the SPI's parameters, graph queries and base backward: MatMul's exact backward with its weights times the
 * parameter {@code scale}; the pass starts from the score. A MatMul that reads a Relu must see it as its input's
 * producer, and every MatMul output must be read by one node, or the rule fails.
 */
public final class ScaledWeightsRuleSet implements BackwardRuleSet {
    public static final String NAME = "test-scaled-weights";

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
        return Map.of("MatMul", ScaledWeightsRuleSet::matMul);
    }

    private static List<String> matMul(BackwardContext c) {
        String producer = c.producer(c.input(0)).map(GraphNode::opType).orElse("input");
        List<GraphNode> readers = c.consumers(c.output(0));
        if (!List.of("input", "Relu").contains(producer) || readers.size() > 1) {
            throw c.unsupported("unexpected graph: producer " + producer + ", readers " + readers);
        }
        String scale = c.scalar(Double.parseDouble(c.parameters().get("scale")), c.input(1));
        String weights = c.emit("Mul", List.of(c.input(1), scale), Map.of());
        return c.baseBackward(List.of(c.input(0), weights), List.of(c.outputGradient(0)));
    }
}
