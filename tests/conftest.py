"""Shared fixtures: the real seed documents and the default unit directory."""

from __future__ import annotations

import os

# xlwings' remote engine (used to test the Excel add-in without Excel) needs a licence key,
# read when xlwings is imported: set for the tests only, never by the product.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

from functools import cache  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from xltools.model import ImportResult  # noqa: E402
from xltools.parse import parse_document  # noqa: E402
from xltools.readers.directory import load_directory  # noqa: E402
from xltools.readers.document import read_document  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"


def seed_path(number: str) -> Path:
    """A real plan document kept in the repository (tests/data/seed_NNN.txt)."""
    path = DATA / f"seed_{number}.txt"
    assert path.exists(), f"test document {path} is missing"
    return path


@cache
def directory():
    return load_directory()


@cache
def _parsed(number: str) -> ImportResult:
    return parse_document(read_document(seed_path(number)), directory())


@pytest.fixture
def seed():
    """seed("001") → the import result of that seed (parsed once per session)."""
    return _parsed


@pytest.fixture
def units():
    return directory()


@pytest.fixture(scope="session")
def master_2025(tmp_path_factory):
    """The master workbook of seed 001, built once with the CLI; tests that edit it work on a copy."""
    from xltools.cli import main

    book = tmp_path_factory.mktemp("master2025") / "督办台账.xlsx"
    assert main(["build", str(seed_path("001")), "--out", str(book)]) == 0
    return book
