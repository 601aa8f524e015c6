// Table cells for the English page: Chinese runs (a search match quoting a name or the plan's words)
// are marked lang="zh", as the server marks glosses elsewhere (layers/i18n.py zh_marked).
var dagcfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});

dagcfuncs.ZhMarked = function (props) {
    var text = props.value == null ? "" : String(props.value);
    var run = /[\u3000-\u9fff\uff00-\uffef]+(?:[\s\d.·\-—]*[\u3000-\u9fff\uff00-\uffef]+)*/g;
    var out = [], at = 0, m, k = 0;
    while ((m = run.exec(text)) !== null) {
        if (m.index > at) out.push(text.slice(at, m.index));
        out.push(React.createElement("span", {lang: "zh", key: k++}, m[0]));
        at = m.index + m[0].length;
    }
    if (at < text.length) out.push(text.slice(at));
    return React.createElement("span", null, out);
};
