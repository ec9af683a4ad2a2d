package io.xai4j.inject;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import io.xai4j.plugin.PluginFolders;
import io.xai4j.plugin.PluginLoader;
import io.xai4j.plugin.PluginReport;
import java.util.ArrayList;
import java.util.List;

/** Entry points: discover plugins, then build the injector from the result. */
public final class Xai4j {
    private Xai4j() {
    }

    /** An injector over the plugins visible to the thread's context class loader. */
    public static Injector injector(Module... extraModules) {
        return injector(PluginLoader.discover(), extraModules);
    }

    /** An injector over the plugins visible to {@code classLoader}. */
    public static Injector injector(ClassLoader classLoader, Module... extraModules) {
        return injector(PluginLoader.discover(classLoader), extraModules);
    }

    /**
     * An injector over the plugins on the class path and in {@code folders}, e.g. {@code
     * PluginFolders.standard(List.of())} for {@code XAI4J_PLUGINS} and the default folder.
     */
    public static Injector injector(PluginFolders folders, Module... extraModules) {
        return injector(PluginLoader.discover(folders), extraModules);
    }

    /** An injector over an existing discovery result. */
    public static Injector injector(PluginReport report, Module... extraModules) {
        List<Module> modules = new ArrayList<>(List.of(extraModules));
        modules.add(0, new XaiModule(report));
        return Guice.createInjector(modules);
    }
}
