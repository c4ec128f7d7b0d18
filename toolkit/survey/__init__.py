"""Survey analyser: instrument, export loaders, level progression statistics and report.

Importing this package is cheap; pandas, scipy and matplotlib load only when a function that
needs them runs (the names below are resolved on first use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit._lazy import lazy_package

if TYPE_CHECKING:  # pragma: no cover (for type checkers and editors)
    from toolkit.survey.analysis import SurveyAnalysis as SurveyAnalysis
    from toolkit.survey.analysis import analyse as analyse
    from toolkit.survey.analysis import analyse_files as analyse_files
    from toolkit.survey.instrument import Instrument as Instrument
    from toolkit.survey.instrument import load_instrument as load_instrument
    from toolkit.survey.loaders import LoadedSurvey as LoadedSurvey
    from toolkit.survey.loaders import load_export as load_export
    from toolkit.survey.report import write_report as write_report
    from toolkit.survey.sample import sample_paths as sample_paths

# submodule -> the names it exports, imported on first use (PEP 562).
lazy_package(globals(), {
    "toolkit.survey.instrument": ("Instrument", "load_instrument"),
    "toolkit.survey.loaders": ("LoadedSurvey", "load_export"),
    "toolkit.survey.analysis": ("SurveyAnalysis", "analyse", "analyse_files"),
    "toolkit.survey.report": ("write_report",),
    "toolkit.survey.sample": ("sample_paths",),
})
