package dev.streamlearn.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamlearn.schemas.fuzz.Bounded;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Issue 18, fuzzing: random argument lists, built from the command's own subcommand and option
 * names mixed with wrong values and stray tokens, never make {@code streamlearn} throw: what does
 * not parse ends with the usage exit code and a message, never a stack trace. Lists that parse
 * would start brokers, jobs or writers, so they are only parsed, except help requests and the bare
 * command, which are run.
 */
class CliArgumentsFuzzTest {
    private static final List<String> VOCABULARY = vocabulary();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CommandLine commandLine = StreamlearnCommand.newCommandLine();

    CliArgumentsFuzzTest() {
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
    }

    @Property(tries = 10_000)
    void anArgumentListThatDoesNotParseEndsInAUsageErrorNotAStackTrace(
            @ForAll("argumentLists") List<String> arguments) {
        String[] args = arguments.toArray(String[]::new);
        Bounded.Outcome<ParseResult> parsed = Bounded.call(() -> commandLine.parseArgs(args));

        if (parsed.failure() == null && !safeToRun(parsed.value())) {
            Statistics.label("outcome").collect("parsed, not run");
            return;
        }
        if (parsed.failure() != null) {
            assertThat(parsed.failure())
                    .as("what parsing %s threw", arguments)
                    .isInstanceOf(CommandLine.ParameterException.class);
        }
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);

        Bounded.Outcome<Integer> run = Bounded.call(() -> commandLine.execute(args));

        assertThat(run.failure()).as("what running %s threw", arguments).isNull();
        assertThat(err.toString()).as("stderr of %s", arguments).doesNotContain("\tat ");
        assertThat(out.toString()).as("stdout of %s", arguments).doesNotContain("\tat ");
        if (parsed.failure() != null || !helpRequested(parsed.value())) {
            assertThat(run.value())
                    .as("exit code of %s", arguments)
                    .isEqualTo(CommandLine.ExitCode.USAGE);
        } else {
            // `help` of a command that does not exist is a usage error too.
            assertThat(run.value())
                    .as("exit code of %s", arguments)
                    .isIn(CommandLine.ExitCode.OK, CommandLine.ExitCode.USAGE);
        }
        if (run.value() == CommandLine.ExitCode.USAGE) {
            assertThat(err.toString()).as("stderr of %s", arguments).isNotBlank();
            Statistics.label("outcome").collect("usage error");
        } else {
            Statistics.label("outcome").collect("help");
        }
        Statistics.label("outcome")
                .coverage(coverage -> coverage.check("usage error").percentage(p -> p > 50));
    }

    /** Sequences of 0 to 8 tokens, usually starting with a subcommand path. */
    @Provide
    Arbitrary<List<String>> argumentLists() {
        Arbitrary<String> token =
                Arbitraries.frequencyOf(
                        Tuple.of(6, Arbitraries.of(VOCABULARY)),
                        Tuple.of(2, values()),
                        Tuple.of(
                                1,
                                Arbitraries.of(VOCABULARY)
                                        .filter(t -> t.startsWith("--"))
                                        .flatMap(option -> values().map(v -> option + "=" + v))));
        Arbitrary<List<String>> path =
                Arbitraries.of(subcommandPaths(commandLine(), new ArrayList<>()));
        return Arbitraries.frequencyOf(
                        Tuple.of(4, path), Tuple.of(1, Arbitraries.just(List.<String>of())))
                .flatMap(
                        start ->
                                token.list()
                                        .ofMaxSize(8 - start.size())
                                        .map(
                                                rest -> {
                                                    List<String> all = new ArrayList<>(start);
                                                    all.addAll(rest);
                                                    return all;
                                                }));
    }

    /** Option values: numbers at their limits, addresses, paths, specs and any text. */
    private static Arbitrary<String> values() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "",
                        " ",
                        "-1",
                        "0",
                        "65536",
                        "2147483648",
                        "99999999999999999999",
                        "1e3",
                        "NaN",
                        "-",
                        "--",
                        "=",
                        "127.0.0.1:9",
                        "127.0.0.1:",
                        ":9092",
                        "/nonexistent/file.csv",
                        "a\u0000b",
                        "engine=dl4j",
                        "engine",
                        "=dl4j",
                        "text-classifier",
                        "sensors",
                        "spam,sensors",
                        "PT5S"),
                Arbitraries.strings().all().ofMaxLength(12));
    }

    /** Help requests and the bare command print and exit; everything else would start work. */
    private static boolean safeToRun(ParseResult parsed) {
        return helpRequested(parsed) || parsed.subcommand() == null;
    }

    private static boolean helpRequested(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.isUsageHelpRequested()
                    || p.isVersionHelpRequested()
                    || p.commandSpec().name().equals("help")) {
                return true;
            }
        }
        return false;
    }

    private static CommandLine commandLine() {
        return StreamlearnCommand.newCommandLine();
    }

    /** Every subcommand name and option name of the whole command tree, and stray tokens. */
    private static List<String> vocabulary() {
        List<String> words = new ArrayList<>(List.of("--", "-", "--unknown", "-x", "-h", "-V"));
        collect(commandLine().getCommandSpec(), words);
        return words.stream().distinct().toList();
    }

    private static void collect(CommandSpec spec, List<String> words) {
        words.add(spec.name());
        for (OptionSpec option : spec.options()) {
            words.addAll(List.of(option.names()));
        }
        spec.subcommands().values().forEach(sub -> collect(sub.getCommandSpec(), words));
    }

    private static List<List<String>> subcommandPaths(CommandLine command, List<String> path) {
        List<List<String>> paths = new ArrayList<>();
        paths.add(path);
        command.getSubcommands()
                .forEach(
                        (name, sub) -> {
                            List<String> subPath = new ArrayList<>(path);
                            subPath.add(name);
                            paths.addAll(subcommandPaths(sub, subPath));
                        });
        return paths;
    }
}
