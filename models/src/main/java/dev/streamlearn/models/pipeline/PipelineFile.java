package dev.streamlearn.models.pipeline;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.spec.ModelFamily;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads a {@link Pipeline} from YAML, checking all of it before anything starts:
 *
 * <pre>
 * models:
 *   - name: spam                  # required: the key of its versions
 *     family: text-classifier     # required: text-classifier or lstm-forecaster
 *     topic: mail-events          # default: the family's topic (text-events, series-points)
 *     spec: {maxLabels: 2}        # default: the family's defaults
 *     publish: {interval: 2s, everyMiniBatches: 1000}   # default: the job's
 *     parallelism: 2              # default: the job's (1); text-classifier models only
 *     drift: {delta: 1e-7, cooldown: 1000}   # default: the family's (ADWIN's delta 1e-5, 500)
 * </pre>
 *
 * Every error names the file, the model (by position and name) and what was expected. The YAML is
 * read by snakeyaml-engine, which builds only maps, lists and scalars (never objects named by the
 * file).
 */
public final class PipelineFile {
    private static final Set<String> TOP_KEYS = Set.of("models");
    private static final Set<String> MODEL_KEYS =
            Set.of("name", "family", "topic", "spec", "publish", "parallelism", "drift");
    private static final Set<String> PUBLISH_KEYS = Set.of("interval", "everyMiniBatches");
    private static final Set<String> DRIFT_KEYS = Set.of("delta", "cooldown");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)");

    private PipelineFile() {}

    /**
     * @throws IllegalArgumentException naming {@code file} and what is wrong, if it cannot be read
     *     or does not declare a valid pipeline
     */
    public static Pipeline read(Path file) {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "pipeline file " + file + ": cannot read it (" + e + ")", e);
        }
        return parse(yaml, file.toString());
    }

    /** {@link #read} of text already in hand; {@code source} names it in errors. */
    public static Pipeline parse(String yaml, String source) {
        try {
            return pipeline(load(yaml));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "pipeline file " + source + ": " + e.getMessage(), e);
        }
    }

    private static Object load(String yaml) {
        try {
            return new Load(LoadSettings.builder().setLabel("pipeline").build())
                    .loadFromString(yaml);
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException("not valid YAML: " + e.getMessage(), e);
        }
    }

    private static Pipeline pipeline(Object root) {
        Map<String, Object> top = mapping(root, "the file", TOP_KEYS);
        if (!(top.get("models") instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException(
                    "expected a non-empty list under 'models:', one entry per model");
        }
        List<DeclaredModel> models = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            models.add(model(list.get(i), "models[" + i + "]"));
        }
        return new Pipeline(models);
    }

    private static DeclaredModel model(Object entry, String where) {
        Map<String, Object> fields = mapping(entry, where, null);
        String name = scalar(fields.get("name"), where + ": name");
        String at = where + " (" + name + ")";
        onlyKnownKeys(fields, at, MODEL_KEYS);
        String familyId = scalar(fields.get("family"), at + ": family");
        ModelFamily family =
                ModelFamilies.all().stream()
                        .filter(f -> f.id().equals(familyId))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                at
                                                        + ": family '"
                                                        + familyId
                                                        + "': expected one of "
                                                        + ModelFamilies.all().stream()
                                                                .map(ModelFamily::id)
                                                                .collect(
                                                                        Collectors.joining(", "))));
        String topic =
                fields.containsKey("topic")
                        ? scalar(fields.get("topic"), at + ": topic")
                        : family.inputTopic().name();
        Map<String, String> spec = new LinkedHashMap<>();
        if (fields.containsKey("spec")) {
            mapping(fields.get("spec"), at + ": spec", null)
                    .forEach((k, v) -> spec.put(k, scalar(v, at + ": spec." + k)));
        }
        DeclaredModel.PublishPolicy publish = DeclaredModel.PublishPolicy.JOB_DEFAULTS;
        if (fields.containsKey("publish")) {
            publish = publish(mapping(fields.get("publish"), at + ": publish", PUBLISH_KEYS), at);
        }
        Integer parallelism = null;
        if (fields.containsKey("parallelism")) {
            String text = scalar(fields.get("parallelism"), at + ": parallelism");
            try {
                parallelism = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        at
                                + ": parallelism '"
                                + text
                                + "': expected a whole number of learner subtasks, 1 to "
                                + DeclaredModel.MAX_PARALLELISM);
            }
        }
        DeclaredModel.DriftPolicy drift = DeclaredModel.DriftPolicy.FAMILY_DEFAULTS;
        if (fields.containsKey("drift")) {
            drift = drift(mapping(fields.get("drift"), at + ": drift", DRIFT_KEYS), at);
        }
        try {
            return new DeclaredModel(name, family, topic, spec, publish, parallelism, drift);
        } catch (IllegalArgumentException e) {
            // Its message names the model already.
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static DeclaredModel.PublishPolicy publish(Map<String, Object> fields, String at) {
        Duration interval =
                fields.containsKey("interval")
                        ? duration(scalar(fields.get("interval"), at + ": publish.interval"), at)
                        : null;
        Long every = null;
        if (fields.containsKey("everyMiniBatches")) {
            String text = scalar(fields.get("everyMiniBatches"), at + ": publish.everyMiniBatches");
            try {
                every = Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        at + ": publish.everyMiniBatches '" + text + "': expected a whole number");
            }
        }
        try {
            return new DeclaredModel.PublishPolicy(interval, every);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
    }

    private static DeclaredModel.DriftPolicy drift(Map<String, Object> fields, String at) {
        Double delta = null;
        if (fields.containsKey("delta")) {
            String text = scalar(fields.get("delta"), at + ": drift.delta");
            try {
                delta = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        at
                                + ": drift.delta '"
                                + text
                                + "': expected a number in (0, 1), e.g. 1e-5");
            }
        }
        Integer cooldown = null;
        if (fields.containsKey("cooldown")) {
            String text = scalar(fields.get("cooldown"), at + ": drift.cooldown");
            try {
                cooldown = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        at
                                + ": drift.cooldown '"
                                + text
                                + "': expected a whole number of examples");
            }
        }
        try {
            return new DeclaredModel.DriftPolicy(delta, cooldown);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
    }

    static Duration duration(String text, String at) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    at
                            + ": publish.interval '"
                            + text
                            + "': expected a whole number with ms, s or m, e.g. 500ms or 5s");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }

    /** A YAML mapping with string keys, each one of {@code allowed} (any, if null). */
    private static Map<String, Object> mapping(Object node, String where, Set<String> allowed) {
        if (!(node instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(
                    where + ": expected a mapping (key: value lines), got " + describe(node));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        map.forEach(
                (k, v) -> {
                    if (!(k instanceof String key)) {
                        throw new IllegalArgumentException(where + ": key " + k + " is not a name");
                    }
                    fields.put(key, v);
                });
        if (allowed != null) {
            onlyKnownKeys(fields, where, allowed);
        }
        return fields;
    }

    private static void onlyKnownKeys(Map<String, Object> fields, String where, Set<String> known) {
        for (String key : fields.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(
                        where
                                + ": unknown key '"
                                + key
                                + "'; expected "
                                + known.stream().sorted().toList());
            }
        }
    }

    private static String scalar(Object node, String where) {
        if (node == null) {
            throw new IllegalArgumentException(where + ": missing; expected a value");
        }
        if (node instanceof Map || node instanceof List) {
            throw new IllegalArgumentException(
                    where + ": expected a single value, got " + describe(node));
        }
        return node.toString();
    }

    private static String describe(Object node) {
        if (node == null) {
            return "nothing";
        }
        if (node instanceof Map) {
            return "a mapping";
        }
        return node instanceof List ? "a list" : "'" + node + "'";
    }
}
