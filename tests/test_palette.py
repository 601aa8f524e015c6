"""Colours a reader can tell apart: CIEDE2000 done right, sector and focus palettes far apart
(also for colour-blind readers), every industry in a sector, and the switch to industry colours."""

import itertools

import numpy as np
import pytest
import yaml

from geodata.records import GEODATA, DataErrors, load_industries
from layers import sectors, style
from layers.colour import (
    closest_pair,
    delta_e00,
    delta_e00_hex,
    hex_to_lab,
    lab_to_hex,
    pairwise_delta_e,
    simulate_cvd,
)

# Sharma, Wu & Dalal (2005), Table 1: all 34 pairs (L1 a1 b1, L2 a2 b2, ΔE00)
SHARMA = [
    (50.0000, 2.6772, -79.7751, 50.0000, 0.0000, -82.7485, 2.0425),
    (50.0000, 3.1571, -77.2803, 50.0000, 0.0000, -82.7485, 2.8615),
    (50.0000, 2.8361, -74.0200, 50.0000, 0.0000, -82.7485, 3.4412),
    (50.0000, -1.3802, -84.2814, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, -1.1848, -84.8006, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, -0.9009, -85.5211, 50.0000, 0.0000, -82.7485, 1.0000),
    (50.0000, 0.0000, 0.0000, 50.0000, -1.0000, 2.0000, 2.3669),
    (50.0000, -1.0000, 2.0000, 50.0000, 0.0000, 0.0000, 2.3669),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0009, 7.1792),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0010, 7.1792),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0011, 7.2195),
    (50.0000, 2.4900, -0.0010, 50.0000, -2.4900, 0.0012, 7.2195),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0009, -2.4900, 4.8045),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0010, -2.4900, 4.8045),
    (50.0000, -0.0010, 2.4900, 50.0000, 0.0011, -2.4900, 4.7461),
    (50.0000, 2.5000, 0.0000, 50.0000, 0.0000, -2.5000, 4.3065),
    (50.0000, 2.5000, 0.0000, 73.0000, 25.0000, -18.0000, 27.1492),
    (50.0000, 2.5000, 0.0000, 61.0000, -5.0000, 29.0000, 22.8977),
    (50.0000, 2.5000, 0.0000, 56.0000, -27.0000, -3.0000, 31.9030),
    (50.0000, 2.5000, 0.0000, 58.0000, 24.0000, 15.0000, 19.4535),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.1736, 0.5854, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.2972, 0.0000, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 1.8634, 0.5757, 1.0000),
    (50.0000, 2.5000, 0.0000, 50.0000, 3.2592, 0.3350, 1.0000),
    (60.2574, -34.0099, 36.2677, 60.4626, -34.1751, 39.4387, 1.2644),
    (63.0109, -31.0961, -5.8663, 62.8187, -29.7946, -4.0864, 1.2630),
    (61.2901, 3.7196, -5.3901, 61.4292, 2.2480, -4.9620, 1.8731),
    (35.0831, -44.1164, 3.7933, 35.0232, -40.0716, 1.5901, 1.8645),
    (22.7233, 20.0904, -46.6940, 23.0331, 14.9730, -42.5619, 2.0373),
    (36.4612, 47.8580, 18.3852, 36.2715, 50.5065, 21.2231, 1.4146),
    (90.8027, -2.0831, 1.4410, 91.1528, -1.6435, 0.0447, 1.4441),
    (90.9257, -0.5406, -0.9208, 88.6381, -0.8985, -0.7239, 1.5381),
    (6.7747, -0.2908, -2.4247, 5.8714, -0.0985, -2.2286, 0.6377),
    (2.0776, 0.0795, -1.1350, 0.9033, -0.0636, -0.5514, 0.9082),
]
OKABE_ITO = ["#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]
POINT_COLOURS = list(style.SECTOR_COLOURS.values())


def _min_pair(colours) -> float:
    return closest_pair(colours)[0]


# --- CIEDE2000 ------------------------------------------------------------------------
@pytest.mark.parametrize("pair", SHARMA, ids=[f"sharma{i + 1}" for i in range(len(SHARMA))])
def test_ciede2000_matches_sharma_pairs_both_ways(pair):
    lab1, lab2, expected = pair[:3], pair[3:6], pair[6]
    assert abs(float(delta_e00(lab1, lab2)) - expected) < 1e-4
    assert abs(float(delta_e00(lab2, lab1)) - expected) < 1e-4


def test_ciede2000_vectorised_equals_pairwise():
    d = np.array(SHARMA)
    assert np.allclose(delta_e00(d[:, :3], d[:, 3:6]), d[:, 6], atol=1e-4)


def test_srgb_to_lab_known_values():
    assert np.allclose(hex_to_lab("#FFFFFF"), [100, 0, 0], atol=1e-6)
    assert np.allclose(hex_to_lab("#000000"), [0, 0, 0], atol=1e-6)
    assert np.allclose(hex_to_lab("#FF0000"), [53.24, 80.09, 67.20], atol=0.01)  # standard sRGB red
    assert np.allclose(hex_to_lab("#808080"), [53.59, 0, 0], atol=0.01)
    for h in ["#0072B2", "#E69F00", "#9CECDC"]:
        assert lab_to_hex(hex_to_lab(h)) == h  # the round trip is exact at 8 bits


def test_reference_palettes_measure_as_the_guide_says():
    """Okabe-Ito's closest pair 21.7, tab10's 16.2 (cartography guide): same conversion as ours."""
    assert _min_pair(OKABE_ITO) == pytest.approx(21.7, abs=0.05)
    tab10 = [
        "#1f77b4",
        "#ff7f0e",
        "#2ca02c",
        "#d62728",
        "#9467bd",
        "#8c564b",
        "#e377c2",
        "#7f7f7f",
        "#bcbd22",
        "#17becf",
    ]
    assert _min_pair(tab10) == pytest.approx(16.2, abs=0.05)


# the 33-hue palette the map used before sectors (colours in vocabulary order), kept here as evidence
OLD_INDUSTRY_PALETTE = [
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#000000",
    "#F0E442",
    "#1B9E77",
    "#7570B3",
    "#E7298A",
    "#66A61E",
    "#A6761D",
    "#666666",
    "#D95F02",
    "#1F78B4",
    "#B15928",
    "#6A3D9A",
    "#33A02C",
    "#FB9A99",
    "#CAB2D6",
    "#8DD3C7",
    "#BEBADA",
    "#80B1D3",
    "#FDB462",
    "#B3DE69",
    "#FCCDE5",
    "#BC80BD",
    "#CCEBC5",
    "#FFED6F",
    "#9E0142",
    "#5E4FA2",
    "#3288BD",
]


def test_old_industry_palette_had_the_reported_near_twins():
    """The user's measurement of the 33-hue palette, reproduced: the check can see the problem."""
    codes = [i["code"] for i in load_industries()]
    old = dict(zip(codes, OLD_INDUSTRY_PALETTE))
    for a, b in [
        ("nonferrous", "software_it"),
        ("metal_products", "new_energy_vehicles"),
        ("steel", "big_data"),
    ]:
        assert delta_e00_hex(old[a], old[b]) < 4


# --- point palettes -------------------------------------------------------------------
def test_sector_colours_are_far_apart():
    assert len(POINT_COLOURS) == len(set(POINT_COLOURS))
    assert _min_pair(POINT_COLOURS) >= 15


@pytest.mark.parametrize("kind", ["deuteranopia", "protanopia"])
def test_sector_colours_stay_apart_for_colour_blind_readers(kind):
    assert _min_pair(simulate_cvd(POINT_COLOURS, kind)) >= 8


def test_focus_palette_has_eight_far_apart_colours():
    assert len(style.INDUSTRY_FOCUS_PALETTE) == 8
    assert _min_pair(style.INDUSTRY_FOCUS_PALETTE) >= 15
    for kind in ("deuteranopia", "protanopia"):
        assert _min_pair(simulate_cvd(style.INDUSTRY_FOCUS_PALETTE, kind)) >= 8


def test_point_colours_stand_out_from_the_base_map():
    base = hex_to_lab([style.PREFECTURE_FILL, style.PREFECTURE_SELECTED_FILL])
    for c in POINT_COLOURS + style.INDUSTRY_FOCUS_PALETTE:
        assert delta_e00(hex_to_lab(c)[None], base).min() >= 15, c


def test_the_reported_twins_are_now_in_distinct_colours():
    colours = style.SECTOR_COLOURS
    for a, b in [
        ("nonferrous", "software_it"),
        ("metal_products", "new_energy_vehicles"),
        ("steel", "big_data"),
    ]:
        assert delta_e00_hex(colours[sectors.sector_of(a)], colours[sectors.sector_of(b)]) >= 15


# --- sectors --------------------------------------------------------------------------
def test_every_industry_has_a_known_sector_and_every_sector_a_colour():
    codes = sectors.sector_codes()
    assert 8 <= len(codes) <= 10
    assert set(style.SECTOR_COLOURS) == set(codes)
    used = {i["sector"] for i in load_industries()}
    assert used == set(codes)  # no empty sector in the legend
    for s in sectors.load_sectors():
        assert s["zh"] and s["en"]


def _write_vocab(tmp_path, industries):
    ind = tmp_path / "industries.yaml"
    ind.write_text(yaml.safe_dump({"industries": industries}, allow_unicode=True), encoding="utf-8")
    return ind


def test_loader_refuses_an_industry_without_a_sector_naming_it(tmp_path):
    industries = yaml.safe_load((GEODATA / "industries.yaml").read_text(encoding="utf-8"))["industries"]
    del industries[3]["sector"]
    with pytest.raises(DataErrors, match=industries[3]["code"]):
        load_industries(_write_vocab(tmp_path, industries))


def test_loader_refuses_an_unknown_sector_naming_it(tmp_path):
    industries = yaml.safe_load((GEODATA / "industries.yaml").read_text(encoding="utf-8"))["industries"]
    industries[0]["sector"] = "heavy_industry"
    with pytest.raises(DataErrors, match=r"steel: sector: unknown sector 'heavy_industry'"):
        load_industries(_write_vocab(tmp_path, industries))


def test_primary_sector_is_the_first_industrys():
    table = load_industries()
    assert sectors.primary_sector(["software_it", "steel"], table) == "digital"
    assert sectors.primary_sector(["steel", "software_it"], table) == "metallurgy"
    assert sectors.primary_sector([], table) == sectors.GENERAL
    assert sectors.sectors_of(["steel", "nonferrous", "biomed"], table) == ["metallurgy", "health"]
    with pytest.raises(KeyError):
        sectors.sector_of("steal")


def test_primary_sector_of_real_elements(store):
    multi = store.elements[
        store.elements["industries"].map(lambda c: len({sectors.sector_of(x) for x in c}) > 1)
    ]
    assert len(multi) > 50  # many elements span sectors: the first industry decides
    for codes in multi["industries"]:
        assert sectors.primary_sector(codes, store.dataset.industries) == sectors.sector_of(codes[0])


# --- colour key switch -------------------------------------------------------------------
def test_colour_key_is_sector_without_an_industry_filter():
    mode, colours = style.point_colour_key(())
    assert mode == "sector" and colours == style.SECTOR_COLOURS


def test_colour_key_follows_the_filter_order_for_up_to_eight_industries():
    mode, colours = style.point_colour_key(("biomed", "steel", "biomed", "food"))
    assert mode == "industry"
    assert list(colours) == ["biomed", "steel", "food"]
    assert list(colours.values()) == style.INDUSTRY_FOCUS_PALETTE[:3]
    eight = tuple(i["code"] for i in load_industries()[:8])
    assert style.point_colour_key(eight)[0] == "industry"


def test_colour_key_falls_back_to_sectors_beyond_eight_industries():
    nine = tuple(i["code"] for i in load_industries()[:9])
    assert style.point_colour_key(nine)[0] == "sector"


def test_colour_code_per_point():
    table = load_industries()
    assert sectors.colour_code(["chemicals", "steel"], "sector", (), table) == "chem_energy"
    # filtered to steel and food: a chemicals+steel element is coloured as steel, not by its first code
    assert sectors.colour_code(["chemicals", "steel"], "industry", ("food", "steel"), table) == "steel"
    assert sectors.colour_code(["chemicals"], "industry", ("food",), table) == ""


# --- area colours ---------------------------------------------------------------------------
def test_area_palette_is_distinct_light_and_quiet():
    n = len(style.AREA_PALETTE)
    areas = style.area_palette(n)
    assert n >= 8 and len(set(areas)) == n
    assert _min_pair(areas) >= 10
    lab = hex_to_lab(areas)
    assert lab[:, 0].min() > hex_to_lab(POINT_COLOURS + style.INDUSTRY_FOCUS_PALETTE)[:, 0].max()  # lighter
    assert np.hypot(lab[:, 1], lab[:, 2]).max() <= 30  # low chroma
    assert delta_e00(lab[:, None], hex_to_lab(POINT_COLOURS)[None]).min() >= 15  # do not fight the points
    assert (
        delta_e00(lab[:, None], hex_to_lab([style.PREFECTURE_FILL])[None]).min() >= 8
    )  # visible on the base


@pytest.mark.parametrize("kind", ["deuteranopia", "protanopia"])
def test_first_three_area_colours_suit_colour_blind_readers(kind):
    """Three are enough for zone / belt / group: those stay apart under simulation too."""
    assert _min_pair(simulate_cvd(style.area_palette(3), kind)) >= 8


def test_area_styles_beyond_the_palette_change_the_outline():
    n = len(style.AREA_PALETTE)
    assert style.area_palette(n + 2)[n:] == style.area_palette(2)
    first, again = style.area_style(0), style.area_style(n)
    assert first["fill"] == again["fill"] and first["dash"] != again["dash"]
    combos = {(s["fill"], s["dash"]) for s in map(style.area_style, range(n * len(style.AREA_DASHES)))}
    assert len(combos) == n * len(style.AREA_DASHES)


def test_area_outline_is_darker_same_hue():
    for fill in style.AREA_PALETTE:
        f, o = hex_to_lab(fill), hex_to_lab(style.area_outline(fill))
        assert o[0] < f[0] - 30
        if np.hypot(f[1], f[2]) > 10:  # hue defined: outline keeps it
            dh = np.degrees(np.arctan2(o[2], o[1]) - np.arctan2(f[2], f[1]))
            assert abs((dh + 180) % 360 - 180) < 15, fill


def test_pairwise_matrix_is_symmetric():
    d = pairwise_delta_e(POINT_COLOURS)
    assert np.allclose(d, d.T) and np.allclose(np.diag(d), 0)
    assert all(d[i, j] > 0 for i, j in itertools.combinations(range(len(POINT_COLOURS)), 2))
