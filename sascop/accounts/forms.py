"""The account pages' forms: the login's second step, the password, two-factor."""

from __future__ import annotations

from django import forms

from sascop.core.pages.formularios import Formulario


def _contrasena(etiqueta: str, autocomplete: str) -> forms.CharField:
    return forms.CharField(
        label=etiqueta,
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class CodigoForm(Formulario):
    """A code of the authenticator app (or, at login, a recovery code)."""

    code = forms.CharField(
        label="Código de verificación",
        max_length=64,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: object, recuperacion: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = (
            "Los 6 dígitos que muestra tu app de autenticación, o uno de tus códigos de "
            "recuperación (cada uno sirve una sola vez)."
            if recuperacion
            else "Los 6 dígitos que muestra tu app de autenticación ahora."
        )


class ContrasenaForm(Formulario):
    """Confirm who you are with your password (turning two-factor off, setting it up,
    new recovery codes)."""

    password = _contrasena("Contraseña actual", "current-password")


class ConfirmarAltaForm(CodigoForm):
    """The first code of the new authenticator, and the password of the account."""

    password = _contrasena("Contraseña actual", "current-password")


class CambioContrasenaForm(Formulario):
    current_password = _contrasena("Contraseña actual", "current-password")
    new_password = _contrasena("Contraseña nueva", "new-password")
    new_password2 = _contrasena("Repite la contraseña nueva", "new-password")

    def clean(self) -> dict[str, object]:
        datos = super().clean() or {}
        nueva, repetida = datos.get("new_password"), datos.get("new_password2")
        if nueva and repetida and nueva != repetida:
            self.add_error("new_password2", "Las dos contraseñas no coinciden.")
        return datos
