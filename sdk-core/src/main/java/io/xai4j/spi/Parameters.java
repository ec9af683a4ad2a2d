package io.xai4j.spi;

import io.xai4j.baseline.Baseline;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Validated, typed parameter values of one method call: the user's values over the descriptor's defaults.
 * Build with {@link #parse(MethodDescriptor, Map)}.
 */
public final class Parameters {
    private final String method;
    private final Map<String, Object> values;
    private final Map<String, String> text;

    private Parameters(String method, Map<String, Object> values, Map<String, String> text) {
        this.method = method;
        this.values = values;
        this.text = text;
    }

    /**
     * Validates {@code raw} (name to text) against the descriptor.
     *
     * @throws XaiException {@link ErrorCode#UNKNOWN_PARAMETER} or {@link ErrorCode#INVALID_PARAMETER}, listing
     *                      the valid names or values
     */
    public static Parameters parse(MethodDescriptor descriptor, Map<String, String> raw) {
        for (String name : raw.keySet()) {
            if (descriptor.parameter(name).isEmpty()) {
                throw new XaiException(ErrorCode.UNKNOWN_PARAMETER, "unknown parameter '" + name + "' for method '"
                        + descriptor.name() + "'; valid parameters: " + describe(descriptor));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, String> text = new LinkedHashMap<>();
        for (ParameterSpec spec : descriptor.parameters()) {
            String value = raw.getOrDefault(spec.name(), spec.defaultValue());
            if (value != null) {
                values.put(spec.name(), convert(descriptor.name(), spec, value));
                text.put(spec.name(), value);
            }
        }
        return new Parameters(descriptor.name(), Collections.unmodifiableMap(values), Collections.unmodifiableMap(text));
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public int getInt(String name) {
        return (Integer) require(name);
    }

    public double getDouble(String name) {
        return (Double) require(name);
    }

    public boolean getBoolean(String name) {
        return (Boolean) require(name);
    }

    public String getString(String name) {
        return (String) require(name);
    }

    public int[] getIntList(String name) {
        return ((int[]) require(name)).clone();
    }

    public Baseline getBaseline(String name) {
        return (Baseline) require(name);
    }

    /** The effective values as text, for provenance and JSON. */
    public Map<String, String> asText() {
        return text;
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new XaiException(ErrorCode.INVALID_PARAMETER, "method '" + method + "' needs parameter '" + name + "'");
        }
        return v;
    }

    private static Object convert(String method, ParameterSpec spec, String value) {
        String v = value.trim();
        try {
            Object result = switch (spec.type()) {
                case INT -> checkRange(spec, Integer.parseInt(v));
                case FLOAT -> checkRange(spec, parseFinite(v));
                case BOOLEAN -> parseBoolean(v);
                case STRING, PATH -> v;
                case CHOICE -> parseChoice(spec, v);
                case INT_LIST -> parseIntList(spec, v);
                case BASELINE -> Baseline.parse(v);
            };
            return result;
        } catch (XaiException e) {
            throw new XaiException(ErrorCode.INVALID_PARAMETER, "bad value '" + value + "' for parameter '" + spec.name()
                    + "' of method '" + method + "': " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new XaiException(ErrorCode.INVALID_PARAMETER, "bad value '" + value + "' for parameter '" + spec.name()
                    + "' of method '" + method + "': expected " + expectation(spec), e);
        }
    }

    private static double parseFinite(String v) {
        double d = Double.parseDouble(v);
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("not finite");
        }
        return d;
    }

    private static <T extends Number> T checkRange(ParameterSpec spec, T n) {
        double d = n.doubleValue();
        if ((spec.min() != null && d < spec.min()) || (spec.max() != null && d > spec.max())) {
            throw new IllegalArgumentException("out of range");
        }
        return n;
    }

    private static Boolean parseBoolean(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not a boolean");
        };
    }

    private static String parseChoice(ParameterSpec spec, String v) {
        if (!spec.choices().contains(v)) {
            throw new IllegalArgumentException("not a valid choice");
        }
        return v;
    }

    private static int[] parseIntList(ParameterSpec spec, String v) {
        int[] list = Arrays.stream(v.split("[,x]")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        for (int i : list) {
            checkRange(spec, i);
        }
        return list;
    }

    private static String expectation(ParameterSpec spec) {
        String range = spec.min() == null && spec.max() == null ? ""
                : " in [" + (spec.min() == null ? "-inf" : fmt(spec.min())) + ", "
                        + (spec.max() == null ? "inf" : fmt(spec.max())) + "]";
        return switch (spec.type()) {
            case INT -> "a whole number" + range;
            case FLOAT -> "a number" + range;
            case BOOLEAN -> "true or false";
            case CHOICE -> "one of " + String.join(", ", spec.choices());
            case INT_LIST -> "comma-separated whole numbers" + range + ", e.g. 3,32,32";
            case BASELINE -> "zeros, a number, mean, blur, blur:SIGMA or an .npy path";
            case STRING, PATH -> "text";
        };
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    static String describe(MethodDescriptor descriptor) {
        if (descriptor.parameters().isEmpty()) {
            return "(none)";
        }
        return descriptor.parameters().stream()
                .map(p -> p.name() + " (" + expectation(p) + (p.defaultValue() == null ? "" : ", default " + p.defaultValue()) + ")")
                .collect(Collectors.joining("; "));
    }

    @Override
    public String toString() {
        return method + text;
    }
}
