// The month's daily reports beside the sheet: the month's close (state and evidence link)
// and each day's comment at the sheet's site, saved in place through the daily reports'
// API (PUT /operaciones/api/ots/<id>/reportes-diarios/). The server drew them; this only
// sends changes and redraws what the answer says.
(function () {
  "use strict";

  var P = window.sascopProduccion;

  function iniciar() {
    var fuente = document.getElementById("datos-reporte-mes");
    if (!fuente) {
      return;
    }
    var config = JSON.parse(fuente.textContent);
    var T = config.textos;
    var comentarios = config.comentarios;
    var avisar = P.avisador(document.getElementById("aviso-reporte-mes"));
    var cierre = document.getElementById("cierre-mes");
    var estatus = document.getElementById("estatus-cierre-mes");
    var evidencia = document.getElementById("evidencia-cierre-mes");
    var formComentario = document.getElementById("comentario-reporte");
    var dia = document.getElementById("dia-comentario");
    var texto = document.getElementById("texto-comentario");
    var lista = document.getElementById("comentarios-reporte");

    function enviar(cuerpo) {
      avisar(T.guardando, "alert-info");
      return P.enviar(config.api, "PUT", cuerpo)
        .then(function (r) {
          return r.json().then(function (datos) {
            if (!r.ok) {
              throw new Error(P.motivo(datos, r.status));
            }
            return datos;
          });
        })
        .then(function (datos) {
          mostrar(datos);
          avisar(T.guardado, "alert-success");
        })
        .catch(function (error) {
          avisar(T.no_guardado + " " + (error.message || T.sin_red), "alert-error");
        });
    }

    function mostrar(datos) {
      estatus.value = datos.cierre_mes.estatus;
      estatus.setAttribute("data-estado", datos.cierre_mes.estatus);
      evidencia.value = datos.cierre_mes.evidencia;
      var sitio = datos.sitios.filter(function (s) {
        return s.id === config.sitio;
      })[0];
      comentarios = sitio ? sitio.comentarios : {};
      lista.textContent = "";
      var dias = Object.keys(comentarios).sort(function (a, b) {
        return Number(a) - Number(b);
      });
      dias.forEach(function (d) {
        var li = document.createElement("li");
        li.setAttribute("data-dia", d);
        var fuerte = document.createElement("strong");
        fuerte.textContent = T.dia.replace("%(dia)s", d);
        var span = document.createElement("span");
        span.className = "texto-comentario";
        span.textContent = comentarios[d];
        li.append(fuerte, " ", span);
        lista.appendChild(li);
      });
    }

    if (estatus) {
      estatus.addEventListener("change", function () {
        estatus.setAttribute("data-estado", estatus.value);
      });
    }
    if (cierre) {
      cierre.addEventListener("submit", function (e) {
        e.preventDefault();
        if (estatus.disabled) {
          return;
        }
        enviar({ cierre_mes: { estatus: estatus.value, evidencia: evidencia.value.trim() } });
      });
    }
    if (formComentario) {
      dia.addEventListener("change", function () {
        texto.value = comentarios[dia.value] || "";
      });
      formComentario.addEventListener("submit", function (e) {
        e.preventDefault();
        var cambio = {};
        cambio[dia.value] = texto.value.trim();
        enviar({ sitios: [{ id: config.sitio, comentarios: cambio }] });
      });
    }
  }

  P.alCargar(iniciar);
})();
