package io.xai4j.layer;

import io.xai4j.spi.LayerInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Token layers of a transformer whose head reads only the class token. After the last attention, the grid
 * tokens reach the class token no more, so their gradient is 0 there; a layer for a map must come before the
 * last attention Softmax.
 */
final class AttentionBlocks {

    private AttentionBlocks() {
    }

    /** The index in {@code pool} of the last Softmax of rank 3 or more (an attention map), or -1. */
    static int lastSoftmax(List<LayerInfo> pool) {
        int softmax = -1;
        for (int i = 0; i < pool.size(); i++) {
            if (pool.get(i).opType().equals("Softmax") && pool.get(i).shape().size() >= 3) {
                softmax = i;
            }
        }
        return softmax;
    }

    /**
     * The last layer normalisation output (fused or decomposed, see {@link LayerNorms}) of the given token shape
     * before {@code pool[softmax]}: the normalised input of the last attention.
     */
    static Optional<LayerInfo> lastNormBefore(List<LayerInfo> pool, GraphView graph, int softmax, List<Long> shape) {
        for (int i = softmax - 1; i >= 0; i--) {
            LayerInfo l = pool.get(i);
            if (l.shape().equals(shape) && LayerNorms.isLayerNorm(graph, l.tensor(), l.opType())) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /**
     * The input of the last attention block: of the tensors of the given token shape that {@code pool[softmax]}
     * depends on, the last one also read after the Softmax (by the residual connection); when none is, the last
     * one it depends on.
     */
    static Optional<LayerInfo> blockInput(List<LayerInfo> pool, GraphView graph, int softmax, List<Long> shape) {
        String attention = pool.get(softmax).tensor();
        Set<String> feeding = graph.ancestors(attention);
        List<GraphNode> nodes = graph.nodes();
        Map<String, Integer> lastReadAt = new HashMap<>();
        int attentionAt = -1;
        for (int n = 0; n < nodes.size(); n++) {
            for (String in : nodes.get(n).inputs()) {
                lastReadAt.put(in, n);
            }
            if (nodes.get(n).outputs().contains(attention)) {
                attentionAt = n;
            }
        }
        LayerInfo lastFeeding = null;
        for (int i = softmax - 1; i >= 0; i--) {
            LayerInfo l = pool.get(i);
            if (!l.shape().equals(shape) || !feeding.contains(l.tensor())) {
                continue;
            }
            if (lastReadAt.getOrDefault(l.tensor(), -1) > attentionAt) {
                return Optional.of(l);
            }
            if (lastFeeding == null) {
                lastFeeding = l;
            }
        }
        return Optional.ofNullable(lastFeeding);
    }
}
