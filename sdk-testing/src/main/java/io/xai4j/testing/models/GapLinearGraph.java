package io.xai4j.testing.models;

import io.xai4j.layer.GraphNode;
import io.xai4j.layer.GraphView;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The graph of a {@link QuadraticModel#gapLinear} head: {@code act -> GlobalAveragePool -> Flatten -> Gemm
 * (transB, constant weights fc.W) -> y}, or {@code -> logits -> Softmax -> y}. The layer itself is one node
 * reading {@code x}.
 */
final class GapLinearGraph implements GraphView {
    private final Tensor weights;
    private final List<GraphNode> nodes = new ArrayList<>();

    GapLinearGraph(float[][] classWeights, boolean softmax) {
        int classes = classWeights.length;
        int channels = classWeights[0].length;
        float[] w = new float[classes * channels];
        for (int k = 0; k < classes; k++) {
            System.arraycopy(classWeights[k], 0, w, k * channels, channels);
        }
        weights = Tensor.of(w, classes, channels);
        String logits = softmax ? "logits" : AnalyticModel.OUTPUT;
        nodes.add(new GraphNode("layer", "Add", List.of(AnalyticModel.INPUT), List.of(AnalyticModel.LAYER), Map.of()));
        nodes.add(new GraphNode("gap", "GlobalAveragePool", List.of(AnalyticModel.LAYER), List.of("pooled"), Map.of()));
        nodes.add(new GraphNode("flatten", "Flatten", List.of("pooled"), List.of("flat"), Map.of("axis", 1L)));
        nodes.add(new GraphNode("fc", "Gemm", List.of("flat", "fc.W", "fc.b"), List.of(logits), Map.of("transB", 1L)));
        if (softmax) {
            nodes.add(new GraphNode("softmax", "Softmax", List.of(logits), List.of(AnalyticModel.OUTPUT), Map.of()));
        }
    }

    @Override
    public List<GraphNode> nodes() {
        return List.copyOf(nodes);
    }

    @Override
    public List<String> inputs() {
        return List.of(AnalyticModel.INPUT);
    }

    @Override
    public List<String> outputs() {
        return List.of(AnalyticModel.OUTPUT);
    }

    @Override
    public Optional<Tensor> constant(String tensor) {
        return tensor.equals("fc.W") ? Optional.of(weights) : Optional.empty();
    }
}
