"""No module of ddbtui is part of an import cycle (issue #13), lazy imports inside functions included.

grimp builds the graph import-linter checks; this finds its strongly connected components (Tarjan), so a
failure names every module of each cycle. Run it by hand: ``pytest tests/test_import_cycles.py``.
"""

from __future__ import annotations

import grimp


def cycles(graph: grimp.ImportGraph, package: str = "ddbtui") -> list[list[str]]:
    mods = sorted(m for m in graph.modules if m == package or m.startswith(package + "."))
    adj = {m: sorted(n for n in graph.find_modules_directly_imported_by(m) if n in mods) for m in mods}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    for root in mods:  # iterative Tarjan: the graph may be deep
        if root in index:
            continue
        work = [(root, iter(adj[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(adj[w])))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def test_the_finder_sees_a_cycle(tmp_path, monkeypatch):
    pkg = tmp_path / "ringpkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from ringpkg import b\n")
    (pkg / "b.py").write_text("def f():\n    from ringpkg import c\n")
    (pkg / "c.py").write_text("import ringpkg.a\n")
    (pkg / "d.py").write_text("import ringpkg.a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert cycles(grimp.build_graph("ringpkg", cache_dir=None), "ringpkg") == [
        ["ringpkg.a", "ringpkg.b", "ringpkg.c"]
    ]


def test_ddbtui_has_no_import_cycle():
    assert cycles(grimp.build_graph("ddbtui", cache_dir=None)) == []
