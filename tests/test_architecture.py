"""The shape of the `indexer` package, checked on its source (no import is run):

- no import cycle among its modules, counting every import: at module level, inside functions (a
  deferred import is still a dependency) and under `if TYPE_CHECKING:`;
- no private name (`_x`) imported from, or read off, another module;
- the Doc contract (`indexer.contract`) depends on no other module of the package but `model`;
- configuration comes from the environment in `indexer/config.py` only.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "indexer"
CONTRACT_DEPENDENCIES = {"indexer.model"}  # what the Doc contract may import from the package
# os.environ outside config.py: the JVM and Maven of the embedded node, and the environment handed
# on to its process; never PressWatch's own configuration.
ENVIRONMENT_READERS = {"indexer.config", "indexer.es_node"}


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def resolve(module: str, package_file: bool, level: int, target: str | None) -> str:
    """The absolute name of `from <level dots><target> import ...` written in `module`."""
    if not level:
        return target or ""
    base = module.split(".")
    if not package_file:
        base = base[:-1]  # a module's relative imports start from its package
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, target] if target else base)


class Imports(ast.NodeVisitor):
    """The package modules a module imports (edges), and the private names it takes from them."""

    def __init__(self, module: str, package_file: bool, modules: set[str]):
        self.module, self.package_file, self.modules = module, package_file, modules
        self.edges: set[str] = set()
        self.private: list[str] = []
        self.module_aliases: dict[str, str] = {}  # local name -> package module it is bound to

    def _ours(self, name: str) -> str | None:
        """`name`, or the package module that defines it (a.b.c -> a.b when only a.b is a module)."""
        while name and name not in self.modules:
            name = name.rpartition(".")[0]
        return name or None

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            target = self._ours(alias.name)
            if target:
                self.edges.add(target)
                if alias.asname:
                    self.module_aliases[alias.asname] = target
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        source = resolve(self.module, self.package_file, node.level, node.module)
        for alias in node.names:
            submodule = f"{source}.{alias.name}"
            if submodule in self.modules:  # `from . import entities`: the module itself
                self.edges.add(submodule)
                self.module_aliases[alias.asname or alias.name] = submodule
                continue
            target = self._ours(source)
            if target is None:
                if alias.name.startswith("_") and not alias.name.startswith("__") and source.startswith("indexer"):
                    self.private.append(f"from {source} import {alias.name}")
                continue
            self.edges.add(target)
            if alias.name.startswith("_") and not alias.name.startswith("__") and target != self.module:
                self.private.append(f"line {node.lineno}: from {source} import {alias.name}")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if (isinstance(node.value, ast.Name) and node.value.id in self.module_aliases
                and node.attr.startswith("_") and not node.attr.startswith("__")):
            self.private.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
        self.generic_visit(node)


def package_graph(root: Path = PACKAGE) -> tuple[dict[str, set[str]], dict[str, list[str]], dict[str, ast.Module]]:
    """(imports per module, private names each takes from others, parsed source per module)."""
    files = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    modules = set(files)
    graph, private, trees = {}, {}, {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        visitor = Imports(name, is_package(path), modules)
        visitor.visit(tree)
        graph[name] = visitor.edges - {name}
        private[name] = visitor.private
        trees[name] = tree
    return graph, private, trees


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles: each strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def reads_environment(tree: ast.Module) -> list[int]:
    """Lines that read os.environ / os.getenv."""
    lines = []
    for node in ast.walk(tree):
        attribute = isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv") \
            and isinstance(node.value, ast.Name) and node.value.id == "os"
        imported = isinstance(node, ast.ImportFrom) and node.module == "os" \
            and any(a.name in ("environ", "getenv") for a in node.names)
        if attribute or imported:
            lines.append(node.lineno)
    return lines


def test_no_import_cycle_in_the_package():
    graph, _, _ = package_graph()
    assert "indexer.nlp" in graph and "indexer.entities.merge" in graph  # the graph is the package's
    assert cycles(graph) == []


def test_no_private_name_taken_from_another_module():
    _, private, _ = package_graph()
    assert {module: names for module, names in private.items() if names} == {}


def test_the_doc_contract_depends_on_nothing_of_the_pipeline():
    graph, _, _ = package_graph()
    assert graph["indexer.contract"] <= CONTRACT_DEPENDENCIES
    for component in ("indexer.entities.merge", "indexer.quotes.linking", "indexer.quotes.speakers"):
        assert "indexer.nlp" not in graph[component]


def test_configuration_is_read_from_the_environment_in_config_only():
    _, _, trees = package_graph()
    readers = {module: lines for module, tree in trees.items() if (lines := reads_environment(tree))}
    assert set(readers) <= ENVIRONMENT_READERS, readers
    from_env = {module for module, tree in trees.items() if module != "indexer.config" and any(
        isinstance(node, ast.Attribute) and node.attr == "from_env" for node in ast.walk(tree))}
    assert from_env <= {"indexer.app", "indexer.cli"}, from_env  # the front doors, when given no settings


def test_the_flows_take_presswatch_settings_from_settings_only():
    """flows/ hands Prefect its own variables (PREFECT_API_URL) but reads no PRESSWATCH_* variable."""
    flows = sorted((PACKAGE.parent / "flows").glob("*.py"))
    assert any(p.name == "watch.py" for p in flows)
    for path in flows:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        named = [node.lineno for node in ast.walk(tree)
                 if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("PRESSWATCH_")]
        assert named == [], (path.name, named)


# -- the checks themselves: they see what they are meant to see ---------------------------------
def write_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "indexer"
    for name, source in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return package


def test_the_checks_find_a_deferred_cycle_and_a_private_import(tmp_path):
    package = write_package(tmp_path, {
        "__init__.py": "",
        "nlp.py": "def build():\n    from . import entities\n",
        "entities/__init__.py": "from .merge import merge\n",
        "entities/merge.py": "from ..nlp import Mention\nfrom .candidate import _set_key\nimport indexer.nlp as n\nn._x\n",
        "entities/candidate.py": "def _set_key(): pass\n",
        "contract.py": "from .model import Entity\n",
        "model.py": "",
    })
    graph, private, _ = package_graph(package)
    assert graph["indexer.nlp"] == {"indexer.entities"}
    assert graph["indexer.entities"] == {"indexer.entities.merge"}
    assert cycles(graph) == [["indexer.entities", "indexer.entities.merge", "indexer.nlp"]]
    assert private["indexer.entities.merge"] == [
        "line 2: from indexer.entities.candidate import _set_key", "line 4: n._x"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_the_checks_find_a_cycle_written_into_the_real_package(tmp_path):
    """The real package, with one import added to the contract: the test above must then fail."""
    import shutil

    shutil.copytree(PACKAGE, tmp_path / "indexer", ignore=shutil.ignore_patterns("data", "__pycache__"))
    contract = tmp_path / "indexer" / "contract.py"
    contract.write_text(contract.read_text(encoding="utf-8") + "\n\ndef _late():\n    from .nlp import build_pipeline\n",
                        encoding="utf-8")
    graph, _, _ = package_graph(tmp_path / "indexer")
    assert any("indexer.contract" in c and "indexer.nlp" in c for c in cycles(graph))
