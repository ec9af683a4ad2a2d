package io.xai4j.onnx.explain;

import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/** Orders graph nodes so that every node follows the producers of what it reads, as ONNX requires. */
final class TopologicalOrder {
    private TopologicalOrder() {
    }

    /** Nodes in topological order, keeping the given order where it allows (Kahn's algorithm by position). */
    static List<NodeProto> of(List<NodeProto> nodes) {
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String o : nodes.get(i).getOutputList()) {
                if (!o.isEmpty()) {
                    producer.put(o, i);
                }
            }
        }
        int[] waiting = new int[nodes.size()];
        List<List<Integer>> readers = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            readers.add(new ArrayList<>());
        }
        for (int i = 0; i < nodes.size(); i++) {
            Set<Integer> needs = new HashSet<>();
            for (String in : reads(nodes.get(i))) {
                Integer p = producer.get(in);
                if (p != null && p != i) {
                    needs.add(p);
                }
            }
            waiting[i] = needs.size();
            for (int p : needs) {
                readers.get(p).add(i);
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (waiting[i] == 0) {
                ready.add(i);
            }
        }
        List<NodeProto> out = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int i = ready.poll();
            out.add(nodes.get(i));
            for (int r : readers.get(i)) {
                if (--waiting[r] == 0) {
                    ready.add(r);
                }
            }
        }
        if (out.size() != nodes.size()) {
            throw new IllegalStateException("the explainer graph has a cycle");
        }
        return out;
    }

    /** The nodes that {@code outputs} depend on, in their given order (dead nodes, e.g. an unused backward pass, dropped). */
    static List<NodeProto> needed(List<NodeProto> nodes, Set<String> outputs) {
        Set<String> wanted = new HashSet<>(outputs);
        boolean[] keep = new boolean[nodes.size()];
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = nodes.size() - 1; i >= 0; i--) {
                NodeProto n = nodes.get(i);
                if (!keep[i] && n.getOutputList().stream().anyMatch(wanted::contains)) {
                    keep[i] = true;
                    changed = true;
                    wanted.addAll(reads(n));
                }
            }
        }
        List<NodeProto> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (keep[i]) {
                out.add(nodes.get(i));
            }
        }
        return out;
    }

    /** The tensors a node reads, those its subgraphs read from the outer scope included. */
    private static Set<String> reads(NodeProto n) {
        Set<String> reads = new HashSet<>(n.getInputList());
        for (AttributeProto a : n.getAttributeList()) {
            List<GraphProto> subgraphs = new ArrayList<>(a.getGraphsList());
            if (a.hasG()) {
                subgraphs.add(a.getG());
            }
            for (GraphProto g : subgraphs) {
                g.getNodeList().forEach(inner -> reads.addAll(reads(inner)));
            }
        }
        return reads;
    }
}
