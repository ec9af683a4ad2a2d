package io.xai4j.image;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Parser for preprocessing spec strings such as {@code imagenet,layout=nhwc}. */
final class PreprocessingSpec {
    static final List<String> PRESETS = List.of("imagenet", "none");
    static final List<String> KEYS = List.of("size", "crop", "scale", "mean", "std", "order", "layout");
    private static final String HELP = "; valid presets: " + String.join(", ", PRESETS) + "; valid keys: "
            + String.join(", ", KEYS) + " (e.g. imagenet,layout=nhwc or size=224x224,scale=1/255,mean=0.5,std=0.5)";

    private PreprocessingSpec() {
    }

    static Preprocessing parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw error("empty preprocessing spec");
        }
        String[] tokens = spec.split(",", -1);
        Preprocessing base = Preprocessing.NONE;
        int from = 0;
        String first = tokens[0].trim().toLowerCase(Locale.ROOT);
        if (!first.contains("=")) {
            base = switch (first) {
                case "imagenet" -> Preprocessing.IMAGENET;
                case "none" -> Preprocessing.NONE;
                default -> throw error("unknown preprocessing preset '" + first + "'");
            };
            from = 1;
        }
        Resize resize = base.resize();
        Size crop = base.crop();
        double scale = base.scale();
        List<Double> mean = base.mean();
        List<Double> std = base.std();
        ChannelOrder order = base.order();
        Layout layout = base.layout();
        Set<String> seen = new HashSet<>();
        for (int i = from; i < tokens.length; i++) {
            String token = tokens[i].trim();
            int eq = token.indexOf('=');
            if (eq <= 0) {
                throw error("expected key=value but got '" + token + "' in '" + spec + "'");
            }
            String key = token.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = token.substring(eq + 1).trim().toLowerCase(Locale.ROOT);
            if (!seen.add(key)) {
                throw error("key '" + key + "' given twice in '" + spec + "'");
            }
            try {
                switch (key) {
                    case "size" -> resize = parseResize(value);
                    case "crop" -> crop = value.equals("none") ? Size.NONE : parseSize(value);
                    case "scale" -> scale = parseNumber(value);
                    case "mean" -> mean = parseList(value);
                    case "std" -> std = parseList(value);
                    case "order" -> order = ChannelOrder.valueOf(value.toUpperCase(Locale.ROOT));
                    case "layout" -> layout = value.equals(Preprocessing.AUTO_LAYOUT) ? null
                            : Layout.valueOf(value.toUpperCase(Locale.ROOT));
                    default -> throw error("unknown key '" + key + "'");
                }
            } catch (IllegalArgumentException e) {
                throw new XaiException(ErrorCode.INVALID_ARGUMENT, "bad value '" + value + "' for " + key
                        + " in preprocessing spec '" + spec + "' (" + expected(key) + ")" + HELP, e);
            }
        }
        return new Preprocessing(resize, crop, scale, mean, std, order, layout);
    }

    private static Resize parseResize(String value) {
        if (value.equals("none")) {
            return Resize.NONE;
        }
        if (value.startsWith("cover:")) {
            Size s = parseSize(value.substring("cover:".length()));
            return Resize.cover(s.height(), s.width());
        }
        if (value.contains("x")) {
            Size s = parseSize(value);
            return Resize.exact(s.height(), s.width());
        }
        return Resize.shorterSide(positive(value));
    }

    private static Size parseSize(String value) {
        int x = value.indexOf('x');
        if (x < 0) {
            return Size.square(positive(value));
        }
        return new Size(positive(value.substring(0, x)), positive(value.substring(x + 1)));
    }

    private static int positive(String text) {
        int v = Integer.parseInt(text.trim());
        if (v <= 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
        return v;
    }

    private static double parseNumber(String text) {
        int slash = text.indexOf('/');
        double v = slash < 0 ? Double.parseDouble(text)
                : Double.parseDouble(text.substring(0, slash)) / Double.parseDouble(text.substring(slash + 1));
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("not a finite number");
        }
        return v;
    }

    private static List<Double> parseList(String value) {
        List<Double> out = new ArrayList<>();
        for (String part : value.split(":", -1)) {
            out.add(parseNumber(part.trim()));
        }
        return out;
    }

    private static String expected(String key) {
        return switch (key) {
            case "size" -> "expected S (shorter side), HxW (exact), cover:HxW or none";
            case "crop" -> "expected S, HxW or none";
            case "scale" -> "expected a number such as 0.00392156862745098 or 1/255";
            case "mean", "std" -> "expected numbers separated by ':' such as 0.485:0.456:0.406";
            case "order" -> "expected rgb, bgr or gray";
            default -> "expected nchw, nhwc or " + Preprocessing.AUTO_LAYOUT + " (the model input's)";
        };
    }

    private static XaiException error(String message) {
        return new XaiException(ErrorCode.INVALID_ARGUMENT, message + HELP);
    }
}
