package io.xai4j.methods.gradient;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.family.cam.ChannelWeightedCam;
import io.xai4j.family.cam.Maps;
import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.Requirement;
import io.xai4j.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Guided Grad-CAM (Selvaraju et al. 2017, as Captum's {@code GuidedGradCam}): the guided backpropagation
 * attribution times the layer's Grad-CAM map (ReLU applied), upsampled to the input's height and width by nearest
 * neighbour (Captum's default {@code interpolate_mode}) and broadcast over the channels. The input must be an
 * image batch {@code [N,C,H,W]}. The details hold the guided gradients' {@code engineCalls} and, under
 * {@code gradCam}, the Grad-CAM's own.
 */
public final class GuidedGradCam implements AttributionMethod {
    private static final MethodDescriptor DESCRIPTOR = new MethodDescriptor("guided-grad-cam", MethodFamily.GRADIENT,
            "1.0", "Guided backpropagation times the upsampled Grad-CAM map of a layer",
            Set.of(Requirement.GRADIENTS, Requirement.LAYER), List.of());

    private final AttributionMethod gradCam = new RectifiedGradCam();
    private final AttributionMethod guided = new GuidedBackprop();

    @Override
    public MethodDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Attribution attribute(AttributionContext context, AttributionRequest request) {
        context.gradients(DESCRIPTOR.name());
        Tensor input = request.input();
        if (input == null || input.rank() != 4) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "method 'guided-grad-cam' needs an image batch "
                    + "[N,C,H,W] as input '" + request.inputName() + "', got "
                    + (input == null ? "no such input" : "shape " + Arrays.toString(input.shape())));
        }
        Attribution cam = gradCam.attribute(context, request);
        Tensor maps = cam.tensors().values().iterator().next();
        Attribution gradients = guided.attribute(context, new AttributionRequest(request.inputs(),
                request.inputName(), request.target(), request.parameters(), Optional.empty()));
        Tensor out = gradients.tensors().get(request.inputName());
        multiplyByUpsampled(out, maps);
        Map<String, Object> details = new LinkedHashMap<>(gradients.details());
        details.put("gradCam", cam.details());
        return new Attribution(Map.of(request.inputName(), out), details);
    }

    /** {@code out[n,c,y,x] *= map[n,0,floor(y h / H),floor(x w / W)]}: PyTorch's nearest interpolation. */
    static void multiplyByUpsampled(Tensor out, Tensor maps) {
        int channels = out.dim(1);
        int height = out.dim(2);
        int width = out.dim(3);
        int h = maps.dim(2);
        int w = maps.dim(3);
        for (int n = 0; n < out.dim(0); n++) {
            for (int y = 0; y < height; y++) {
                int my = (int) Math.floor(y * (double) h / height);
                for (int x = 0; x < width; x++) {
                    float m = maps.at(n, 0, my, (int) Math.floor(x * (double) w / width));
                    for (int c = 0; c < channels; c++) {
                        int i = out.flatIndex(n, c, y, x);
                        out.set(i, out.get(i) * m);
                    }
                }
            }
        }
    }

    /** Grad-CAM with ReLU: channel weights are the spatial means of the gradients. */
    private static final class RectifiedGradCam extends ChannelWeightedCam {
        @Override
        public MethodDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        protected double[] channelWeights(Tensor activations, Tensor gradients) {
            return Maps.meanGradients(activations, gradients);
        }
    }
}
