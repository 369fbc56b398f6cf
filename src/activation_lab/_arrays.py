"""Input conventions shared by the NumPy implementations."""

import numpy as np


def as_float_array(x) -> np.ndarray:
    """``x`` as a float array: float32 and float64 are kept, anything else becomes float64.

    >>> as_float_array([1, 2]).dtype
    dtype('float64')
    >>> as_float_array(np.ones(2, dtype=np.float32)).dtype
    dtype('float32')
    """
    x = np.asarray(x)
    if x.dtype in (np.float32, np.float64):
        return x
    return x.astype(np.float64)


def keep_nan(x: np.ndarray, result: np.ndarray) -> np.ndarray:
    """``result`` in ``x``'s dtype, with NaN wherever ``x`` is NaN (a NaN input is never hidden)."""
    result = np.asarray(result, dtype=x.dtype)
    nan = np.isnan(x)
    if nan.any():
        result = np.where(nan, np.nan, result).astype(x.dtype)
    return result
