package io.xai4j.inject;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.Multibinder;
import io.xai4j.plugin.LoadedMethod;
import io.xai4j.plugin.LoadedModelLoader;
import io.xai4j.plugin.PluginReport;
import io.xai4j.spi.AttributionMethod;
import io.xai4j.spi.ModelLoader;
import java.util.Objects;

/**
 * Binds the result of plugin discovery: methods into a {@code MapBinder<String, AttributionMethod>} by name, model
 * loaders into a {@code Multibinder<ModelLoader>}, the {@link PluginReport}, and the {@link MethodRegistry}. The
 * module does no discovery itself (run {@link io.xai4j.plugin.PluginLoader} first), so configuring it has no side
 * effects.
 */
public final class XaiModule extends AbstractModule {
    private final PluginReport report;

    public XaiModule(PluginReport report) {
        this.report = Objects.requireNonNull(report, "report");
    }

    @Override
    protected void configure() {
        MapBinder<String, AttributionMethod> methods = MapBinder.newMapBinder(binder(), String.class,
                AttributionMethod.class);
        for (LoadedMethod m : report.methods()) {
            methods.addBinding(m.name()).toInstance(m.method());
        }
        Multibinder<ModelLoader> loaders = Multibinder.newSetBinder(binder(), ModelLoader.class);
        for (LoadedModelLoader l : report.modelLoaders()) {
            loaders.addBinding().toInstance(l.loader());
        }
        bind(PluginReport.class).toInstance(report);
        bind(MethodRegistry.class);
    }
}
