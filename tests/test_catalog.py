"""The catalog is data: loading, validation faults named by place, and a second catalog with no code change."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml

from generator.catalog import CatalogError, load_catalog, parse_catalog
from generator.score import score_indicator

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "templates" / "catalogs" / "2565-r2.yaml"
TINY = Path(__file__).parent / "data" / "tiny-catalog.yaml"


@pytest.fixture()
def raw():
    """The 2565-r2 catalog as plain data, to break."""
    return yaml.safe_load(CATALOG.read_text(encoding="utf-8"))


def faults(raw) -> str:
    """The text of every fault the loader finds."""
    with pytest.raises(CatalogError) as e:
        parse_catalog(raw)
    return "\n".join(p.message for p in e.value.problems)


def test_catalog_has_20_indicators_and_158_keys_with_full_thai_texts(catalog):
    assert [i.code for i in catalog.indicators] == [f"T{i}" for i in range(1, 9)] + [f"I{i}" for i in range(1, 13)]
    assert len(catalog.inputs()) == 158
    for ind in catalog.indicators:
        assert ind.title and sorted(ind.levels) == [1, 2, 3, 4, 5]
        assert all(len(text) > 20 for text in ind.levels.values()), ind.code
        assert f"{ind.code}_evidence" in {i.key for i in ind.inputs}


def test_seed_weights_are_kept(catalog):
    assert sum(i.weight for i in catalog.in_group("team")) == 100
    assert sum(i.weight for i in catalog.in_group("individual")) == 110


def test_individual_weights_110_is_a_warning_naming_group_and_sum():
    _, warnings = load_catalog(CATALOG)
    assert len(warnings) == 1
    assert warnings[0].severity == "warning" and "individual" in warnings[0].message and "110" in warnings[0].message


def test_catalog_objects_are_immutable(catalog):
    with pytest.raises(AttributeError):
        catalog.indicators[0].weight = 1


def test_unknown_rule_key_is_named(raw):
    raw["indicators"][0]["rule"]["treshold"] = 1
    assert "indicators[0] (T1).rule: ไม่รู้จักคีย์ 'treshold'" in faults(raw)


def test_duplicate_input_key_is_named(raw):
    raw["indicators"][1]["inputs"].append(dict(raw["indicators"][1]["inputs"][0]))
    assert "(T2).inputs[2]: คีย์ 'T2_planned' ซ้ำ" in faults(raw)


def test_non_monotone_thresholds_are_named(raw):
    raw["indicators"][0]["rule"]["thresholds"] = [80, 85, 95, 90, 100]
    assert "(T1).rule.thresholds: เกณฑ์ไม่เป็นลำดับ" in faults(raw)


def test_non_monotone_lower_is_better_thresholds_are_named(raw):
    i1 = next(i for i in raw["indicators"] if i["code"] == "I1")
    i1["rule"]["thresholds"] = [35, 30, 35, 20, 15]
    assert "(I1).rule.thresholds: เกณฑ์ไม่เป็นลำดับ" in faults(raw)


def test_level_outside_1_to_5_is_named(raw):
    raw["indicators"][2]["rule"]["levels"][6] = [{"tick": "T3_L1_1"}]
    assert "(T3).rule.levels: ระดับ 6 ไม่ถูกต้อง" in faults(raw)


def test_missing_thai_level_text_is_named(raw):
    raw["indicators"][0]["levels"][4] = ""
    assert "(T1).levels.4: ไม่มีข้อความภาษาไทย" in faults(raw)


def test_missing_level_is_named(raw):
    del raw["indicators"][0]["levels"][5]
    assert "(T1).levels: ขาดระดับ 5" in faults(raw)


def test_reference_to_unknown_value_is_named(raw):
    raw["indicators"][0]["rule"]["value"] = "nothing"
    assert "(T1).rule.value: อ้างถึง 'nothing'" in faults(raw)


def test_duplicate_indicator_code_is_named(raw):
    raw["indicators"].append(copy.deepcopy(raw["indicators"][0]))
    assert "รหัสตัวชี้วัด 'T1' ซ้ำ" in faults(raw)


def test_many_faults_are_all_reported_at_once(raw):
    raw["indicators"][0]["weight"] = "สิบห้า"
    raw["indicators"][1]["rule"]["op"] = "=>"
    text = faults(raw)
    assert "(T1).weight" in text and "(T2).rule.op" in text


def test_missing_file_and_bad_yaml_are_catalog_errors(tmp_path):
    with pytest.raises(CatalogError, match="ไม่พบไฟล์ catalog"):
        load_catalog(tmp_path / "none.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogError, match="YAML"):
        load_catalog(bad)


def test_second_tiny_catalog_scores_with_no_code_change():
    tiny, warnings = load_catalog(TINY)
    assert warnings == []
    a1, a2 = tiny.indicator("A1"), tiny.indicator("A2")
    assert score_indicator(a1, dict(A1_before=100, A1_after=95, A1_audit=False)).level == 2
    assert score_indicator(a1, dict(A1_before=100, A1_after=95, A1_audit=True)).level == 3
    assert score_indicator(a1, dict(A1_before=100, A1_after=93, A1_audit=True), "interpolate").score == 4.5
    assert score_indicator(a1, dict(A1_before=0, A1_after=0)).status == "error"
    assert score_indicator(a2, dict(A2_q1=2, A2_q2=5, A2_sent=dt.date(2023, 3, 31))).level == 3
    assert score_indicator(a2, dict(A2_q1=2, A2_q2=5, A2_sent=dt.date(2023, 4, 1))).level == 2
    assert score_indicator(a2, dict(A2_q1=4, A2_q2=4, A2_sent=dt.date(2023, 1, 1))).level == 5


def test_the_quick_yaml_loader_reads_the_catalog_as_the_python_one_does():
    from generator.catalog.load import SAFE_LOADER

    text = CATALOG.read_text(encoding="utf-8")
    assert yaml.load(text, Loader=SAFE_LOADER) == yaml.load(text, Loader=yaml.SafeLoader)


def test_a_yaml_syntax_error_names_the_catalog_and_the_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nindicators: [1, 2\ngroups: y\n", encoding="utf-8")
    with pytest.raises(CatalogError) as e:
        load_catalog(bad)
    (problem,) = e.value.problems
    assert problem.code == "catalog-syntax" and problem.file == str(bad)
    assert "YAML syntax" in problem.message and "line 3" in problem.message
