package dev.streamlearn.models.family.text;

import dev.streamlearn.models.spec.ModelSpec;
import java.util.Arrays;
import java.util.Locale;

/**
 * The hashing trick (Weinberger et al. 2009): lower-cases a text, splits it into maximal runs of
 * letters and digits, and hashes each token into {@code [1, vocabSize)}; no vocabulary state, so
 * unseen words are fine and training and scoring can never disagree about ids. Only the first
 * {@code maxTokens} tokens are kept.
 *
 * <p>Tokens are hashed where they stand in the text, lower-casing char by char, and no string is
 * made per token ({@link TokenizedText} materialises a token only when asked for it): on mails of
 * up to 2,000 characters the per-token strings were most of the scorer's own work. The result is
 * exactly that of {@code text.toLowerCase(Locale.ROOT)} split into tokens and hashed with {@link
 * #id(String)}: char by char lower-casing equals it for every char but U+0130 and U+03A3, whose
 * lower case depends on context or is two chars, so a text holding one of those is lower-cased
 * whole first (tests compare both ways on every char and on the SpamAssassin corpus).
 *
 * <p>With edge tokens ({@code edgeTokens=1}) the first and the last word of a text also count as
 * tokens of their own, {@code ^word} and {@code word$}, after the words: average pooling forgets
 * where a word stood, and the two ends of a short text (the head noun of a description, a closing
 * "documentation") often say the most. Neither can be a word, since words hold no {@code ^} or
 * {@code $}.
 */
public final class HashingTokenizer {
    /** The id of padding (never produced by hashing a token). */
    public static final int PADDING_ID = 0;

    private static final int FNV_OFFSET = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;

    /** Lower case of each ASCII char that is a letter or digit; 0 for the others (separators). */
    private static final char[] ASCII_WORD = new char[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            ASCII_WORD[c] = c;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            ASCII_WORD[c] = c;
            ASCII_WORD[Character.toUpperCase(c)] = c;
        }
    }

    /** Marks the first word's edge token ({@code ^word}). */
    static final char FIRST_MARK = '^';

    /** Marks the last word's edge token ({@code word$}). */
    static final char LAST_MARK = '$';

    private final int vocabSize;
    private final int maxTokens;
    private final boolean edgeTokens;

    public HashingTokenizer(ModelSpec spec) {
        this(
                spec.get(TextClassifierSpec.VOCAB_SIZE),
                spec.get(TextClassifierSpec.MAX_TOKENS),
                spec.get(TextClassifierSpec.EDGE_TOKENS) == 1);
    }

    /** Words only. */
    public HashingTokenizer(int vocabSize, int maxTokens) {
        this(vocabSize, maxTokens, false);
    }

    public HashingTokenizer(int vocabSize, int maxTokens, boolean edgeTokens) {
        this.vocabSize = vocabSize;
        this.maxTokens = maxTokens;
        this.edgeTokens = edgeTokens;
    }

    public TokenizedText tokenize(String text) {
        TokenizedText inPlace = scan(text, true);
        return inPlace != null ? inPlace : scan(text.toLowerCase(Locale.ROOT), false);
    }

    /**
     * The id of one token: FNV-1a over its UTF-16 code units, MurmurHash3's finaliser, mod V-1, +1.
     */
    public int id(String token) {
        int h = FNV_OFFSET;
        for (int i = 0; i < token.length(); i++) {
            h ^= token.charAt(i);
            h *= FNV_PRIME;
        }
        return idOfHash(h);
    }

    private int idOfHash(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return 1 + Math.floorMod(h, vocabSize - 1);
    }

    /**
     * Tokens of {@code text}, lower-casing each char on the way if {@code lowerOnRead}; null if it
     * meets a char that cannot be lower-cased on its own (then the caller lower-cases the text
     * whole and scans again without lowering).
     */
    private TokenizedText scan(String text, boolean lowerOnRead) {
        // A copy to read from and to write the lower-cased token chars back into, so that equal
        // tokens compare and tokens become strings without lower-casing again (TokenizedText).
        char[] chars = text.toCharArray();
        int n = chars.length;
        // Words are separated, so at most ceil(n/2); then the two edge tokens.
        int capacity = Math.min(maxTokens, n / 2 + 1) + (edgeTokens ? 2 : 0);
        int[] ids = new int[capacity];
        int[] hashes = new int[capacity];
        int[] starts = new int[capacity];
        int[] ends = new int[capacity];
        int count = 0;
        boolean truncated = false;
        int start = -1;
        int h = FNV_OFFSET;
        for (int i = 0; i < n; i++) {
            char c = chars[i];
            char lower;
            if (c < 128) {
                lower = ASCII_WORD[c];
            } else {
                if (lowerOnRead && (c == '\u0130' || c == '\u03a3')) {
                    return null;
                }
                lower = lowerOnRead ? Character.toLowerCase(c) : c;
                if (!Character.isLetterOrDigit(lower)) {
                    lower = 0;
                }
            }
            if (lower != 0) {
                if (start < 0) {
                    if (count == maxTokens) {
                        truncated = true;
                        break;
                    }
                    start = i;
                    h = FNV_OFFSET;
                }
                chars[i] = lower;
                h = (h ^ lower) * FNV_PRIME;
            } else if (start >= 0) {
                hashes[count] = h;
                ids[count] = idOfHash(h);
                starts[count] = start;
                ends[count++] = i;
                start = -1;
            }
        }
        if (start >= 0) {
            hashes[count] = h;
            ids[count] = idOfHash(h);
            starts[count] = start;
            ends[count++] = n;
        }
        if (count == 0) {
            return TokenizedText.empty();
        }
        int words = count;
        if (edgeTokens) {
            hashes[count] = edgeHash(FIRST_MARK, chars, starts[0], ends[0]);
            ids[count++] = idOfHash(hashes[words]);
            hashes[count] = edgeHash(LAST_MARK, chars, starts[words - 1], ends[words - 1]);
            ids[count++] = idOfHash(hashes[words + 1]);
        }
        if (count < capacity) {
            ids = Arrays.copyOf(ids, count);
        }
        return new TokenizedText(chars, ids, hashes, starts, ends, words, truncated);
    }

    /** FNV-1a of {@code ^word} or {@code word$}, as {@link #id(String)} hashes that string. */
    private static int edgeHash(char mark, char[] chars, int start, int end) {
        int h = FNV_OFFSET;
        if (mark == FIRST_MARK) {
            h = (h ^ mark) * FNV_PRIME;
        }
        for (int i = start; i < end; i++) {
            h = (h ^ chars[i]) * FNV_PRIME;
        }
        if (mark == LAST_MARK) {
            h = (h ^ mark) * FNV_PRIME;
        }
        return h;
    }
}
