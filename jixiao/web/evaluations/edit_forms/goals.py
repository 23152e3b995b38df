"""绩效目标: 总体目标 and 阶段性目标, what was planned and what was achieved."""

from __future__ import annotations

from typing import ClassVar

from .base import Document, PartEditor, RowForm, Section, choice, rows, text

KIND_CHOICES = [("overall", "总体目标"), ("phase", "阶段性目标")]


class GoalForm(RowForm):
    below: ClassVar[tuple[str, ...]] = ("expected", "actual")

    kind = choice("目标类型", KIND_CHOICES, required=True, initial="overall")
    title = text("目标名称")
    expected = text("预期目标", required=True, area=True, rows=2)
    actual = text("实际完成情况", area=True, rows=2)


class GoalsEditor(PartEditor):
    slug: ClassVar[str] = "goals"
    title: ClassVar[str] = "绩效目标"

    def build(self) -> list[Section]:
        self.goals = rows(GoalForm, prefix="goals", data=self.data, items=self.document.get("goals") or [])
        return [Section("绩效目标", self.goals, "每个目标写明预期目标和实际完成情况。")]

    def updated(self) -> Document:
        return {"goals": self.goals.items()}
