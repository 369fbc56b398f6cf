"""Notebook hygiene and the chapter template, checked for every chapter in notebooks/.

(The notebooks' outputs themselves are checked by nbval, which re-runs every notebook.)
"""

import ast
import re

import nbformat
import pytest

from conftest import ROOT, toc_pages

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# Chapters (NN_name.ipynb) follow the full chapter template; appendix notebooks
# (appendix_x_name.ipynb) are reference material and only share the hygiene rules.
CHAPTERS = [p for p in NOTEBOOKS if re.match(r"\d\d_", p.name)]
REQUIRED_SECTIONS = ["Learning objectives", "Pitfalls", "Summary", "Exercises", "References"]


def test_every_notebook_is_in_the_table_of_contents_and_every_toc_page_exists():
    pages = toc_pages()
    assert NOTEBOOKS, "no notebooks found"
    for path in NOTEBOOKS:
        assert f"notebooks/{path.stem}" in pages, f"{path.name} is not listed in _toc.yml"
    for page in pages:
        assert (ROOT / f"{page}.md").exists() or (ROOT / f"{page}.ipynb").exists(), page


@pytest.fixture(params=NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def notebook(request):
    path = request.param
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    return path, nb


@pytest.fixture(params=CHAPTERS, ids=[p.stem for p in CHAPTERS])
def chapter(request):
    return request.param, nbformat.read(request.param, as_version=4)


def markdown(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_size_kernel_and_clean_metadata(notebook):
    path, nb = notebook
    assert path.stat().st_size <= 1_000_000, f"{path.name} is {path.stat().st_size / 1e6:.2f} MB"
    assert nb.metadata.kernelspec.name == "python3"
    assert set(nb.metadata) <= {"kernelspec", "language_info"}, "stray notebook metadata (widget state?)"
    for cell in nb.cells:
        assert set(cell.metadata) <= {"tags", "mystnb", "jupyter"}, cell.metadata


def test_no_cell_relies_on_a_trailing_semicolon(notebook):
    """nbval runs cells without IPython history, so `;` does not silence the last value there."""
    _, nb = notebook
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.source.rstrip().endswith(";"), cell.source[-80:]


def test_executed_in_order_in_one_fresh_kernel_without_errors_or_warnings(notebook):
    _, nb = notebook
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    for cell in code:
        for output in cell.outputs:
            assert output.output_type != "error", cell.source[:80]
            assert not (output.output_type == "stream" and output.name == "stderr"), output.text[:200]


def test_every_figure_has_a_caption_and_alt_text(notebook):
    _, nb = notebook
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if any("image/png" in o.get("data", {}) for o in cell.outputs):
            meta = cell.metadata.get("mystnb", {})
            assert meta.get("figure", {}).get("caption"), f"figure without caption: {cell.source[:60]}"
            assert meta.get("figure", {}).get("name"), f"figure without a name: {cell.source[:60]}"
            assert len(meta.get("image", {}).get("alt", "")) > 40, f"figure without alt text: {cell.source[:60]}"


def test_chapter_template_sections(chapter):
    _, nb = chapter
    headings = re.findall(r"^##\s+(.+)$", markdown(nb), re.M)
    for section in REQUIRED_SECTIONS:
        assert any(h.startswith(section) for h in headings), f"missing section {section!r}"


def test_colab_install_cell_then_seeded_setup(notebook):
    _, nb = notebook
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "remove-cell" in code[0].metadata.get("tags", []) and "find_spec" in code[0].source
    assert "session.setup(" in code[1].source


def test_at_least_four_exercises_each_with_a_hidden_solution(chapter):
    _, nb = chapter
    text = markdown(nb)
    exercises = re.findall(r"```\{exercise(?:-start)?\}[^\n]*\n:label: ([\w-]+)", text)
    solutions = re.findall(r"```\{solution(?:-start)?\} ([\w-]+)\n:class: dropdown", text)
    assert len(exercises) >= 4, exercises
    assert sorted(exercises) == sorted(solutions), "every exercise needs exactly one collapsed solution"


def test_a_widget_exercise_with_a_checker_exists(chapter):
    _, nb = chapter
    explorers = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                 if "al-explorer" in o.get("data", {}).get("text/html", "")]
    assert explorers, "no explorer in this chapter"
    checker_calls = [c.source for c in nb.cells if c.cell_type == "code" and re.search(r"check\.\w+_check\(", c.source)]
    assert any("explorer" in src.lower() for src in checker_calls), "no checker for an answer read off an explorer"


def test_solution_code_is_collapsed_in_jupyterlab_and_citations_exist(chapter):
    _, nb = chapter
    for cell in nb.cells:
        if "hide-input" in cell.metadata.get("tags", []):
            assert cell.metadata.get("jupyter", {}).get("source_hidden") is True
    assert re.search(r"\{cite(:t|:p)?\}`", markdown(nb)), "no citation"


def test_glued_numbers_are_plain_rounded_python_values(notebook):
    """A glued numpy scalar prints as np.float64(...) and cannot be formatted in the text."""
    _, nb = notebook
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("application/papermill.record/text/plain")
            if text is not None:
                assert not text.startswith("np."), text
                value = ast.literal_eval(text)  # a plain Python literal, not an object's repr
                assert isinstance(value, (bool, int, float, str)), text
                if not isinstance(value, str):  # glued words (a function's name) may be long
                    assert len(text) <= 12, f"glued value {text} is not rounded to what is meaningful"
