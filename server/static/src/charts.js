// Charts of the query page and the entity pages: Vega-Lite specs rendered as SVG by vega-embed.
// Bundled by build.mjs into vendor/charts.js (loaded only when a chart is shown) -> window.HRESCharts.
import embed from "vega-embed";

const PALETTE = ["#1f5fa8", "#d9822b", "#2e8540", "#b5121b", "#6f4e9c", "#8c6d1f", "#c2185b", "#4d4d4d",
                 "#0f7c8c", "#7a9a01"];

// kind: "bar" | "stacked-bar" | "heatmap"; roles: {x, y, series, label, value}; rows: [{col: value}]
// (values already plain: strings or numbers); labels: axis titles by column.
function spec(kind, roles, rows, titles = {}) {
  const t = (c) => titles[c] || c;
  const sortX = kind === "heatmap" ? null : (roles.sort === "x" ? "ascending" : "-y");
  if (kind === "heatmap") {
    return {
      data: { values: rows }, mark: { type: "rect", tooltip: true },
      encoding: {
        x: { field: roles.x, type: "nominal", title: t(roles.x), axis: { labelAngle: -40, labelLimit: 160 } },
        y: { field: roles.series, type: "nominal", title: t(roles.series), axis: { labelLimit: 200 } },
        color: { field: roles.y, type: "quantitative", title: t(roles.y), scale: { scheme: "blues" } },
      },
    };
  }
  const encoding = {
    x: { field: roles.x, type: "nominal", title: t(roles.x), sort: sortX, axis: { labelAngle: -40, labelLimit: 160 } },
    y: { field: roles.y, type: "quantitative", title: t(roles.y), stack: kind === "stacked-bar" ? "zero" : null },
    tooltip: [{ field: roles.x, type: "nominal", title: t(roles.x) }, { field: roles.y, type: "quantitative", title: t(roles.y) }],
  };
  if (kind === "stacked-bar" && roles.series) {
    encoding.color = { field: roles.series, type: "nominal", title: t(roles.series), scale: { range: PALETTE } };
    encoding.tooltip.push({ field: roles.series, type: "nominal", title: t(roles.series) });
  } else {
    encoding.color = { value: PALETTE[0] };
  }
  const categories = new Set(rows.map((r) => r[roles.x])).size;
  if (categories > 24) {  // many categories: horizontal bars, one readable line each
    encoding.x.axis = { labelLimit: 220 };
    encoding.y.sort = null;
    const { x, y } = encoding;
    encoding.x = { ...y, stack: y.stack };
    encoding.y = { ...x, sort: roles.sort === "x" ? "ascending" : "-x", axis: { labelLimit: 220 } };
    return { data: { values: rows }, mark: { type: "bar", tooltip: true }, encoding, height: { step: 14 } };
  }
  return { data: { values: rows }, mark: { type: "bar", tooltip: true }, encoding };
}

async function render(element, kind, roles, rows, options = {}) {
  const width = Math.max(320, (element.clientWidth || 800) - 16);
  const body = spec(kind, roles, rows, options.titles);
  const full = { $schema: "https://vega.github.io/schema/vega-lite/v6.json", width, height: options.height || 320,
                 autosize: { type: body.height ? "fit-x" : "fit", contains: "padding" },
                 description: options.description || "", ...body,
                 config: { font: "system-ui, sans-serif", axis: { labelFontSize: 12, titleFontSize: 13 },
                           legend: { labelFontSize: 12, titleFontSize: 13 } } };
  const result = await embed(element, full, { renderer: "svg", actions: false, tooltip: true });
  return result;
}

window.HRESCharts = { render, spec };
