/* Gaodi charts: draws every element with data-chart="trend" or "bars" from the JSON of the
   <script type="application/json"> named by its data-chart-source (Django's json_script).
   No inline script; the data table beside each chart stays the source of truth, so when
   ECharts is missing or anything goes wrong the chart is simply left out. */
(function () {
  "use strict";

  var PALETTE = ["#0b5cad", "#1e6b35", "#8a5a00", "#8a5a00", "#8a5a00"];

  function readJson(element) {
    var id = element.getAttribute("data-chart-source");
    var node = id ? document.getElementById(id) : null;
    if (!node) {
      return null;
    }
    try {
      return JSON.parse(node.textContent || "null");
    } catch (error) {
      return null;
    }
  }

  function series(data) {
    return data.series.map(function (item, index) {
      var one = {
        name: String(item.name || ""),
        type: item.type === "bar" ? "bar" : "line",
        data: Array.isArray(item.data) ? item.data : [],
        connectNulls: true,
        itemStyle: { color: PALETTE[index % PALETTE.length] }
      };
      if (item.dashed) {
        one.lineStyle = { type: index > 2 ? "dotted" : "dashed" };
        one.symbol = "none";
      }
      return one;
    });
  }

  function option(data) {
    return {
      animation: false,
      /* Drawn on the canvas: ECharts' HTML tooltips carry style attributes, which the
         Content-Security-Policy (style-src 'self') refuses. */
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 16, right: 24, top: 48, bottom: 8, containLabel: true },
      xAxis: {
        type: "category",
        data: data.categories.map(String),
        axisLabel: { interval: 0, hideOverlap: true }
      },
      yAxis: { type: "value", name: data.unit ? String(data.unit) : "", scale: false },
      series: series(data)
    };
  }

  var drawn = [];

  /* Draw every element carrying `attribute`: optionFor(kind, data, element) gives the ECharts
     option (or null to leave the chart out), kind being the attribute's value. Shared by the
     indicator dashboard and the leader's overview (supervision/leader.js). */
  function mount(attribute, optionFor) {
    function draw(element) {
      var data = readJson(element);
      if (!data || !window.echarts || typeof window.echarts.init !== "function") {
        return;
      }
      var chosen = optionFor(element.getAttribute(attribute), data, element);
      if (!chosen) {
        return;
      }
      try {
        element.classList.add("chart-on");
        var chart = window.echarts.init(element, null, { renderer: "canvas" });
        chart.setOption(chosen);
        drawn.push(chart);
      } catch (error) {
        element.classList.remove("chart-on");
        if (window.console && window.console.warn) {
          window.console.warn("gaodi chart not drawn", error);
        }
      }
    }

    function drawAll() {
      var elements = document.querySelectorAll("[" + attribute + "]");
      for (var i = 0; i < elements.length; i += 1) {
        draw(elements[i]);
      }
    }

    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", drawAll);
    } else {
      drawAll();
    }
  }

  window.addEventListener("resize", function () {
    drawn.forEach(function (chart) {
      try {
        chart.resize();
      } catch (error) {
        /* a chart that cannot resize keeps its size */
      }
    });
  });

  window.GaodiCharts = { mount: mount };

  mount("data-chart", function (kind, data) {
    return Array.isArray(data.categories) && Array.isArray(data.series) ? option(data) : null;
  });
})();
