package dev.streamlearn.ops.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The single front door: {@code java -jar ops/target/streamlearn.jar <command>}. Each subcommand
 * lives in its own class; this one only lists them.
 */
@Command(
        name = "streamlearn",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description =
                "A streaming online-learning pipeline: Kafka in, models that keep learning, live scores out.",
        subcommands = {
            CommandLine.HelpCommand.class,
            BrokerCommand.class,
            TopicsCommand.class,
            TailCommand.class,
            EvaluateCommand.class,
            ScoreCommand.class,
            ModelsCommand.class,
            TrainCommand.class,
            IngestCommand.class,
            NormalizeCommand.class,
            GenerateCommand.class,
            LocalCommand.class,
            DashboardCommand.class,
            KeysCommand.class,
        })
public final class StreamlearnCommand implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new StreamlearnCommand());
        commandLine.setExecutionExceptionHandler(new UserErrorHandler());
        return commandLine;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing a command.");
    }
}
