"""Shared fixtures: the real seed documents and the default unit directory."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from xltools.model import ImportResult
from xltools.parse import parse_document
from xltools.readers.directory import load_directory
from xltools.readers.document import read_document

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


def seed_path(number: str) -> Path:
    matches = sorted(SEEDS.glob(f"{number}_*.txt"))
    if not matches:
        pytest.skip(f"seed {number} not found in {SEEDS}")
    return matches[0]


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
