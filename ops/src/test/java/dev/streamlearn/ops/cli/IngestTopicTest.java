package dev.streamlearn.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ingest --topic}: a pipeline model's own topic, never another of the pipeline's. */
class IngestTopicTest {

    @Test
    void aTopicThePipelineUsesForSomethingElseIsRefusedBeforeAnythingIsSent() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = StreamlearnCommand.newCommandLine();
        commandLine.setErr(new PrintWriter(err));

        int exit =
                commandLine.execute(
                        "ingest",
                        "text",
                        "--file",
                        "mails.jsonl",
                        "--topic",
                        "model-versions",
                        "--bootstrap",
                        "127.0.0.1:1");

        assertThat(exit).isNotZero();
        assertThat(err.toString())
                .contains("--topic model-versions: that topic carries")
                .contains("expected text-events or a topic of your own");
    }

    @Test
    void aTopicOfYourOwnGoesOnToTheFileCheck() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = StreamlearnCommand.newCommandLine();
        commandLine.setErr(new PrintWriter(err));

        int exit =
                commandLine.execute(
                        "ingest",
                        "series",
                        "--file",
                        "no-such-file.csv",
                        "--topic",
                        "motes",
                        "--bootstrap",
                        "127.0.0.1:1");

        assertThat(exit).isNotZero();
        assertThat(err.toString()).contains("--file no-such-file.csv does not exist");
    }
}
