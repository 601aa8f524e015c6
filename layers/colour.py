"""Colour arithmetic for choosing map colours: sRGB -> CIELAB (D65) and the CIEDE2000 difference.

Written out here (numpy only) so the palette checks in tests and in `python -m layers.colour`
need no colour library. Formulas: IEC 61966-2-1 (sRGB), CIE 15 (CIELAB), and
Sharma, Wu & Dalal (2005) for CIEDE2000, tested against their published pairs.
"""

from __future__ import annotations

import itertools

import numpy as np

# sRGB primaries -> XYZ, D65 white (IEC 61966-2-1)
_RGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)
_XYZ_TO_RGB = np.linalg.inv(_RGB_TO_XYZ)
_WHITE_D65 = _RGB_TO_XYZ @ np.ones(3)  # the sRGB white itself, so #ffffff is L*=100, a*=b*=0

# Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB
CVD_MATRICES = {
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]
    ),
}


def hex_to_rgb(colours) -> np.ndarray:
    """'#RRGGBB' (one or a list) -> sRGB in 0..1, shape (..., 3)."""
    single = isinstance(colours, str)
    arr = (
        np.array(
            [
                [int(h.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
                for h in ([colours] if single else colours)
            ],
            dtype=float,
        )
        / 255.0
    )
    return arr[0] if single else arr


def rgb_to_hex(rgb) -> str:
    r, g, b = (int(round(float(np.clip(v, 0, 1)) * 255)) for v in rgb)
    return f"#{r:02X}{g:02X}{b:02X}"


def srgb_to_linear(rgb: np.ndarray) -> np.ndarray:
    rgb = np.asarray(rgb, dtype=float)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(lin: np.ndarray) -> np.ndarray:
    lin = np.clip(np.asarray(lin, dtype=float), 0.0, 1.0)
    return np.where(lin <= 0.0031308, lin * 12.92, 1.055 * lin ** (1 / 2.4) - 0.055)


def _f(t: np.ndarray) -> np.ndarray:
    d = 6 / 29
    return np.where(t > d**3, np.cbrt(t), t / (3 * d * d) + 4 / 29)


def _f_inv(t: np.ndarray) -> np.ndarray:
    d = 6 / 29
    return np.where(t > d, t**3, 3 * d * d * (t - 4 / 29))


def linear_to_lab(lin: np.ndarray) -> np.ndarray:
    xyz = np.asarray(lin, dtype=float) @ _RGB_TO_XYZ.T / _WHITE_D65
    fx, fy, fz = _f(xyz[..., 0]), _f(xyz[..., 1]), _f(xyz[..., 2])
    return np.stack([116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)], axis=-1)


def lab_to_linear(lab: np.ndarray) -> np.ndarray:
    """CIELAB -> linear sRGB, unclipped (values outside 0..1 are out of the sRGB gamut)."""
    lab = np.asarray(lab, dtype=float)
    fy = (lab[..., 0] + 16) / 116
    xyz = np.stack([_f_inv(fy + lab[..., 1] / 500), _f_inv(fy), _f_inv(fy - lab[..., 2] / 200)], axis=-1)
    return (xyz * _WHITE_D65) @ _XYZ_TO_RGB.T


def hex_to_lab(colours) -> np.ndarray:
    return linear_to_lab(srgb_to_linear(hex_to_rgb(colours)))


def lab_to_hex(lab) -> str:
    return rgb_to_hex(linear_to_srgb(lab_to_linear(lab)))


def simulate_cvd(colours, kind: str) -> list[str]:
    """How a dichromat (protanopia, deuteranopia, tritanopia) sees the colours, as hex."""
    lin = srgb_to_linear(hex_to_rgb(list(colours))) @ CVD_MATRICES[kind].T
    return [rgb_to_hex(c) for c in linear_to_srgb(lin)]


def delta_e00(lab1, lab2) -> np.ndarray:
    """CIEDE2000 colour difference (kL = kC = kH = 1), broadcasting over leading axes."""
    lab1, lab2 = np.asarray(lab1, dtype=float), np.asarray(lab2, dtype=float)
    L1, a1, b1 = lab1[..., 0], lab1[..., 1], lab1[..., 2]
    L2, a2, b2 = lab2[..., 0], lab2[..., 1], lab2[..., 2]
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar**7 / (c_bar**7 + 25.0**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    h1p = np.where(c1p == 0, 0.0, h1p)
    h2p = np.where(c2p == 0, 0.0, h2p)
    achromatic = (c1p * c2p) == 0

    dl = L2 - L1
    dc = c2p - c1p
    dh = h2p - h1p
    dh = np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh))
    dh = np.where(achromatic, 0.0, dh)
    d_big_h = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))

    l_bar = (L1 + L2) / 2
    cp_bar = (c1p + c2p) / 2
    hsum = h1p + h2p
    h_bar = np.where(
        np.abs(h1p - h2p) <= 180, hsum / 2, np.where(hsum < 360, (hsum + 360) / 2, (hsum - 360) / 2)
    )
    h_bar = np.where(achromatic, hsum, h_bar)
    t = (
        1
        - 0.17 * np.cos(np.radians(h_bar - 30))
        + 0.24 * np.cos(np.radians(2 * h_bar))
        + 0.32 * np.cos(np.radians(3 * h_bar + 6))
        - 0.20 * np.cos(np.radians(4 * h_bar - 63))
    )
    d_theta = 30 * np.exp(-(((h_bar - 275) / 25) ** 2))
    r_c = 2 * np.sqrt(cp_bar**7 / (cp_bar**7 + 25.0**7))
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * cp_bar
    s_h = 1 + 0.015 * cp_bar * t
    r_t = -np.sin(np.radians(2 * d_theta)) * r_c
    return np.sqrt(
        (dl / s_l) ** 2 + (dc / s_c) ** 2 + (d_big_h / s_h) ** 2 + r_t * (dc / s_c) * (d_big_h / s_h)
    )


def delta_e00_hex(c1: str, c2: str) -> float:
    return float(delta_e00(hex_to_lab(c1), hex_to_lab(c2)))


def pairwise_delta_e(colours) -> np.ndarray:
    """Square matrix of CIEDE2000 differences between hex colours (diagonal 0)."""
    lab = hex_to_lab(list(colours))
    return delta_e00(lab[:, None, :], lab[None, :, :])


def closest_pair(colours) -> tuple[float, str, str]:
    """The smallest CIEDE2000 difference among the colours and the pair that has it."""
    colours = list(colours)
    d = pairwise_delta_e(colours)
    i, j = min(itertools.combinations(range(len(colours)), 2), key=lambda ij: d[ij])
    return float(d[i, j]), colours[i], colours[j]


if __name__ == "__main__":  # a quick report of the project's palettes
    from layers import style

    for name, pal in [
        ("SECTOR_COLOURS", list(style.SECTOR_COLOURS.values())),
        ("INDUSTRY_FOCUS_PALETTE", style.INDUSTRY_FOCUS_PALETTE),
        ("area_palette(8)", style.area_palette(8)),
    ]:
        print(name, " ".join(pal))
        print("  min dE00 normal {:.1f} ({} {})".format(*closest_pair(pal)))
        for kind in CVD_MATRICES:
            print(f"  min dE00 {kind} %.1f (%s %s)" % closest_pair(simulate_cvd(pal, kind)))
