package dev.streamlearn.models.family.attention;

import dev.streamlearn.models.kernel.ModelWeights;
import dev.streamlearn.models.spec.ModelSpec;
import dev.streamlearn.models.spec.ParameterLayout;
import java.util.Arrays;

/**
 * The plain-Java forward and backward pass of {@code attention-text-classifier}, reading the
 * weights' {@code float[]} in {@link AttentionTextFamily#layout} order and never copying it (a
 * learner that changes the array in place is scored with what it holds now). Scoring, the
 * explanation and the trainer's fast learner all go through {@link #forward} and {@link #backward},
 * so the pass that trains is the pass that scores. Arithmetic in double over float weights.
 *
 * <p>For a text of T token ids (positions t, s in [0, T)), with D = dModel, H heads of width d_h =
 * D/H, LN(z) = g ⊙ (z − mean z)/√(var z + 1e-5) + b over the D entries of z (biased variance; Ba et
 * al. 2016):
 *
 * <pre>
 *   x_t = E[id_t] + P[t]
 *   u_t = LN1(x_t);  q_t = u_t Wq + bq;  k_t = u_t Wk + bk;  v_t = u_t Wv + bv
 *   a[h,t,s] = softmax over s of (q_t,h · k_s,h) / √d_h      (q_t,h: columns h·d_h .. (h+1)·d_h − 1)
 *   c_t,h = Σ_s a[h,t,s] v_s,h
 *   r_t = x_t + c_t Wo + bo
 *   y_t = r_t + ReLU(LN2(r_t) W1 + b1) W2 + b2
 *   p = (1/T) Σ_t y_t;   logits = p W + b
 * </pre>
 *
 * Layer normalisation comes before each sub-layer (pre-LN, Xiong et al. 2020), so the residual
 * stream carries the embeddings to the mean untouched: the block refines an embedding bag rather
 * than replacing it. Softmax over all {@code maxLabels} slots; a model scores only the ones that
 * hold a label. Not thread-safe only in that the array may change under it; its scratch lives in a
 * {@link Pass}, one per thread.
 */
public final class AttentionTextKernel {
    private static final double LN_EPSILON = 1e-5;

    private final float[] params;
    private final int dim;
    private final int heads;
    private final int headDim;
    private final int ff;
    private final int slots;
    private final int positions;
    private final int vocab;
    private final double scale;
    private final int emb;
    private final int pos;
    private final int ln1g;
    private final int ln1b;
    private final int wq;
    private final int bq;
    private final int wk;
    private final int bk;
    private final int wv;
    private final int bv;
    private final int wo;
    private final int bo;
    private final int ln2g;
    private final int ln2b;
    private final int w1;
    private final int b1;
    private final int w2;
    private final int b2;
    private final int wOut;
    private final int bOut;

    public AttentionTextKernel(ModelWeights weights) {
        ModelSpec spec = weights.spec();
        this.params = weights.params();
        this.dim = spec.get(AttentionTextSpec.D_MODEL);
        this.heads = spec.get(AttentionTextSpec.HEADS);
        this.headDim = dim / heads;
        this.ff = spec.get(AttentionTextSpec.FF_SIZE);
        this.slots = spec.get(AttentionTextSpec.MAX_LABELS);
        this.positions = AttentionTextSpec.positions(spec);
        this.vocab = spec.get(AttentionTextSpec.VOCAB_SIZE);
        this.scale = 1 / Math.sqrt(headDim);
        ParameterLayout layout = ParameterLayout.of(spec);
        emb = layout.block("0_W").offset();
        pos = layout.block("1_P").offset();
        ln1g = layout.block("1_ln1g").offset();
        ln1b = layout.block("1_ln1b").offset();
        wq = layout.block("1_Wq").offset();
        bq = layout.block("1_bq").offset();
        wk = layout.block("1_Wk").offset();
        bk = layout.block("1_bk").offset();
        wv = layout.block("1_Wv").offset();
        bv = layout.block("1_bv").offset();
        wo = layout.block("1_Wo").offset();
        bo = layout.block("1_bo").offset();
        ln2g = layout.block("1_ln2g").offset();
        ln2b = layout.block("1_ln2b").offset();
        w1 = layout.block("1_W1").offset();
        b1 = layout.block("1_b1").offset();
        w2 = layout.block("1_W2").offset();
        b2 = layout.block("1_b2").offset();
        wOut = layout.block("2_W").offset();
        bOut = layout.block("2_b").offset();
    }

    /** Output slots ({@code maxLabels}). */
    public int slots() {
        return slots;
    }

    /** The most token ids a text may have: {@code maxTokens} + 2 (the edge tokens). */
    public int positions() {
        return positions;
    }

    public int vocabSize() {
        return vocab;
    }

    /** Where the gradients {@link #backward} fills start: the layout offset of {@code 1_P}. */
    public int denseOffset() {
        return pos;
    }

    /** Scratch of one text's pass, for this kernel's shape; reuse it from one text to the next. */
    public Pass newPass() {
        return new Pass(dim, ff, heads, positions);
    }

    /**
     * The logits of every slot for token ids (1 to {@link #positions()} of them, each in {@code [0,
     * vocabSize)}); {@code pass} keeps what {@link #backward} and {@link #attentionToTokens} need.
     */
    public double[] forward(int[] ids, Pass pass) {
        int n = ids.length;
        if (n < 1 || n > positions) {
            throw new IllegalArgumentException(
                    "a text of " + n + " tokens, expected 1 to " + positions + " (maxTokens + 2)");
        }
        pass.fit(n);
        double[] x = pass.x;
        double[] q = pass.q;
        double[] k = pass.k;
        double[] v = pass.v;
        for (int t = 0; t < n; t++) {
            int e = emb + ids[t] * dim;
            int p = pos + t * dim;
            int o = t * dim;
            for (int i = 0; i < dim; i++) {
                x[o + i] = (double) params[e + i] + params[p + i];
            }
            pass.inv1[t] = normalise(x, o, pass.n1, pass.u, ln1g, ln1b);
            for (int j = 0; j < dim; j++) {
                q[o + j] = params[bq + j];
                k[o + j] = params[bk + j];
                v[o + j] = params[bv + j];
            }
            for (int i = 0; i < dim; i++) {
                double ui = pass.u[o + i];
                int row = i * dim;
                for (int j = 0; j < dim; j++) {
                    q[o + j] += ui * params[wq + row + j];
                    k[o + j] += ui * params[wk + row + j];
                    v[o + j] += ui * params[wv + row + j];
                }
            }
        }
        attend(n, pass);
        double[] r = pass.r;
        double[] pooled = pass.pooled;
        Arrays.fill(pooled, 0);
        double share = 1.0 / n;
        for (int t = 0; t < n; t++) {
            int o = t * dim;
            for (int j = 0; j < dim; j++) {
                r[o + j] = x[o + j] + params[bo + j];
            }
            for (int i = 0; i < dim; i++) {
                double ci = pass.c[o + i];
                int row = wo + i * dim;
                for (int j = 0; j < dim; j++) {
                    r[o + j] += ci * params[row + j];
                }
            }
            pass.inv2[t] = normalise(r, o, pass.n2, pass.w, ln2g, ln2b);
            int z = t * ff;
            for (int m = 0; m < ff; m++) {
                pass.z[z + m] = params[b1 + m];
            }
            for (int i = 0; i < dim; i++) {
                double wi = pass.w[o + i];
                int row = w1 + i * ff;
                for (int m = 0; m < ff; m++) {
                    pass.z[z + m] += wi * params[row + m];
                }
            }
            double[] y = pass.y;
            for (int j = 0; j < dim; j++) {
                y[j] = r[o + j] + params[b2 + j];
            }
            for (int m = 0; m < ff; m++) {
                double h = pass.z[z + m];
                if (h > 0) {
                    int row = w2 + m * dim;
                    for (int j = 0; j < dim; j++) {
                        y[j] += h * params[row + j];
                    }
                }
            }
            for (int j = 0; j < dim; j++) {
                pooled[j] += y[j] * share;
            }
        }
        double[] logits = new double[slots];
        for (int c = 0; c < slots; c++) {
            logits[c] = params[bOut + c];
        }
        for (int i = 0; i < dim; i++) {
            double pi = pooled[i];
            int row = wOut + i * slots;
            for (int c = 0; c < slots; c++) {
                logits[c] += pi * params[row + c];
            }
        }
        return logits;
    }

    /** Attention weights and each position's mix of values, for every head. */
    private void attend(int n, Pass pass) {
        double[] q = pass.q;
        double[] k = pass.k;
        double[] v = pass.v;
        double[] c = pass.c;
        double[] a = pass.a;
        double[] kt = pass.kt;
        Arrays.fill(c, 0, n * dim, 0);
        // The keys transposed, so that a query's scores against all keys grow together along s
        // (a loop the JIT vectorises) rather than as one short dot product per key, a chain of
        // dependent additions; each score still sums its products in the order j = 0, 1, ...
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < dim; i++) {
                kt[i * n + s] = k[s * dim + i];
            }
        }
        for (int h = 0; h < heads; h++) {
            int col = h * headDim;
            for (int t = 0; t < n; t++) {
                int row = (h * n + t) * n;
                int qt = t * dim + col;
                Arrays.fill(a, row, row + n, 0);
                for (int j = 0; j < headDim; j++) {
                    double qj = q[qt + j];
                    int keys = (col + j) * n;
                    for (int s = 0; s < n; s++) {
                        a[row + s] += qj * kt[keys + s];
                    }
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int s = 0; s < n; s++) {
                    a[row + s] *= scale;
                    max = Math.max(max, a[row + s]);
                }
                double sum = 0;
                for (int s = 0; s < n; s++) {
                    a[row + s] = Math.exp(a[row + s] - max);
                    sum += a[row + s];
                }
                for (int s = 0; s < n; s++) {
                    double weight = a[row + s] / sum;
                    a[row + s] = weight;
                    int vs = s * dim + col;
                    for (int j = 0; j < headDim; j++) {
                        c[qt + j] += weight * v[vs + j];
                    }
                }
            }
        }
    }

    /**
     * Layer-normalises {@code in[o..o+D)} into {@code normalised} (before gain and bias) and {@code
     * out} (after); returns 1/√(var + ε), which the backward pass needs.
     */
    private double normalise(double[] in, int o, double[] normalised, double[] out, int g, int b) {
        double mean = 0;
        for (int i = 0; i < dim; i++) {
            mean += in[o + i];
        }
        mean /= dim;
        double var = 0;
        for (int i = 0; i < dim; i++) {
            double d = in[o + i] - mean;
            var += d * d;
        }
        double inv = 1 / Math.sqrt(var / dim + LN_EPSILON);
        for (int i = 0; i < dim; i++) {
            double nz = (in[o + i] - mean) * inv;
            normalised[o + i] = nz;
            out[o + i] = nz * params[g + i] + params[b + i];
        }
        return inv;
    }

    /**
     * Back-propagates {@code logitGradient} (a gradient with respect to the logits of every slot)
     * through the pass {@link #forward} left in {@code pass} for {@code ids}. Adds the gradient of
     * every parameter after the token embedding to {@code gradients} at index (layout offset −
     * {@link #denseOffset()}), and writes the gradient with respect to each position's token
     * embedding row to {@code tokenGradients[t·D .. t·D + D)} (the caller adds it to row {@code
     * ids[t]}: rows repeat, and a learner keeps them sparse).
     */
    public void backward(
            int[] ids,
            Pass pass,
            double[] logitGradient,
            double[] gradients,
            double[] tokenGradients) {
        int n = ids.length;
        int base = pos;
        double[] dPooled = pass.dPooled;
        for (int i = 0; i < dim; i++) {
            double pi = pass.pooled[i];
            int row = wOut + i * slots;
            double sum = 0;
            for (int c = 0; c < slots; c++) {
                gradients[row - base + c] += pi * logitGradient[c];
                sum += params[row + c] * logitGradient[c];
            }
            dPooled[i] = sum / n;
        }
        for (int c = 0; c < slots; c++) {
            gradients[bOut - base + c] += logitGradient[c];
        }
        double[] dr = pass.dr;
        double[] dc = pass.dc;
        double[] dz = pass.dz;
        double[] dw = pass.dw;
        for (int t = 0; t < n; t++) {
            int o = t * dim;
            int z = t * ff;
            // y = r + f: the pooled gradient reaches both the residual and the feed-forward.
            for (int j = 0; j < dim; j++) {
                gradients[b2 - base + j] += dPooled[j];
            }
            for (int m = 0; m < ff; m++) {
                double h = pass.z[z + m];
                if (h > 0) {
                    int row = w2 + m * dim;
                    double sum = 0;
                    for (int j = 0; j < dim; j++) {
                        gradients[row - base + j] += h * dPooled[j];
                        sum += params[row + j] * dPooled[j];
                    }
                    dz[m] = sum;
                } else {
                    dz[m] = 0;
                }
            }
            for (int m = 0; m < ff; m++) {
                gradients[b1 - base + m] += dz[m];
            }
            for (int i = 0; i < dim; i++) {
                double wi = pass.w[o + i];
                int row = w1 + i * ff;
                double sum = 0;
                for (int m = 0; m < ff; m++) {
                    gradients[row - base + m] += wi * dz[m];
                    sum += params[row + m] * dz[m];
                }
                dw[i] = sum;
            }
            System.arraycopy(dPooled, 0, dr, o, dim);
            normaliseBackward(dw, pass.n2, o, pass.inv2[t], ln2g, ln2b, gradients, dr);
            for (int j = 0; j < dim; j++) {
                gradients[bo - base + j] += dr[o + j];
            }
            for (int i = 0; i < dim; i++) {
                double ci = pass.c[o + i];
                int row = wo + i * dim;
                double sum = 0;
                for (int j = 0; j < dim; j++) {
                    gradients[row - base + j] += ci * dr[o + j];
                    sum += params[row + j] * dr[o + j];
                }
                dc[o + i] = sum;
            }
        }
        attendBackward(n, pass);
        double[] du = pass.du;
        for (int t = 0; t < n; t++) {
            int o = t * dim;
            for (int j = 0; j < dim; j++) {
                gradients[bq - base + j] += pass.dq[o + j];
                gradients[bk - base + j] += pass.dk[o + j];
                gradients[bv - base + j] += pass.dv[o + j];
            }
            for (int i = 0; i < dim; i++) {
                double ui = pass.u[o + i];
                int row = i * dim;
                double sum = 0;
                for (int j = 0; j < dim; j++) {
                    double gq = pass.dq[o + j];
                    double gk = pass.dk[o + j];
                    double gv = pass.dv[o + j];
                    gradients[wq - base + row + j] += ui * gq;
                    gradients[wk - base + row + j] += ui * gk;
                    gradients[wv - base + row + j] += ui * gv;
                    sum +=
                            params[wq + row + j] * gq
                                    + params[wk + row + j] * gk
                                    + params[wv + row + j] * gv;
                }
                du[i] = sum;
            }
            // The residual carries dr to x; the first layer norm adds what reached it through u.
            System.arraycopy(dr, o, tokenGradients, o, dim);
            normaliseBackward(du, pass.n1, o, pass.inv1[t], ln1g, ln1b, gradients, tokenGradients);
            int p = pos - base + o;
            for (int i = 0; i < dim; i++) {
                gradients[p + i] += tokenGradients[o + i];
            }
        }
    }

    /**
     * Given {@code dOut}, the gradient at a layer norm's output for the position at {@code o}, adds
     * the gain's and bias' gradients and writes the input's gradient to {@code dIn[o..o+D)}, adding
     * to what is there.
     */
    private void normaliseBackward(
            double[] dOut,
            double[] normalised,
            int o,
            double inv,
            int g,
            int b,
            double[] gradients,
            double[] dIn) {
        int base = pos;
        double meanD = 0;
        double meanDn = 0;
        for (int i = 0; i < dim; i++) {
            double nz = normalised[o + i];
            gradients[g - base + i] += dOut[i] * nz;
            gradients[b - base + i] += dOut[i];
            double dn = dOut[i] * params[g + i];
            meanD += dn;
            meanDn += dn * nz;
        }
        meanD /= dim;
        meanDn /= dim;
        for (int i = 0; i < dim; i++) {
            double dn = dOut[i] * params[g + i];
            dIn[o + i] += inv * (dn - meanD - normalised[o + i] * meanDn);
        }
    }

    /** From dc (the gradient at each position's mix of values) to dq, dk and dv. */
    private void attendBackward(int n, Pass pass) {
        double[] q = pass.q;
        double[] k = pass.k;
        double[] v = pass.v;
        double[] a = pass.a;
        double[] dc = pass.dc;
        double[] dq = pass.dq;
        double[] dk = pass.dk;
        double[] dv = pass.dv;
        double[] da = pass.da;
        Arrays.fill(dq, 0, n * dim, 0);
        Arrays.fill(dk, 0, n * dim, 0);
        Arrays.fill(dv, 0, n * dim, 0);
        for (int h = 0; h < heads; h++) {
            int col = h * headDim;
            for (int t = 0; t < n; t++) {
                int row = (h * n + t) * n;
                int ct = t * dim + col;
                double dot = 0;
                for (int s = 0; s < n; s++) {
                    int vs = s * dim + col;
                    double weight = a[row + s];
                    double g = 0;
                    for (int j = 0; j < headDim; j++) {
                        g += dc[ct + j] * v[vs + j];
                        dv[vs + j] += weight * dc[ct + j];
                    }
                    da[s] = g;
                    dot += weight * g;
                }
                for (int s = 0; s < n; s++) {
                    double de = a[row + s] * (da[s] - dot) * scale;
                    if (de == 0) {
                        continue;
                    }
                    int ks = s * dim + col;
                    for (int j = 0; j < headDim; j++) {
                        dq[ct + j] += de * k[ks + j];
                        dk[ks + j] += de * q[ct + j];
                    }
                }
            }
        }
    }

    /**
     * The attention the pooled representation pays to each position of the text {@link #forward}
     * last read into {@code pass}: {@code (1/(H·T)) Σ_h Σ_t a[h,t,s]}, the mean over heads and
     * query positions of the attention rows. The pooled vector is the mean of the positions'
     * outputs, each of which mixes the values with its attention row, so this is the share of all
     * attention mass that lands on token s. Non-negative, summing to 1 over the positions.
     */
    public double[] attentionToTokens(Pass pass) {
        int n = pass.length;
        double[] share = new double[n];
        double unit = 1.0 / (heads * n);
        for (int h = 0; h < heads; h++) {
            for (int t = 0; t < n; t++) {
                int row = (h * n + t) * n;
                for (int s = 0; s < n; s++) {
                    share[s] += pass.a[row + s] * unit;
                }
            }
        }
        return share;
    }

    /** Softmax of the first {@code n} logits. */
    public static double[] softmax(double[] logits, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            max = Math.max(max, logits[c]);
        }
        double[] p = new double[n];
        double sum = 0;
        for (int c = 0; c < n; c++) {
            p[c] = Math.exp(logits[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < n; c++) {
            p[c] /= sum;
        }
        return p;
    }

    /**
     * One text's activations ({@link #forward}) and the backward pass' scratch. Arrays grow to the
     * longest text seen; not thread-safe.
     */
    public static final class Pass {
        private final int dim;
        private final int ff;
        private final int heads;
        private final int positions;
        private int length;
        private int capacity;
        double[] x;
        double[] n1;
        double[] u;
        double[] inv1;
        double[] q;
        double[] k;
        double[] v;
        double[] kt;
        double[] a;
        double[] c;
        double[] r;
        double[] n2;
        double[] w;
        double[] inv2;
        double[] z;
        final double[] y;
        final double[] pooled;
        final double[] dPooled;
        double[] dr;
        double[] dc;
        double[] dq;
        double[] dk;
        double[] dv;
        double[] da;
        final double[] dz;
        final double[] dw;
        final double[] du;

        private Pass(int dim, int ff, int heads, int positions) {
            this.positions = positions;
            this.dim = dim;
            this.ff = ff;
            this.heads = heads;
            this.y = new double[dim];
            this.pooled = new double[dim];
            this.dPooled = new double[dim];
            this.dz = new double[ff];
            this.dw = new double[dim];
            this.du = new double[dim];
        }

        /** The positions of the text last read. */
        public int length() {
            return length;
        }

        /** The mean of the block's outputs, as the output layer reads it. */
        public double[] pooled() {
            return pooled;
        }

        private void fit(int n) {
            length = n;
            if (n <= capacity) {
                return;
            }
            int size = Math.min(positions, Math.max(n, 2 * capacity));
            capacity = size;
            int rows = size * dim;
            x = new double[rows];
            n1 = new double[rows];
            u = new double[rows];
            inv1 = new double[size];
            q = new double[rows];
            k = new double[rows];
            v = new double[rows];
            kt = new double[rows];
            a = new double[heads * size * size];
            c = new double[rows];
            r = new double[rows];
            n2 = new double[rows];
            w = new double[rows];
            inv2 = new double[size];
            z = new double[size * ff];
            dr = new double[rows];
            dc = new double[rows];
            dq = new double[rows];
            dk = new double[rows];
            dv = new double[rows];
            da = new double[size];
        }
    }
}
