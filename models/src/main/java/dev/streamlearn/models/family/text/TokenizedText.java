package dev.streamlearn.models.family.text;

import java.util.Arrays;
import java.util.List;

/**
 * A text as the classifier reads it: token ids in {@code [0, vocabSize)} and the tokens they came
 * from. Id 0 is reserved for padding; an empty text is one unmasked padding token, because DL4J's
 * average pooling over an all-zero mask gives NaN.
 *
 * <p>Tokens are kept as positions in the text and made into strings only when asked for ({@link
 * #token(int)}, {@link #tokens()}): scoring needs strings only for the few tokens it reports.
 * {@link #distinctIndex()} groups equal tokens without making strings either. Not thread-safe
 * (lazily computed views).
 *
 * <p>The first {@link #words()} positions are the text's words; with edge tokens ({@link
 * HashingTokenizer}) two more follow, the first word as {@code ^word} and the last as {@code
 * word$}.
 */
public final class TokenizedText {
    private static final int[] NO_HASHES = {0};
    private static final int[] NO_POSITIONS = {0};

    private final char[] chars;
    private final int[] ids;
    private final int[] hashes;
    private final int[] starts;
    private final int[] ends;
    private final int words;
    private final boolean truncated;
    private int[] distinctIndex;
    private int distinctCount;
    private int[] firstPositions;
    private int[] occurrences;
    private List<String> tokens;

    /**
     * @param chars the text, each token's chars lower-cased in place
     * @param ids one id per token (its length is the token count)
     * @param hashes each token's FNV-1a hash before the finaliser (equal tokens, equal hashes)
     * @param starts each token's first char in {@code source}
     * @param ends each token's end (exclusive) in {@code source}
     * @param words how many of the tokens are words (the edge tokens, if any, follow them)
     */
    TokenizedText(
            char[] chars,
            int[] ids,
            int[] hashes,
            int[] starts,
            int[] ends,
            int words,
            boolean truncated) {
        this.chars = chars;
        this.ids = ids;
        this.hashes = hashes;
        this.starts = starts;
        this.ends = ends;
        this.words = words;
        this.truncated = truncated;
    }

    /** The padding token alone: a text without any token. */
    static TokenizedText empty() {
        return new TokenizedText(
                new char[0],
                new int[] {HashingTokenizer.PADDING_ID},
                NO_HASHES,
                NO_POSITIONS,
                NO_POSITIONS,
                1,
                false);
    }

    /** One id per token, {@code ids().length == length() >= 1}. */
    public int[] ids() {
        return ids;
    }

    /** Whether tokens beyond {@code maxTokens} were dropped. */
    public boolean truncated() {
        return truncated;
    }

    /** Whether the text had no token at all (and is represented by the padding token). */
    public boolean isEmpty() {
        return ids.length == 1 && ids[0] == HashingTokenizer.PADDING_ID;
    }

    public int length() {
        return ids.length;
    }

    /** How many tokens are words: all of them but the edge tokens. */
    public int words() {
        return words;
    }

    /**
     * The lower-cased token at a position ({@code ""} for the padding token of an empty text;
     * {@code ^word} and {@code word$} for the edge tokens).
     */
    public String token(int position) {
        if (position == words) {
            return HashingTokenizer.FIRST_MARK + word(0);
        }
        if (position == words + 1) {
            return word(words - 1) + HashingTokenizer.LAST_MARK;
        }
        return word(position);
    }

    private String word(int position) {
        return new String(chars, starts[position], ends[position] - starts[position]);
    }

    /** The lower-cased tokens, made into strings on first use. */
    public List<String> tokens() {
        if (tokens == null) {
            String[] all = new String[ids.length];
            for (int t = 0; t < all.length; t++) {
                all[t] = token(t);
            }
            tokens = List.of(all);
        }
        return tokens;
    }

    /**
     * For each position, the index of its token among the distinct tokens in order of first
     * appearance (equal strings, equal index; ids may collide, tokens do not).
     */
    public int[] distinctIndex() {
        if (distinctIndex == null) {
            groupEqualTokens();
        }
        return distinctIndex;
    }

    /** How many distinct tokens there are. */
    public int distinctCount() {
        if (distinctIndex == null) {
            groupEqualTokens();
        }
        return distinctCount;
    }

    /**
     * Per distinct token, in order of first appearance, the position where it first appears ({@code
     * distinctCount()} entries).
     */
    public int[] firstPositions() {
        if (distinctIndex == null) {
            groupEqualTokens();
        }
        return firstPositions;
    }

    /** Per distinct token, in order of first appearance, how often it appears. */
    public int[] occurrences() {
        if (distinctIndex == null) {
            groupEqualTokens();
        }
        return occurrences;
    }

    /** An open-addressing table keyed by hash, with equality checked on the chars themselves. */
    private void groupEqualTokens() {
        int n = ids.length;
        int[] index = new int[n];
        int size = Integer.highestOneBit(Math.max(2, n) * 2 - 1) << 1; // >= 2n, a power of 2
        int[] slots = new int[size]; // 1 + first position of a distinct token; 0 = empty
        int[] firstPositionOf = new int[n];
        int[] occurrencesOf = new int[n];
        int distinct = 0;
        for (int t = 0; t < n; t++) {
            int slot = mix(hashes[t]) & (size - 1);
            while (true) {
                int occupant = slots[slot] - 1;
                if (occupant < 0) {
                    slots[slot] = t + 1;
                    firstPositionOf[distinct] = t;
                    index[t] = distinct++;
                    break;
                }
                if (hashes[occupant] == hashes[t] && sameToken(occupant, t)) {
                    index[t] = index[occupant];
                    break;
                }
                slot = (slot + 1) & (size - 1);
            }
            occurrencesOf[index[t]]++;
        }
        distinctIndex = index;
        distinctCount = distinct;
        firstPositions = Arrays.copyOf(firstPositionOf, distinct);
        occurrences = Arrays.copyOf(occurrencesOf, distinct);
    }

    private boolean sameToken(int a, int b) {
        if (a >= words || b >= words) {
            return a == b; // an edge token is like no word and unlike the other edge
        }
        int from = starts[a];
        int other = starts[b];
        int length = ends[a] - from;
        if (ends[b] - other != length) {
            return false;
        }
        // A plain loop: tokens are a few chars long, too short to repay Arrays.equals' range
        // checks and set-up.
        for (int i = 0; i < length; i++) {
            if (chars[from + i] != chars[other + i]) {
                return false;
            }
        }
        return true;
    }

    private static int mix(int h) {
        h *= 0x9e3779b9;
        return h ^ (h >>> 16);
    }

    /** All tokens as strings: for tests and debugging, not a hot path. */
    @Override
    public String toString() {
        return "TokenizedText" + tokens() + (truncated ? " (truncated)" : "");
    }
}
