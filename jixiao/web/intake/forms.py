from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from ...io.archive import megabytes
from ...io.audit.read import EMPTY, SUPPORTED_SUFFIXES
from ...io.errors import InputError
from ..evaluations.widgets import ChineseMultipleFileInput
from .services import limits

ACCEPTED = (".zip", *SUPPORTED_SUFFIXES)


class ManyFilesField(forms.FileField):
    """Every file chosen in one file input (Django's FileField takes one)."""

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data]
        files = [f for f in files if f]
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(ManyFilesField, self).clean(f, initial) for f in files]


class IntakeForm(forms.Form):
    files = ManyFilesField(
        label="报送的文件",
        error_messages={"required": "请选择要上传的文件", "invalid": "没有收到文件，请重新选择"},
        widget=ChineseMultipleFileInput(attrs={"accept": ",".join(ACCEPTED)}),
        # an empty file is one file of the batch, told by name as unreadable (“文件 X：文件为空”), as a damaged one is:
        # it does not stop the others
        allow_empty_file=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bounds = limits()
        self.fields["files"].help_text = (
            f"可一次选择多个文件，或上传一个 zip 压缩包：附1 自评表（{'、'.join(('.xlsx', '.xls'))}）、"
            f"自评报告（.docx、.pdf、.txt）。单个文件不超过 {megabytes(bounds['max_member_bytes'])}，"
            f"一次不超过 {bounds['max_members']:,} 个文件。"
        )

    def clean_files(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data["files"]
        for upload in files:
            # an empty archive holds no file to tell about: the upload is refused, in the words of every other path
            if not upload.size and (upload.name or "").lower().endswith(".zip"):
                raise forms.ValidationError(str(InputError(EMPTY, upload.name)))
        return files
