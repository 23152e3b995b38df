"""运行监控 (双监控, 财预〔2019〕136号): a project's budget execution against time progress, and each indicator's
completion so far, its 全年预计, 偏差原因, 完成目标可能性 and 纠偏措施, judged by warning rules kept as data.

``record`` holds what the unit fills in, ``progress`` the formulas (序时进度, 预算执行率, completion so far),
``warnings`` the rule presets and their evaluation, ``snapshot`` what the year-end self-evaluation keeps of it.
"""

from .assess import Assessment, assess
from .progress import Formula, TimeProgressMode, completion, execution_rate, time_progress
from .record import IndicatorProgress, MonitoringRecord, Problem, problems
from .snapshot import to_snapshot
from .warnings import Level, MonitoringWarning, WarningPreset, WarningPresets, evaluate

__all__ = [
    "Assessment",
    "Formula",
    "IndicatorProgress",
    "Level",
    "MonitoringRecord",
    "MonitoringWarning",
    "Problem",
    "TimeProgressMode",
    "WarningPreset",
    "WarningPresets",
    "assess",
    "completion",
    "evaluate",
    "execution_rate",
    "problems",
    "time_progress",
    "to_snapshot",
]
