/* Draws each <canvas data-chart="ID"> from the JSON in <script id="ID-data" type="application/json">.
   The server writes every label in the reader's language; numbers are formatted in the page's
   language (the lang attribute of <html>). The table beside each chart holds the same figures. */
(function () {
  "use strict";

  var locale = document.documentElement.lang || "en";

  function formatValue(value, percent) {
    if (value === null || value === undefined) {
      return "—";
    }
    if (percent) {
      return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(value);
    }
    return new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(value);
  }

  function config(spec) {
    var horizontal = Boolean(spec.horizontal);
    var valueAxis = horizontal ? "x" : "y";
    var categoryAxis = horizontal ? "y" : "x";
    var scales = {};
    scales[valueAxis] = {
      beginAtZero: true,
      stacked: Boolean(spec.stacked),
      title: { display: Boolean(spec.valueAxis), text: spec.valueAxis },
      ticks: {
        callback: function (value) {
          return formatValue(value, spec.percent);
        }
      }
    };
    if (spec.percent) {
      scales[valueAxis].max = 1;
    }
    scales[categoryAxis] = { stacked: Boolean(spec.stacked), ticks: { autoSkip: false } };
    return {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (dataset) {
          return {
            label: dataset.label,
            data: dataset.data,
            // The colour of each series comes with the figures (pages/charts.py PALETTE).
            backgroundColor: dataset.color,
            borderColor: "#1b1f24",
            borderWidth: 1
          };
        })
      },
      options: {
        locale: locale,
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: scales,
        plugins: {
          legend: {
            display: spec.datasets.length > 1,
            position: "bottom",
            labels: { boxWidth: 14, boxHeight: 14 }
          },
          tooltip: {
            callbacks: {
              label: function (context) {
                return context.dataset.label + ": " + formatValue(context.raw, spec.percent);
              }
            }
          }
        }
      }
    };
  }

  // Room for every bar and, on a narrow screen where the legend takes one line per series, the legend.
  function fitHeight(canvas, spec) {
    var container = canvas.parentElement;
    var narrow = container.clientWidth < 600;
    var perCategory = spec.horizontal ? 34 * (spec.stacked ? 1 : spec.datasets.length) : 0;
    var legendLines = spec.datasets.length > 1 ? (narrow ? spec.datasets.length : Math.ceil(spec.datasets.length / 3)) : 0;
    var height = Math.max(260, 110 + spec.labels.length * perCategory + legendLines * 24);
    container.style.height = height + "px";
  }

  // The chart as a PNG file: the canvas on a white background (a canvas is transparent), made in the
  // browser, so nothing is sent anywhere.
  function offerPng(canvas, slug) {
    var button = document.querySelector("button[data-png-of='" + slug + "']");
    if (!button) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var flat = document.createElement("canvas");
      flat.width = canvas.width;
      flat.height = canvas.height;
      var context = flat.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, flat.width, flat.height);
      context.drawImage(canvas, 0, 0);
      var link = document.createElement("a");
      link.download = "rrm-" + slug + ".png";
      link.href = flat.toDataURL("image/png");
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
  }

  function draw() {
    if (typeof window.Chart === "undefined") {
      return;
    }
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.color = "#1b1f24";
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById(canvas.dataset.chart + "-data");
      if (source) {
        var spec = JSON.parse(source.textContent);
        fitHeight(canvas, spec);
        new window.Chart(canvas, config(spec));
        offerPng(canvas, canvas.dataset.chart);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
