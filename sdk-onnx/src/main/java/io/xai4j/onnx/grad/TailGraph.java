package io.xai4j.onnx.grad;

import io.xai4j.error.ClosestNames;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.onnx.Graphs;
import io.xai4j.onnx.proto.Onnx.AttributeProto;
import io.xai4j.onnx.proto.Onnx.GraphProto;
import io.xai4j.onnx.proto.Onnx.ModelProto;
import io.xai4j.onnx.proto.Onnx.NodeProto;
import io.xai4j.onnx.proto.Onnx.ValueInfoProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of a model downstream of one tensor: the tensor becomes a graph input and only the nodes the requested
 * outputs still need are kept. Model inputs those nodes read (a skip connection around the tensor) stay inputs,
 * so a run of the tail varies the tensor while everything else stays fixed.
 */
public final class TailGraph {
    private TailGraph() {
    }

    /**
     * The tail of {@code model} from {@code tensor} to {@code outputs}.
     *
     * @param tensor  a model input or a tensor some node produces
     * @param outputs tensors to compute; the model's outputs when empty
     */
    public static ModelProto of(ModelProto model, String tensor, List<String> outputs) {
        GraphProto graph = model.getGraph();
        Map<String, Integer> types = Graphs.elementTypes(graph);
        Set<String> known = new LinkedHashSet<>();
        Graphs.runtimeInputs(graph).forEach(v -> known.add(v.getName()));
        graph.getNodeList().forEach(n -> n.getOutputList().stream().filter(o -> !o.isEmpty()).forEach(known::add));
        List<String> wanted = outputs.isEmpty()
                ? graph.getOutputList().stream().map(ValueInfoProto::getName).toList() : outputs;
        for (String name : concat(tensor, wanted)) {
            if (!known.contains(name)) {
                throw new XaiException(ErrorCode.UNKNOWN_LAYER, "unknown tensor '" + name + "'; close names: "
                        + ClosestNames.closest(name, known, 5));
            }
        }
        Set<String> needed = new HashSet<>(wanted);
        List<NodeProto> order = Graphs.topologicalOrder(graph);
        List<NodeProto> kept = new ArrayList<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            NodeProto n = order.get(i);
            if (n.getOutputList().stream().anyMatch(o -> !o.equals(tensor) && needed.contains(o))) {
                needed.addAll(n.getInputList());
                n.getAttributeList().forEach(a -> outerReferences(a, needed));
                kept.add(0, renameOutput(n, tensor, graph));
            }
        }
        GraphProto.Builder g = graph.toBuilder().clearNode().addAllNode(kept).clearInput().clearOutput()
                .clearInitializer().clearValueInfo();
        graph.getInitializerList().stream().filter(t -> needed.contains(t.getName())).forEach(g::addInitializer);
        boolean tensorIsInput = false;
        for (ValueInfoProto in : graph.getInputList()) {
            if (needed.contains(in.getName()) || in.getName().equals(tensor)) {
                g.addInput(in);
                tensorIsInput |= in.getName().equals(tensor);
            }
        }
        if (!tensorIsInput) {
            if (types.getOrDefault(tensor, 0) == 0) {
                throw new XaiException(ErrorCode.UNKNOWN_LAYER, "cannot make '" + tensor + "' a graph input: its"
                        + " element type is unknown or it is not a tensor");
            }
            g.addInput(Graphs.tensorValueInfo(tensor, types.getOrDefault(tensor, 0)));
        }
        graph.getValueInfoList().stream().filter(v -> needed.contains(v.getName()) && !v.getName().equals(tensor))
                .forEach(g::addValueInfo);
        for (String o : wanted) {
            g.addOutput(graph.getOutputList().stream().filter(v -> v.getName().equals(o)).findFirst()
                    .orElseGet(() -> Graphs.tensorValueInfo(o, types.getOrDefault(o, 0))));
        }
        return model.toBuilder().setGraph(g).build();
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest);
        all.add(0, first);
        return all;
    }

    /** A kept node that also produces the tensor writes it to an unused name instead. */
    private static NodeProto renameOutput(NodeProto n, String tensor, GraphProto graph) {
        if (!n.getOutputList().contains(tensor)) {
            return n;
        }
        NodeProto.Builder b = n.toBuilder();
        b.setOutput(n.getOutputList().indexOf(tensor), Graphs.freshName(graph, new HashSet<>(), tensor + "/unused"));
        return b.build();
    }

    private static void outerReferences(AttributeProto a, Set<String> into) {
        List<GraphProto> graphs = new ArrayList<>(a.getGraphsList());
        if (a.hasG()) {
            graphs.add(a.getG());
        }
        for (GraphProto sub : graphs) {
            for (NodeProto n : sub.getNodeList()) {
                into.addAll(n.getInputList());
                n.getAttributeList().forEach(x -> outerReferences(x, into));
            }
        }
    }
}
