package dev.streamlearn.models.family.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tokenizer as it was before it hashed in place, kept as the reference the in-place one must
 * equal: lower-case the whole text, cut it into strings, hash each with {@link
 * HashingTokenizer#id(String)}. Test fixture (models' test-jar).
 */
public record StringTokenizerReference(HashingTokenizer tokenizer, int maxTokens) {

    public record Tokens(List<String> tokens, int[] ids, boolean truncated) {}

    public Tokens tokenize(String text) {
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
            return new Tokens(List.of(""), new int[] {HashingTokenizer.PADDING_ID}, false);
        }
        return new Tokens(tokens, tokens.stream().mapToInt(tokenizer::id).toArray(), truncated);
    }
}
