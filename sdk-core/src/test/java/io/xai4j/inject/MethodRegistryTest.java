package io.xai4j.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.plugin.LoadedMethod;
import io.xai4j.plugin.PluginReport;
import io.xai4j.plugin.fixtures.TestMethod;
import io.xai4j.spi.MethodFamily;
import java.util.List;
import org.junit.jupiter.api.Test;

class MethodRegistryTest {

    private static LoadedMethod method(String name, MethodFamily family) {
        return new LoadedMethod(new TestMethod(name, family) { }, "/plugins/" + name + ".jar");
    }

    private static final MethodRegistry REGISTRY = MethodRegistry.of(new PluginReport(List.of(
            method("occlusion", MethodFamily.PERTURBATION),
            method("saliency", MethodFamily.GRADIENT),
            method("grad-cam", MethodFamily.CAM),
            method("integrated-gradients", MethodFamily.GRADIENT),
            method("rise", MethodFamily.PERTURBATION)), List.of(), List.of()));

    @Test
    void getsMethodsByName() {
        assertThat(REGISTRY.get("grad-cam").descriptor().name()).isEqualTo("grad-cam");
        assertThat(REGISTRY.find("rise")).isPresent();
        assertThat(REGISTRY.find("nope")).isEmpty();
        assertThat(REGISTRY.sourceOf("rise")).contains("/plugins/rise.jar");
    }

    @Test
    void allIsSortedByFamilyThenName() {
        assertThat(REGISTRY.all()).extracting(m -> m.descriptor().name()).containsExactly(
                "integrated-gradients", "saliency", "grad-cam", "occlusion", "rise");
        assertThat(REGISTRY.names()).containsExactly("grad-cam", "integrated-gradients", "occlusion", "rise",
                "saliency");
    }

    @Test
    void unknownNameListsTheAvailableOnesAndSuggestsTheClosest() {
        assertThatThrownBy(() -> REGISTRY.get("integrated-gradient")).isInstanceOfSatisfying(XaiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_METHOD))
                .hasMessage("unknown method 'integrated-gradient'; available: grad-cam, integrated-gradients, "
                        + "occlusion, rise, saliency; did you mean 'integrated-gradients'?");
        assertThatThrownBy(() -> REGISTRY.get("Grad-CAM")).hasMessageEndingWith("did you mean 'grad-cam'?");
        assertThatThrownBy(() -> REGISTRY.get("occlusoin")).hasMessageEndingWith("did you mean 'occlusion'?");
        assertThatThrownBy(() -> REGISTRY.get("anchors")).hasMessage(
                "unknown method 'anchors'; available: grad-cam, integrated-gradients, occlusion, rise, saliency");
    }

    @Test
    void emptyRegistrySaysNothingIsInstalled() {
        MethodRegistry empty = MethodRegistry.of(new PluginReport(List.of(), List.of(), List.of()));
        assertThatThrownBy(() -> empty.get("anchors")).hasMessage("unknown method 'anchors'; no methods are installed");
    }

    @Test
    void aShippedMethodThatIsNotInstalledNamesItsArtifact() {
        assertThatThrownBy(() -> REGISTRY.get("score-cam")).isInstanceOfSatisfying(XaiException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_METHOD)).hasMessage("method 'score-cam' is not "
                        + "installed; add the artifact io.xai4j:xai4j-methods-cam to the class path (installed: "
                        + "grad-cam, integrated-gradients, occlusion, rise, saliency)");
        MethodRegistry empty = MethodRegistry.of(new PluginReport(List.of(), List.of(), List.of()));
        assertThatThrownBy(() -> empty.get("smoothgrad")).hasMessageContaining("io.xai4j:xai4j-methods-gradient")
                .hasMessageContaining("(installed: none)");
        assertThatThrownBy(() -> empty.get("feature-ablation")).hasMessageContaining("io.xai4j:xai4j-methods-occlusion");
        assertThatThrownBy(() -> empty.get("kernel-shap")).hasMessageContaining("io.xai4j:xai4j-methods-occlusion");
    }

    @Test
    void editDistanceCountsEdits() {
        assertThat(io.xai4j.error.ClosestNames.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(io.xai4j.error.ClosestNames.distance("", "abc")).isEqualTo(3);
        assertThat(io.xai4j.error.ClosestNames.distance("rise", "rise")).isZero();
    }
}
