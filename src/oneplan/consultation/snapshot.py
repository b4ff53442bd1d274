"""The text a consultation round was opened on (ร่างที่เปิดรับฟังความคิดเห็น).

People comment on the draft as it stood when the round opened; the plan goes on changing afterwards
(revision after the hearing). The round keeps a copy of the tree so its public page and its report
show what people actually read, and each comment keeps the label of the part it spoke to.
"""
from __future__ import annotations

from dataclasses import dataclass

from oneplan.plans.models import ElementKind, Plan
from oneplan.plans.tree import Node


def take(plan: Plan) -> list[dict]:
    """The plan's elements in tree order, as plain data (id, parent, code, kind, title, description)."""
    from oneplan.plans.tree import build_tree, flatten

    return [{"id": n.element.pk, "parent": n.element.parent_id, "code": n.element.code, "kind": n.element.kind,
             "title_th": n.element.title_th, "description_th": n.element.description_th}
            for n, _depth in flatten(build_tree(plan))]


@dataclass
class SnapshotElement:
    """Enough of an Element for the round's templates, read from the snapshot."""
    pk: int
    parent_id: int | None
    code: str
    kind: str
    title_th: str
    description_th: str = ""

    def get_kind_display(self) -> str:
        return str(ElementKind(self.kind).label) if self.kind in ElementKind.values else self.kind

    @property
    def label(self) -> str:
        return f"{self.code} {self.title_th}"


def elements(snapshot: list[dict]) -> list[SnapshotElement]:
    return [SnapshotElement(pk=row["id"], parent_id=row["parent"], code=row["code"], kind=row["kind"],
                            title_th=row["title_th"], description_th=row.get("description_th", ""))
            for row in snapshot]


def tree(snapshot: list[dict]) -> list[Node]:
    nodes = {e.pk: Node(e) for e in elements(snapshot)}
    roots = []
    for node in nodes.values():
        (nodes[node.element.parent_id].children if node.element.parent_id in nodes else roots).append(node)
    return roots
