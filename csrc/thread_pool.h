/* The CPU thread pool of _dchain_native, shared by dchain's kernels and numpy's BLAS.
 *
 * Why one pool: OpenBLAS's own worker threads busy-wait for about 0.1 s after every threaded
 * call, so a second pool of ours would find the other cores taken right after each GEMM, and
 * dchain's memory-bound passes (im2col, pooling, ReLU) ran on one core. Installed as the
 * library's threading callback (openblas_set_threads_callback_function, OpenBLAS >= 0.3.27,
 * done by dchain/_cpu_threads.py), this pool runs the GEMMs' parts too; its workers spin
 * only briefly (DCHAIN_CPU_SPIN_US, default 100 us) before they sleep, so between the calls
 * of a training step they are still awake and afterwards the cores are free.
 *
 * A region runs job(arg, part, parts) for every part at once: part 0 on the calling thread,
 * the others on workers (OpenBLAS's parts wait on each other, so they must run concurrently).
 * One region runs at a time; a call from another thread waits for it, and a call from inside
 * a region (a job that starts one) runs its parts in turn on its own thread. A child process
 * forked while the pool exists starts with none and makes its workers on first use.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

typedef void (*pool_job)(void *arg, int part, int parts);

#define POOL_MAX_WORKERS 255

static struct {
    pthread_mutex_t region;   /* held while a region runs */
    pthread_mutex_t lock;     /* guards the wake-up of sleeping workers */
    pthread_cond_t wake;
    int workers;              /* worker threads started */
    unsigned long generation; /* bumped to start a region */
    int remaining;            /* workers still in the current region */
    pool_job job;
    void *arg;
    int parts;
    long spin_ns;             /* how long an idle worker polls before it sleeps */
    int threads;              /* parts of dchain's kernels when no BLAS count is followed */
    int (*blas_threads)(void); /* the BLAS library's thread count, followed when set */
    unsigned long blas_calls;  /* parallel BLAS calls run through the callback */
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
          0, 0, 0, NULL, NULL, 0, 100000, 1, NULL, 0};

static __thread int pool_in_region;
static unsigned long pool_worker_start[POOL_MAX_WORKERS + 1];

/* A poll's pause between two reads. Not x86's PAUSE instruction: under KVM a loop of them
 * makes the hypervisor take the virtual CPU away (pause-loop exiting), which doubled a GEMM's
 * time on a 2-vCPU machine. */
static inline void pool_pause(void)
{
    __asm__ __volatile__("" ::: "memory");
}

static long pool_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000000000L + t.tv_nsec;
}

/* Wait until the generation moves past *seen: poll for spin_ns, then sleep. */
static void pool_await(unsigned long *seen)
{
    long deadline = 0;
    for (unsigned i = 0;; i++) {
        if (__atomic_load_n(&pool.generation, __ATOMIC_ACQUIRE) != *seen)
            break;
        if ((i & 255) == 0) {
            long now = pool_now_ns();
            if (deadline == 0) {
                deadline = now + pool.spin_ns;
            } else if (now >= deadline) {
                pthread_mutex_lock(&pool.lock);
                while (__atomic_load_n(&pool.generation, __ATOMIC_ACQUIRE) == *seen)
                    pthread_cond_wait(&pool.wake, &pool.lock);
                pthread_mutex_unlock(&pool.lock);
                break;
            }
        }
        pool_pause();
    }
    *seen = __atomic_load_n(&pool.generation, __ATOMIC_ACQUIRE);
}

static void *pool_worker(void *p)
{
    int part = (int)(intptr_t)p;
    unsigned long seen = pool_worker_start[part];
    pool_in_region = 1;  /* a job that starts a region runs it inline */
    for (;;) {
        pool_await(&seen);
        if (part < pool.parts)
            pool.job(pool.arg, part, pool.parts);
        __atomic_sub_fetch(&pool.remaining, 1, __ATOMIC_RELEASE);
    }
    return NULL;
}

/* Start workers up to `count` (under the region lock); returns how many there are. */
static int pool_grow(int count)
{
    if (count > POOL_MAX_WORKERS)
        count = POOL_MAX_WORKERS;
    while (pool.workers < count) {
        int part = pool.workers + 1;
        pool_worker_start[part] = __atomic_load_n(&pool.generation, __ATOMIC_ACQUIRE);
        pthread_t thread;
        pthread_attr_t attr;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&thread, &attr, pool_worker, (void *)(intptr_t)part);
        pthread_attr_destroy(&attr);
        if (failed)
            break;
        pool.workers++;
    }
    return pool.workers;
}

/* Run job(arg, part, parts) for part = 0 .. parts - 1, all at once when workers allow. */
static void pool_run(int parts, pool_job job, void *arg)
{
    if (parts > 1 && !pool_in_region) {
        pthread_mutex_lock(&pool.region);
        if (pool_grow(parts - 1) >= parts - 1) {
            pool_in_region = 1;
            pool.job = job;
            pool.arg = arg;
            pool.parts = parts;
            __atomic_store_n(&pool.remaining, pool.workers, __ATOMIC_RELAXED);
            __atomic_add_fetch(&pool.generation, 1, __ATOMIC_RELEASE);
            pthread_mutex_lock(&pool.lock);
            pthread_cond_broadcast(&pool.wake);
            pthread_mutex_unlock(&pool.lock);
            job(arg, 0, parts);
            long start = 0;
            for (unsigned i = 0; __atomic_load_n(&pool.remaining, __ATOMIC_ACQUIRE); i++) {
                /* a worker that was asleep (or lost its core) may take a while: yield
                 * rather than spin once that is so */
                if ((i & 1023) == 1023) {
                    long now = pool_now_ns();
                    if (start == 0)
                        start = now;
                    else if (now - start > 200000)
                        sched_yield();
                }
                pool_pause();
            }
            pool_in_region = 0;
            pthread_mutex_unlock(&pool.region);
            return;
        }
        pthread_mutex_unlock(&pool.region);  /* no threads to be had: run in turn */
    }
    for (int part = 0; part < parts; part++)
        job(arg, part, parts);
}

/* Parts for dchain's kernels now: the BLAS library's thread count when the pool is its
 * callback (so threadpoolctl's limits apply to both), else the count set from Python. */
static int pool_threads(void)
{
    int n = pool.blas_threads ? pool.blas_threads() : pool.threads;
    return n < 1 ? 1 : n;
}

/* A pass over [0, count) split into contiguous ranges, one per part. */
typedef void (*range_fn)(void *arg, Py_ssize_t lo, Py_ssize_t hi, int part);

typedef struct {
    range_fn fn;
    void *arg;
    Py_ssize_t count;
} range_job;

static void range_part(void *p, int part, int parts)
{
    range_job *r = p;
    Py_ssize_t lo = r->count * part / parts, hi = r->count * (part + 1) / parts;
    if (hi > lo)
        r->fn(r->arg, lo, hi, part);
}

/* Below this many bytes a pass is over before a worker would wake. */
#define POOL_MIN_BYTES (256 * 1024)

/* Parts to split a pass over `count` items touching `bytes` in all into: one when it is too
 * small to be worth waking threads for. */
static int pool_parts_for(Py_ssize_t count, Py_ssize_t bytes)
{
    int parts = bytes < POOL_MIN_BYTES ? 1 : pool_threads();
    return count < parts ? (int)(count > 0 ? count : 1) : parts;
}

/* fn on `parts` contiguous ranges of [0, count) (from pool_parts_for), in parallel. */
static void pool_for(Py_ssize_t count, int parts, range_fn fn, void *arg)
{
    range_job r = {fn, arg, count};
    pool_run(parts, range_part, &r);
}

/* ---- OpenBLAS's threading callback ---- */

typedef void (*openblas_dojob)(int thread_num, void *jobdata, int dojob_data);

typedef struct {
    openblas_dojob dojob;
    char *jobdata;
    size_t size;
    int dojob_data;
} blas_jobs;

static void blas_part(void *p, int part, int parts)
{
    blas_jobs *b = p;
    b->dojob(part, b->jobdata + (size_t)part * b->size, b->dojob_data);
}

/* openblas_threads_callback: run OpenBLAS's `numjobs` parts on the pool (synchronously, also
 * when asked for an asynchronous run, which the library then finds finished). */
static void pool_blas_callback(int sync, openblas_dojob dojob, int numjobs, size_t jobdata_size,
                               void *jobdata, int dojob_data)
{
    (void)sync;
    __atomic_add_fetch(&pool.blas_calls, 1, __ATOMIC_RELAXED);
    blas_jobs b = {dojob, jobdata, jobdata_size, dojob_data};
    pool_run(numjobs, blas_part, &b);
}

static void pool_after_fork_in_child(void)
{
    /* Only the forking thread lives on: no workers, and the locks may have been held. */
    pthread_mutex_init(&pool.region, NULL);
    pthread_mutex_init(&pool.lock, NULL);
    pthread_cond_init(&pool.wake, NULL);
    pool.workers = 0;
    pool.remaining = 0;
    pool_in_region = 0;
}
