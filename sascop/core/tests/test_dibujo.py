"""The widgets drawn in Python (`core.pages.dibujo`) are the HTML Django's templates draw."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.http import QueryDict
from django.utils.safestring import mark_safe

from sascop.catalogos.tests.factories import ClienteFactory, SitioFactory
from sascop.core.pages.dibujo import Dibujante
from sascop.estimaciones.forms import EstimacionFiltroForm
from sascop.ots.forms import OTFiltroForm
from sascop.ptes.forms import PTEFiltroForm

DJANGO = DjangoTemplates()


def _dibujos(form: forms.BaseForm) -> list[str]:
    """Each field's label and control, as the list's template draws them."""
    return [str(campo.label_tag()) + str(campo) for campo in form]


def _igual_que_django(clase: type[forms.BaseForm], *args: Any, **kwargs: Any) -> list[str]:
    propio = clase(*args, renderer=Dibujante(), **kwargs)
    de_django = clase(*args, renderer=DJANGO, **kwargs)
    dibujos = _dibujos(propio)
    assert dibujos == _dibujos(de_django)
    return dibujos


class _Todo(forms.Form):
    texto = forms.CharField(label="<Texto> & más", help_text="ayuda", max_length=5)
    numero = forms.IntegerField(required=False, min_value=1)
    correo = forms.EmailField(required=False, disabled=True)
    fecha = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    oculto = forms.IntegerField(required=False, widget=forms.HiddenInput)
    grupos = forms.ChoiceField(
        choices=[("", "---"), ("Norte", [("1", "Uno & <b>"), ("2", "Dos")]), ("3", "Tres")],
        required=False,
        widget=forms.Select(attrs={"data-x": True, "data-y": False, "class": 'a"b'}),
    )
    varios = forms.MultipleChoiceField(
        choices=[("a", "A"), ("Grupo", [("b", "B"), ("c", mark_safe("<i>C</i>"))])],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "marcas"}),
    )
    uno = forms.ChoiceField(choices=[(1, "1"), (2, "2")], widget=forms.RadioSelect)
    multiple = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    sin_id = forms.CharField(required=False)


@pytest.mark.parametrize(
    "datos",
    [
        {},
        {"texto": 'demasiado "largo"', "numero": "0", "grupos": "1", "varios": ["a", "c"]},
        {"texto": "<a>", "oculto": "7", "fecha": "2026-02-30", "uno": "2", "multiple": ["y"]},
    ],
)
def test_every_kind_of_widget_is_drawn_as_django_draws_it(datos):
    data = QueryDict(mutable=True)
    for clave, valor in datos.items():
        data.setlist(clave, valor if isinstance(valor, list) else [valor])
    _igual_que_django(_Todo, data or None, auto_id="id_%s")
    _igual_que_django(_Todo, data or None, auto_id=False)


@pytest.mark.django_db
@pytest.mark.parametrize("clase", [PTEFiltroForm, OTFiltroForm, EstimacionFiltroForm])
def test_the_lists_filters_are_drawn_as_django_draws_them(clase):
    cliente = ClienteFactory(descripcion="Pemex & <Cía>")
    SitioFactory(descripcion="Barco «Uno»", tipo="embarcacion")
    anios = [2026, 2024]

    vacio = _igual_que_django(clase, QueryDict(), anios=anios)
    _igual_que_django(
        clase,
        QueryDict(f"cliente={cliente.pk}&estatus=1&estatus=2&anio=2024&buscar=x<y&cliente=99"),
        anios=anios,
    )

    assert any("Pemex &amp; &lt;Cía&gt;" in dibujo for dibujo in vacio)


def test_the_filters_draw_with_it():
    assert isinstance(PTEFiltroForm(QueryDict()).renderer, Dibujante)
