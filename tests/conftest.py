"""Fixtures shared by the core and CLI tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import make_cohort, write_template


@pytest.fixture(autouse=True)
def _no_plugin_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs must not depend on the developer's environment."""
    monkeypatch.delenv("KENSHU_DISABLE_PLUGINS", raising=False)
    monkeypatch.delenv("KENSHU_READER", raising=False)
    monkeypatch.delenv("KENSHU_DEBUG", raising=False)


@pytest.fixture
def valid_book(tmp_path: Path) -> Path:
    """A filled, valid LGOTP workbook (one class-size warning: two trainees)."""
    return make_cohort(tmp_path)


@pytest.fixture
def template_en(tmp_path: Path) -> Path:
    """An English LGOTP template."""
    return write_template(tmp_path / "template-en.xlsx")


@pytest.fixture
def template_ja(tmp_path: Path) -> Path:
    """A Japanese LGOTP template."""
    return write_template(tmp_path / "template-ja.xlsx", lang="ja")
