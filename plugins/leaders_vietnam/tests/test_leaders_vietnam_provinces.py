"""The provincial-level units before and after 1 July 2025, and how names are matched."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from kenshu_leaders_vietnam import provinces
from kenshu_leaders_vietnam.provinces import CENTRAL_CITY, PROVINCE, key, resolve

D = dt.date
REORGANISED = D(2025, 7, 1)


def test_the_earlier_table_has_63_units_of_the_right_kinds():
    units = provinces.earlier_units()
    assert len({u.code for u in units}) == 63
    # Thừa Thiên Huế province until 2024, Huế central city from 2025: one code, two entries
    assert [u.name for u in units if u.code == 46] == ["Thừa Thiên Huế", "Huế"]
    in_2024 = [u for u in units if u.in_force(D(2024, 6, 1))]
    assert Counter(u.kind for u in in_2024) == {PROVINCE: 58, CENTRAL_CITY: 5}
    in_2025 = [u for u in units if u.in_force(D(2025, 6, 30))]
    assert Counter(u.kind for u in in_2025) == {PROVINCE: 57, CENTRAL_CITY: 6}


def test_the_current_list_comes_from_the_package_and_has_34_units():
    units = provinces.current_units()
    assert len(units) == 34
    assert Counter(u.kind for u in units.values()) == {PROVINCE: 28, CENTRAL_CITY: 6}
    cities = {u.name for u in units.values() if u.kind == CENTRAL_CITY}
    assert cities == {"Cần Thơ", "Hà Nội", "Hải Phòng", "Hồ Chí Minh", "Huế", "Đà Nẵng"}
    assert "vietnam-provinces" in provinces.current_source()


def test_every_earlier_unit_became_a_current_one_and_every_current_one_has_a_predecessor():
    current = provinces.current_units()
    successors = {u.successor for u in provinces.earlier_units()}
    assert successors == set(current)
    merged = Counter(u.successor for u in provinces.earlier_units() if u.name != "Huế")
    # Resolution 202/2025/QH15: 11 units unchanged, 17 formed from 2 and 6 from 3
    assert sorted(Counter(merged.values()).items()) == [(1, 11), (2, 17), (3, 6)]
    assert current[79].name == "Hồ Chí Minh"
    assert sorted(u.name for u in provinces.earlier_units() if u.successor == 79) == [
        "Bà Rịa - Vũng Tàu",
        "Bình Dương",
        "Hồ Chí Minh",
    ]


def test_no_two_units_share_a_matching_key():
    earlier = Counter(key(u.name) for u in provinces.earlier_units())
    assert max(earlier.values()) == 1
    current = Counter(key(u.name) for u in provinces.current_units().values())
    assert max(current.values()) == 1


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Khánh Hòa", "Khánh Hòa"),  # tone mark on the o
        ("Khánh Hoà", "Khánh Hòa"),  # tone mark on the a (NFC)
        ("Kha\u0301nh Hoa\u0300", "Khánh Hòa"),  # decomposed (NFD)
        ("Khanh Hoa", "Khánh Hòa"),  # no diacritics
        ("KHANH HOA", "Khánh Hòa"),
        ("Tỉnh Khánh Hòa", "Khánh Hòa"),
        ("  tinh   khanh  hoa ", "Khánh Hòa"),
        ("Khanh Hoa Province", "Khánh Hòa"),
        ("Thanh Hoá", "Thanh Hóa"),
        ("Hoà Bình", "Hòa Bình"),
        ("Đà Nẵng", "Đà Nẵng"),
        ("Da Nang", "Đà Nẵng"),
        ("Danang", "Đà Nẵng"),
        ("Thành phố Đà Nẵng", "Đà Nẵng"),
        ("TP. Đà Nẵng", "Đà Nẵng"),
        ("TP Da Nang", "Đà Nẵng"),
        ("Ha Noi", "Hà Nội"),
        ("Hanoi", "Hà Nội"),
        ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
        ("Ho Chi Minh City", "Hồ Chí Minh"),
        ("TP.HCM", "Hồ Chí Minh"),
        ("Ba Ria-Vung Tau", "Bà Rịa - Vũng Tàu"),
        ("Bà Rịa – Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("Dak Lak", "Đắk Lắk"),
        ("Ｈａ Ｎｏｉ", "Hà Nội"),  # full-width
    ],
)
def test_names_match_with_or_without_diacritics_and_prefixes(written, name):
    match = resolve(written, D(2024, 5, 12), REORGANISED)
    assert (match.status, match.unit.name) == ("ok", name)


@pytest.mark.parametrize(
    ("day", "status", "unit"),
    [
        (D(2025, 6, 30), "ok", "Hà Giang"),  # last day of the 63 units
        (D(2025, 7, 1), "superseded", "Tuyên Quang"),  # first day of the 34
    ],
)
def test_a_unit_valid_only_before_the_reorganisation(day, status, unit):
    match = resolve("Ha Giang", day, REORGANISED)
    assert (match.status, match.unit.name) == (status, unit)
    if status == "superseded":
        assert match.written.name == "Hà Giang"


@pytest.mark.parametrize(
    ("day", "kind"),
    [(D(2025, 6, 30), PROVINCE), (D(2025, 7, 1), CENTRAL_CITY)],
)
def test_a_merged_province_counts_as_the_central_city_it_joined(day, kind):
    match = resolve("Bình Dương", day, REORGANISED)
    assert match.unit.kind == kind


@pytest.mark.parametrize(
    ("written", "day", "status", "unit"),
    [
        ("Thành phố Huế", D(2024, 12, 31), "not_yet", "Thừa Thiên Huế"),
        ("Thành phố Huế", D(2025, 1, 1), "ok", "Huế"),
        ("Thừa Thiên Huế", D(2024, 12, 31), "ok", "Thừa Thiên Huế"),
        ("Thừa Thiên Huế", D(2025, 1, 1), "superseded", "Huế"),
        ("Thua Thien Hue", D(2025, 7, 1), "superseded", "Huế"),
    ],
)
def test_hue_became_a_central_city_on_1_january_2025(written, day, status, unit):
    match = resolve(written, day, REORGANISED)
    assert (match.status, match.unit.name) == (status, unit)


def test_the_reorganisation_date_is_a_parameter():
    assert resolve("Hà Giang", D(2025, 8, 1), D(2025, 9, 1)).status == "ok"
    assert resolve("Hà Giang", D(2025, 8, 1), D(2025, 8, 1)).status == "superseded"


@pytest.mark.parametrize("written", ["Tokyo", "Hanoi City Centre", ""])
def test_other_names_are_unknown(written):
    assert resolve(written, D(2024, 5, 12), REORGANISED).status == "unknown"
    assert resolve(written, D(2025, 8, 1), REORGANISED).status == "unknown"


@pytest.mark.parametrize("written", ["Hà Tây", "Ha Tay", "Tỉnh Hà Tây"])
def test_ha_tay_is_known_as_merged_into_ha_noi_in_2008(written):
    # Resolution 15/2008/QH12: part of Hà Nội from 1 August 2008
    on_last_day = resolve(written, D(2008, 7, 31), REORGANISED)
    assert (on_last_day.status, on_last_day.unit.name) == ("ok", "Hà Tây")
    for day in (D(2008, 8, 1), D(2024, 5, 12), D(2025, 8, 1)):
        match = resolve(written, day, REORGANISED)
        assert (match.status, match.unit.name, match.written.name) == (
            "superseded",
            "Hà Nội",
            "Hà Tây",
        )
        assert match.written.valid_to == D(2008, 7, 31)
