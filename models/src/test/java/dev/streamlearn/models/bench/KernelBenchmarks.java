package dev.streamlearn.models.bench;

import dev.streamlearn.models.family.lstm.LstmForecasterKernel;
import dev.streamlearn.models.family.lstm.LstmForecasterSpec;
import dev.streamlearn.models.family.lstm.SeriesWindows;
import dev.streamlearn.models.family.text.HashingTokenizer;
import dev.streamlearn.models.family.text.TextClassifierKernel;
import dev.streamlearn.models.family.text.TextClassifierModel;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Speed of the plain-Java scoring kernels on JMH: the text classifier's probabilities (over the
 * label slots in use, as {@link TextClassifierModel} scores, and over all slots, as DL4J computes)
 * and its whole {@code predict(text)}, on 1,000 real SpamAssassin mails; the LSTM forecaster's
 * forward pass on 1,000 real windows of the US births series. Each invocation runs over all 1,000
 * inputs and JMH divides by that ({@link OperationsPerInvocation}), so a score is the mean time per
 * event over real lengths. Results go to a {@link Blackhole}, so the JIT cannot drop the work.
 *
 * <p>Weights are random, in the default specs' shapes (two labels in use, as for spam/ham): the
 * kernels have no branch or lookup that depends on a weight's value, so their cost does not either,
 * and trained weights would need the trainer's DL4J. DL4J's own {@code output()} and the online
 * learners are timed in the trainer's {@code ModelsBench}.
 *
 * <p>Benchmarks, not tests: {@code mvn test} and {@code mvn verify} never run them. From the
 * repository root:
 *
 * <pre>
 * mvn -B -q -pl schemas install -DskipTests
 * mvn -B -q -pl models test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *     -Dexec.args="-cp %classpath dev.streamlearn.models.bench.KernelBenchmarks"
 * </pre>
 *
 * JMH's own options may follow the class name in {@code -Dexec.args}, e.g. {@code -f 1 -wi 3 -i 5}
 * for a shorter run, a regular expression to pick benchmarks, or {@code -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread) // the kernels keep scratch arrays: one per thread
public class KernelBenchmarks {
    private static final int INPUTS = 1000;

    private List<String> mails;
    private List<TokenizedText> tokenized;
    private TextClassifierKernel labelSlotsInUse;
    private TextClassifierKernel allSlots;
    private TextClassifierModel textModel;
    private List<float[]> windows;
    private LstmForecasterKernel lstm;

    /** Runs these benchmarks (or those a regular expression among the arguments picks). */
    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions commandLine = new CommandLineOptions(args);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(commandLine);
        if (commandLine.getIncludes().isEmpty()) {
            options.include(KernelBenchmarks.class.getName());
        }
        new Runner(options.build()).run();
    }

    @Setup
    public void load() {
        ModelSpec textSpec =
                TextClassifierSpec.withLabel(
                        TextClassifierSpec.withLabel(TextClassifierSpec.defaults(), "spam"), "ham");
        ModelWeights text = randomWeights(textSpec, 1);
        textModel = new TextClassifierModel(text);
        labelSlotsInUse = new TextClassifierKernel(text, textModel.labels().size());
        allSlots = new TextClassifierKernel(text);
        // The mails after the first 1,000, which ModelsBench trained on before it timed.
        mails = ShippedData.mails(2 * INPUTS).subList(INPUTS, 2 * INPUTS);
        HashingTokenizer tokenizer = new HashingTokenizer(textSpec);
        tokenized = mails.stream().map(tokenizer::tokenize).toList();

        ModelSpec seriesSpec = LstmForecasterSpec.defaults();
        lstm = new LstmForecasterKernel(randomWeights(seriesSpec, 2));
        SeriesWindows normaliser = new SeriesWindows(seriesSpec);
        double[] births = ShippedData.column("us-births-1969-1988.csv", "births", 3000);
        windows = new ArrayList<>();
        for (int from = 600; windows.size() < INPUTS; from++) {
            windows.add(normaliser.normalise(births, from).inputs());
        }
    }

    /**
     * Gaussian weights of standard deviation 0.1, about what an initialised network holds (the cost
     * does not depend on the values, but all-saturated gates would not look like a model).
     */
    private static ModelWeights randomWeights(ModelSpec spec, long seed) {
        Random random = new Random(seed);
        float[] params = new float[ParameterLayout.of(spec).size()];
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) (random.nextGaussian() * 0.1);
        }
        return new ModelWeights(spec, params);
    }

    @Benchmark
    @OperationsPerInvocation(INPUTS)
    public void textKernelLabelSlotsInUse(Blackhole out) {
        for (TokenizedText mail : tokenized) {
            out.consume(labelSlotsInUse.probabilities(mail.ids()));
        }
    }

    @Benchmark
    @OperationsPerInvocation(INPUTS)
    public void textKernelAllSlots(Blackhole out) {
        for (TokenizedText mail : tokenized) {
            out.consume(allSlots.probabilities(mail.ids()));
        }
    }

    /** What the scorer calls per mail: tokenize, probabilities, token contributions. */
    @Benchmark
    @OperationsPerInvocation(INPUTS)
    public void textModelPredict(Blackhole out) {
        for (String mail : mails) {
            out.consume(textModel.predict(mail));
        }
    }

    @Benchmark
    @OperationsPerInvocation(INPUTS)
    public void lstmWindow(Blackhole out) {
        for (float[] window : windows) {
            out.consume(lstm.forward(window));
        }
    }
}
