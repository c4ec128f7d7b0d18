"""The trainer notebook runs offline without error and is committed clean."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "outils" / "01-analyse-enquete.ipynb"


def test_notebook_is_committed_clean():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    assert nb.metadata["kernelspec"]["display_name"] == "Python 3 (ipykernel)"
    assert nb.metadata["atelier"]["id"] == "outils/01-analyse-enquete"
    assert nb.cells[0].cell_type == "markdown" and "atelier-header" in nb.cells[0].metadata.get(
        "tags", []
    )
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None


@pytest.mark.slow
def test_notebook_executes(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # the kernel writes under ~/atelier-resultats
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors
    assert (tmp_path / "atelier-resultats" / "enquete" / "report.html").exists()
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "participants sur 107" in text
