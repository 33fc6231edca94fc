"""Explanations as compact data for the HTML report, and the script that draws one.

A report for 2,000 people lists each of them under several awards; written out in every
row, their explanations would weigh tens of megabytes. Instead each distinct line is kept
once (`t`), and each distinct subtree once (`n`: its line, then its children's numbers):
a condition that held, with the same values, is the same subtree for hundreds of people.
A row names the root of its subject's tree; the tree is drawn only when the row is opened.

The data sits in a `<script type="application/json">` block with `<`, `>` and `&` written
as JSON escapes, so no text can close the block; the script writes lines with
`textContent`, so no text is ever read as markup.
"""

from __future__ import annotations

import json

from emurules.i18n import DEFAULT, render
from emurules.report.safe import printable
from emurules.result import Explanation, Result

# Draws the explanation of a `<details data-s=N>` when it is first opened, and opens the
# row `#award/key` names in the address (on load and when the address changes).
SCRIPT = """(function(){
var data=JSON.parse(document.getElementById("explanations").textContent);
function walk(n,depth,out){
var node=data.n[n];out.push("  ".repeat(depth)+data.t[node[0]]);
for(var i=1;i<node.length;i++)walk(node[i],depth+1,out);
}
function draw(x){
if(x.dataset.done)return;x.dataset.done="1";
var out=[];walk(+x.dataset.s,0,out);
var p=document.createElement("pre");p.textContent=out.join("\\n");x.appendChild(p);
}
document.addEventListener("toggle",function(ev){
var x=ev.target;if(x.open&&x.dataset&&x.dataset.s!==undefined)draw(x);
},true);
function go(){
var h=decodeURIComponent(location.hash.slice(1)),i=h.indexOf("/");if(i<0)return;
var s=document.getElementById("award-"+h.slice(0,i));if(!s)return;
var t=s.querySelector("table"),k=+t.dataset.k,rows=t.rows;
for(var j=1;j<rows.length;j++){if(rows[j].cells[k].textContent===h.slice(i+1)){
var x=rows[j].querySelector("details");x.open=true;draw(x);x.scrollIntoView();return;
}}
}
go();window.addEventListener("hashchange",go);
})();"""

_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


class Explanations:
    """The explanations a report refers to, each subject's once, in the reader's language."""

    def __init__(self, result: Result, lang: str = DEFAULT) -> None:
        self._result = result
        self._lang = lang
        self._subjects: dict[tuple[str, str], int] = {}
        self._lines: dict[str, int] = {}
        self._nodes: dict[tuple[int, ...], int] = {}

    def add(self, kind: str, key: str) -> int:
        """The number of the root of the subject's explanation in the data (added when
        first asked for)."""
        found = self._subjects.get((kind, key))
        if found is None:
            found = self._subjects[(kind, key)] = self._node(self._result.explain(key, kind))
        return found

    def _node(self, node: Explanation) -> int:
        text = printable(render(node.text, self._lang))
        line = self._lines.setdefault(text, len(self._lines))
        shape = (line, *(self._node(child) for child in node.children))
        return self._nodes.setdefault(shape, len(self._nodes))

    def json(self) -> str:
        """The data, as JSON text safe inside a `<script>` element."""
        data = {"t": list(self._lines), "n": list(self._nodes)}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SAFE)
