package io.xai4j.methods.gradient;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which {@link LayerRule} each linear layer gets: by op type ({@code Conv}, {@code ConvTranspose}, {@code Gemm},
 * {@code MatMul}), by position ({@code first}: the first convolution over the image, see
 * {@link LinearLayer#isFirstImageLayer}) and otherwise {@code default} (epsilon when not given). Written as
 * {@code KEY:RULE;KEY:RULE}, for example {@code first:box;Conv:z-plus;default:epsilon}, or as the name of a built-in
 * composite ({@link #NAMED}) or of a single rule for every layer.
 *
 * @param rules rule by key
 */
record LrpComposite(Map<String, LayerRule> rules) {
    static final String FIRST = "first";
    static final String DEFAULT = "default";
    static final List<String> KEYS = List.of(FIRST, DEFAULT, "Conv", "ConvTranspose", "Gemm", "MatMul");
    static final Map<String, String> NAMED = Map.of(
            "epsilon-plus", "first:box;Conv:z-plus;ConvTranspose:z-plus;default:epsilon",
            "epsilon-gamma-box", "first:box;Conv:gamma;ConvTranspose:gamma;default:epsilon",
            "epsilon-alpha2-beta1", "Conv:alpha-beta;ConvTranspose:alpha-beta;default:epsilon");

    LrpComposite {
        rules = Map.copyOf(rules);
    }

    /** The names {@link #parse} accepts besides a {@code KEY:RULE;...} list. */
    static List<String> names() {
        List<String> names = new ArrayList<>(new TreeSet<>(NAMED.keySet()));
        LayerRule.labels().stream().filter(r -> !r.equals(LayerRule.BOX.label())).forEach(names::add);
        return names;
    }

    /** Reads a built-in composite's name, a single rule's name, or a {@code KEY:RULE;...} list. */
    static LrpComposite parse(String text) {
        String spec = NAMED.getOrDefault(text, text);
        LayerRule single = LayerRule.of(spec);
        if (single != null && single != LayerRule.BOX) {
            return new LrpComposite(Map.of(DEFAULT, single));
        }
        if (!spec.contains(":")) {
            throw invalid("unknown LRP composite '" + text + "'; expected one of " + String.join(", ", names())
                    + ", a list such as first:box;Conv:z-plus;default:epsilon, or a JSON file");
        }
        Map<String, String> entries = new TreeMap<>();
        for (String entry : spec.split(";")) {
            String[] kv = entry.split(":", 2);
            if (kv.length != 2 || entries.put(kv[0].trim(), kv[1].trim()) != null) {
                throw invalid("bad LRP composite entry '" + entry + "' in '" + text + "': expected KEY:RULE, each key"
                        + " once, with KEY one of " + KEYS);
            }
        }
        return of(entries);
    }

    /** A composite from rule names by key, as a JSON composite file gives them. */
    static LrpComposite of(Map<String, String> entries) {
        Map<String, LayerRule> rules = new TreeMap<>();
        entries.forEach((key, name) -> {
            if (!KEYS.contains(key)) {
                throw invalid("unknown LRP composite key '" + key + "'; expected one of " + KEYS);
            }
            LayerRule rule = LayerRule.of(name);
            if (rule == null) {
                throw invalid("unknown LRP rule '" + name + "' for '" + key + "'; expected one of "
                        + LayerRule.labels());
            }
            if (rule == LayerRule.BOX && !key.equals(FIRST)) {
                throw invalid("the box rule needs the input's bounds, so it applies to the first layer only; got "
                        + key + ":box");
            }
            rules.put(key, rule);
        });
        return new LrpComposite(rules);
    }

    /** The rule of a layer of op type {@code op}, {@code first} when it is the first convolution over the image. */
    LayerRule ruleFor(String op, boolean first) {
        if (first && rules.containsKey(FIRST)) {
            return rules.get(FIRST);
        }
        return rules.getOrDefault(op, rules.getOrDefault(DEFAULT, LayerRule.EPSILON));
    }

    /** Whether some layer's rule depends on its being the first. */
    boolean hasFirst() {
        return rules.containsKey(FIRST);
    }

    /** The {@code KEY:RULE;...} form, sorted by key. */
    String spec() {
        return new TreeMap<>(rules).entrySet().stream().map(e -> e.getKey() + ":" + e.getValue().label())
                .collect(Collectors.joining(";"));
    }

    private static XaiException invalid(String message) {
        return new XaiException(ErrorCode.INVALID_PARAMETER, message);
    }
}
