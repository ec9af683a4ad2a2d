package io.xai4j.target;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the CLI {@code --target} syntax into {@link Target} values. {@code parse(t.spec())} equals {@code t}.
 *
 * <p>An output name may hold any characters but {@code ;} and {@code [} (ONNX names such as
 * {@code /layer4/Relu_output_0} included). A name and a class token are split at the last {@code :} that is
 * followed by a whole target token, so {@code a:b:top:5} reads output {@code a:b}. A lone {@code top:5} is
 * always top-k on the first output, and a lone {@code matrix:3} always the step matrix of the first output.
 */
public final class TargetParser {
    /** The accepted forms, with examples; part of every parse error. */
    public static final String VALID_FORMS = "valid forms: '3' (class 3 of the first output), "
            + "'top1' (the predicted class, the default), 'top:5' (each of the 5 best classes), "
            + "'exit2:3', 'exit2:top1', 'exit2:top:5' (the same on the output named exit2), "
            + "'logits[0:16,3]' or '[0:16,3]' (the sum over a box of the output, one range per non-batch axis: "
            + "a:b, a:, :b, : or a single index i; negative indices count from the end, as in Python: logits[-1,3]), "
            + "'matrix:3' or 'logits:matrix:3' (for a per-step output [N,T,C], the output step x input step matrix of"
            + " class 3), '3;5;top1' (one target per example of the batch)";

    private static final Pattern TOP_K = Pattern.compile("(?:(.+):)?top:?([0-9]+)");
    private static final Pattern MATRIX = Pattern.compile("(?:(.+):)?matrix:([0-9]+)");
    private static final Pattern CLASS = Pattern.compile("(?:(.+):)?([0-9]+)");
    private static final Pattern RANGE = Pattern.compile("(-?[0-9]*):(-?[0-9]*)");
    private static final Pattern INDEX = Pattern.compile("-?[0-9]+");

    private TargetParser() {
    }

    /**
     * Parses a target specification.
     *
     * @throws XaiException {@link ErrorCode#INVALID_ARGUMENT} naming the problem and listing the valid forms
     */
    public static Target parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw invalid(spec, "the target is empty");
        }
        String text = spec.trim();
        if (!text.contains(";")) {
            return parseSingle(spec, text);
        }
        List<Target> targets = new ArrayList<>();
        for (String part : text.split(";", -1)) {
            if (part.isBlank()) {
                throw invalid(spec, "empty per-example target between ';' separators");
            }
            Target t = parseSingle(spec, part.trim());
            if (t instanceof Target.TopK || t instanceof Target.Matrix) {
                throw invalid(spec, "per-example targets take single targets; '" + part.trim()
                        + "' asks for several (use top1 or a class index)");
            }
            targets.add(t);
        }
        return new Target.PerExample(targets);
    }

    private static Target parseSingle(String spec, String text) {
        if (text.endsWith("]")) {
            return parseSlice(spec, text);
        }
        if (text.contains("[") || text.contains("]")) {
            throw invalid(spec, "a slice must end with ']', e.g. logits[0:16,3]");
        }
        Matcher top = TOP_K.matcher(text);
        if (top.matches()) {
            String output = top.group(1);
            int k = number(spec, top.group(2));
            boolean colon = text.endsWith("top:" + top.group(2));
            if (k < 1) {
                throw invalid(spec, "top-k needs k >= 1, got " + k);
            }
            if (k == 1 && !colon) {
                return new Target.Predicted(output);
            }
            return new Target.TopK(output, k);
        }
        Matcher matrix = MATRIX.matcher(text);
        if (matrix.matches()) {
            return new Target.Matrix(matrix.group(1), number(spec, matrix.group(2)));
        }
        Matcher cls = CLASS.matcher(text);
        if (cls.matches()) {
            return new Target.ClassIndex(cls.group(1), number(spec, cls.group(2)));
        }
        if (text.endsWith(":")) {
            throw invalid(spec, "nothing follows the output name '" + text.substring(0, text.length() - 1) + "'");
        }
        throw invalid(spec, "'" + text + "' is not a class index, top1, top:K or a slice");
    }

    private static Target parseSlice(String spec, String text) {
        int open = text.lastIndexOf('[');
        if (open < 0) {
            throw invalid(spec, "']' without a matching '['");
        }
        String output = open == 0 ? null : text.substring(0, open);
        if (output != null && output.endsWith(":")) {
            output = output.substring(0, output.length() - 1);
        }
        if (output != null && output.isEmpty()) {
            throw invalid(spec, "empty output name before '['");
        }
        String body = text.substring(open + 1, text.length() - 1);
        if (body.isBlank()) {
            throw invalid(spec, "a slice needs at least one range, e.g. [0:16,3]");
        }
        List<IndexRange> ranges = new ArrayList<>();
        for (String r : body.split(",", -1)) {
            ranges.add(parseRange(spec, r.trim()));
        }
        return new Target.Slice(output, ranges);
    }

    private static IndexRange parseRange(String spec, String text) {
        if (INDEX.matcher(text).matches()) {
            return IndexRange.single(number(spec, text));
        }
        Matcher m = RANGE.matcher(text);
        if (!m.matches()) {
            throw invalid(spec, "'" + text + "' is not a range (a:b, a:, :b, :) or an index (negative counts from"
                    + " the end)");
        }
        int start = m.group(1).isEmpty() ? 0 : number(spec, m.group(1));
        int end = m.group(2).isEmpty() ? IndexRange.END : number(spec, m.group(2));
        if (end != IndexRange.END && (start >= 0) == (end >= 0) && end <= start) {
            throw invalid(spec, "range '" + text + "' is empty: its end must be greater than its start");
        }
        return new IndexRange(start, end);
    }

    private static int number(String spec, String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw invalid(spec, "number '" + digits + "' is too large");
        }
    }

    private static XaiException invalid(String spec, String problem) {
        return new XaiException(ErrorCode.INVALID_ARGUMENT,
                "invalid target '" + spec + "': " + problem + "; " + VALID_FORMS);
    }
}
