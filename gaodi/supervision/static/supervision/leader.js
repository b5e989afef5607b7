/* 领导驾驶舱 charts: draws every element with data-leader-chart="pie", "bars" or "stack" from
   the JSON of the <script type="application/json"> named by its data-chart-source (Django's
   json_script). No inline script. The figures and tables beside each chart stay the source of
   truth: when ECharts is missing or anything goes wrong, the chart is simply left out. */
(function () {
  "use strict";

  /* The light colours of gaodi.css (.tl-*): white text on them passes 4.5:1. */
  var COLOURS = { red: "#a4000f", amber: "#855600", green: "#1d6b34", grey: "#595959" };
  var ACCENT = "#0b5cad";

  function colourOf(name) {
    return COLOURS[name] || ACCENT;
  }

  function pie(data) {
    if (!Array.isArray(data.items) || !data.items.length) {
      return null;
    }
    return {
      animation: false,
      /* richText: drawn on the canvas, as the CSP refuses HTML tooltips' style attributes. */
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）", renderMode: "richText" },
      legend: { top: 0 },
      series: [
        {
          type: "pie",
          radius: ["40%", "70%"],
          top: 24,
          label: { formatter: "{b} {c}" },
          data: data.items.map(function (item) {
            return {
              name: String(item.name || ""),
              value: Number(item.value) || 0,
              itemStyle: { color: colourOf(item.colour) }
            };
          })
        }
      ]
    };
  }

  function axes(data, horizontal) {
    var categories = { type: "category", data: data.categories.map(String) };
    var values = { type: "value", name: data.unit ? String(data.unit) : "", minInterval: 1 };
    if (horizontal) {
      categories.inverse = true; /* the first (the best ranked) on top */
      categories.axisLabel = { interval: 0 };
      return { xAxis: values, yAxis: categories };
    }
    return { xAxis: categories, yAxis: values };
  }

  function bars(data, stacked) {
    if (!Array.isArray(data.categories) || !Array.isArray(data.series) || !data.categories.length) {
      return null;
    }
    var horizontal = !stacked;
    var option = {
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, renderMode: "richText" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 16, right: 32, top: 40, bottom: 8, containLabel: true },
      series: data.series.map(function (item) {
        var one = {
          name: String(item.name || ""),
          type: "bar",
          data: Array.isArray(item.data) ? item.data : [],
          itemStyle: { color: colourOf(item.colour) }
        };
        if (stacked) {
          one.stack = "total";
        } else {
          one.label = { show: true, position: "right" };
        }
        return one;
      })
    };
    var both = axes(data, horizontal);
    option.xAxis = both.xAxis;
    option.yAxis = both.yAxis;
    return option;
  }

  function optionFor(kind, data) {
    if (kind === "pie") {
      return pie(data);
    }
    if (kind === "bars" || kind === "stack") {
      return bars(data, kind === "stack");
    }
    return null;
  }

  /* Drawing, resizing and the data blocks: gaodi/charts.js (loaded first). */
  if (window.GaodiCharts) {
    window.GaodiCharts.mount("data-leader-chart", function (kind, data, element) {
      var option = optionFor(kind, data);
      if (option && kind === "bars") {
        /* one row per department */
        element.style.height = Math.max(240, 28 * data.categories.length + 60) + "px";
      }
      return option;
    });
  }
})();
