// The OT fields' suggestions: as people type part of an order number or of its description,
// the <datalist id="ots-sugeridas"> is filled with the OTs that contain it (the browser then
// offers them under the field).
(function () {
  "use strict";

  function iniciar() {
    var lista = document.getElementById("ots-sugeridas");
    if (!lista) {
      return;
    }
    var url = lista.getAttribute("data-url");
    var pedido = 0;
    var espera = null;

    function llenar(ots) {
      lista.replaceChildren();
      ots.forEach(function (ot) {
        var opcion = document.createElement("option");
        opcion.value = ot.orden_trabajo;
        opcion.label = ot.orden_trabajo + " · " + ot.descripcion;
        lista.appendChild(opcion);
      });
    }

    function buscar(texto) {
      var este = ++pedido;
      fetch(url + "?q=" + encodeURIComponent(texto), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (r) {
          return r.ok ? r.json() : { ots: [] };
        })
        .then(function (datos) {
          if (este === pedido) {
            llenar(datos.ots || []);
          }
        })
        .catch(function () {});
    }

    document.querySelectorAll('input[list="ots-sugeridas"]').forEach(function (campo) {
      campo.addEventListener("input", function () {
        var texto = campo.value.trim();
        clearTimeout(espera);
        if (texto.length < 2) {
          llenar([]);
          return;
        }
        espera = setTimeout(function () {
          buscar(texto);
        }, 150);
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", iniciar);
  } else {
    iniciar();
  }
})();
