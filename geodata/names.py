"""Spelling rules for Chinese administrative names, shared by the build and the gazetteer."""


def short_name(name: str) -> str:
    """唐山市 -> 唐山, 曹妃甸区 -> 曹妃甸, 平山县 -> 平山; a one-character stem keeps its suffix (涉县)."""
    for suffix in ("自治县", "市", "区", "县"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name
