package io.xai4j.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest. */
final class ManifestVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Cli.class.getPackage().getImplementationVersion();
        return new String[] {"xai4j " + (v == null ? "dev" : v)};
    }
}
