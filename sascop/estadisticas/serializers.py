"""The dashboard answer: this serializer both renders it and documents it, so the two
cannot drift apart."""

from __future__ import annotations

from rest_framework import serializers


class ConteoPorEstatusSerializer(serializers.Serializer):
    estatus = serializers.IntegerField()
    estatus_texto = serializers.CharField()
    total = serializers.IntegerField()


class MontosOTSerializer(serializers.Serializer):
    mxn = serializers.DecimalField(max_digits=20, decimal_places=2)
    usd = serializers.DecimalField(max_digits=20, decimal_places=2)


class ProduccionMesSerializer(serializers.Serializer):
    mes = serializers.CharField(help_text="YYYY-MM.")
    volumen = serializers.DecimalField(max_digits=20, decimal_places=4)


class EstadisticasSerializer(serializers.Serializer):
    total_ptes = serializers.IntegerField()
    total_otes = serializers.IntegerField()
    total_produccion = serializers.IntegerField()
    volumen_total = serializers.FloatField(
        help_text=(
            "A JSON number, as contract B names it: the one money or volume figure of the API "
            "that is not a decimal string."
        )
    )
    ptes_por_estatus = ConteoPorEstatusSerializer(many=True)
    otes_por_estatus = ConteoPorEstatusSerializer(many=True)
    montos_ot = MontosOTSerializer()
    produccion_por_mes = ProduccionMesSerializer(many=True, help_text="The last 12 months.")
