package dev.streamlearn.models.family.attention;

import dev.streamlearn.models.family.text.TokenizedText;

/**
 * Which tokens of a text the encoder reads: all of its words when they are at most {@code
 * maxTokens}, else the first ⌈maxTokens/2⌉ and the last ⌊maxTokens/2⌋ words, in text order; then
 * the edge tokens ({@code ^first}, {@code last$}) when the tokenizer made them. The head of a text
 * holds a mail's subject and opening and a description's head noun; its tail a mail's closing,
 * signature and unsubscribe lines; a text's middle is where one more word says least. A cap at all,
 * because self-attention costs the square of the tokens read.
 */
public final class TokenSelection {
    /** The words the tokenizer reads before the selection: the text classifier's most. */
    public static final int READ_LIMIT = 100_000;

    private TokenSelection() {}

    /** The positions of {@code text} kept, in order (at most {@code maxTokens} + 2). */
    public static int[] positions(TokenizedText text, int maxTokens) {
        int words = text.words();
        int edges = text.length() - words;
        int kept = Math.min(words, maxTokens);
        int[] positions = new int[kept + edges];
        int head = words <= maxTokens ? words : (maxTokens + 1) / 2;
        for (int t = 0; t < head; t++) {
            positions[t] = t;
        }
        for (int t = head; t < kept; t++) {
            positions[t] = words - (kept - t);
        }
        for (int e = 0; e < edges; e++) {
            positions[kept + e] = words + e;
        }
        return positions;
    }

    /** The ids at {@code positions}. */
    public static int[] ids(TokenizedText text, int[] positions) {
        int[] all = text.ids();
        int[] ids = new int[positions.length];
        for (int t = 0; t < ids.length; t++) {
            ids[t] = all[positions[t]];
        }
        return ids;
    }
}
