"""Form widgets drawn in Python: the same HTML as Django's own widget templates, without a
template (and an include per option) for each of them.

A list's filters draw a dozen fields, each select an include per option and one more per
option's attributes: through the template engine that cost more than reading the list.
`Dibujante` draws the widgets of Django's common templates (inputs, selects, checkboxes, the
label) as those templates do, and hands any other template to Django's renderer.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

_WIDGETS = "django/forms/widgets/"


def como_la_plantilla(valor: Any, localizar: bool | None = None) -> str:
    """A value as a template's `{{ valor }}` (or `|localize`, `|unlocalize`) writes it: an
    aware date and time in the local zone, localised, escaped unless safe already."""
    if isinstance(valor, SafeString):
        return valor  # text marked safe: neither localised nor escaped (a drawn cell)
    if isinstance(valor, datetime.datetime) and settings.USE_TZ and timezone.is_aware(valor):
        valor = timezone.localtime(valor)
    valor = formats.localize(valor, use_l10n=localizar)
    return conditional_escape(valor if isinstance(valor, str) else str(valor))


_texto = como_la_plantilla


def _como_s(valor: Any) -> str:
    """`{{ valor|stringformat:'s' }}`: the value's text (safe input stays safe), escaped."""
    if isinstance(valor, tuple):
        valor = str(valor)
    try:
        texto = "%s" % valor  # noqa: UP031 - the filter's own formatting
    except (ValueError, TypeError):
        return ""
    return conditional_escape(mark_safe(texto) if isinstance(valor, SafeData) else texto)  # noqa: S308


def _atributos(attrs: Mapping[str, Any] | None) -> str:
    """`django/forms/widgets/attrs.html` (and `django/forms/attrs.html`)."""
    partes = []
    for nombre, valor in (attrs or {}).items():
        if valor is False:
            continue
        partes.append(
            f" {_texto(nombre)}" if valor is True else f' {_texto(nombre)}="{_como_s(valor)}"'
        )
    return "".join(partes)


def _input(widget: Mapping[str, Any]) -> str:
    """`input.html`."""
    valor = "" if widget["value"] is None else f' value="{_como_s(widget["value"])}"'
    return (
        f'<input type="{_texto(widget["type"])}" name="{_texto(widget["name"])}"{valor}'
        f"{_atributos(widget['attrs'])}>\n"
    )


def _opcion_de_select(opcion: Mapping[str, Any]) -> str:
    """`select_option.html`."""
    return (
        f'<option value="{_como_s(opcion["value"])}"{_atributos(opcion["attrs"])}>'
        f"{_texto(opcion['label'])}</option>\n"
    )


def _select(widget: Mapping[str, Any]) -> str:
    """`select.html`."""
    partes = [f'<select name="{_texto(widget["name"])}"{_atributos(widget["attrs"])}>']
    for grupo, opciones, _indice in widget["optgroups"]:
        if grupo:
            partes.append(f'\n  <optgroup label="{_texto(grupo)}">')
        for opcion in opciones:
            if opcion["template_name"] != f"{_WIDGETS}select_option.html":
                raise _OtraPlantilla
            partes.append(f"\n  {_opcion_de_select(opcion)}")
        if grupo:
            partes.append("\n  </optgroup>")
    partes.append("\n</select>\n")
    return "".join(partes)


def _opcion_marcable(opcion: Mapping[str, Any]) -> str:
    """`checkbox_option.html` or `radio_option.html`: `input_option.html`, included."""
    entrada = _input(opcion)
    if not opcion["wrap_label"]:
        return f"{entrada}\n\n"
    id_ = opcion["attrs"].get("id")
    para = f' for="{_texto(id_)}"' if id_ else ""
    return f"<label{para}>{entrada} {_texto(opcion['label'])}</label>\n\n"


_MARCABLES = {f"{_WIDGETS}checkbox_option.html", f"{_WIDGETS}radio_option.html"}


def _varias(widget: Mapping[str, Any]) -> str:
    """`checkbox_select.html` or `radio.html`: `multiple_input.html`, included."""
    id_ = widget["attrs"].get("id")
    clase = widget["attrs"].get("class")
    partes = [
        "<div",
        f' id="{_texto(id_)}"' if id_ else "",
        f' class="{_texto(clase)}"' if clase else "",
        ">",
    ]
    for grupo, opciones, _indice in widget["optgroups"]:
        if grupo:
            partes.append(f"\n  <div><label>{_texto(grupo)}</label>")
        for opcion in opciones:
            if opcion["template_name"] not in _MARCABLES:
                raise _OtraPlantilla
            partes.append(f"<div>\n    {_opcion_marcable(opcion)}</div>")
        if grupo:
            partes.append("\n  </div>")
    partes.append("\n</div>\n\n")
    return "".join(partes)


def _etiqueta(contexto: Mapping[str, Any]) -> str:
    """`django/forms/label.html`."""
    if not contexto["use_tag"]:
        return f"{_texto(contexto['label'])}\n"
    tag = _texto(contexto["tag"])
    return f"<{tag}{_atributos(contexto['attrs'])}>{_texto(contexto['label'])}</{tag}>\n"


class _OtraPlantilla(Exception):
    """A widget's part is drawn by a template this module does not know."""


_ENTRADAS = ("text", "search", "date", "hidden", "number", "email", "url", "tel")
# Each template's output ends with its file's last line break; those that only include
# another (`text.html`: `input.html`) add one more.
_DIBUJOS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    f"{_WIDGETS}input.html": lambda c: _input(c["widget"]),
    **{f"{_WIDGETS}{nombre}.html": lambda c: f"{_input(c['widget'])}\n" for nombre in _ENTRADAS},
    f"{_WIDGETS}select.html": lambda c: _select(c["widget"]),
    f"{_WIDGETS}checkbox_select.html": lambda c: _varias(c["widget"]),
    f"{_WIDGETS}radio.html": lambda c: _varias(c["widget"]),
    "django/forms/label.html": _etiqueta,
}


class Dibujante(DjangoTemplates):
    """Django's form renderer, drawing the common widgets' templates in Python (the same
    HTML: `core/tests/test_dibujo.py` compares them); any other template, or one of those
    templates overridden by an app, is rendered by the template engine."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        dibujar = _DIBUJOS.get(template_name)
        if dibujar is not None and self._propia(template_name):
            try:
                return SafeString(dibujar(context).strip())  # as Django's renderer
            except _OtraPlantilla:
                pass
        return super().render(template_name, context, request)

    def _propia(self, template_name: str) -> bool:
        """Whether the template is Django's own (no app overrides it)."""
        propias = self.__dict__.setdefault("_propias", {})
        if template_name not in propias:
            origen = self.get_template(template_name).origin.name
            propias[template_name] = "/django/forms/templates/" in origen.replace("\\", "/")
        return bool(propias[template_name])
