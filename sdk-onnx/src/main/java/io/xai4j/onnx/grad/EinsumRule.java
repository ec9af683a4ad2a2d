package io.xai4j.onnx.grad;

import static io.xai4j.onnx.grad.Emit.op;

import java.util.ArrayList;
import java.util.List;

/**
 * Einsum with an explicit output and without ellipsis or repeated indices within one operand: the gradient
 * of operand k is the Einsum of the output gradient with the other operands, expanded over indices that
 * occur only in operand k.
 */
final class EinsumRule implements BackwardRule {
    @Override
    public List<String> backward(BackwardContext c) {
        String equation = OnnxAttributes.getString(c.node(), "equation", "").replace(" ", "");
        int arrow = equation.indexOf("->");
        if (arrow < 0 || equation.contains("...")) {
            throw c.unsupported("only equations with an explicit output and without ellipsis are supported, got '"
                    + equation + "'");
        }
        String[] terms = equation.substring(0, arrow).split(",", -1);
        String output = equation.substring(arrow + 2);
        for (String t : terms) {
            if (t.chars().distinct().count() != t.length()) {
                throw c.unsupported("repeated indices within one operand are not supported ('" + equation + "')");
            }
        }
        List<String> g = Emit.none(c);
        for (int k = 0; k < terms.length; k++) {
            if (!c.needsGradient(k)) {
                continue;
            }
            StringBuilder available = new StringBuilder(output);
            List<String> operands = new ArrayList<>(List.of(c.outputGradient(0)));
            List<String> otherTerms = new ArrayList<>(List.of(output));
            for (int j = 0; j < terms.length; j++) {
                if (j != k) {
                    otherTerms.add(terms[j]);
                    operands.add(c.input(j));
                    available.append(terms[j]);
                }
            }
            StringBuilder kept = new StringBuilder();
            List<Long> missing = new ArrayList<>();
            for (int p = 0; p < terms[k].length(); p++) {
                char ch = terms[k].charAt(p);
                if (available.indexOf(String.valueOf(ch)) >= 0) {
                    kept.append(ch);
                } else {
                    missing.add((long) p);
                }
            }
            String grad = c.emit("Einsum", operands, OnnxAttributes.of("equation",
                    String.join(",", otherTerms) + "->" + kept));
            if (!missing.isEmpty()) {
                grad = op(c, "Unsqueeze", grad, c.int64s(missing.stream().mapToLong(Long::longValue).toArray()));
                grad = op(c, "Expand", grad, c.shapeOf(c.input(k)));
            }
            g.set(k, grad);
        }
        return g;
    }
}
