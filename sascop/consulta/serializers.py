from __future__ import annotations

from rest_framework import serializers

from sascop.consulta.selectors import TIPOS


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


class IndicadoresSerializer(serializers.Serializer):
    por_tipo = serializers.DictField(child=serializers.IntegerField())
    ots_monto_mxn = serializers.DecimalField(max_digits=20, decimal_places=2)
    ots_monto_usd = serializers.DecimalField(max_digits=20, decimal_places=2)
    ots_atrasadas = serializers.IntegerField(
        help_text="OTs found whose programmed end has passed and that have not ended."
    )
    ots_por_estatus = PorEstatusSerializer(many=True)
    ptes_por_estatus = PorEstatusSerializer(many=True)


class ConsultaSerializer(serializers.Serializer):
    q = serializers.CharField()
    grupos = GrupoSerializer(many=True)
    indicadores = IndicadoresSerializer()
