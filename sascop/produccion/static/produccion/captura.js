// The day's capture: choosing a date, kind of time or site loads what is stored for that
// day (the page again, with ?fecha=&tipo_tiempo=&sitio=), so it can be corrected.
(function () {
  "use strict";

  function iniciar() {
    var boton = document.getElementById("cargar-dia");
    var fecha = document.getElementById("id_fecha");
    if (!boton || !fecha) {
      return;
    }
    var tipo = document.getElementById("id_tipo_tiempo");
    var sitio = document.getElementById("id_sitio");
    boton.hidden = false;

    function escrito() {
      return Array.prototype.some.call(
        document.querySelectorAll('input[name^="vol-"]'),
        function (campo) {
          var antes = document.querySelector('input[name="antes-' + campo.name.slice(4) + '"]');
          return campo.value.trim() !== (antes ? antes.value : "");
        }
      );
    }

    function cargar() {
      if (!fecha.value) {
        return;
      }
      var params = new URLSearchParams();
      params.set("ot", boton.getAttribute("data-ot"));
      params.set("fecha", fecha.value);
      params.set("tipo_tiempo", tipo ? tipo.value : "TE");
      params.set("sitio", sitio ? sitio.value : "");
      window.location.assign(boton.getAttribute("data-url") + "?" + params.toString());
    }

    boton.addEventListener("click", cargar);
    [fecha, tipo, sitio].forEach(function (campo) {
      if (campo) {
        campo.addEventListener("change", function () {
          if (!escrito()) {
            cargar();
          }
        });
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", iniciar);
  } else {
    iniciar();
  }
})();
