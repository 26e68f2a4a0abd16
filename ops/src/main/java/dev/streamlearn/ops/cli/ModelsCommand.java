package dev.streamlearn.ops.cli;

import dev.streamlearn.models.registry.GateRecord;
import dev.streamlearn.models.registry.RegisteredModel;
import dev.streamlearn.models.registry.RegistryState;
import dev.streamlearn.models.registry.ServingPolicy;
import dev.streamlearn.models.registry.VersionSummary;
import dev.streamlearn.schemas.kafka.KafkaConnection;
import dev.streamlearn.scorer.registry.ModelControls;
import dev.streamlearn.scorer.registry.RegistryReader;
import dev.streamlearn.trainer.flink.KafkaClientOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code streamlearn models}: the registry every scorer serves from, the promotion gate's
 * decisions, and the serving policies: gate (the default), follow, pin.
 */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Lists model versions and chooses which one serves.",
        subcommands = {
            ModelsCommand.ListModels.class,
            ModelsCommand.Show.class,
            ModelsCommand.Pin.class,
            ModelsCommand.Follow.class,
            ModelsCommand.Gate.class
        })
final class ModelsCommand {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    /** What every subcommand shares: where Kafka is and how many versions the scorers keep. */
    static class RegistryOptions {
        @Mixin BootstrapOption bootstrap;

        @Mixin KafkaClientOptions kafkaClient;

        @Mixin TrustOptions trust;

        @Option(
                names = "--versions-kept",
                defaultValue = "" + RegistryState.DEFAULT_VERSIONS_KEPT,
                description =
                        "Versions per model the scorers keep (as given to `score`; default: ${DEFAULT-VALUE}).")
        int versionsKept;

        @Spec CommandSpec spec;

        /** Every model that has a version the scorers hold, by name. */
        List<RegisteredModel> readAll() {
            return withVersions(
                    RegistryReader.readAll(kafka(), versionsKept, trust.trust(), READ_TIMEOUT));
        }

        /** One model, reading only as far back as its held versions. */
        RegisteredModel read(String name) {
            return RegistryReader.readModel(
                            kafka(), name, versionsKept, trust.trust(), READ_TIMEOUT)
                    .model(name)
                    .filter(m -> !m.held().isEmpty())
                    .orElseThrow(
                            () -> {
                                List<String> known =
                                        readAll().stream().map(RegisteredModel::name).toList();
                                return new IllegalArgumentException(
                                        "no versions of model '"
                                                + name
                                                + "' on "
                                                + bootstrap.servers
                                                + "; known models: "
                                                + (known.isEmpty()
                                                        ? "none yet"
                                                        : String.join(", ", known)));
                            });
        }

        KafkaConnection kafka() {
            return kafkaClient.connection(bootstrap.servers);
        }

        private static List<RegisteredModel> withVersions(RegistryState state) {
            return state.models().values().stream().filter(m -> !m.held().isEmpty()).toList();
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Every model: serving, latest and held versions.")
    static final class ListModels extends RegistryOptions implements Callable<Integer> {
        @Override
        public Integer call() {
            PrintWriter out = out();
            out.printf(
                    "%-20s %-16s %8s  %-16s %8s  %s%n",
                    "MODEL", "KIND", "SERVING", "MODE", "LATEST", "HELD");
            for (RegisteredModel m : readAll()) {
                out.printf(
                        "%-20s %-16s %8d  %-16s %8d  %s%n",
                        m.name(),
                        m.kind(),
                        m.serving().getAsLong(),
                        mode(m),
                        m.latest().getAsLong(),
                        m.heldVersions().stream()
                                .map(String::valueOf)
                                .collect(Collectors.joining(",")));
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "The held versions of one model.")
    static final class Show extends RegistryOptions implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MODEL")
        String name;

        @Override
        public Integer call() {
            RegisteredModel m = read(name);
            PrintWriter out = out();
            out.printf(
                    "%s (%s): serving version %d, %s%n",
                    m.name(), m.kind(), m.serving().getAsLong(), mode(m));
            out.printf(
                    "%8s %8s  %-24s %10s  %-12s  %s%n",
                    "VERSION", "PARENT", "CREATED", "EXAMPLES", "SHA-256", "METRICS");
            for (VersionSummary v : m.held()) {
                out.printf(
                        "%8d %8s  %-24s %10d  %-12s  %s%n",
                        v.version(),
                        v.parentVersion() == 0 ? "-" : v.parentVersion(),
                        v.createdAt(),
                        v.examplesSeen(),
                        v.weightsSha256().substring(0, 12),
                        metrics(v.metrics()));
            }
            m.candidate()
                    .ifPresent(c -> out.printf("version %d is scored in shadow by the gate%n", c));
            if (m.promoted().isPresent() && !m.holds(m.promoted().getAsLong())) {
                out.printf(
                        "the gate promoted version %d, not among the versions read%n",
                        m.promoted().getAsLong());
            }
            if (!m.decisions().isEmpty()) {
                out.printf(
                        "%n%-24s %8s  %-11s %8s %8s  %-21s  %s%n",
                        "DECIDED",
                        "VERSION",
                        "DECISION",
                        "AGAINST",
                        "EVENTS",
                        "LOSS (IT / AGAINST)",
                        "REASON");
                for (GateRecord d : m.decisions()) {
                    out.printf(
                            "%-24s %8d  %-11s %8s %8d  %-21s  %s%n",
                            d.at(),
                            d.version(),
                            d.decision(),
                            d.against() == 0 ? "-" : d.against(),
                            d.events(),
                            d.candidateLoss() == null
                                    ? "-"
                                    : String.format(
                                            "%.4g / %.4g", d.candidateLoss(), d.againstLoss()),
                            d.reason());
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(
            name = "pin",
            mixinStandardHelpOptions = true,
            description =
                    "Serve one version of a model from now on (roll back or hold), on every scorer.")
    static final class Pin extends RegistryOptions implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MODEL")
        String name;

        @Parameters(index = "1", paramLabel = "VERSION")
        long version;

        @Option(
                names = "--reason",
                defaultValue = "pinned with streamlearn models pin",
                description = "Why, for the record.")
        String reason;

        @Override
        public Integer call() {
            RegisteredModel m = read(name);
            if (!m.holds(version)) {
                throw new IllegalArgumentException(
                        name
                                + " version "
                                + version
                                + " is not held by the registry,"
                                + " which keeps the last "
                                + versionsKept
                                + " accepted versions: "
                                + m.heldVersions());
            }
            ModelControls.pin(kafka(), name, version, reason);
            out().printf("%s pinned to version %d%n", name, version);
            out().flush();
            return 0;
        }
    }

    @Command(
            name = "follow",
            mixinStandardHelpOptions = true,
            description =
                    "Serve every accepted version of a model from the moment it arrives, without the"
                            + " promotion gate (undoes a pin; `models gate` brings the gate back).")
    static final class Follow extends RegistryOptions implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MODEL")
        String name;

        @Option(
                names = "--reason",
                defaultValue = "follow latest with streamlearn models follow",
                description = "Why, for the record.")
        String reason;

        @Override
        public Integer call() {
            RegisteredModel m = read(name);
            ModelControls.follow(kafka(), name, reason);
            out().printf("%s follows its latest version (now %d)%n", name, m.latest().getAsLong());
            out().flush();
            return 0;
        }
    }

    @Command(
            name = "gate",
            mixinStandardHelpOptions = true,
            description =
                    "Serve what the promotion gate promotes (the default policy): a new version is"
                            + " scored in shadow and serves only once shown not worse (undoes a pin"
                            + " or follow).")
    static final class Gate extends RegistryOptions implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MODEL")
        String name;

        @Option(
                names = "--reason",
                defaultValue = "gated with streamlearn models gate",
                description = "Why, for the record.")
        String reason;

        @Override
        public Integer call() {
            read(name);
            ModelControls.gate(kafka(), name, reason);
            out().printf("%s is gated: new versions serve once the gate promotes them%n", name);
            out().flush();
            return 0;
        }
    }

    private static String mode(RegisteredModel m) {
        if (m.pinned().isPresent()) {
            return m.holds(m.pinned().getAsLong())
                    ? "pinned"
                    : "pin " + m.pinned().getAsLong() + " gone";
        }
        if (m.policy() == ServingPolicy.FOLLOW) {
            return "follows latest";
        }
        return m.candidate().isPresent() ? "gated, shadow " + m.candidate().getAsLong() : "gated";
    }

    private static String metrics(Map<String, Double> metrics) {
        return metrics.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + String.format("%.4g", e.getValue()))
                .collect(Collectors.joining(" "));
    }
}
