package io.xai4j.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.image.Layout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How much two explanations of one input agree (e.g. one target per exit of a multi-exit model): the Pearson
 * correlation of their maps ({@link MapAgreement}).
 *
 * @param a           the first explanation's name
 * @param b           the second's
 * @param correlation the Pearson correlation of the maps, in [-1, 1]
 */
public record Agreement(String a, String b, double correlation) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Every pair of the named explanations, in order, each of one example.
     *
     * @param layoutOf the layout of an explanation's map
     */
    public static List<Agreement> pairs(Map<String, Explanation> explanations, Function<Explanation, Layout> layoutOf) {
        List<String> names = new ArrayList<>(explanations.keySet());
        List<Agreement> pairs = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            for (int j = i + 1; j < names.size(); j++) {
                Explanation ea = explanations.get(names.get(i));
                Explanation eb = explanations.get(names.get(j));
                pairs.add(new Agreement(names.get(i), names.get(j), MapAgreement.correlation(ea.attribution().row(0),
                        eb.attribution().row(0), layoutOf.apply(ea))));
            }
        }
        return pairs;
    }

    /** {@code {"pairs": [{"a": ..., "b": ..., "correlation": ...}, ...]}}. */
    public static String toJson(List<Agreement> pairs) {
        try {
            return JSON.writeValueAsString(Map.of("pairs", pairs));
        } catch (JsonProcessingException e) {
            throw new XaiException(ErrorCode.INTERNAL, "cannot render the agreement as JSON: " + e.getMessage(), e);
        }
    }
}
