"""The web system (Django): units fill in, departments review, the finance bureau re-checks and publishes.

It maps records to and from :mod:`jixiao.core` models; all scoring stays in the core.
"""
