package dev.streamlearn.trainer.family.text;

import dev.streamlearn.models.ModelFamilies;
import dev.streamlearn.models.family.text.HashingTokenizer;
import dev.streamlearn.models.family.text.LabelGrowth;
import dev.streamlearn.models.family.text.TextClassifierFamily;
import dev.streamlearn.models.family.text.TextClassifierModel;
import dev.streamlearn.models.family.text.TextClassifierSpec;
import dev.streamlearn.models.family.text.TokenizedText;
import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.trainer.learning.LearnerSnapshot;
import dev.streamlearn.trainer.learning.LearningRates;
import dev.streamlearn.trainer.learning.Offer;
import dev.streamlearn.trainer.learning.OnlineLearner;
import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains {@code text-classifier} online on (text, label) pairs with Deeplearning4j ({@code
 * engine=dl4j}), the family's reference learner. Labels take output slots as they first appear; the
 * learner's {@link #spec()} lists them. A label that finds every slot taken grows the model ({@link
 * LabelGrowth}): the network is rebuilt at the new shape from the grown weights, and Adam starts
 * afresh on it (moments zero, iteration 0), since carrying DL4J's updater state across shapes would
 * mean re-laying out its internal view; the fast engine carries its moments over.
 *
 * <p>Refused: a missing or malformed label, a label beyond {@code TextClassifierSpec.MAX_SLOTS},
 * and an empty text (no token): it carries no evidence, and learning it would only train the
 * padding embedding, which is what every empty text is scored with.
 */
public final class TextClassifierLearner extends OnlineLearner<TextExample> implements TextLearner {
    private final HashingTokenizer tokenizer;
    private final int vocab;
    private int slots;
    private TextClassifierModel model;
    private double headFactor = 1;

    public TextClassifierLearner(ModelSpec spec) {
        super(
                requireKind(spec),
                spec.get(TextClassifierSpec.BATCH_SIZE),
                TextClassifierTraining.INSTANCE.network(spec));
        this.tokenizer = new HashingTokenizer(spec);
        this.vocab = spec.get(TextClassifierSpec.VOCAB_SIZE);
        this.slots = spec.get(TextClassifierSpec.MAX_LABELS);
    }

    public static TextClassifierLearner restore(LearnerSnapshot snapshot) {
        TextClassifierLearner learner =
                new TextClassifierLearner(
                        ModelSpec.fromMap(ModelFamilies.byId(snapshot.kind()), snapshot.spec()));
        learner.restoreFrom(snapshot);
        return learner;
    }

    @Override
    public Offer offer(String text, String label) {
        if (text == null) {
            return Offer.rejected("text is missing");
        }
        return offer(tokenizer.tokenize(text), label);
    }

    @Override
    public Offer offer(TokenizedText text, String label) {
        Offer refused = refusal(text, label, vocab);
        if (refused != null) {
            return refused;
        }
        try {
            int needed = LabelGrowth.slotsFor(spec, label);
            if (needed > slots) {
                ModelWeights grown = LabelGrowth.grow(weights(), needed);
                reshape(grown, TextClassifierTraining.INSTANCE.network(grown.spec()));
                slots = needed;
                applyHeadFactor();
                model = null;
            }
            spec = TextClassifierSpec.withLabel(spec, label);
        } catch (IllegalArgumentException e) {
            return Offer.rejected(e.getMessage());
        }
        int slot = TextClassifierSpec.labels(spec).indexOf(label);
        return forgetModelIfTrained(accept(new TextExample(text.ids().clone(), slot)));
    }

    /** The softmax layer's rate only, as the fast learner: the embedding keeps its own. */
    @Override
    public void scaleLearningRate(double factor) {
        headFactor = LearningRates.checkedFactor(factor);
        applyHeadFactor();
    }

    /** Layer 2 is the softmax head ({@code 2_W}, {@code 2_b}); a rebuilt network starts at 1. */
    private void applyHeadFactor() {
        network().setLearningRate(2, spec.get(TextClassifierSpec.LEARNING_RATE) * headFactor);
    }

    @Override
    public Offer flush() {
        return forgetModelIfTrained(fitPending());
    }

    private Offer forgetModelIfTrained(Offer offer) {
        if (offer.status() == Offer.Status.TRAINED) {
            model = null;
        }
        return offer;
    }

    /** Why every engine refuses this example, or null if it can be learned. */
    static Offer refusal(TokenizedText text, String label, int vocab) {
        if (label == null || label.isEmpty()) {
            return Offer.rejected("label is missing: only labelled texts can be learned");
        }
        if (text.isEmpty()) {
            return Offer.rejected("text has no token (letters or digits): nothing to learn");
        }
        for (int id : text.ids()) {
            if (id < 0 || id >= vocab) {
                return Offer.rejected("token id " + id + " is outside [0, " + vocab + ")");
            }
        }
        return null;
    }

    /**
     * Exported from the network when it has changed since the last call (new weights or labels).
     */
    @Override
    public TextClassifierModel model() {
        if (model == null || !model.weights().spec().equals(spec)) {
            model = new TextClassifierModel(weights());
        }
        return model;
    }

    @Override
    public void startFrom(ModelWeights weights) {
        super.startFrom(weights);
        model = null;
    }

    @Override
    protected DataSet batch(List<TextExample> examples) {
        int n = examples.size();
        int length = 1;
        for (TextExample e : examples) {
            length = Math.max(length, e.ids().length);
        }
        float[] features = new float[n * length];
        float[] mask = new float[n * length];
        float[] labels = new float[n * slots];
        for (int i = 0; i < n; i++) {
            int[] ids = examples.get(i).ids();
            for (int t = 0; t < ids.length; t++) {
                features[i * length + t] = ids[t];
                mask[i * length + t] = 1;
            }
            labels[i * slots + examples.get(i).slot()] = 1;
        }
        return new DataSet(
                Nd4j.create(features, new long[] {n, length}, 'c'),
                Nd4j.create(labels, new long[] {n, slots}, 'c'),
                Nd4j.create(mask, new long[] {n, length}, 'c'),
                null);
    }

    private static ModelSpec requireKind(ModelSpec spec) {
        if (spec.kind() != TextClassifierFamily.INSTANCE) {
            throw new IllegalArgumentException(
                    "expected a text-classifier spec, got " + spec.kind().id());
        }
        return spec;
    }
}
