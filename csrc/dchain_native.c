/* _dchain_native: optional fused CPU kernels of dchain (see dchain/_native.py).
 *
 * Plain C on the buffer protocol (no numpy headers): each entry point takes numpy arrays,
 * checks what it needs to stay within their memory (element type, dimensions, shapes,
 * contiguity of what it writes), releases the GIL and runs its loop, large passes split over
 * the thread pool of thread_pool.h. The Python wrappers in dchain/_native.py do the
 * user-facing validation and allocation.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ALWAYS_INLINE inline
#endif

/* The loops of the kernels are compiled for plain x86-64 (SSE2: 4 floats a vector) and again
 * for AVX2 (8 floats), which the dynamic loader picks where the CPU has it. No flag changes the
 * arithmetic (FP contraction stays off), so every version rounds alike. */
#if defined(__x86_64__) && defined(__GNUC__) && defined(__linux__)
#define VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define VECTOR_CLONES
#endif

enum { T_NONE = 0, T_F32 = 1, T_F64 = 2 };

typedef struct {
    double one_minus_beta1, one_minus_beta2, eps, alpha_t, eta, decay, lower, upper;
    int use_eta, use_decay, adabound;
} adam_args;

typedef struct {
    Py_ssize_t c, h, w, n, kh, kw, oh, ow, sy, sx, py, px, dy, dx;
} geom2d;

/* An optimizer step fused into a reduction (sum_scale_spread): MomentumSGD on param and
 * state1 (v), or Adam on param, state1 (m) and state2 (v). */
enum { STEP_MOMENTUM = 1, STEP_ADAM = 2 };

typedef struct {
    int kind;
    void *param, *state1, *state2;
    double lr, momentum;
    adam_args adam;
} chunk_step;

/* The argmax taps of the n entries at element offset o of an index array of int8 or int32,
 * as int32 (int8 ones widened into scratch). */
static ALWAYS_INLINE const int32_t *window_taps_(const void *idx, int idx_bytes, Py_ssize_t o,
                                                 Py_ssize_t n, int32_t *scratch)
{
    if (idx_bytes != 1)
        return (const int32_t *)idx + o;
    const int8_t *s = (const int8_t *)idx + o;
    for (Py_ssize_t i = 0; i < n; i++)
        scratch[i] = s[i];
    return scratch;
}

/* Index of the (c, ky, kx) slab of a column array, (c, kh, kw, ...) or kernel-first
 * (kh, kw, c, ...). */
static ALWAYS_INLINE Py_ssize_t column_slab_(const geom2d *q, Py_ssize_t c, Py_ssize_t ky,
                                             Py_ssize_t kx, int kernel_first)
{
    return kernel_first ? (ky * q->kw + kx) * q->c + c : (c * q->kh + ky) * q->kw + kx;
}

/* Outputs [lo, hi) of one axis whose input index start + o * s lies in [0, size). */
static void valid_range_(Py_ssize_t start, Py_ssize_t s, Py_ssize_t size, Py_ssize_t out,
                         Py_ssize_t *lo, Py_ssize_t *hi)
{
    Py_ssize_t last = size - 1 - start;
    *lo = start >= 0 ? 0 : (-start + s - 1) / s;
    *hi = last < 0 ? 0 : last / s + 1;
    if (*hi > out)
        *hi = out;
}

#define T float
#define SUF f32
#define SQRT sqrtf
#include "kernels.h"
#undef T
#undef SUF
#undef SQRT

#define T double
#define SUF f64
#define SQRT sqrt
#include "kernels.h"
#undef T
#undef SUF
#undef SQRT

#include "thread_pool.h"

/* ---- buffers ---------------------------------------------------------------------------- */

#define MAX_BUFS 6

typedef struct {
    Py_buffer b[MAX_BUFS];
    int count;
} buffers;

static void release_all(buffers *s)
{
    for (int i = 0; i < s->count; i++)
        PyBuffer_Release(&s->b[i]);
    s->count = 0;
}

/* A buffer of obj: C-contiguous (and writable) for what a kernel writes, strided otherwise. */
static Py_buffer *get_buffer(buffers *s, PyObject *obj, int writable, int contiguous,
                             const char *name)
{
    Py_buffer *b = &s->b[s->count];
    int flags = PyBUF_FORMAT | (contiguous ? PyBUF_C_CONTIGUOUS : PyBUF_STRIDES) |
                (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, b, flags) < 0) {
        PyErr_Clear();
        PyErr_Format(PyExc_ValueError, "%s must be a %s%sarray", name,
                     contiguous ? "C-contiguous " : "", writable ? "writable " : "");
        return NULL;
    }
    s->count++;
    if (b->itemsize > 0 && (uintptr_t)b->buf % (uintptr_t)b->itemsize != 0) {
        /* vectorized loops assume elements aligned to their size */
        PyErr_Format(PyExc_ValueError, "%s is not aligned to its item size", name);
        return NULL;
    }
    return b;
}

static const char *plain_format(const Py_buffer *b)
{
    const char *f = b->format ? b->format : "B";
    if (*f == '@' || *f == '=')
        f++;
    return f;
}

static int float_type(const Py_buffer *b)
{
    const char *f = plain_format(b);
    if (f[0] == 'f' && f[1] == '\0' && b->itemsize == 4)
        return T_F32;
    if (f[0] == 'd' && f[1] == '\0' && b->itemsize == 8)
        return T_F64;
    return T_NONE;
}

/* 1 (int8) or 4 (int32), 0 for anything else. */
static int index_bytes(const Py_buffer *b)
{
    const char *f = plain_format(b);
    if (f[1] != '\0')
        return 0;
    if (f[0] == 'b' && b->itemsize == 1)
        return 1;
    if ((f[0] == 'i' || f[0] == 'l') && b->itemsize == 4)
        return 4;
    return 0;
}

static int check_ndim(const Py_buffer *b, int ndim, const char *name)
{
    if (b->ndim != ndim) {
        PyErr_Format(PyExc_ValueError, "%s must have %d dimensions, got %d", name, ndim,
                     b->ndim);
        return -1;
    }
    return 0;
}

static int check_same_float(const Py_buffer *a, const Py_buffer *b, const char *aname,
                            const char *bname)
{
    int t = float_type(a);
    if (t == T_NONE) {
        PyErr_Format(PyExc_TypeError, "%s must be float32 or float64", aname);
        return -1;
    }
    if (float_type(b) != t) {
        PyErr_Format(PyExc_TypeError, "%s must have the dtype of %s", bname, aname);
        return -1;
    }
    return 0;
}

static int check_shape(const Py_buffer *b, const Py_ssize_t *shape, const char *name)
{
    for (int i = 0; i < b->ndim; i++)
        if (b->shape[i] != shape[i]) {
            PyErr_Format(PyExc_ValueError, "%s has the wrong shape (axis %d is %zd, expected "
                         "%zd)", name, i, b->shape[i], shape[i]);
            return -1;
        }
    return 0;
}

/* Strides of a buffer in elements (byte strides must be multiples of the item size). */
static int element_strides(const Py_buffer *b, Py_ssize_t *out, const char *name)
{
    for (int i = 0; i < b->ndim; i++) {
        if (b->strides[i] % b->itemsize != 0) {
            PyErr_Format(PyExc_ValueError, "%s has strides that are not multiples of its "
                         "item size", name);
            return -1;
        }
        out[i] = b->strides[i] / b->itemsize;
    }
    return 0;
}

static int check_window(Py_ssize_t kh, Py_ssize_t kw, Py_ssize_t sy, Py_ssize_t sx,
                        Py_ssize_t dy, Py_ssize_t dx)
{
    if (kh < 1 || kw < 1 || sy < 1 || sx < 1 || dy < 1 || dx < 1) {
        PyErr_SetString(PyExc_ValueError, "ksize, stride and dilate must be >= 1");
        return -1;
    }
    return 0;
}

/* ---- optimizers --------------------------------------------------------------------------- */

static PyObject *py_sgd(PyObject *self, PyObject *args)
{
    PyObject *po, *go;
    double lr;
    buffers s = {.count = 0};
    if (!PyArg_ParseTuple(args, "OOd:sgd", &po, &go, &lr))
        return NULL;
    Py_buffer *p = get_buffer(&s, po, 1, 1, "param");
    Py_buffer *g = p ? get_buffer(&s, go, 0, 1, "grad") : NULL;
    if (!g || check_same_float(p, g, "param", "grad"))
        goto fail;
    if (g->len != p->len) {
        PyErr_SetString(PyExc_ValueError, "param and grad must have the same size");
        goto fail;
    }
    Py_ssize_t size = p->len / p->itemsize;
    int t = float_type(p);
    Py_BEGIN_ALLOW_THREADS
    if (t == T_F32)
        sgd_f32(p->buf, g->buf, size, (float)lr);
    else
        sgd_f64(p->buf, g->buf, size, lr);
    Py_END_ALLOW_THREADS
    release_all(&s);
    Py_RETURN_NONE;
fail:
    release_all(&s);
    return NULL;
}

static PyObject *py_momentum_sgd(PyObject *self, PyObject *args)
{
    PyObject *po, *go, *vo;
    double lr, momentum;
    buffers s = {.count = 0};
    if (!PyArg_ParseTuple(args, "OOOdd:momentum_sgd", &po, &go, &vo, &lr, &momentum))
        return NULL;
    Py_buffer *p = get_buffer(&s, po, 1, 1, "param");
    Py_buffer *g = p ? get_buffer(&s, go, 0, 1, "grad") : NULL;
    Py_buffer *v = g ? get_buffer(&s, vo, 1, 1, "v") : NULL;
    if (!v || check_same_float(p, g, "param", "grad") || check_same_float(p, v, "param", "v"))
        goto fail;
    if (g->len != p->len || v->len != p->len) {
        PyErr_SetString(PyExc_ValueError, "param, grad and v must have the same size");
        goto fail;
    }
    Py_ssize_t size = p->len / p->itemsize;
    int t = float_type(p);
    Py_BEGIN_ALLOW_THREADS
    if (t == T_F32)
        momentum_sgd_f32(p->buf, g->buf, v->buf, size, (float)lr, (float)momentum);
    else
        momentum_sgd_f64(p->buf, g->buf, v->buf, size, lr, momentum);
    Py_END_ALLOW_THREADS
    release_all(&s);
    Py_RETURN_NONE;
fail:
    release_all(&s);
    return NULL;
}

static PyObject *py_adam(PyObject *self, PyObject *args)
{
    PyObject *po, *go, *mo, *vo, *ho;
    adam_args a;
    buffers s = {.count = 0};
    if (!PyArg_ParseTuple(args, "OOOOOddddddddppp:adam", &po, &go, &mo, &vo, &ho,
                          &a.one_minus_beta1, &a.one_minus_beta2, &a.eps, &a.alpha_t, &a.eta,
                          &a.decay, &a.lower, &a.upper, &a.use_eta, &a.use_decay, &a.adabound))
        return NULL;
    Py_buffer *p = get_buffer(&s, po, 1, 1, "param");
    Py_buffer *g = p ? get_buffer(&s, go, 0, 1, "grad") : NULL;
    Py_buffer *m = g ? get_buffer(&s, mo, 1, 1, "m") : NULL;
    Py_buffer *v = m ? get_buffer(&s, vo, 1, 1, "v") : NULL;
    Py_buffer *h = NULL;
    if (!v)
        goto fail;
    if (ho != Py_None && !(h = get_buffer(&s, ho, 1, 1, "vhat")))
        goto fail;
    if (check_same_float(p, g, "param", "grad") || check_same_float(p, m, "param", "m") ||
        check_same_float(p, v, "param", "v") || (h && check_same_float(p, h, "param", "vhat")))
        goto fail;
    if (g->len != p->len || m->len != p->len || v->len != p->len || (h && h->len != p->len)) {
        PyErr_SetString(PyExc_ValueError, "param, grad and the states must have the same size");
        goto fail;
    }
    Py_ssize_t size = p->len / p->itemsize;
    int t = float_type(p);
    Py_BEGIN_ALLOW_THREADS
    if (t == T_F32)
        adam_f32(p->buf, g->buf, m->buf, v->buf, h ? h->buf : NULL, size, &a);
    else
        adam_f64(p->buf, g->buf, m->buf, v->buf, h ? h->buf : NULL, size, &a);
    Py_END_ALLOW_THREADS
    release_all(&s);
    Py_RETURN_NONE;
fail:
    release_all(&s);
    return NULL;
}

/* ---- parallel passes ---------------------------------------------------------------------- */

/* The arguments of a windowed pass (or of ReLU's gradient), split by pool_for over channels
 * (over elements for ReLU); the kernels take the range, max pooling one scratch per part. */
typedef struct {
    int t;                      /* T_F32 or T_F64 */
    const void *src, *src2;
    const Py_ssize_t *strides;  /* of src, in elements */
    void *dst;
    const geom2d *q;
    double pval;
    int kernel_first;
    const void *idx, *gate;
    int idx_bytes;
    int32_t *scratch;           /* one block of scratch_stride per part */
    Py_ssize_t scratch_stride;
    const Py_ssize_t *taps;     /* max pooling: offset, row and column of each tap */
} window_pass;

/* int32s between the scratch blocks of two parts: n and a cache line more, rounded to whole
 * lines, so that no two parts write the same line. */
static Py_ssize_t scratch_stride(Py_ssize_t n)
{
    return ((n > 0 ? n : 1) + 31) / 16 * 16;
}

static void im2col_range(void *p, Py_ssize_t lo, Py_ssize_t hi, int part)
{
    window_pass *a = p;
    if (a->t == T_F32)
        im2col_f32(a->src, a->strides, a->dst, a->q, (float)a->pval, a->kernel_first, lo, hi);
    else
        im2col_f64(a->src, a->strides, a->dst, a->q, a->pval, a->kernel_first, lo, hi);
}

static void col2im_range(void *p, Py_ssize_t lo, Py_ssize_t hi, int part)
{
    window_pass *a = p;
    if (a->t == T_F32)
        col2im_f32(a->src, a->dst, a->q, a->kernel_first, lo, hi);
    else
        col2im_f64(a->src, a->dst, a->q, a->kernel_first, lo, hi);
}

static void max_pool_fwd_range(void *p, Py_ssize_t lo, Py_ssize_t hi, int part)
{
    window_pass *a = p;
    int32_t *scratch = a->scratch + (size_t)part * a->scratch_stride;
    if (a->t == T_F32)
        max_pool_fwd_f32(a->src, a->strides, a->dst, (void *)a->idx, a->idx_bytes, scratch,
                         a->q, lo, hi);
    else
        max_pool_fwd_f64(a->src, a->strides, a->dst, (void *)a->idx, a->idx_bytes, scratch,
                         a->q, lo, hi);
}

static void max_pool_bwd_range(void *p, Py_ssize_t lo, Py_ssize_t hi, int part)
{
    window_pass *a = p;
    int32_t *scratch = a->scratch + (size_t)part * a->scratch_stride;
    Py_ssize_t taps = a->q->kh * a->q->kw;
    if (a->t == T_F32)
        max_pool_bwd_f32(a->src, a->strides, a->idx, a->idx_bytes, a->gate, scratch, a->dst,
                         a->q, a->taps, a->taps + taps, a->taps + 2 * taps, lo, hi);
    else
        max_pool_bwd_f64(a->src, a->strides, a->idx, a->idx_bytes, a->gate, scratch, a->dst,
                         a->q, a->taps, a->taps + taps, a->taps + 2 * taps, lo, hi);
}

static void max_pool_bwd_tiles_range(void *p, Py_ssize_t lo, Py_ssize_t hi, int part)
{
    window_pass *a = p;
    int32_t *scratch = a->scratch + (size_t)part * a->scratch_stride;
    if (a->t == T_F32)
        max_pool_bwd_tiles_f32(a->src, a->strides, a->idx, a->idx_bytes, a->gate, scratch,
                               a->dst, a->q, lo, hi);
    else
        max_pool_bwd_tiles_f64(a->src, a->strides, a->idx, a->idx_bytes, a->gate, scratch,
                               a->dst, a->q, lo, hi);
}

static void relu_bwd_range(void *p, Py_ssize_t lo, Py_ssize_t hi, int part)
{
    window_pass *a = p;
    if (a->t == T_F32)
        relu_bwd_f32((const float *)a->src2 + lo, (const float *)a->src + lo,
                     (float *)a->dst + lo, hi - lo);
    else
        relu_bwd_f64((const double *)a->src2 + lo, (const double *)a->src + lo,
                     (double *)a->dst + lo, hi - lo);
}

static void relu_fwd_range(void *p, Py_ssize_t lo, Py_ssize_t hi, int part)
{
    window_pass *a = p;
    if (a->t == T_F32)
        relu_fwd_f32((const float *)a->src + lo, (float *)a->dst + lo, hi - lo);
    else
        relu_fwd_f64((const double *)a->src + lo, (double *)a->dst + lo, hi - lo);
}

/* ---- im2col / col2im ---------------------------------------------------------------------- */

/* Geometry from a 6-d column buffer and a 4-d batch-last image buffer. */
static int column_geometry(const Py_buffer *col, const Py_buffer *img, int kernel_first,
                           geom2d *q, const char *col_name, const char *img_name)
{
    if (check_ndim(col, 6, col_name) || check_ndim(img, 4, img_name))
        return -1;
    q->c = img->shape[0];
    q->h = img->shape[1];
    q->w = img->shape[2];
    q->n = img->shape[3];
    q->kh = kernel_first ? col->shape[0] : col->shape[1];
    q->kw = kernel_first ? col->shape[1] : col->shape[2];
    q->oh = col->shape[3];
    q->ow = col->shape[4];
    Py_ssize_t c = kernel_first ? col->shape[2] : col->shape[0];
    if (c != q->c || col->shape[5] != q->n) {
        PyErr_Format(PyExc_ValueError, "%s and %s disagree on channels or batch size",
                     col_name, img_name);
        return -1;
    }
    return check_window(q->kh, q->kw, q->sy, q->sx, q->dy, q->dx);
}

static PyObject *py_im2col_2d(PyObject *self, PyObject *args)
{
    PyObject *xo, *co;
    geom2d q;
    double pval;
    int kernel_first;
    Py_ssize_t xs[4];
    buffers s = {.count = 0};
    if (!PyArg_ParseTuple(args, "OOnnnnnndp:im2col_2d", &xo, &co, &q.sy, &q.sx, &q.py, &q.px,
                          &q.dy, &q.dx, &pval, &kernel_first))
        return NULL;
    Py_buffer *x = get_buffer(&s, xo, 0, 0, "x");
    Py_buffer *col = x ? get_buffer(&s, co, 1, 1, "col") : NULL;
    if (!col || check_same_float(x, col, "x", "col") ||
        column_geometry(col, x, kernel_first, &q, "col", "x") || element_strides(x, xs, "x"))
        goto fail;
    window_pass a = {.t = float_type(x), .src = x->buf, .strides = xs, .dst = col->buf, .q = &q,
                     .pval = pval, .kernel_first = kernel_first};
    Py_BEGIN_ALLOW_THREADS
    Py_ssize_t taps = q.c * q.kh * q.kw;
    pool_for(taps, pool_parts_for(taps, col->len), im2col_range, &a);
    Py_END_ALLOW_THREADS
    release_all(&s);
    Py_RETURN_NONE;
fail:
    release_all(&s);
    return NULL;
}

static PyObject *py_col2im_2d(PyObject *self, PyObject *args)
{
    PyObject *co, *oo;
    geom2d q;
    int kernel_first;
    buffers s = {.count = 0};
    if (!PyArg_ParseTuple(args, "OOnnnnnnp:col2im_2d", &co, &oo, &q.sy, &q.sx, &q.py, &q.px,
                          &q.dy, &q.dx, &kernel_first))
        return NULL;
    Py_buffer *col = get_buffer(&s, co, 0, 1, "col");
    Py_buffer *out = col ? get_buffer(&s, oo, 1, 1, "out") : NULL;
    if (!out || check_same_float(col, out, "col", "out") ||
        column_geometry(col, out, kernel_first, &q, "col", "out"))
        goto fail;
    window_pass a = {.t = float_type(col), .src = col->buf, .dst = out->buf, .q = &q,
                     .kernel_first = kernel_first};
    Py_BEGIN_ALLOW_THREADS
    pool_for(q.c, pool_parts_for(q.c, col->len), col2im_range, &a);
    Py_END_ALLOW_THREADS
    release_all(&s);
    Py_RETURN_NONE;
fail:
    release_all(&s);
    return NULL;
}

/* ---- max pooling -------------------------------------------------------------------------- */

static int pool_geometry(geom2d *q, const Py_buffer *img, const Py_buffer *pooled,
                         const Py_buffer *idx, const char *img_name, const char *pooled_name)
{
    if (check_ndim(img, 4, img_name) || check_ndim(pooled, 4, pooled_name) ||
        check_ndim(idx, 4, "indexes"))
        return -1;
    q->c = img->shape[0];
    q->h = img->shape[1];
    q->w = img->shape[2];
    q->n = img->shape[3];
    q->oh = pooled->shape[1];
    q->ow = pooled->shape[2];
    q->dy = q->dx = 1;
    if (pooled->shape[0] != q->c || pooled->shape[3] != q->n) {
        PyErr_Format(PyExc_ValueError, "%s and %s disagree on channels or batch size",
                     img_name, pooled_name);
        return -1;
    }
    if (check_shape(idx, pooled->shape, "indexes"))
        return -1;
    int ib = index_bytes(idx);
    if (ib == 0) {
        PyErr_SetString(PyExc_TypeError, "indexes must be int8 or int32");
        return -1;
    }
    if (check_window(q->kh, q->kw, q->sy, q->sx, 1, 1))
        return -1;
    if (q->kh > INT32_MAX / q->kw || q->kh * q->kw > (ib == 1 ? 127 : INT32_MAX)) {
        PyErr_SetString(PyExc_ValueError, "the window has more taps than indexes can hold");
        return -1;
    }
    return 0;
}

static PyObject *py_max_pool_2d_forward(PyObject *self, PyObject *args)
{
    PyObject *xo, *yo, *io;
    geom2d q;
    Py_ssize_t xs[4];
    buffers s = {.count = 0};
    if (!PyArg_ParseTuple(args, "OOOnnnnnn:max_pool_2d_forward", &xo, &yo, &io, &q.kh, &q.kw,
                          &q.sy, &q.sx, &q.py, &q.px))
        return NULL;
    Py_buffer *x = get_buffer(&s, xo, 0, 0, "x");
    Py_buffer *y = x ? get_buffer(&s, yo, 1, 1, "y") : NULL;
    Py_buffer *idx = y ? get_buffer(&s, io, 1, 1, "indexes") : NULL;
    if (!idx || check_same_float(x, y, "x", "y") || pool_geometry(&q, x, y, idx, "x", "y") ||
        element_strides(x, xs, "x"))
        goto fail;
    int parts = pool_parts_for(q.c, x->len + y->len);
    Py_ssize_t stride = scratch_stride(q.n);
    int32_t *scratch = PyMem_RawMalloc((size_t)(parts * stride) * sizeof(int32_t));
    if (!scratch) {
        PyErr_NoMemory();
        goto fail;
    }
    window_pass a = {.t = float_type(x), .src = x->buf, .strides = xs, .dst = y->buf, .q = &q,
                     .idx = idx->buf, .idx_bytes = index_bytes(idx), .scratch = scratch,
                     .scratch_stride = stride};
    Py_BEGIN_ALLOW_THREADS
    pool_for(q.c, parts, max_pool_fwd_range, &a);
    Py_END_ALLOW_THREADS
    PyMem_RawFree(scratch);
    release_all(&s);
    Py_RETURN_NONE;
fail:
    release_all(&s);
    return NULL;
}

static PyObject *py_max_pool_2d_backward(PyObject *self, PyObject *args)
{
    PyObject *go, *io, *xo, *gateo = Py_None;
    geom2d q;
    Py_ssize_t gs[4];
    buffers s = {.count = 0};
    if (!PyArg_ParseTuple(args, "OOOnnnnnn|O:max_pool_2d_backward", &go, &io, &xo, &q.kh,
                          &q.kw, &q.sy, &q.sx, &q.py, &q.px, &gateo))
        return NULL;
    Py_buffer *gy = get_buffer(&s, go, 0, 0, "gy");
    Py_buffer *idx = gy ? get_buffer(&s, io, 0, 1, "indexes") : NULL;
    Py_buffer *gx = idx ? get_buffer(&s, xo, 1, 1, "gx") : NULL;
    if (!gx || check_same_float(gy, gx, "gy", "gx") ||
        pool_geometry(&q, gx, gy, idx, "gx", "gy") || element_strides(gy, gs, "gy"))
        goto fail;
    const void *gate = NULL;
    if (gateo != Py_None) {
        Py_buffer *gb = get_buffer(&s, gateo, 0, 1, "gate");
        if (!gb || check_same_float(gy, gb, "gy", "gate") || check_ndim(gb, 4, "gate") ||
            check_shape(gb, gy->shape, "gate"))
            goto fail;
        gate = gb->buf;
    }
    Py_ssize_t taps = q.kh * q.kw;
    int parts = pool_parts_for(q.c, gx->len);
    Py_ssize_t stride = scratch_stride(q.n);
    Py_ssize_t *table = PyMem_RawMalloc((size_t)(3 * taps) * sizeof(Py_ssize_t));
    int32_t *scratch = PyMem_RawMalloc((size_t)(parts * stride) * sizeof(int32_t));
    if (!table || !scratch) {
        PyMem_RawFree(table);
        PyMem_RawFree(scratch);
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t k = 0; k < taps; k++) {
        table[taps + k] = k / q.kw;
        table[2 * taps + k] = k % q.kw;
        table[k] = (table[taps + k] * q.w + table[2 * taps + k]) * q.n;
    }
    window_pass a = {.t = float_type(gy), .src = gy->buf, .strides = gs, .dst = gx->buf, .q = &q,
                     .idx = idx->buf, .idx_bytes = index_bytes(idx), .gate = gate,
                     .scratch = scratch, .scratch_stride = stride, .taps = table};
    int tiles = q.sy == q.kh && q.sx == q.kw && q.py == 0 && q.px == 0;
    Py_BEGIN_ALLOW_THREADS
    pool_for(q.c, parts, tiles ? max_pool_bwd_tiles_range : max_pool_bwd_range, &a);
    Py_END_ALLOW_THREADS
    PyMem_RawFree(table);
    PyMem_RawFree(scratch);
    release_all(&s);
    Py_RETURN_NONE;
fail:
    release_all(&s);
    return NULL;
}

/* ---- shared-memory reduction ------------------------------------------------------------- */

/* The arrays of a sequence as C-contiguous writable buffers of one float type and size. */
typedef struct {
    PyObject *list;
    Py_buffer *views;
    void **ptrs;
    Py_ssize_t count, acquired;
} float_list;

static void release_float_list(float_list *l)
{
    for (Py_ssize_t k = 0; k < l->acquired; k++)
        PyBuffer_Release(&l->views[k]);
    PyMem_RawFree(l->views);
    PyMem_RawFree(l->ptrs);
    Py_XDECREF(l->list);
}

/* Acquire every array of `seq` (called `name` in messages), each with the float type, size
 * and alignment of `ref` (`ref_name`; NULL: the first of them). Release with
 * release_float_list, also after a failure. */
static int get_float_list(float_list *l, PyObject *seq, const Py_buffer *ref, const char *name,
                          const char *ref_name, const char *every_name)
{
    char message[64];
    snprintf(message, sizeof message, "%s must be a sequence of arrays", name);
    *l = (float_list){NULL, NULL, NULL, 0, 0};
    l->list = PySequence_Fast(seq, message);
    if (!l->list)
        return -1;
    l->count = PySequence_Fast_GET_SIZE(l->list);
    size_t slots = (size_t)(l->count > 0 ? l->count : 1);
    l->views = PyMem_RawCalloc(slots, sizeof(Py_buffer));
    l->ptrs = PyMem_RawCalloc(slots, sizeof(void *));
    if (!l->views || !l->ptrs) {
        PyErr_NoMemory();
        return -1;
    }
    while (l->acquired < l->count) {
        Py_ssize_t k = l->acquired;
        Py_buffer *b = &l->views[k];
        if (PyObject_GetBuffer(PySequence_Fast_GET_ITEM(l->list, k), b,
                               PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
            PyErr_Clear();
            PyErr_Format(PyExc_ValueError, "%s[%zd] must be a C-contiguous writable array",
                         name, k);
            return -1;
        }
        l->acquired++;
        l->ptrs[k] = b->buf;
        const Py_buffer *r = ref ? ref : &l->views[0];
        if (check_same_float(r, b, ref_name, every_name))
            return -1;
        if (b->len != r->len || (uintptr_t)b->buf % (uintptr_t)b->itemsize != 0) {
            PyErr_Format(PyExc_ValueError, "%s[%zd] must have the size of %s and be aligned "
                         "to its item size", name, k, ref_name);
            return -1;
        }
    }
    return 0;
}

/* The optimizer step of sum_scale_spread: ("momentum", param, v, lr, momentum) or ("adam",
 * param, m, v, 1-beta1, 1-beta2, eps, alpha_t, eta, decay, use_eta, use_decay), its arrays
 * of mine's type and size. */
static int get_chunk_step(chunk_step *st, PyObject *tuple, buffers *s, const Py_buffer *mine)
{
    const char *kind;
    PyObject *po, *ao, *bo = NULL;
    memset(st, 0, sizeof *st);
    if (!PyTuple_Check(tuple) || PyTuple_GET_SIZE(tuple) < 1 ||
        !PyUnicode_Check(PyTuple_GET_ITEM(tuple, 0))) {
        PyErr_SetString(PyExc_TypeError, "step must be a tuple starting with its kind");
        return -1;
    }
    kind = PyUnicode_AsUTF8(PyTuple_GET_ITEM(tuple, 0));
    if (kind && strcmp(kind, "momentum") == 0) {
        st->kind = STEP_MOMENTUM;
        if (!PyArg_ParseTuple(tuple, "sOOdd:momentum step", &kind, &po, &ao, &st->lr,
                              &st->momentum))
            return -1;
    } else if (kind && strcmp(kind, "adam") == 0) {
        adam_args *a = &st->adam;
        st->kind = STEP_ADAM;
        if (!PyArg_ParseTuple(tuple, "sOOOddddddpp:adam step", &kind, &po, &ao, &bo,
                              &a->one_minus_beta1, &a->one_minus_beta2, &a->eps, &a->alpha_t,
                              &a->eta, &a->decay, &a->use_eta, &a->use_decay))
            return -1;
    } else {
        if (kind)
            PyErr_Format(PyExc_ValueError, "unknown step kind '%s' (momentum or adam)", kind);
        return -1;
    }
    PyObject *objs[3] = {po, ao, bo};
    const char *names[3] = {"param", bo ? "m" : "v", "v"};
    void **ptrs[3] = {&st->param, &st->state1, &st->state2};
    for (int k = 0; k < 3 && objs[k]; k++) {
        Py_buffer *b = get_buffer(s, objs[k], 1, 1, names[k]);
        if (!b || check_same_float(mine, b, "mine", names[k]))
            return -1;
        if (b->len != mine->len) {
            PyErr_Format(PyExc_ValueError, "%s must have the size of mine", names[k]);
            return -1;
        }
        *ptrs[k] = b->buf;
    }
    return 0;
}

static PyObject *py_sum_scale_spread(PyObject *self, PyObject *args)
{
    PyObject *mo, *seq, *so = Py_None;
    double scale;
    chunk_step step;
    buffers s = {.count = 0};
    float_list others = {NULL, NULL, NULL, 0, 0};
    if (!PyArg_ParseTuple(args, "OOd|O:sum_scale_spread", &mo, &seq, &scale, &so))
        return NULL;
    Py_buffer *mine = get_buffer(&s, mo, 1, 1, "mine");
    if (!mine || get_float_list(&others, seq, mine, "others", "mine", "every other") ||
        (so != Py_None && get_chunk_step(&step, so, &s, mine)))
        goto fail;
    const chunk_step *st = so != Py_None ? &step : NULL;
    Py_ssize_t count = mine->len / mine->itemsize;
    int t = float_type(mine), scaled = scale != 1.0;
    Py_BEGIN_ALLOW_THREADS
    if (t == T_F32)
        sum_scale_spread_f32(mine->buf, (float *const *)others.ptrs, others.count, count,
                             (float)scale, scaled, st);
    else
        sum_scale_spread_f64(mine->buf, (double *const *)others.ptrs, others.count, count,
                             scale, scaled, st);
    Py_END_ALLOW_THREADS
    release_float_list(&others);
    release_all(&s);
    Py_RETURN_NONE;
fail:
    release_float_list(&others);
    release_all(&s);
    return NULL;
}

/* Chunks of a reduction shared out among processes: each chunk's claim word holds the last
 * step that claimed it, and a process takes a chunk by raising the word to the current step
 * (compare-and-swap on memory all of them map), so every chunk is summed by exactly one. */
static int claim_chunk_(int64_t *claim, int64_t step)
{
    int64_t seen = __atomic_load_n(claim, __ATOMIC_ACQUIRE);
    while (seen < step)
        if (__atomic_compare_exchange_n(claim, &seen, step, 0, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            return 1;
    return 0;
}

/* The claim words (int64) and a first chunk within them. */
static Py_buffer *get_claims(buffers *s, PyObject *obj, Py_ssize_t first)
{
    Py_buffer *claims = get_buffer(s, obj, 1, 1, "claims");
    if (!claims)
        return NULL;
    const char *f = plain_format(claims);
    if (claims->itemsize != 8 || f[1] != '\0' || (f[0] != 'q' && f[0] != 'l')) {
        PyErr_SetString(PyExc_TypeError, "claims must be an int64 array");
        return NULL;
    }
    Py_ssize_t n_chunks = claims->len / 8;
    if (first < 0 || (n_chunks > 0 && first >= n_chunks)) {
        PyErr_Format(PyExc_ValueError, "the first chunk must be below the %zd claims",
                     n_chunks);
        return NULL;
    }
    return claims;
}

/* The first chunk from `first` on (wrapping around) whose claim this call raises to `step`. */
static PyObject *py_claim_chunk(PyObject *self, PyObject *args)
{
    PyObject *co;
    long long step;
    Py_ssize_t first, found = -1;
    buffers s = {.count = 0};
    if (!PyArg_ParseTuple(args, "OLn:claim_chunk", &co, &step, &first))
        return NULL;
    Py_buffer *claims = get_claims(&s, co, first);
    if (!claims) {
        release_all(&s);
        return NULL;
    }
    Py_ssize_t n_chunks = claims->len / 8;
    for (Py_ssize_t k = 0; k < n_chunks && found < 0; k++) {
        Py_ssize_t c = (first + k) % n_chunks;
        if (claim_chunk_((int64_t *)claims->buf + c, (int64_t)step))
            found = c;
    }
    release_all(&s);
    return PyLong_FromSsize_t(found);
}

static PyObject *py_claim_sum_scale_spread(PyObject *self, PyObject *args)
{
    PyObject *co, *seq;
    long long step;
    Py_ssize_t first, chunk, done = 0;
    double scale;
    buffers s = {.count = 0};
    float_list segments = {NULL, NULL, NULL, 0, 0};
    if (!PyArg_ParseTuple(args, "OLnnOd:claim_sum_scale_spread", &co, &step, &first, &chunk,
                          &seq, &scale))
        return NULL;
    Py_buffer *claims = get_claims(&s, co, first);
    if (!claims || get_float_list(&segments, seq, NULL, "segments", "segments[0]",
                                  "every segment"))
        goto fail;
    if (segments.count < 1) {
        PyErr_SetString(PyExc_ValueError, "segments must hold at least one array");
        goto fail;
    }
    Py_ssize_t itemsize = segments.views[0].itemsize;
    Py_ssize_t count = segments.views[0].len / itemsize;
    Py_ssize_t n_chunks = claims->len / 8;
    if (chunk < 1 || (count + chunk - 1) / chunk != n_chunks) {
        PyErr_Format(PyExc_ValueError, "%zd elements in chunks of %zd need %zd claims, got %zd",
                     count, chunk, chunk < 1 ? (Py_ssize_t)0 : (count + chunk - 1) / chunk,
                     n_chunks);
        goto fail;
    }
    int t = float_type(&segments.views[0]), scaled = scale != 1.0;
    char **base = (char **)segments.ptrs;
    Py_ssize_t n_others = segments.count - 1;
    Py_BEGIN_ALLOW_THREADS
    void *others[n_others > 0 ? n_others : 1];
    for (Py_ssize_t k = 0; k < n_chunks; k++) {
        Py_ssize_t c = (first + k) % n_chunks;
        if (!claim_chunk_((int64_t *)claims->buf + c, (int64_t)step))
            continue;
        Py_ssize_t a = c * chunk, n = count - a < chunk ? count - a : chunk;
        for (Py_ssize_t j = 0; j < n_others; j++)
            others[j] = base[j + 1] + a * itemsize;
        if (t == T_F32)
            sum_scale_spread_f32((float *)(base[0] + a * itemsize), (float *const *)others,
                                 n_others, n, (float)scale, scaled, NULL);
        else
            sum_scale_spread_f64((double *)(base[0] + a * itemsize), (double *const *)others,
                                 n_others, n, scale, scaled, NULL);
        done++;
    }
    Py_END_ALLOW_THREADS
    release_float_list(&segments);
    release_all(&s);
    return PyLong_FromSsize_t(done);
fail:
    release_float_list(&segments);
    release_all(&s);
    return NULL;
}

/* ---- relu --------------------------------------------------------------------------------- */

static PyObject *py_relu_forward(PyObject *self, PyObject *args)
{
    PyObject *xo, *yo;
    buffers s = {.count = 0};
    if (!PyArg_ParseTuple(args, "OO:relu_forward", &xo, &yo))
        return NULL;
    Py_buffer *x = get_buffer(&s, xo, 0, 1, "x");
    Py_buffer *y = x ? get_buffer(&s, yo, 1, 1, "y") : NULL;
    if (!y || check_same_float(x, y, "x", "y"))
        goto fail;
    if (x->len != y->len) {
        PyErr_SetString(PyExc_ValueError, "x and y must have the same size");
        goto fail;
    }
    Py_ssize_t size = x->len / x->itemsize;
    window_pass a = {.t = float_type(x), .src = x->buf, .dst = y->buf};
    Py_BEGIN_ALLOW_THREADS
    pool_for(size, pool_parts_for(size, 2 * x->len), relu_fwd_range, &a);
    Py_END_ALLOW_THREADS
    release_all(&s);
    Py_RETURN_NONE;
fail:
    release_all(&s);
    return NULL;
}

static PyObject *py_relu_backward(PyObject *self, PyObject *args)
{
    PyObject *yo, *go, *xo;
    buffers s = {.count = 0};
    if (!PyArg_ParseTuple(args, "OOO:relu_backward", &yo, &go, &xo))
        return NULL;
    Py_buffer *y = get_buffer(&s, yo, 0, 1, "y");
    Py_buffer *gy = y ? get_buffer(&s, go, 0, 1, "gy") : NULL;
    Py_buffer *gx = gy ? get_buffer(&s, xo, 1, 1, "gx") : NULL;
    if (!gx || check_same_float(gy, y, "gy", "y") || check_same_float(gy, gx, "gy", "gx"))
        goto fail;
    if (y->len != gy->len || gx->len != gy->len) {
        PyErr_SetString(PyExc_ValueError, "y, gy and gx must have the same size");
        goto fail;
    }
    Py_ssize_t size = y->len / y->itemsize;
    window_pass a = {.t = float_type(y), .src = gy->buf, .src2 = y->buf, .dst = gx->buf};
    Py_BEGIN_ALLOW_THREADS
    pool_for(size, pool_parts_for(size, 3 * y->len), relu_bwd_range, &a);
    Py_END_ALLOW_THREADS
    release_all(&s);
    Py_RETURN_NONE;
fail:
    release_all(&s);
    return NULL;
}

/* ---- thread pool settings ----------------------------------------------------------------- */

static PyObject *py_configure_threads(PyObject *self, PyObject *args)
{
    int threads;
    long spin_us;
    PyObject *counter;
    if (!PyArg_ParseTuple(args, "ilO:configure_threads", &threads, &spin_us, &counter))
        return NULL;
    if (threads < 1 || threads > POOL_MAX_WORKERS + 1) {
        PyErr_Format(PyExc_ValueError, "threads must be from 1 to %d, got %d",
                     POOL_MAX_WORKERS + 1, threads);
        return NULL;
    }
    if (spin_us < 0) {
        PyErr_Format(PyExc_ValueError, "spin_us must be >= 0, got %ld", spin_us);
        return NULL;
    }
    void *address = NULL;
    if (counter != Py_None) {
        address = PyLong_AsVoidPtr(counter);
        if (!address)
            return PyErr_Occurred() ? NULL : PyErr_Format(PyExc_ValueError,
                                                          "the thread counter is a null address");
    }
    pthread_mutex_lock(&pool.region);
    pool.threads = threads;
    pool.spin_ns = spin_us * 1000;
    pool.blas_threads = (int (*)(void))address;
    pthread_mutex_unlock(&pool.region);
    Py_RETURN_NONE;
}

static PyObject *py_threads(PyObject *self, PyObject *args)
{
    return PyLong_FromLong(pool_threads());
}

static PyObject *py_pool_stats(PyObject *self, PyObject *args)
{
    return Py_BuildValue("{s:i,s:k}", "workers", __atomic_load_n(&pool.workers, __ATOMIC_RELAXED),
                         "blas_calls", __atomic_load_n(&pool.blas_calls, __ATOMIC_RELAXED));
}

static PyObject *py_blas_callback(PyObject *self, PyObject *args)
{
    return PyLong_FromVoidPtr((void *)pool_blas_callback);
}

static PyMethodDef methods[] = {
    {"sgd", py_sgd, METH_VARARGS, "sgd(param, grad, lr): param -= lr * grad."},
    {"momentum_sgd", py_momentum_sgd, METH_VARARGS,
     "momentum_sgd(param, grad, v, lr, momentum): v = momentum*v - lr*grad; param += v."},
    {"adam", py_adam, METH_VARARGS,
     "adam(param, grad, m, v, vhat, 1-beta1, 1-beta2, eps, alpha_t, eta, decay, lower, "
     "upper, use_eta, use_decay, adabound): one Adam step in place."},
    {"im2col_2d", py_im2col_2d, METH_VARARGS,
     "im2col_2d(x, col, sy, sx, py, px, dy, dx, pval, kernel_first)."},
    {"col2im_2d", py_col2im_2d, METH_VARARGS,
     "col2im_2d(col, out, sy, sx, py, px, dy, dx, kernel_first): out += adjoint of im2col."},
    {"max_pool_2d_forward", py_max_pool_2d_forward, METH_VARARGS,
     "max_pool_2d_forward(x, y, indexes, kh, kw, sy, sx, py, px)."},
    {"max_pool_2d_backward", py_max_pool_2d_backward, METH_VARARGS,
     "max_pool_2d_backward(gy, indexes, gx, kh, kw, sy, sx, py, px[, gate])."},
    {"relu_forward", py_relu_forward, METH_VARARGS,
     "relu_forward(x, y): y = max(x, 0) as numpy.clip(x, 0, inf) (y may be x)."},
    {"relu_backward", py_relu_backward, METH_VARARGS, "relu_backward(y, gy, gx)."},
    {"sum_scale_spread", py_sum_scale_spread, METH_VARARGS,
     "sum_scale_spread(mine, others, scale[, step]): mine = (mine + sum(others)) * scale; "
     "others[:] = mine; then the optimizer step ('momentum', param, v, lr, momentum) or "
     "('adam', param, m, v, 1-beta1, 1-beta2, eps, alpha_t, eta, decay, use_eta, use_decay) "
     "with mine as the gradient."},
    {"claim_chunk", py_claim_chunk, METH_VARARGS,
     "claim_chunk(claims, step, first): index of the first chunk from first on (wrapping) "
     "whose claim word this call raises to step, or -1."},
    {"claim_sum_scale_spread", py_claim_sum_scale_spread, METH_VARARGS,
     "claim_sum_scale_spread(claims, step, first, chunk, segments, scale): for every chunk "
     "whose claim word this call raises to step, sum_scale_spread(segments[0][chunk], "
     "segments[1:][chunk], scale); returns how many it reduced."},
    {"configure_threads", py_configure_threads, METH_VARARGS,
     "configure_threads(threads, spin_us, counter): parts of the parallel kernels (or None "
     "as counter: else the address of an int(void) function giving them, BLAS's thread "
     "count) and how long idle workers poll before they sleep."},
    {"threads", py_threads, METH_NOARGS, "threads(): parts the parallel kernels use now."},
    {"pool_stats", py_pool_stats, METH_NOARGS,
     "pool_stats(): {'workers': worker threads started, 'blas_calls': parallel BLAS calls "
     "run on the pool}."},
    {"blas_callback", py_blas_callback, METH_NOARGS,
     "blas_callback(): address of the openblas_threads_callback that runs OpenBLAS's parts "
     "on the pool."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_dchain_native",
    "Optional fused CPU kernels of dchain; use them through dchain._native.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__dchain_native(void)
{
    static int registered;
    if (!registered && pthread_atfork(NULL, NULL, pool_after_fork_in_child) != 0) {
        PyErr_SetString(PyExc_RuntimeError, "pthread_atfork failed");
        return NULL;
    }
    registered = 1;
    return PyModule_Create(&module);
}
