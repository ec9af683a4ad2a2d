package io.xai4j.methods.gradient;

import static io.xai4j.methods.gradient.Fixtures.attribute;
import static io.xai4j.methods.gradient.Fixtures.classes;
import static io.xai4j.testing.TestTensors.maxDiff;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.batch.Batcher;
import io.xai4j.family.gradient.Elementwise;
import io.xai4j.family.gradient.GradientJob;
import io.xai4j.family.gradient.GradientMethod;
import io.xai4j.inject.MethodRegistry;
import io.xai4j.plugin.PluginReport;
import io.xai4j.spi.Attribution;
import io.xai4j.spi.AttributionContext;
import io.xai4j.spi.AttributionRequest;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.MethodFamily;
import io.xai4j.spi.Parameters;
import io.xai4j.spi.Requirement;
import io.xai4j.target.ResolvedTarget;
import io.xai4j.tensor.Tensor;
import io.xai4j.testing.TestTensors;
import io.xai4j.testing.models.QuadraticModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NoiseTunnelTest {
    private final QuadraticModel model = QuadraticModel.random(7, 3, 6);
    private final Tensor x = TestTensors.random(1, 2, 6);
    private final ResolvedTarget target = classes(2, 1);

    @Test
    void withoutNoiseSmoothGradEqualsItsBaseMethod() {
        assertThat(maxDiff(attribute(new SmoothGrad(), model, x, target, Map.of("sigma", "0", "samples", "3")),
                attribute(new Saliency(), model, x, target, Map.of()))).isLessThan(1e-6);
        assertThat(maxDiff(attribute(new SmoothGrad(), model, x, target,
                        Map.of("sigma", "0", "samples", "3", "base.abs", "false")),
                attribute(new Saliency(), model, x, target, Map.of("abs", "false")))).isLessThan(1e-6);
        assertThat(maxDiff(attribute(new SmoothGrad(), model, x, target,
                        Map.of("sigma", "0", "samples", "3", "base", "input-x-gradient")),
                attribute(new InputXGradient(), model, x, target, Map.of()))).isLessThan(1e-6);
        assertThat(maxDiff(attribute(new SmoothGrad(), model, x, target,
                        Map.of("sigma", "0", "samples", "2", "base", "integrated-gradients")),
                attribute(new IntegratedGradients(), model, x, target, Map.of()))).isLessThan(1e-6);
        Tensor vargrad = attribute(new VarGrad(), model, x, target, Map.of("sigma", "0", "samples", "3"));
        assertThat(maxDiff(vargrad, Tensor.zeros(vargrad.shape()))).isZero();
    }

    @Test
    void smoothGradOfAQuadraticModelIsTheGradientAtTheMeanInput() {
        Tensor smooth = attribute(new SmoothGrad(), model, x, target, Map.of("samples", "4000", "sigma", "0.1",
                "base.abs", "false"));
        int[] k = {2, 1};
        for (int n = 0; n < 2; n++) {
            for (int j = 0; j < 6; j++) {
                double gradient = 2 * model.squareWeight(k[n], j) * x.at(n, j) + model.linearWeight(k[n], j);
                assertThat((double) smooth.at(n, j)).isCloseTo(gradient, within(0.01));
            }
        }
    }

    @Test
    void squaresAndVarianceAreConsistentWithTheMean() {
        Map<String, String> params = Map.of("samples", "30", "sigma", "0.3", "base", "input-x-gradient");
        Tensor mean = Fixtures.run(new SmoothGrad(), model, 64, 5, x, target, params).tensors().get("x");
        Tensor squares = Fixtures.run(new SmoothGradSquared(), model, 64, 5, x, target, params).tensors().get("x");
        Tensor variance = Fixtures.run(new VarGrad(), model, 64, 5, x, target, params).tensors().get("x");
        boolean positiveVariance = false;
        for (int i = 0; i < mean.size(); i++) {
            assertThat(variance.get(i)).isGreaterThanOrEqualTo(0f);
            assertThat((double) variance.get(i)).isCloseTo(squares.get(i) - (double) mean.get(i) * mean.get(i),
                    within(1e-4));
            positiveVariance |= variance.get(i) > 1e-3;
        }
        assertThat(positiveVariance).isTrue();
    }

    @Test
    void deterministicPerSeedAndIndependentOfBatching() {
        for (String base : new String[] {"saliency", "integrated-gradients", "gradient-shap"}) {
            Map<String, String> params = Map.of("samples", "5", "base", base);
            Tensor first = Fixtures.run(new VarGrad(), model, 64, 9, x, target, params).tensors().get("x");
            for (int batch = 1; batch <= 3; batch++) {
                assertThat(maxDiff(first, Fixtures.run(new VarGrad(), model, batch, 9, x, target, params)
                        .tensors().get("x"))).as(base).isZero();
            }
            assertThat(maxDiff(first, Fixtures.run(new VarGrad(), model, 64, 10, x, target, params)
                    .tensors().get("x"))).as(base).isGreaterThan(1e-6);
        }
    }

    @Test
    void allSamplesOfAnExampleShareBatchedEngineCalls() {
        model.clearCalls();
        Attribution a = Fixtures.run(new SmoothGrad(), model, 8, 0, x, target, Map.of("samples", "20"));
        assertThat(model.engineBatches()).containsExactly(8, 8, 4, 8, 8, 4);
        assertThat(a.details()).containsEntry("engineCalls", 6).containsEntry("base", "saliency");
        model.clearCalls();
        Fixtures.run(new SmoothGrad(), model, 64, 0, x, target,
                Map.of("samples", "10", "base", "integrated-gradients"));
        assertThat(model.engineBatches())
                .containsExactly(64, 64, 64, 64, 64, 64, 64, 52, 64, 64, 64, 64, 64, 64, 64, 52);
    }

    @Test
    void otherInputsAndTargetsFollowTheirExample() {
        QuadraticModel scaled = QuadraticModel.random(7, 3, 6);
        scaled.scaleInput(true);
        Map<String, Tensor> inputs = Map.of("x", x, "s", Tensor.of(new float[] {2, -1}, 2, 1));
        Map<String, String> params = Map.of("samples", "4", "sigma", "0", "base.abs", "false");
        Tensor together = Fixtures.run(new SmoothGrad(), scaled, 3, 0, inputs, target, params).tensors().get("x");
        Tensor alone = Fixtures.oneByOne(new SmoothGrad(), scaled, inputs, target, params);
        assertThat(maxDiff(together, alone)).isZero();
        Tensor plain = attribute(new Saliency(), model, x, target, Map.of("abs", "false"));
        assertThat((double) together.at(1, 3)).isCloseTo(-plain.at(1, 3), within(1e-5));
    }

    @Test
    void stdevsIsAnAbsoluteNoiseLevel() {
        Tensor one = x.rows(0, 1);
        double range = Elementwise.range(one.row(0));
        Tensor relative = attribute(new SmoothGrad(), model, one, classes(2), Map.of("samples", "16", "sigma", "0.2"));
        Tensor absolute = attribute(new SmoothGrad(), model, one, classes(2), Map.of("samples", "16",
                "stdevs", Double.toString(0.2 * range)));
        assertThat(maxDiff(relative, absolute)).isLessThan(1e-6);
        Tensor larger = attribute(new SmoothGrad(), model, one, classes(2), Map.of("samples", "16", "stdevs", "2"));
        assertThat(maxDiff(relative, larger)).isGreaterThan(1e-3);
        assertThatThrownBy(() -> attribute(new SmoothGrad(), model, one, classes(2), Map.of("sigma", "0.1",
                "stdevs", "0.1"))).hasMessageContaining("not both");
    }

    @Test
    void anUnknownBaseListsTheChoices() {
        assertThatThrownBy(() -> attribute(new SmoothGrad(), model, x, target, Map.of("base", "grad-cam")))
                .hasMessageContaining("deconvnet, deeplift, deeplift-shap, gradient-shap, guided-backprop, input-x-gradient, "
                        + "integrated-gradients, lrp, saliency");
    }

    @Test
    void baseParametersPassThrough() {
        Tensor tunnel = attribute(new SmoothGrad(), model, x, target, Map.of("sigma", "0", "samples", "2",
                "base", "integrated-gradients", "base.steps", "7", "base.method", "riemann_left"));
        Tensor direct = attribute(new IntegratedGradients(), model, x, target,
                Map.of("steps", "7", "method", "riemann_left"));
        assertThat(maxDiff(tunnel, direct)).isLessThan(1e-6);
        Tensor defaults = attribute(new IntegratedGradients(), model, x, target, Map.of());
        assertThat(maxDiff(tunnel, defaults)).isGreaterThan(1e-4);
        assertThatThrownBy(() -> attribute(new SmoothGrad(), model, x, target, Map.of("base", "integrated-gradients",
                "base.stepz", "7"))).isInstanceOfSatisfying(XaiException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_PARAMETER))
                .hasMessageContaining("'stepz'").hasMessageContaining("base.NAME=VALUE");
    }

    /** A third-party gradient method, written outside the family's package: twice the gradient. */
    public static final class TwiceTheGradient extends GradientMethod {
        @Override
        public MethodDescriptor descriptor() {
            return new MethodDescriptor("twice-the-gradient", MethodFamily.GRADIENT, "1.0", "2 x gradient",
                    Set.of(Requirement.GRADIENTS), List.of());
        }

        @Override
        protected void attributeRows(GradientJob job, Tensor points, int[] exampleOf, Tensor out) {
            job.stream("twice", exampleOf, GradientJob.copyOf(points), batch -> Elementwise.addScaled(
                    out.rows(batch.start(), batch.start() + batch.size()), batch.gradient(job.inputName()), 2f));
        }
    }

    @Test
    void theTunnelWrapsAnyInstalledGradientMethod() {
        MethodRegistry installed = new MethodRegistry(Map.of("twice-the-gradient", new TwiceTheGradient(),
                "saliency", new Saliency()), new PluginReport(List.of(), List.of(), List.of()));
        AttributionContext context = new AttributionContext(model, Batcher.defaults(), 0, "exact", installed);
        SmoothGrad tunnel = new SmoothGrad();
        Tensor twice = tunnel.attribute(context, new AttributionRequest(Map.of("x", x), "x", target,
                Parameters.parse(tunnel.descriptor(), Map.of("sigma", 0, "samples", 2, "base", "twice-the-gradient")),
                Optional.empty())).tensors().get("x");
        Tensor gradient = attribute(new Saliency(), model, x, target, Map.of("abs", "false"));
        for (int i = 0; i < x.size(); i++) {
            assertThat((double) twice.get(i)).isCloseTo(2.0 * gradient.get(i), within(1e-5));
        }
        assertThatThrownBy(() -> tunnel.attribute(context, new AttributionRequest(Map.of("x", x), "x", target,
                Parameters.parse(tunnel.descriptor(), Map.of("base", "integrated-gradients")), Optional.empty())))
                .hasMessageContaining("valid bases: saliency, twice-the-gradient");
    }

    @Test
    void badParametersAreRejected() {
        for (Map<String, String> bad : List.of(Map.of("samples", "0"), Map.of("sigma", "-1"),
                Map.of("base", "vargrad"), Map.of("base", "smoothgrad"))) {
            assertThatThrownBy(() -> attribute(new SmoothGrad(), model, x, target, bad))
                    .isInstanceOfSatisfying(XaiException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMETER))
                    .hasMessageContaining(bad.keySet().iterator().next());
        }
    }
}
