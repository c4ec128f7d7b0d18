"""Survey analyser: instrument, export loaders, level progression statistics and report.

Importing this package is cheap; pandas, scipy and matplotlib load only when a function that
needs them runs (the names below are resolved on first use).
"""

from __future__ import annotations

import importlib

__all__ = [
    "Instrument",
    "LoadedSurvey",
    "SurveyAnalysis",
    "analyse",
    "analyse_files",
    "load_export",
    "load_instrument",
    "sample_paths",
    "write_report",
]

_LAZY = {
    "Instrument": "toolkit.survey.instrument",
    "load_instrument": "toolkit.survey.instrument",
    "LoadedSurvey": "toolkit.survey.loaders",
    "load_export": "toolkit.survey.loaders",
    "SurveyAnalysis": "toolkit.survey.analysis",
    "analyse": "toolkit.survey.analysis",
    "analyse_files": "toolkit.survey.analysis",
    "write_report": "toolkit.survey.report",
    "sample_paths": "toolkit.survey.sample",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'toolkit.survey' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
