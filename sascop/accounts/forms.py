"""The account pages' forms: the login's second step, the password, two-factor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sascop.core.pages.formularios import Formulario

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _contrasena(etiqueta: StrOrPromise, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=etiqueta,
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class CodigoForm(Formulario):
    """A code of the authenticator app (or, at login, a recovery code)."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: object, recuperacion: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = (
            gettext(
                "The 6 digits your authenticator app shows, or one of your recovery codes "
                "(each works only once)."
            )
            if recuperacion
            else gettext("The 6 digits your authenticator app shows now.")
        )


class ContrasenaForm(Formulario):
    """Confirm who you are with your password (turning two-factor off, setting it up,
    new recovery codes)."""

    password = _contrasena(_("Current password"), "current-password")


class ConfirmarAltaForm(CodigoForm):
    """The first code of the new authenticator, and the password of the account."""

    password = _contrasena(_("Current password"), "current-password")


class CambioContrasenaForm(Formulario):
    current_password = _contrasena(_("Current password"), "current-password")
    new_password = _contrasena(_("New password"), "new-password")
    new_password2 = _contrasena(_("Repeat the new password"), "new-password")

    def clean(self) -> dict[str, object]:
        datos = super().clean() or {}
        nueva, repetida = datos.get("new_password"), datos.get("new_password2")
        if nueva and repetida and nueva != repetida:
            self.add_error("new_password2", gettext("The two passwords do not match."))
        return datos
