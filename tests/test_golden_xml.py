"""One scorecard and one district letter of the sample round, member by member against tests/golden/ (XML with
volatile parts stripped, as XlsxWriter's own tests compare files). Regenerate: python tests/golden/regen.py."""

from __future__ import annotations

import pytest

from goldenkit import DOCUMENTS, golden_members, members, run_sample, stripped, xml_elements


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return run_sample(tmp_path_factory.mktemp("golden") / "out")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_document_is_its_golden_member_by_member(name, out):
    want, got = golden_members(name), members(out / DOCUMENTS[name])
    assert sorted(got) == sorted(want), "the members differ (regenerate: python tests/golden/regen.py)"
    for member in want:
        if member.endswith((".xml", ".rels")):
            assert xml_elements(got[member]) == xml_elements(want[member]), member
        else:
            assert got[member] == want[member], member


def test_volatile_parts_are_stripped_and_nothing_else():
    core = (b'<cp:coreProperties><dc:description>kpi-report 0.1.0</dc:description>'
            b'<dcterms:created xsi:type="dcterms:W3CDTF">2022-10-20T00:00:00Z</dcterms:created>'
            b'<dcterms:modified xsi:type="dcterms:W3CDTF">2023-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>')
    assert stripped(core) == b"<cp:coreProperties><dc:description></dc:description></cp:coreProperties>"
    assert stripped(b"<Properties><AppVersion>12.0000</AppVersion><Company>x</Company>") == b"<Properties><Company>x</Company>"
