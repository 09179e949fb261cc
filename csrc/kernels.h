/* Typed kernels of _dchain_native, included once per element type.
 *
 * The includer defines T (float or double), SUF (f32 or f64) and SQRT. Every kernel reproduces
 * the operation order of the numpy code it replaces, so that with FP contraction off the
 * results are bitwise those of numpy (max pooling and col2im sum overlapping windows in
 * another order, which only changes rounding).
 */
#define CAT_(a, b) a##_##b
#define CAT(a, b) CAT_(a, b)
#define FN(name) CAT(name, SUF)

/* param -= lr * grad */
VECTOR_CLONES static void FN(sgd)(T *restrict p, const T *restrict g, Py_ssize_t size, T lr)
{
    for (Py_ssize_t i = 0; i < size; i++)
        p[i] = p[i] - lr * g[i];
}

/* v = momentum * v - lr * grad; param += v */
VECTOR_CLONES
static void FN(momentum_sgd)(T *restrict p, const T *restrict g, T *restrict v, Py_ssize_t size,
                             T lr, T momentum)
{
    for (Py_ssize_t i = 0; i < size; i++) {
        T vi = v[i] * momentum;
        vi = vi - lr * g[i];
        v[i] = vi;
        p[i] = p[i] + vi;
    }
}

/* Adam, in the order of AdamRule.update_core_cpu (see dchain/optimizers/adam.py). Inlined
 * into one loop per combination of the flags, so that each loop has no branches and
 * vectorizes. */
static ALWAYS_INLINE void FN(adam_loop)(T *restrict p, const T *restrict g, T *restrict m,
                                        T *restrict v, T *restrict vhat, Py_ssize_t size,
                                        const adam_args *a, const int amsgrad,
                                        const int adabound, const int use_eta,
                                        const int use_decay)
{
    const T b1c = (T)a->one_minus_beta1, b2c = (T)a->one_minus_beta2, eps = (T)a->eps;
    const T alpha_t = (T)a->alpha_t, eta = (T)a->eta, decay = (T)a->decay;
    const T lower = (T)a->lower, upper = (T)a->upper;
    for (Py_ssize_t i = 0; i < size; i++) {
        T gi = g[i];
        T mi = m[i] + (gi - m[i]) * b1c;
        T vi = v[i] + (gi * gi - v[i]) * b2c;
        m[i] = mi;
        v[i] = vi;
        T vh = vi;
        if (amsgrad) {
            /* numpy.maximum: NaN from either side wins */
            T old = vhat[i];
            vh = (old >= vi || old != old) ? old : vi;
            vhat[i] = vh;
        }
        T step = SQRT(vh) + eps;
        if (adabound) {
            step = alpha_t / step;
            step = step < lower ? lower : step;
            step = step > upper ? upper : step;
            step = step * mi;
        } else {
            step = mi / step;
            step = step * alpha_t;
        }
        if (use_eta)
            step = step * eta;
        T pi = p[i];
        if (use_decay)
            pi = pi * decay;
        p[i] = pi - step;
    }
}

VECTOR_CLONES
static void FN(adam)(T *p, const T *g, T *m, T *v, T *vhat, Py_ssize_t size, const adam_args *a)
{
    int amsgrad = vhat != NULL;
    /* Plain Adam and AdamW get their own loop; multiplying by eta == 1 or by a decay of 1
     * is exact, so it serves both. The variants share one with run-time flags. */
    if (!amsgrad && !a->adabound)
        FN(adam_loop)(p, g, m, v, NULL, size, a, 0, 0, 1, 1);
    else
        FN(adam_loop)(p, g, m, v, vhat, size, a, amsgrad, a->adabound, a->use_eta,
                      a->use_decay);
}

static void FN(fill)(T *restrict d, Py_ssize_t count, T value)
{
    for (Py_ssize_t i = 0; i < count; i++)
        d[i] = value;
}

/* Copy n elements with source stride sn (in elements). */
static void FN(copy_row)(T *restrict d, const T *restrict s, Py_ssize_t count, Py_ssize_t sn)
{
    if (sn == 1) {
        memcpy(d, s, (size_t)count * sizeof(T));
        return;
    }
    for (Py_ssize_t i = 0; i < count; i++)
        d[i] = s[i * sn];
}

/* im2col of a batch-last (c, h, w, n) array (any strides) into a C-contiguous
 * (c, kh, kw, oh, ow, n) column array, or (kh, kw, c, oh, ow, n) with kernel_first: the
 * (c, ky, kx) taps [t0, t1) in that order (a part of a parallel pass); the other windowed
 * kernels below take a range of channels [c0, c1). */
VECTOR_CLONES
static void FN(im2col)(const T *x, const Py_ssize_t *xs, T *restrict col, const geom2d *q,
                       T pval, int kernel_first, Py_ssize_t t0, Py_ssize_t t1)
{
    const Py_ssize_t n = q->n, ow = q->ow, plane = q->oh * q->ow * n;
    for (Py_ssize_t t = t0; t < t1; t++) {
        Py_ssize_t c = t / (q->kh * q->kw), ky = t / q->kw % q->kh, kx = t % q->kw;
        Py_ssize_t slab = column_slab_(q, c, ky, kx, kernel_first);
        T *dst = col + slab * plane;
        Py_ssize_t xstart = kx * q->dx - q->px, lo, hi;
        valid_range_(xstart, q->sx, q->w, ow, &lo, &hi);
        for (Py_ssize_t oy = 0; oy < q->oh; oy++) {
            T *drow = dst + oy * ow * n;
            Py_ssize_t iy = oy * q->sy - q->py + ky * q->dy;
            if (iy < 0 || iy >= q->h || hi <= lo) {
                FN(fill)(drow, ow * n, pval);
                continue;
            }
            const T *srow = x + c * xs[0] + iy * xs[1];
            FN(fill)(drow, lo * n, pval);
            if (xs[3] == 1 && xs[2] == n && q->sx == 1) {
                /* the whole valid run is contiguous on both sides */
                memcpy(drow + lo * n, srow + (xstart + lo) * xs[2],
                       (size_t)((hi - lo) * n) * sizeof(T));
            } else {
                for (Py_ssize_t ox = lo; ox < hi; ox++)
                    FN(copy_row)(drow + ox * n, srow + (xstart + ox * q->sx) * xs[2],
                                 n, xs[3]);
            }
            FN(fill)(drow + hi * n, (ow - hi) * n, pval);
        }
    }
}

/* Adjoint of im2col: add a C-contiguous column array into a C-contiguous (c, h, w, n) one. */
VECTOR_CLONES
static void FN(col2im)(const T *restrict col, T *restrict out, const geom2d *q, int kernel_first,
                       Py_ssize_t c0, Py_ssize_t c1)
{
    const Py_ssize_t n = q->n, ow = q->ow, plane = q->oh * q->ow * n;
    for (Py_ssize_t c = c0; c < c1; c++)
        for (Py_ssize_t ky = 0; ky < q->kh; ky++)
            for (Py_ssize_t kx = 0; kx < q->kw; kx++) {
                Py_ssize_t slab = column_slab_(q, c, ky, kx, kernel_first);
                const T *src = col + slab * plane;
                Py_ssize_t xstart = kx * q->dx - q->px, lo, hi;
                valid_range_(xstart, q->sx, q->w, ow, &lo, &hi);
                if (hi <= lo)
                    continue;
                for (Py_ssize_t oy = 0; oy < q->oh; oy++) {
                    Py_ssize_t iy = oy * q->sy - q->py + ky * q->dy;
                    if (iy < 0 || iy >= q->h)
                        continue;
                    const T *srow = src + oy * ow * n;
                    T *orow = out + ((c * q->h + iy) * q->w) * n;
                    if (q->sx == 1) {
                        T *d = orow + (xstart + lo) * n;
                        const T *s = srow + lo * n;
                        Py_ssize_t count = (hi - lo) * n;
                        for (Py_ssize_t i = 0; i < count; i++)
                            d[i] += s[i];
                    } else {
                        for (Py_ssize_t ox = lo; ox < hi; ox++) {
                            T *d = orow + (xstart + ox * q->sx) * n;
                            const T *s = srow + ox * n;
                            for (Py_ssize_t i = 0; i < n; i++)
                                d[i] += s[i];
                        }
                    }
                }
            }
}

/* Max pooling forward on a batch-last (c, h, w, n) array (any strides): window maxima into
 * C-contiguous y (c, oh, ow, n) and the flat tap index of the first maximum into idx
 * (int8 or int32, same layout; scratch holds n int32 for the int8 case). Padding reads as
 * -inf, as in the numpy code: it can only win as the first tap of a window whose valid values
 * are all -inf (or that lies wholly in padding). */
VECTOR_CLONES
static void FN(max_pool_fwd)(const T *x, const Py_ssize_t *xs, T *restrict y, void *idx,
                             int idx_bytes, int32_t *restrict scratch, const geom2d *q,
                             Py_ssize_t c0, Py_ssize_t c1)
{
    const Py_ssize_t n = q->n;
    const T ninf = -(T)INFINITY;
    for (Py_ssize_t c = c0; c < c1; c++)
        for (Py_ssize_t oy = 0; oy < q->oh; oy++)
            for (Py_ssize_t ox = 0; ox < q->ow; ox++) {
                Py_ssize_t o = ((c * q->oh + oy) * q->ow + ox) * n;
                T *yr = y + o;
                int32_t *br = idx_bytes == 4 ? (int32_t *)idx + o : scratch;
                Py_ssize_t iy0 = oy * q->sy - q->py, ix0 = ox * q->sx - q->px;
                for (Py_ssize_t i = 0; i < n; i++)
                    br[i] = 0;
                for (Py_ssize_t ky = 0; ky < q->kh; ky++) {
                    Py_ssize_t iy = iy0 + ky;
                    for (Py_ssize_t kx = 0; kx < q->kw; kx++) {
                        Py_ssize_t ix = ix0 + kx;
                        int32_t k = (int32_t)(ky * q->kw + kx);
                        int inside = iy >= 0 && iy < q->h && ix >= 0 && ix < q->w;
                        if (k == 0) {
                            if (inside)
                                FN(copy_row)(yr, x + c * xs[0] + iy * xs[1] + ix * xs[2], n,
                                             xs[3]);
                            else
                                FN(fill)(yr, n, ninf);
                            continue;
                        }
                        if (!inside)
                            continue;  /* -inf never beats, and max(y, -inf) == y */
                        const T *s = x + c * xs[0] + iy * xs[1] + ix * xs[2];
                        if (xs[3] == 1) {
                            for (Py_ssize_t i = 0; i < n; i++) {
                                T v = s[i], b = yr[i];
                                int gt = v > b, nan = v != v;
                                int32_t old = br[i], mask = -(int32_t)gt;
                                yr[i] = (gt | nan) ? v : b;
                                br[i] = (old & ~mask) | (k & mask);  /* select, vectorizes */
                            }
                        } else {
                            for (Py_ssize_t i = 0; i < n; i++) {
                                T v = s[i * xs[3]], b = yr[i];
                                int gt = v > b, nan = v != v;
                                int32_t old = br[i], mask = -(int32_t)gt;
                                yr[i] = (gt | nan) ? v : b;
                                br[i] = (old & ~mask) | (k & mask);
                            }
                        }
                    }
                }
                if (idx_bytes == 1) {
                    int8_t *d = (int8_t *)idx + o;
                    for (Py_ssize_t i = 0; i < n; i++)
                        d[i] = (int8_t)br[i];
                }
            }
}

/* Max pooling backward: gx (C-contiguous (c, h, w, n), zeroed here) receives each gy value
 * (batch-last (c, oh, ow, n), any strides) at its window's argmax (idx: int8 or int32,
 * C-contiguous). With a gate (C-contiguous like idx, or NULL) each value is first multiplied
 * by (gate > 0), as numpy's gy * mask would.
 * Taps outside the input (or out-of-range indexes) drop their value. */
VECTOR_CLONES static void FN(max_pool_bwd)(const T *gy, const Py_ssize_t *gs, const void *idx,
                                           int idx_bytes, const T *gate,
                                           int32_t *restrict scratch, T *restrict gx,
                                           const geom2d *q, const Py_ssize_t *tap_offset,
                                           const Py_ssize_t *tap_y, const Py_ssize_t *tap_x,
                                           Py_ssize_t c0, Py_ssize_t c1)
{
    const Py_ssize_t n = q->n, taps = q->kh * q->kw, image = q->h * q->w * n;
    memset(gx + c0 * image, 0, (size_t)((c1 - c0) * image) * sizeof(T));
    for (Py_ssize_t c = c0; c < c1; c++)
        for (Py_ssize_t oy = 0; oy < q->oh; oy++)
            for (Py_ssize_t ox = 0; ox < q->ow; ox++) {
                Py_ssize_t o = ((c * q->oh + oy) * q->ow + ox) * n;
                const int32_t *br = window_taps_(idx, idx_bytes, o, n, scratch);
                const T *g = gy + c * gs[0] + oy * gs[1] + ox * gs[2];
                Py_ssize_t iy0 = oy * q->sy - q->py, ix0 = ox * q->sx - q->px;
                Py_ssize_t base = ((c * q->h + iy0) * q->w + ix0) * n;
                int inside = iy0 >= 0 && iy0 + q->kh <= q->h && ix0 >= 0 &&
                             ix0 + q->kw <= q->w;
                for (Py_ssize_t i = 0; i < n; i++) {
                    int32_t k = br[i];
                    if (k < 0 || k >= taps)
                        continue;
                    if (!inside) {
                        Py_ssize_t iy = iy0 + tap_y[k], ix = ix0 + tap_x[k];
                        if (iy < 0 || iy >= q->h || ix < 0 || ix >= q->w)
                            continue;
                    }
                    T v = g[i * gs[3]];
                    if (gate)
                        v *= (T)(gate[o + i] > 0);
                    gx[base + tap_offset[k] + i] += v;
                }
            }
}

/* Max pooling backward when the windows tile the input (stride == ksize, no padding): every
 * pixel belongs to at most one window, so each is written once (the gradient at its window's
 * argmax, zero elsewhere) with no zero fill and no read-modify-write; pixels past the last
 * window are zeroed. The gate is as in max_pool_bwd. */
VECTOR_CLONES
static void FN(max_pool_bwd_tiles)(const T *gy, const Py_ssize_t *gs, const void *idx,
                                   int idx_bytes, const T *gate, int32_t *restrict scratch,
                                   T *restrict gx, const geom2d *q, Py_ssize_t c0, Py_ssize_t c1)
{
    const Py_ssize_t n = q->n;
    const Py_ssize_t rows = q->oh * q->kh < q->h ? q->oh * q->kh : q->h;
    const Py_ssize_t cols = q->ow * q->kw < q->w ? q->ow * q->kw : q->w;
    for (Py_ssize_t c = c0; c < c1; c++) {
        for (Py_ssize_t oy = 0; oy < q->oh; oy++)
            for (Py_ssize_t ox = 0; ox < q->ow; ox++) {
                Py_ssize_t o = ((c * q->oh + oy) * q->ow + ox) * n;
                const int32_t *br = window_taps_(idx, idx_bytes, o, n, scratch);
                const T *g = gy + c * gs[0] + oy * gs[1] + ox * gs[2];
                const T *gt = gate ? gate + o : NULL;
                for (Py_ssize_t ky = 0; ky < q->kh; ky++) {
                    Py_ssize_t iy = oy * q->kh + ky;
                    if (iy >= q->h)
                        break;
                    for (Py_ssize_t kx = 0; kx < q->kw; kx++) {
                        Py_ssize_t ix = ox * q->kw + kx;
                        if (ix >= q->w)
                            break;
                        int32_t k = (int32_t)(ky * q->kw + kx);
                        T *d = gx + ((c * q->h + iy) * q->w + ix) * n;
                        /* loads before the select: branch-free, so it vectorizes */
                        if (gs[3] == 1 && !gt) {
                            for (Py_ssize_t i = 0; i < n; i++) {
                                T v = g[i];
                                d[i] = br[i] == k ? v : (T)0;
                            }
                        } else if (gs[3] == 1) {
                            for (Py_ssize_t i = 0; i < n; i++) {
                                T v = g[i] * (T)(gt[i] > 0);
                                d[i] = br[i] == k ? v : (T)0;
                            }
                        } else {
                            for (Py_ssize_t i = 0; i < n; i++) {
                                T v = g[i * gs[3]];
                                if (gt)
                                    v *= (T)(gt[i] > 0);
                                d[i] = br[i] == k ? v : (T)0;
                            }
                        }
                    }
                }
            }
        for (Py_ssize_t iy = 0; iy < q->h; iy++) {
            Py_ssize_t from = iy < rows ? cols : 0;
            T *d = gx + ((c * q->h + iy) * q->w + from) * n;
            memset(d, 0, (size_t)((q->w - from) * n) * sizeof(T));
        }
    }
}

/* One slice of a reduction in node-shared memory: mine = (mine + others[0] + ...) * scale
 * (the multiply only if scaled), then every other = mine, in the order the numpy code adds;
 * block by block, so each element comes from memory once and the rest stays in L1. With a
 * step (else NULL), each block of the result then takes that optimizer step, with the block
 * as the gradient, while still in L1: the same operations as the optimizer's kernel on the
 * whole slice afterwards. */
VECTOR_CLONES static void FN(sum_scale_spread)(T *restrict mine, T *const *others,
                                              Py_ssize_t n_others, Py_ssize_t count, T scale,
                                              int scaled, const chunk_step *step)
{
    const Py_ssize_t block = 2048;
    for (Py_ssize_t a = 0; a < count; a += block) {
        Py_ssize_t n = count - a < block ? count - a : block;
        T *restrict m = mine + a;
        for (Py_ssize_t k = 0; k < n_others; k++) {
            const T *restrict o = others[k] + a;
            for (Py_ssize_t i = 0; i < n; i++)
                m[i] += o[i];
        }
        if (scaled)
            for (Py_ssize_t i = 0; i < n; i++)
                m[i] *= scale;
        for (Py_ssize_t k = 0; k < n_others; k++)
            memcpy(others[k] + a, m, (size_t)n * sizeof(T));
        if (step && step->kind == STEP_MOMENTUM)
            FN(momentum_sgd)((T *)step->param + a, m, (T *)step->state1 + a, n, (T)step->lr,
                             (T)step->momentum);
        else if (step)
            FN(adam)((T *)step->param + a, m, (T *)step->state1 + a, (T *)step->state2 + a,
                     NULL, n, &step->adam);
    }
}

/* ReLU forward y = max(x, 0) as numpy.clip(x, 0, inf) gives it: NaN and -0.0 pass through
 * (x may be y: in place). */
VECTOR_CLONES static void FN(relu_fwd)(const T *x, T *y, Py_ssize_t size)
{
    for (Py_ssize_t i = 0; i < size; i++) {
        T v = x[i];
        y[i] = v < 0 ? (T)0 : v;
    }
}

/* ReLU backward gx = gy * (y > 0). */
VECTOR_CLONES static void FN(relu_bwd)(const T *restrict y, const T *restrict gy, T *restrict gx,
                         Py_ssize_t size)
{
    for (Py_ssize_t i = 0; i < size; i++)
        gx[i] = gy[i] * (T)(y[i] > 0);  /* as numpy's gy * mask: inf * 0 stays NaN */
}

#undef FN
#undef CAT
#undef CAT_
