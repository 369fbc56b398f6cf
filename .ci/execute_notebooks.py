"""Re-execute chapter notebooks in a fresh kernel and store them in the book's canonical form.

    python .ci/execute_notebooks.py                      # every notebook in notebooks/
    python .ci/execute_notebooks.py notebooks/01_*.ipynb

Run it after editing a chapter, then commit the notebook: CI re-runs every notebook with nbval
and compares the text outputs with the ones stored here. The canonical form keeps only the
kernel's name in the notebook metadata, no widget state (the book shows explorers through
their static rendering) and no timings, so re-running an unchanged chapter changes nothing.
Cells tagged ``hide-input`` (exercise solutions) are also collapsed in JupyterLab.
"""

import pathlib
import resource
import sys
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}


def canonical(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb.metadata = nbformat.NotebookNode(
        kernelspec=KERNELSPEC, language_info={"name": "python", "pygments_lexer": "ipython3"}
    )
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if "hide-input" in cell.metadata.get("tags", []):
            cell.metadata["jupyter"] = {"source_hidden": True}
    return nb


def execute(path: pathlib.Path) -> tuple[float, float]:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", store_widget_state=False, record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    cpu_before = _children_cpu()
    started = time.perf_counter()
    client.execute()  # starts a kernel, runs every cell, shuts the kernel down
    seconds = time.perf_counter() - started
    nbformat.write(canonical(nb), path)
    return seconds, _children_cpu() - cpu_before


def _children_cpu() -> float:
    """CPU seconds used by finished child processes (the kernel, once it has exited).

    On a busy machine wall time grows with the load; the kernel's CPU time does not, and the
    kernel runs one thread (session.setup), so CPU time is what the notebook costs alone.
    """
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    paths = [pathlib.Path(p) for p in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        seconds, cpu = execute(path)
        size = path.stat().st_size / 1e6
        print(f"{path.name}: executed in {seconds:.1f} s wall, {cpu:.1f} s kernel CPU, {size:.2f} MB")


if __name__ == "__main__":
    main()
