package io.xai4j.layer;

import io.xai4j.spi.LayerInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Finds the features a dense (segmentation) output is classified from. Such an output {@code [N,classes,H,W]} is
 * produced by classifier convolutions with {@code classes} output channels, whose scores are summed over branches
 * (LR-ASPP's low and high branches), upsampled to the input size, and possibly normalised (softmax, sigmoid).
 * Grad-CAM on the output itself would only be the rectified score map, so the input of a classifier is taken.
 */
final class SegmentationHead {
    /** Ops between the classifier and the output that keep each position's scores as they are or upsample them. */
    private static final Set<String> AFTER_CLASSIFIER = Set.of("Resize", "Upsample", "Identity", "Dropout",
            "Softmax", "LogSoftmax", "Sigmoid");
    private static final Set<String> UPSAMPLING = Set.of("Resize", "Upsample");

    /**
     * The classifier features of one output.
     *
     * @param layer    the features
     * @param branches how many classifier convolutions feed the output
     */
    record Features(LayerInfo layer, int branches) {
    }

    private SegmentationHead() {
    }

    /**
     * The input of the classifier convolution(s) of {@code output}, stepped back over a Resize that only upsamples
     * it; of several classifiers the one with the smallest spatial size (the deepest features), the later one on
     * a tie. Empty when the walk back from the output meets no convolution with as many output channels as the
     * output has, or when no classifier input is a map with {@code H*W > 1}.
     */
    static Optional<Features> classifierFeatures(List<LayerInfo> pool, GraphView graph, LayerInfo output) {
        Map<String, LayerInfo> byTensor = pool.stream()
                .collect(Collectors.toMap(LayerInfo::tensor, Function.identity(), (a, b) -> a));
        long classes = output.shape().get(1);
        List<LayerInfo> inputs = new ArrayList<>();
        Deque<String> work = new ArrayDeque<>(List.of(output.tensor()));
        Set<String> seen = new HashSet<>();
        while (!work.isEmpty()) {
            String tensor = work.pop();
            GraphNode node = seen.add(tensor) ? graph.producer(tensor).orElse(null) : null;
            if (node == null) {
                continue;
            }
            if (AFTER_CLASSIFIER.contains(node.opType())) {
                node.input(0).ifPresent(work::push);
            } else if (node.opType().equals("Add")) {
                node.inputs().stream().filter(i -> !i.isEmpty()).forEach(work::push);
            } else if (node.opType().equals("Conv") && isMap(byTensor.get(tensor))
                    && byTensor.get(tensor).shape().get(1) == classes) {
                node.input(0).map(byTensor::get).filter(SegmentationHead::isMap)
                        .map(l -> beforeUpsampling(l, graph, byTensor)).ifPresent(inputs::add);
            }
        }
        List<LayerInfo> candidates = inputs.stream().filter(l -> LayerSelector.spatialSize(l) > 1).distinct().toList();
        Comparator<LayerInfo> deepest = Comparator.comparingLong(LayerSelector::spatialSize)
                .thenComparing(Comparator.comparingInt((LayerInfo l) -> pool.indexOf(l)).reversed());
        return candidates.stream().min(deepest).map(l -> new Features(l, inputs.size()));
    }

    /** Steps back over Resize/Upsample nodes that only enlarge a map of the same channels. */
    private static LayerInfo beforeUpsampling(LayerInfo layer, GraphView graph, Map<String, LayerInfo> byTensor) {
        LayerInfo current = layer;
        while (true) {
            LayerInfo previous = graph.producer(current.tensor()).filter(n -> UPSAMPLING.contains(n.opType()))
                    .flatMap(n -> n.input(0)).map(byTensor::get).orElse(null);
            if (!isMap(previous) || !previous.shape().get(1).equals(current.shape().get(1))
                    || previous.shape().get(2) > current.shape().get(2)
                    || previous.shape().get(3) > current.shape().get(3)) {
                return current;
            }
            current = previous;
        }
    }

    private static boolean isMap(LayerInfo layer) {
        return layer != null && layer.shape().size() == 4;
    }
}
