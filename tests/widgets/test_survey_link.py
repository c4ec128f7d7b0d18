"""Survey link: configured, missing and malformed addresses; QR code."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from toolkit.errors import InputError
from toolkit.widgets.survey_link import qr_png, survey_link


def test_configured_link_from_environment(monkeypatch):
    monkeypatch.setenv("ATELIER_SURVEY_POST_URL", "https://forms.office.com/r/XyZ123")
    link = survey_link("post")
    assert link.url == "https://forms.office.com/r/XyZ123"
    assert "https://forms.office.com/r/XyZ123" in str(link)
    page = link._repr_html_()
    assert "data:image/png;base64," in page
    assert "href='https://forms.office.com/r/XyZ123'" in page


def test_missing_link_explains_how_to_set_it(monkeypatch):
    monkeypatch.delenv("ATELIER_SURVEY_PRE_URL", raising=False)
    link = survey_link("pre")
    assert link.url is None
    text = str(link)
    assert "ATELIER_SURVEY_PRE_URL=https://" in text
    assert ".env" in text
    assert "ATELIER_SURVEY_PRE_URL" in link._repr_html_()


def test_malformed_link_is_not_shown(monkeypatch):
    monkeypatch.setenv("ATELIER_SURVEY_PRE_URL", "forms.office.com/r/abc")
    link = survey_link("pre")
    assert link.url is None
    assert "n'est pas une adresse web valide" in str(link)
    assert survey_link("pre", url="javascript:alert(1)").url is None


def test_unknown_kind():
    with pytest.raises(InputError, match="inconnu"):
        survey_link("milieu")


def test_qr_png_is_a_readable_square_image():
    image = Image.open(io.BytesIO(qr_png("https://example.org/enquete")))
    assert image.format == "PNG"
    assert image.size[0] == image.size[1] > 100


def test_plain_text_form(monkeypatch):
    from IPython.core.formatters import PlainTextFormatter

    monkeypatch.delenv("ATELIER_SURVEY_POST_URL", raising=False)
    assert PlainTextFormatter()(survey_link("post")).startswith("Questionnaire de fin")


def test_missing_link_is_said_calmly_to_participants(monkeypatch):
    monkeypatch.delenv("ATELIER_SURVEY_PRE_URL", raising=False)
    page = survey_link("pre")._repr_html_()
    assert "#e45756" not in page and "red" not in page  # no alarm box for participants
    calm, trainer = page.split("<details>", 1)
    assert "sera donné par l&#x27;animateur·rice" in calm and "ATELIER_SURVEY_PRE_URL" not in calm
    assert "ATELIER_SURVEY_PRE_URL" in trainer
