package io.xai4j.image;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.spi.Dim;
import io.xai4j.spi.TensorSpec;
import io.xai4j.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How images become a model input: resize, centre crop, {@code value * scale}, then
 * {@code (value - mean[c]) / std[c]} per channel, in a channel order and a layout.
 *
 * <p>An image that already has the crop size is used as it is, without resizing. Resizing is bilinear
 * with antialiasing when shrinking (as PIL does). Build one with {@link #parse(String)}, a preset
 * ({@link #IMAGENET}, {@link #NONE}) and the {@code with...} methods, then adapt it to a model with
 * {@link #forInput(TensorSpec)}. {@link #describe()} gives a canonical spec that {@link #parse} accepts.
 *
 * @param resize how images are resized first
 * @param crop the centre crop, or {@link Size#NONE}
 * @param scale the factor applied to 8-bit values (e.g. 1/255)
 * @param mean per-channel means (one value, or one per channel), subtracted after scaling
 * @param std per-channel standard deviations (one value, or one per channel)
 * @param order the channel order
 * @param layout the tensor layout, or null to take it from the model input ({@link #forInput}); a layout given is
 *               honoured or refused, never overridden
 */
public record Preprocessing(Resize resize, Size crop, double scale, List<Double> mean, List<Double> std,
                            ChannelOrder order, Layout layout) {

    /** The spec value of a layout taken from the model input. */
    public static final String AUTO_LAYOUT = "auto";

    /**
     * torchvision's ImageNet transform: shorter side to 256, centre crop 224, scale 1/255, ImageNet mean and
     * std, RGB; the layout is the model input's (NCHW when applied without one).
     */
    public static final Preprocessing IMAGENET = new Preprocessing(Resize.shorterSide(256), Size.square(224),
            1.0 / 255, List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225), ChannelOrder.RGB, null);

    /** Scale 1/255 only, RGB, the model input's layout; no resize unless a target size is set. */
    public static final Preprocessing NONE = new Preprocessing(Resize.NONE, Size.NONE, 1.0 / 255,
            List.of(0.0), List.of(1.0), ChannelOrder.RGB, null);

    public Preprocessing {
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (!Double.isFinite(scale) || scale == 0) {
            throw invalid("scale must be finite and non-zero, got " + scale);
        }
        checkPerChannel("mean", mean, order);
        checkPerChannel("std", std, order);
        for (double s : std) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw invalid("std values must be positive, got " + std);
            }
        }
        for (double m : mean) {
            if (!Double.isFinite(m)) {
                throw invalid("mean values must be finite, got " + mean);
            }
        }
    }

    /** Parses a spec: a preset name, {@code key=value} pairs, or a preset followed by overrides. */
    public static Preprocessing parse(String spec) {
        return PreprocessingSpec.parse(spec);
    }

    /** The preset names {@link #parse} accepts. */
    public static List<String> presets() {
        return PreprocessingSpec.PRESETS;
    }

    public Preprocessing withResize(Resize r) {
        return new Preprocessing(r, crop, scale, mean, std, order, layout);
    }

    public Preprocessing withCrop(Size c) {
        return new Preprocessing(resize, c, scale, mean, std, order, layout);
    }

    public Preprocessing withScale(double s) {
        return new Preprocessing(resize, crop, s, mean, std, order, layout);
    }

    public Preprocessing withMeanStd(List<Double> m, List<Double> s) {
        return new Preprocessing(resize, crop, scale, m, s, order, layout);
    }

    public Preprocessing withOrder(ChannelOrder o) {
        return new Preprocessing(resize, crop, scale, mean, std, o, layout);
    }

    public Preprocessing withLayout(Layout l) {
        return new Preprocessing(resize, crop, scale, mean, std, order, l);
    }

    /**
     * The range of the values this preprocessing gives 8-bit pixels: per channel, {@code (0 - mean) / std} and
     * {@code (255 scale - mean) / std}, lowest first, as {@code {low, high}} with one value per mean or std given.
     */
    public double[][] valueRange() {
        int n = Math.max(mean.size(), std.size());
        double[][] range = new double[2][n];
        for (int c = 0; c < n; c++) {
            double m = mean.get(Math.min(c, mean.size() - 1));
            double s = std.get(Math.min(c, std.size() - 1));
            double a = (0.0 - m) / s;
            double b = (255 * scale - m) / s;
            range[0][c] = Math.min(a, b);
            range[1][c] = Math.max(a, b);
        }
        return range;
    }

    /** {@link #valueRange()} as parameter text, {@code {low, high}}, per channel values joined by ':'. */
    public String[] valueRangeText() {
        double[][] range = valueRange();
        String[] text = new String[2];
        for (int side = 0; side < 2; side++) {
            StringBuilder b = new StringBuilder();
            for (double v : range[side]) {
                b.append(b.length() == 0 ? "" : ":").append((float) v);
            }
            text[side] = b.toString();
        }
        return text;
    }

    /** Number of channels of the produced tensor. */
    public int channels() {
        return order.channels();
    }

    /**
     * Makes the output exactly {@code height x width}. With a crop, the resize keeps its ratio to the crop
     * (ImageNet: shorter side {@code round(H*256/224)}, then crop {@code HxW}); without one, images are
     * resized to exactly that size.
     */
    public Preprocessing withTargetSize(int height, int width) {
        Size target = new Size(height, width);
        if (crop.isNone()) {
            return withResize(Resize.exact(height, width));
        }
        Size s = resize.size();
        Resize r = switch (resize.mode()) {
            case NONE -> Resize.NONE;
            case EXACT -> Resize.exact(ratio(height, s.height(), crop.height()), ratio(width, s.width(), crop.width()));
            case COVER -> {
                double k = (double) Math.min(s.height(), s.width()) / Math.min(crop.height(), crop.width());
                yield Resize.cover((int) Math.round(height * k), (int) Math.round(width * k));
            }
        };
        return withResize(r).withCrop(target);
    }

    /**
     * Adapts to a model input of rank 4: the layout, when none is given, from where the channel dimension (1 or 3)
     * is (NCHW when both axes could be; a layout given is kept, or refused when the input has no channels where it
     * puts them), the channel count (gray for 1), and when H and W are fixed, the target size. An input of an integer type
     * (an image fed as bytes) gets the raw pixel values 0 to 255: scale 1, no mean or std.
     *
     * @throws XaiException {@code SHAPE_MISMATCH} when the input does not look like an image batch
     */
    public Preprocessing forInput(TensorSpec spec) {
        List<Dim> shape = spec.shape();
        if (shape.size() != 4) {
            throw notImage(spec, "rank " + shape.size());
        }
        boolean first = isChannelDim(shape.get(1));
        boolean last = isChannelDim(shape.get(3));
        if (!first && !last) {
            throw notImage(spec, "no channel dimension of size 1 or 3 at axis 1 or 3");
        }
        Layout l = layout != null ? layout : first ? Layout.NCHW : Layout.NHWC;
        if (l == Layout.NCHW ? !first : !last) {
            Layout fits = first ? Layout.NCHW : Layout.NHWC;
            throw invalid("layout=" + name(l) + " was asked for, but model input '" + spec.name() + "' "
                    + spec.shapeString() + " has its channels at axis " + (first ? 1 : 3) + " (" + fits + ") and none at"
                    + " axis " + (first ? 3 : 1) + "; give layout=" + name(fits) + " or layout=" + AUTO_LAYOUT);
        }
        int channels = (int) shape.get(l == Layout.NCHW ? 1 : 3).size();
        ChannelOrder o = channels == 1 ? ChannelOrder.GRAY : order == ChannelOrder.GRAY ? ChannelOrder.RGB : order;
        Dim h = shape.get(l == Layout.NCHW ? 2 : 1);
        Dim w = shape.get(l == Layout.NCHW ? 3 : 2);
        boolean raw = !spec.type().isFloatingPoint();
        if (!raw && o.channels() == 1 && (mean.size() > 1 || std.size() > 1)) {
            throw invalid("input '" + spec.name() + "' " + spec.shapeString() + " takes 1 channel (grayscale), but"
                    + " the preprocessing has per-channel mean " + mean + " and std " + std + " for " + order.channels()
                    + " channels; give one value each, e.g. --preprocess none (scale to [0,1] only) or"
                    + " --preprocess none,mean=0.5,std=0.5");
        }
        Preprocessing p = raw ? new Preprocessing(resize, crop, 1, List.of(0.0), List.of(1.0), o, l)
                : new Preprocessing(resize, crop, scale, mean, std, o, l);
        return h.isFixed() && w.isFixed() ? p.withTargetSize((int) h.size(), (int) w.size()) : p;
    }

    /** Preprocesses one image into a batch of one. */
    public PreprocessedBatch apply(BufferedImage image) {
        return apply(List.of(image));
    }

    /**
     * Preprocesses images into one tensor {@code [N, ...]}; all must come out the same size.
     *
     * @throws XaiException {@code INVALID_INPUT} when sizes differ or an image is smaller than the crop
     */
    public PreprocessedBatch apply(List<BufferedImage> images) {
        if (images.isEmpty()) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "no images to preprocess");
        }
        List<ImagePlan> plans = new ArrayList<>(images.size());
        for (BufferedImage image : images) {
            plans.add(ImagePlan.of(this, image.getWidth(), image.getHeight()));
        }
        ImagePlan first = plans.get(0);
        for (ImagePlan p : plans) {
            if (p.outWidth() != first.outWidth() || p.outHeight() != first.outHeight()) {
                throw new XaiException(ErrorCode.INVALID_INPUT, "images come out in different sizes ("
                        + plans.stream().map(q -> q.outHeight() + "x" + q.outWidth()).collect(Collectors.joining(", "))
                        + ") and cannot form one batch; set size=HxW or a crop in the preprocessing spec");
            }
        }
        int h = first.outHeight();
        int w = first.outWidth();
        int c = channels();
        float[] data = new float[images.size() * c * h * w];
        List<CropBox> boxes = new ArrayList<>(images.size());
        for (int n = 0; n < images.size(); n++) {
            ImagePlan plan = plans.get(n);
            float[][] planes = plan.planes(images.get(n), order);
            write(planes, data, n * c * h * w, h * w);
            boxes.add(plan.box());
        }
        int[] shape = tensorLayout() == Layout.NCHW ? new int[] {images.size(), c, h, w}
                : new int[] {images.size(), h, w, c};
        return new PreprocessedBatch(Tensor.of(data, shape), boxes);
    }

    /** The layout {@link #apply} writes: the one given, else NCHW (before {@link #forInput} chose one). */
    public Layout tensorLayout() {
        return layout == null ? Layout.NCHW : layout;
    }

    /** Where an image of this size ends up: the region of it that the model input covers. */
    public CropBox geometry(int imageWidth, int imageHeight) {
        return ImagePlan.of(this, imageWidth, imageHeight).box();
    }

    /**
     * Canonical spec, e.g. {@code size=256,crop=224x224,scale=...,mean=...,std=...,order=rgb,layout=nchw}
     * ({@code layout=auto} when the model input decides).
     */
    public String describe() {
        return "size=" + resize + ",crop=" + crop + ",scale=" + scale + ",mean=" + join(mean) + ",std=" + join(std)
                + ",order=" + order.name().toLowerCase() + ",layout=" + (layout == null ? AUTO_LAYOUT : name(layout));
    }

    @Override
    public String toString() {
        return describe();
    }

    private void write(float[][] planes, float[] data, int offset, int pixels) {
        int c = planes.length;
        for (int ch = 0; ch < c; ch++) {
            float s = (float) scale;
            float m = (float) (double) mean.get(mean.size() == 1 ? 0 : ch);
            float inv = (float) (1.0 / std.get(std.size() == 1 ? 0 : ch));
            float[] plane = planes[ch];
            if (tensorLayout() == Layout.NCHW) {
                int base = offset + ch * pixels;
                for (int i = 0; i < pixels; i++) {
                    data[base + i] = (plane[i] * s - m) * inv;
                }
            } else {
                for (int i = 0; i < pixels; i++) {
                    data[offset + i * c + ch] = (plane[i] * s - m) * inv;
                }
            }
        }
    }

    private static int ratio(int target, int resized, int cropped) {
        return (int) Math.round((double) target * resized / cropped);
    }

    private static boolean isChannelDim(Dim d) {
        return d.isFixed() && (d.size() == 1 || d.size() == 3);
    }

    private static void checkPerChannel(String name, List<Double> values, ChannelOrder order) {
        if (values.size() != 1 && values.size() != order.channels()) {
            throw invalid(name + " needs 1 or " + order.channels() + " values for channel order "
                    + order.name().toLowerCase() + ", got " + values.size() + " " + values);
        }
    }

    private static String name(Layout l) {
        return l.name().toLowerCase(Locale.ROOT);
    }

    private static String join(List<Double> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(":"));
    }

    private static XaiException notImage(TensorSpec spec, String why) {
        return new XaiException(ErrorCode.SHAPE_MISMATCH, "model input '" + spec.name() + "' " + spec.shapeString()
                + " is not an image batch (" + why + "); expected [N,C,H,W] or [N,H,W,C] with C = 1 or 3");
    }

    static XaiException invalid(String message) {
        return new XaiException(ErrorCode.INVALID_ARGUMENT, "invalid preprocessing: " + message);
    }
}
