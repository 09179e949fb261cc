"""Build of dchain's optional compiled kernels; the package metadata lives in pyproject.toml.

``_dchain_native`` is a top-level module on purpose: run from a source checkout, ``import
dchain`` picks up the checkout's ``dchain/`` package, where an installed ``dchain._native``
extension would never be found; a top-level module is found in site-packages either way.
The build is optional: without a C compiler dchain falls back to its numpy code.

    python setup.py build_ext --inplace     # development build at the repository root
"""
from setuptools import Extension
from setuptools import setup

setup(
    ext_modules=[
        Extension(
            '_dchain_native',
            sources=['csrc/dchain_native.c'],
            depends=['csrc/kernels.h', 'csrc/thread_pool.h'],
            optional=True,
            # Portable code (no -march=native) with IEEE semantics (no -ffast-math); no FP
            # contraction, so the kernels round exactly as the numpy code they replace.
            # Without trapping math (FP exception flags are never read) the selects in the
            # loops become vector blends.
            extra_compile_args=['-O3', '-std=c99', '-fno-math-errno', '-fno-trapping-math',
                                '-ffp-contract=off'],
        ),
    ],
)
