package io.xai4j.methods.gradient;

import java.util.Arrays;
import java.util.List;

/**
 * The LRP rules of a linear layer (Conv, ConvTranspose, Gemm, MatMul by a weight): each takes the relevance
 * {@code R} of the layer's outputs {@code z} and returns that of its input {@code x}, with {@code w} the weights,
 * {@code b} the bias, {@code s = R / z'} for the rule's {@code z'} (stabilised, see {@link Ops#perUnit}) and
 * {@code W'^T s} the layer's input gradient with modified weights ({@link LinearLayer#back}), as Zennit's rules:
 * <ul>
 *   <li>{@code epsilon}: {@code x W^T s}, {@code z' = z + epsilon sign(z)};</li>
 *   <li>{@code gamma} (as Zennit's {@code Gamma}): an output {@code z > 0} shares its relevance by
 *       {@code x+ (w + gamma w+) + x- (w + gamma w-)} (bias {@code b + gamma b+}), an output {@code z < 0} by
 *       {@code x+ (w + gamma w-) + x- (w + gamma w+)} (bias {@code b + gamma b-}): the favoured contributions
 *       grow by {@code gamma}, so {@code z'} keeps {@code z}'s sign and is at least as large; where only Relu
 *       nodes read {@code z}, negative outputs have no relevance and one input gradient, with weights
 *       {@code w + gamma w+}, does;</li>
 *   <li>{@code z-plus}: positive contributions only, {@code x+ W+^T s + x- W-^T s}, {@code z' = x+ w+ + x- w- + b+};</li>
 *   <li>{@code alpha-beta}: {@code alpha} times the positive contributions' share minus {@code beta} times the
 *       negative ones', each with its own {@code z'} (biases split by sign);</li>
 *   <li>{@code flat}: every input of an output gets an equal share, {@code x = 1, w = 1};</li>
 *   <li>{@code w-square}: shares by {@code w^2}, {@code x = 1}, bias {@code b^2};</li>
 *   <li>{@code box} (z^B, for the first layer, inputs within {@code [low, high]}):
 *       {@code x W^T s - low W+^T s - high W-^T s}, computed as {@code (x - high) W^T s - (low - high) W+^T s}
 *       (as {@code W- = W - W+}: two input gradients), {@code z' = x w - low w+ - high w-} (no bias), with
 *       {@code x w} the forward pass's and the bounds' terms constants.</li>
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
            String gamma = o.scalar(s.gamma(), l.x());
            String zero = o.scalar(0, l.x());
            String positive = l.contributions(true);
            String wp = o.add(l.w(), o.mul(o.positive(l.w()), gamma));
            String wn = o.add(l.w(), o.mul(o.negative(l.w()), gamma));
            String up = o.op("Where", o.op("Greater", l.z(), zero),
                    o.perUnit(r, o.add(l.z(), o.mul(positive, gamma)), s.stabilizer(), l.x(), true), zero);
            if (l.noRelevanceBelowZero(s.composite())) {
                return l.share(wp, wn, up);
            }
            String negative = o.sub(l.z(), positive);
            String down = o.op("Where", o.op("Less", l.z(), zero),
                    o.perUnit(r, o.add(l.z(), o.mul(negative, gamma)), s.stabilizer(), l.x(), false), zero);
            return o.add(l.share(wp, wn, up), l.share(wn, wp, down));
        }
    },
    Z_PLUS("z-plus") {
        @Override
        String relevance(LinearLayer l, String r, LrpSettings s) {
            Ops o = l.ops();
            String unit = o.div(r, l.stabilizedPositiveContributions(s.stabilizer()));
            return l.share(o.positive(l.w()), o.negative(l.w()), unit);
        }
    },
    ALPHA_BETA("alpha-beta") {
        @Override
        String relevance(LinearLayer l, String r, LrpSettings s) {
            Ops o = l.ops();
            String wp = o.positive(l.w());
            String wn = o.negative(l.w());
            String relevance = o.mul(l.share(wp, wn, o.div(r, l.stabilizedPositiveContributions(s.stabilizer()))),
                    o.scalar(s.alpha(), l.x()));
            if (s.beta() == 0) {
                return relevance;
            }
            String unit = o.perUnit(r, l.contributions(false), s.stabilizer(), l.x());
            return o.sub(relevance, o.mul(l.share(wn, wp, unit), o.scalar(s.beta(), l.x())));
        }
    },
    FLAT("flat") {
        @Override
        String relevance(LinearLayer l, String r, LrpSettings s) {
            return uniformInput(l, r, l.ops().onesLike(l.w()), null, s);
        }
    },
    W_SQUARE("w-square") {
        @Override
        String relevance(LinearLayer l, String r, LrpSettings s) {
            String b = l.b() == null ? null : l.ops().mul(l.b(), l.b());
            return uniformInput(l, r, l.ops().mul(l.w(), l.w()), b, s);
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
            String z = o.sub(o.sub(l.linearPart(), l.forward(low, wp, null)), l.forward(high, wn, null));
            String unit = o.perUnit(r, z, s.stabilizer(), l.x());
            return o.sub(o.mul(o.sub(l.x(), high), l.back(l.w(), unit)), o.mul(o.sub(low, high), l.back(wp, unit)));
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

    /** Shares of the inputs weighted by {@code w'} alone (inputs taken as ones, bias {@code b}): flat, w-square. */
    private static String uniformInput(LinearLayer l, String r, String w, String b, LrpSettings s) {
        Ops o = l.ops();
        String unit = o.perUnit(r, l.forward(l.filled(new float[] {1}), w, b), s.stabilizer(), l.x());
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
