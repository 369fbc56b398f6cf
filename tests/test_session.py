"""session.glue writes exactly what myst_nb.glue writes, so the book build reads it the same way."""

from unittest import mock

import pytest

from activation_lab import session


@pytest.mark.parametrize("value", [0.75, 3, 1e-13, "text", [1, 2]])
@pytest.mark.parametrize("display", [False, True])
def test_glue_output_is_identical_to_myst_nb(value, display):
    from myst_nb.ext import glue as myst_glue

    calls = {}
    for name, function, target in [("ours", session.glue, "IPython.display.display"),
                                   ("myst_nb", myst_glue.glue, "myst_nb.ext.glue.ipy_display")]:
        with mock.patch(target) as show:
            function("key", value, display=display)
        calls[name] = show.call_args
    assert calls["ours"] == calls["myst_nb"]
    assert myst_glue.GLUE_PREFIX == session.GLUE_PREFIX


@pytest.fixture
def restored_session_state():
    """session.setup changes process-wide settings; later tests and doctests must not see them."""
    import matplotlib
    import numpy as np
    import torch

    printoptions, threads, rc = np.get_printoptions(), torch.get_num_threads(), matplotlib.rcParams.copy()
    yield
    np.set_printoptions(**printoptions)
    torch.set_num_threads(threads)
    matplotlib.rcParams.update(rc)


def test_setup_takes_import_time_objects_out_of_full_collections(restored_session_state):
    import gc
    import time

    session.setup(seed=0)
    try:
        assert gc.get_freeze_count() > 100_000  # torch and matplotlib are imported by now
        started = time.process_time()
        gc.collect()
        frozen_collect = time.process_time() - started
    finally:
        gc.unfreeze()
    started = time.process_time()
    gc.collect()
    full_collect = time.process_time() - started
    assert frozen_collect < full_collect
