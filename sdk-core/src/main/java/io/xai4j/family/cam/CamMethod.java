package io.xai4j.family.cam;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.gradient.GradientQuery;
import io.xai4j.layer.LayerLayout;
import io.xai4j.layer.LayerSelector;
import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.ParameterSpec;
import io.xai4j.spi.Requirement;
import io.xai4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The skeleton of the CAM family: finds the layer (the request's, or one chosen automatically when the method
 * is called without the {@link io.xai4j.api.Explainer}), lets the method compute one map per example at the
 * layer's resolution, and returns the maps {@code [N,1,H,W]} keyed by the layer tensor. Token layers
 * {@code [N,T,C]} are read as an {@code H x W} grid ({@link LayerLayout}; parameter {@code grid}); a flat layer
 * {@code [N,C]} gives maps {@code [N,1]}, as Captum's LayerGradCam does, unless the method
 * {@link #needsPositions() needs positions}. The layer may be a model input (Captum's
 * {@code attribute_to_layer_input} of the first layer).
 */
public abstract class CamMethod implements AttributionMethod {
    /** The version of the built-in CAM methods. */
    protected static final String VERSION = "1.0";
    /** The shared parameter that reads a token layer as a grid. */
    public static final String GRID = "grid";

    /** The maps {@code [N,1,H,W]} of all examples; details go to {@link CamJob#details()}. */
    protected abstract Tensor maps(CamJob job);

    /**
     * Whether the method needs a layer with several positions: its map of a flat {@code [N,C]} layer would be a
     * single number that says nothing (Eigen-CAM's principal direction, Score-CAM's masks). Such a layer is then a
     * usage error.
     */
    protected boolean needsPositions() {
        return false;
    }

    @Override
    public final Attribution attribute(AttributionContext context, AttributionRequest request) {
        Tensor input = request.input();
        if (input == null || input.rank() < 2) {
            throw new XaiException(ErrorCode.INVALID_INPUT, "method '" + descriptor().name() + "' needs input '"
                    + request.inputName() + "' with a batch dimension, got "
                    + (input == null ? "no such input; inputs are " + request.inputs().keySet()
                            : "shape " + Arrays.toString(input.shape())));
        }
        String layer = request.layer().orElseGet(() -> LayerSelector.select(context.model(), oneRowShapes(request),
                null, request.target().output()).tensor());
        int[] grid = request.parameters().has(GRID) ? request.parameters().getIntList(GRID) : null;
        CamJob job = new CamJob(descriptor().name(), context, request, layer, grid, needsPositions());
        Tensor maps = maps(job);
        if (job.foundLayout() != null && job.foundLayout().flat()) {
            maps = maps.reshape(maps.dim(0), 1);
        }
        return new Attribution(Map.of(layer, maps), job.details(), job.outputs());
    }

    /**
     * A CAM descriptor with the shared parameters after the method's own: {@code grid}, and for methods that need
     * gradients {@value GradientQuery#THROUGH_SOFTMAX} ({@link GradientQuery#throughSoftmaxParameter()}).
     */
    protected static MethodDescriptor descriptor(String name, String description, Set<Requirement> requirements,
            List<ParameterSpec> parameters) {
        List<ParameterSpec> all = new ArrayList<>(parameters);
        all.add(ParameterSpec.intList(GRID, null, 1, "HxW grid of a token layer [N,T,C] (default: a square grid,"
                + " after a class token when T - 1 is square)"));
        if (requirements.contains(Requirement.GRADIENTS)) {
            all.add(GradientQuery.throughSoftmaxParameter());
        }
        return new MethodDescriptor(name, MethodFamily.CAM, VERSION, description, requirements, all);
    }

    protected static Set<Requirement> gradientsAndLayer() {
        return Set.of(Requirement.GRADIENTS, Requirement.LAYER);
    }

    protected static Set<Requirement> layerOnly() {
        return Set.of(Requirement.LAYER);
    }

    private static Map<String, int[]> oneRowShapes(AttributionRequest request) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        request.inputs().forEach((name, t) -> {
            int[] s = t.shape();
            s[0] = 1;
            shapes.put(name, s);
        });
        return shapes;
    }
}
