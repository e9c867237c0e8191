"""Competency frameworks load from data files, checked whole before anything is written."""

from __future__ import annotations

import json

import pytest

from talent_exchange.development.frameworks import (
    FrameworkFileError,
    load_framework,
    load_shipped,
    parse,
)
from talent_exchange.development.models import Competency, FrameworkVersion

pytestmark = pytest.mark.django_db


def test_the_shipped_frameworks_load_with_their_levels():
    versions = {(v.framework, v.version): v for v in load_shipped()}
    assert set(versions) == {("us-ecq", "2006"), ("us-ecq", "2025"), ("ca-klc", "2015")}
    ecq2025 = versions[("us-ecq", "2025")]
    top = Competency.objects.filter(version=ecq2025, parent__isnull=True)
    assert top.count() == 5
    assert all(c.children.count() == 3 for c in top)
    assert Competency.objects.filter(version=versions[("us-ecq", "2006")]).count() == 27
    # loading again changes nothing
    load_shipped()
    assert FrameworkVersion.objects.count() == 3


def _file(tmp_path, competencies):
    path = tmp_path / "f.json"
    path.write_text(
        json.dumps({"framework": "x", "name": "X", "version": "1", "competencies": competencies})
    )
    return path


def test_a_duplicated_code_is_refused_naming_both_places(tmp_path):
    path = _file(tmp_path, [{"code": "A", "name": "A"}, {"code": "A", "name": "Again"}])
    with pytest.raises(
        FrameworkFileError,
        match=r"f\.json, competency 2: the code “A” is already used by competency 1",
    ):
        load_framework(path)
    assert not FrameworkVersion.objects.exists()


def test_a_sub_competency_without_its_parent_is_refused(tmp_path):
    path = _file(
        tmp_path, [{"code": "A", "name": "A"}, {"code": "B.1", "parent": "B", "name": "b"}]
    )
    with pytest.raises(
        FrameworkFileError, match=r"competency 2 \(“B\.1”\): its parent “B” is not in the file"
    ):
        load_framework(path)
    assert not FrameworkVersion.objects.exists()
    assert not Competency.objects.exists()


def test_bad_files_say_what_is_wrong(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"framework": "x",\n "name": }')
    with pytest.raises(FrameworkFileError, match=r"broken\.json, line 2"):
        load_framework(broken)
    with pytest.raises(FrameworkFileError, match="“version” is missing"):
        parse({"framework": "x", "name": "X", "competencies": []}, "g.json")
    with pytest.raises(FrameworkFileError, match="competency 1: a code and a name"):
        parse({"framework": "x", "name": "X", "version": "1", "competencies": [{}]}, "g.json")
