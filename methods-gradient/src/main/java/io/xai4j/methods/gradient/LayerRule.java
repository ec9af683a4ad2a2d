package io.xai4j.methods.gradient;

import java.util.Arrays;
import java.util.List;

/**
 * The LRP rules of a linear layer (Conv, ConvTranspose, Gemm, MatMul by a weight): each takes the relevance
 * {@code R} of the layer's outputs {@code z} and returns that of its input {@code x}, with {@code w} the weights,
 * {@code b} the bias, {@code s = R / z'} for the rule's {@code z'} (stabilised, see {@link Ops#perUnit}) and
 * {@code W'^T s} the layer's input gradient with modified weights ({@link LinearLayer#back}):
 * <ul>
 *   <li>{@code epsilon}: {@code x W^T s}, {@code z' = z + epsilon sign(z)};</li>
 *   <li>{@code gamma} (as Zennit's {@code Gamma}): an output {@code z > 0} shares its relevance by
 *       {@code x+ (w + gamma w+) + x- (w + gamma w-)} (bias {@code b + gamma b+}), an output {@code z < 0} by
 *       {@code x+ (w + gamma w-) + x- (w + gamma w+)} (bias {@code b + gamma b-}): the favoured contributions
 *       grow by {@code gamma}, so {@code z'} keeps {@code z}'s sign and is at least as large;</li>
 *   <li>{@code z-plus}: positive contributions only, {@code x+ W+^T s + x- W-^T s}, {@code z' = x+ w+ + x- w-}
 *       (no bias);</li>
 *   <li>{@code alpha-beta}: {@code alpha} times the positive contributions' share minus {@code beta} times the
 *       negative ones', each with its own {@code z'} (biases split by sign);</li>
 *   <li>{@code flat}: every input of an output gets an equal share, {@code x = 1, w = 1};</li>
 *   <li>{@code w-square}: shares by {@code w^2}, {@code x = 1};</li>
 *   <li>{@code box} (z^B, for the first layer, inputs within {@code [low, high]}):
 *       {@code x W^T s - low W+^T s - high W-^T s}, {@code z' = z - low w+ - high w-}.</li>
 * </ul>
 */
enum LayerRule {
    EPSILON("epsilon") {
        @Override
        String relevance(LinearLayer l, String r, LrpSettings s) {
            String unit = l.ops().perUnit(r, l.z(), s.epsilon(), l.x());
            return l.ops().mul(l.x(), l.back(l.w(), unit));
        }
    },
    GAMMA("gamma") {
        @Override
        String relevance(LinearLayer l, String r, LrpSettings s) {
            Ops o = l.ops();
            String zero = o.scalar(0, l.x());
            String positive = o.op("Greater", l.z(), zero);
            String negative = o.op("Less", l.z(), zero);
            String relevance = l.gammaShare(r, positive, true, s);
            return o.add(relevance, l.gammaShare(r, negative, false, s));
        }
    },
    Z_PLUS("z-plus") {
        @Override
        String relevance(LinearLayer l, String r, LrpSettings s) {
            return l.signedShare(r, true, false, s.stabilizer());
        }
    },
    ALPHA_BETA("alpha-beta") {
        @Override
        String relevance(LinearLayer l, String r, LrpSettings s) {
            Ops o = l.ops();
            String positive = o.mul(l.signedShare(r, true, true, s.stabilizer()), o.scalar(s.alpha(), l.x()));
            if (s.beta() == 0) {
                return positive;
            }
            String negative = l.signedShare(r, false, true, s.stabilizer());
            return o.sub(positive, o.mul(negative, o.scalar(s.beta(), l.x())));
        }
    },
    FLAT("flat") {
        @Override
        String relevance(LinearLayer l, String r, LrpSettings s) {
            return uniformInput(l, r, l.ops().onesLike(l.w()), s);
        }
    },
    W_SQUARE("w-square") {
        @Override
        String relevance(LinearLayer l, String r, LrpSettings s) {
            return uniformInput(l, r, l.ops().mul(l.w(), l.w()), s);
        }
    },
    BOX("box") {
        @Override
        String relevance(LinearLayer l, String r, LrpSettings s) {
            Ops o = l.ops();
            String low = l.bound(s.low());
            String high = l.bound(s.high());
            String wp = o.positive(l.w());
            String wn = o.negative(l.w());
            String z = o.sub(o.sub(l.z(), l.forward(low, wp, null)), l.forward(high, wn, null));
            String unit = o.perUnit(r, z, s.stabilizer(), l.x());
            String relevance = o.sub(o.mul(l.x(), l.back(l.w(), unit)), o.mul(low, l.back(wp, unit)));
            return o.sub(relevance, o.mul(high, l.back(wn, unit)));
        }
    };

    private final String label;

    LayerRule(String label) {
        this.label = label;
    }

    /** The rule's name, as composites and parameters write it. */
    String label() {
        return label;
    }

    /** The relevance of the layer's signal input, given {@code r}, that of its output. */
    abstract String relevance(LinearLayer l, String r, LrpSettings s);

    /** Shares of the inputs weighted by {@code w'} alone (inputs taken as ones): flat and w-square. */
    private static String uniformInput(LinearLayer l, String r, String w, LrpSettings s) {
        Ops o = l.ops();
        String unit = o.perUnit(r, l.forward(o.onesLike(l.x()), w, null), s.stabilizer(), l.x());
        return l.back(w, unit);
    }

    static List<String> labels() {
        return Arrays.stream(values()).map(LayerRule::label).toList();
    }

    /** The rule named {@code label}, or null. */
    static LayerRule of(String label) {
        return Arrays.stream(values()).filter(r -> r.label.equals(label)).findFirst().orElse(null);
    }
}
