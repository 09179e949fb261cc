"""Test session setup: one BLAS thread per test process unless the caller chose otherwise.

The suite runs in parallel workers (``pytest -n 2``) on small arrays; multi-threaded BLAS
there only oversubscribes the cores (small products get many times slower under load). This
runs before any test module imports numpy.
"""
import os

for _var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ.setdefault(_var, '1')
