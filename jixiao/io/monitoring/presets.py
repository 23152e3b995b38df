"""The warning presets of 运行监控: ``jixiao/data/monitoring/warnings.yaml``, read into
:class:`~jixiao.core.monitoring.WarningPresets`."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ...core.monitoring import WarningPreset, WarningPresets
from ..catalogue import _data_dir, read_model
from ..errors import InputError

#: the shipped presets
WARNINGS_FILE = _data_dir("monitoring") / "warnings.yaml"
DEFAULT_PRESET = "default"


@cache
def load_warning_presets(path: Path = WARNINGS_FILE) -> WarningPresets:
    return read_model(path, WarningPresets, "预警规则")


def load_warning_preset(preset_id: str) -> WarningPreset:
    presets = load_warning_presets()
    if preset_id not in presets.root:
        raise InputError(f"未知的预警规则预设“{preset_id}”，可用的有：{'、'.join(presets.ids())}")
    return presets.get(preset_id)


def preset_choices() -> list[tuple[str, str]]:
    """(id, Chinese name) of every shipped preset, the default first."""
    return [(key, preset.name) for key, preset in load_warning_presets().root.items()]
