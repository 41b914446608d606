from __future__ import annotations

from rest_framework import serializers

from sascop.consulta.selectors import TIPOS
from sascop.core.api.serializers import UTCDateTimeField


class ResultadoSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    titulo = serializers.CharField()
    extracto = serializers.CharField(
        help_text="An excerpt around the first match, HTML-escaped, each matching word "
        "inside <mark>…</mark>."
    )
    url = serializers.CharField(help_text="The page of the record (or of the list showing it).")


class GrupoSerializer(serializers.Serializer):
    tipo = serializers.ChoiceField(choices=list(TIPOS))
    total = serializers.IntegerField(help_text="Matches of this kind (at most 1,000).")
    pagina = serializers.IntegerField()
    paginas = serializers.IntegerField()
    resultados = ResultadoSerializer(many=True, help_text="Best first.")


class PorEstatusSerializer(serializers.Serializer):
    estatus = serializers.IntegerField()
    estatus_texto = serializers.CharField()
    total = serializers.IntegerField()


class PorClienteSerializer(serializers.Serializer):
    cliente = serializers.IntegerField()
    cliente_texto = serializers.CharField()
    ptes = serializers.IntegerField(help_text="PTEs found of this client.")
    ots = serializers.IntegerField(help_text="OTs found of this client.")


class PorSitioSerializer(serializers.Serializer):
    sitio = serializers.IntegerField(allow_null=True, help_text="Null: OTs without a site.")
    sitio_texto = serializers.CharField(allow_blank=True)
    total = serializers.IntegerField()


class PorMesSerializer(serializers.Serializer):
    mes = serializers.CharField(help_text="YYYY-MM.")
    ptes = serializers.IntegerField(help_text="PTEs found requested that month.")
    ots = serializers.IntegerField(help_text="OTs found whose programmed start is that month.")


def _dinero(ayuda: str) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=20, decimal_places=2, help_text=ayuda)


class IndicadoresSerializer(serializers.Serializer):
    por_tipo = serializers.DictField(child=serializers.IntegerField())
    ots_monto_mxn = serializers.DecimalField(max_digits=20, decimal_places=2)
    ots_monto_usd = serializers.DecimalField(max_digits=20, decimal_places=2)
    ots_atrasadas = serializers.IntegerField(
        help_text="OTs found whose programmed end has passed and that have not ended."
    )
    ots_por_estatus = PorEstatusSerializer(many=True)
    ptes_por_estatus = PorEstatusSerializer(many=True)
    ejecutado_mxn = _dinero(
        "Production of the OTs found: per anexo line, its volume times the line's P.U. M.N."
    )
    ejecutado_usd = _dinero("The same in USD.")
    autorizado_mxn = _dinero(
        "The active anexos of the OTs found: each line's volume times its P.U. M.N."
    )
    autorizado_usd = _dinero("The same in USD.")
    por_cliente = PorClienteSerializer(many=True, help_text="The busiest client first.")
    ots_por_sitio = PorSitioSerializer(
        many=True, help_text="OTs found by their main site, the most first."
    )
    por_mes = PorMesSerializer(many=True, help_text="Oldest month first.")


class ConsultaSerializer(serializers.Serializer):
    q = serializers.CharField()
    grupos = GrupoSerializer(many=True)
    indicadores = IndicadoresSerializer()


class BusquedaGuardadaSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    nombre = serializers.CharField(max_length=100, help_text="The name its owner gave it.")
    parametros = serializers.CharField(
        max_length=1000,
        help_text="The search as a query string (`q=compresion&tipo=ot`); a whole link to "
        "/consulta/ is read too. Written back with the search's own fields only, in a fixed "
        "order.",
    )
    url = serializers.CharField(
        read_only=True, help_text="The page showing the search: the link to share."
    )
    creada = UTCDateTimeField(read_only=True)
    actualizada = UTCDateTimeField(read_only=True)


class CorreoSerializer(serializers.Serializer):
    parametros = serializers.CharField(
        max_length=1000, help_text="The search to send, as a query string (or a link)."
    )
    destinatarios = serializers.ListField(
        child=serializers.CharField(max_length=254),
        help_text="E-mail addresses (at most 10), each once.",
    )


class CorreoEncoladoSerializer(serializers.Serializer):
    tarea = serializers.UUIDField(help_text="The queued task.")
    estado_url = serializers.CharField(help_text="Where to follow it (also the `Location`).")
    destinatarios = serializers.ListField(child=serializers.EmailField())
