package dev.streamlearn.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandHelpTest {

    @Test
    void everyCommandAnswersHelpWithItsUsage() {
        List<List<String>> paths = new ArrayList<>();
        collect(StreamlearnCommand.newCommandLine(), new ArrayList<>(), paths);
        assertThat(paths)
                .extracting(p -> String.join(" ", p))
                .contains("", "broker", "topics", "topics create", "topics list", "tail");

        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            StringWriter out = new StringWriter();
            CommandLine commandLine = StreamlearnCommand.newCommandLine();
            commandLine.setOut(new PrintWriter(out));

            int exit = commandLine.execute(args.toArray(String[]::new));

            assertThat(exit).as("exit code of %s", args).isZero();
            assertThat(out.toString()).as("help of %s", args).startsWith("Usage: streamlearn");
        }
    }

    @Test
    void anUnknownTopicIsRefusedListingTheKnownOnes() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = StreamlearnCommand.newCommandLine();
        commandLine.setErr(new PrintWriter(err));

        int exit = commandLine.execute("tail", "text-event", "--bootstrap", "127.0.0.1:1");

        assertThat(exit).isNotZero();
        assertThat(err.toString())
                .contains("unknown topic 'text-event'")
                .contains(
                        "series-points, text-events, vector-events, image-events, model-versions,"
                                + " model-control, model-events, gate-events, series-scores,"
                                + " text-scores, vector-scores, image-scores, training-metrics,"
                                + " dead-letters");
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        if (!command.getCommandName().equals("help")) {
            paths.add(path);
        }
        command.getSubcommands()
                .forEach(
                        (name, sub) -> {
                            if (!name.equals("help")) {
                                List<String> subPath = new ArrayList<>(path);
                                subPath.add(name);
                                collect(sub, subPath, paths);
                            }
                        });
    }
}
