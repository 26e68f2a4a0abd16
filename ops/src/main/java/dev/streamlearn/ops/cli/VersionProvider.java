package dev.streamlearn.ops.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest, or "development" when run from classes. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = StreamlearnCommand.class.getPackage().getImplementationVersion();
        return new String[] {"streamlearn " + (version == null ? "development build" : version)};
    }
}
