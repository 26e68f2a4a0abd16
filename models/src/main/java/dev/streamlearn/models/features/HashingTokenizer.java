package dev.streamlearn.models.features;

import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.TextClassifierSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hashing trick (Weinberger et al. 2009): lower-cases a text, splits it into maximal runs of
 * letters and digits, and hashes each token into {@code [1, vocabSize)}; no vocabulary state, so
 * unseen words are fine and training and scoring can never disagree about ids. Only the first
 * {@code maxTokens} tokens are kept.
 */
public final class HashingTokenizer {
    /** The id of padding (never produced by hashing a token). */
    public static final int PADDING_ID = 0;

    private final int vocabSize;
    private final int maxTokens;

    public HashingTokenizer(ModelSpec spec) {
        this(spec.get(TextClassifierSpec.VOCAB_SIZE), spec.get(TextClassifierSpec.MAX_TOKENS));
    }

    public HashingTokenizer(int vocabSize, int maxTokens) {
        this.vocabSize = vocabSize;
        this.maxTokens = maxTokens;
    }

    public TokenizedText tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        String lower = text.toLowerCase(Locale.ROOT);
        int n = lower.length();
        int i = 0;
        boolean truncated = false;
        while (i < n) {
            while (i < n && !Character.isLetterOrDigit(lower.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && Character.isLetterOrDigit(lower.charAt(i))) {
                i++;
            }
            if (i > start) {
                if (tokens.size() == maxTokens) {
                    truncated = true;
                    break;
                }
                tokens.add(lower.substring(start, i));
            }
        }
        if (tokens.isEmpty()) {
            return new TokenizedText(new int[] {PADDING_ID}, List.of(""), false);
        }
        int[] ids = new int[tokens.size()];
        for (int t = 0; t < ids.length; t++) {
            ids[t] = id(tokens.get(t));
        }
        return new TokenizedText(ids, List.copyOf(tokens), truncated);
    }

    /**
     * The id of one token: FNV-1a over its UTF-16 code units, MurmurHash3's finaliser, mod V-1, +1.
     */
    public int id(String token) {
        int h = 0x811c9dc5;
        for (int i = 0; i < token.length(); i++) {
            h ^= token.charAt(i);
            h *= 0x01000193;
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return 1 + Math.floorMod(h, vocabSize - 1);
    }
}
