package io.xai4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.xai4j.error.ErrorCode;
import io.xai4j.error.XaiException;
import io.xai4j.inject.MethodRegistry;
import io.xai4j.spi.MethodDescriptor;
import io.xai4j.spi.ParameterSpec;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code xai4j methods}: the installed attribution methods and their parameters. */
@Command(name = "methods", mixinStandardHelpOptions = true, description = "Lists the attribution methods and their parameters.")
final class MethodsCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin
    PluginOptions plugins;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<MethodDescriptor> descriptors = plugins.injector().getInstance(MethodRegistry.class).descriptors();
        if (json) {
            out.println(toJson(descriptors));
        } else {
            for (MethodDescriptor d : descriptors) {
                out.printf("%-22s %-13s %s%n", d.name(), d.family().name().toLowerCase(), d.description());
                out.printf("%36s values: %s%n", "", d.values());
                if (!d.requirements().isEmpty()) {
                    out.printf("%36s needs: %s%n", "", d.requirements().stream().map(r -> r.name().toLowerCase()).sorted().toList());
                }
                for (ParameterSpec p : d.parameters()) {
                    out.printf("%36s %s=%s  %s%n", "", p.name(), p.defaultValue() == null ? "" : p.defaultValue(), p.description());
                }
            }
        }
        out.flush();
        return 0;
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new XaiException(ErrorCode.INTERNAL, "cannot render JSON: " + e.getMessage(), e);
        }
    }
}
