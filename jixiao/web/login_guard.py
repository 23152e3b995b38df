"""The sign-in throttle (django-axes), under a Chinese name in 系统管理; its field names are translated in
``locale/zh_Hans`` (django-axes ships no Chinese)."""

from axes.apps import AppConfig


class LoginGuardConfig(AppConfig):
    verbose_name = "登录保护"
