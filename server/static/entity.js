// Entity pages (templates/ui/entity.html): draws the charts declared with data-chart (vendor/charts.js,
// when installed; the table beside each chart holds the same numbers) and lists the named queries that
// take a State parameter, prefilled with this page's State (from GET /api/queries).
(function () {
  "use strict";
  const script = document.currentScript;
  const chartsUrl = script && script.dataset.charts;

  function loadCharts() {
    if (window.HRESCharts || !chartsUrl) return Promise.resolve(window.HRESCharts);
    return new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = chartsUrl;
      s.onload = () => resolve(window.HRESCharts);
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  const figures = document.querySelectorAll("figure[data-chart]");
  if (figures.length) {
    loadCharts().then((charts) => {
      if (!charts) return;
      figures.forEach((f) => {
        const rows = JSON.parse(f.dataset.rows || "[]");
        if (!rows.length) return;
        charts.render(f, f.dataset.chart, { x: f.dataset.x, y: f.dataset.y, series: f.dataset.series, sort: "x" },
          rows, { titles: JSON.parse(f.dataset.titles || "{}"), height: 220, description: f.getAttribute("aria-label") });
      });
    }).catch(() => {});
  }

  const gaps = document.getElementById("gap-queries");
  if (gaps) {
    fetch(gaps.dataset.catalogue, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : []))
      .then((body) => {
        const list = Array.isArray(body) ? body : body.queries || Object.values(body);
        const matching = list.filter((q) => (q.parameters || []).some((p) => p.type === "iri" && /state/i.test(p.name)));
        gaps.textContent = "";
        if (!matching.length) {
          gaps.innerHTML = `<li class="muted"></li>`;
          gaps.firstChild.textContent = gaps.dataset.none;
          return;
        }
        for (const q of matching) {
          const param = q.parameters.find((p) => p.type === "iri" && /state/i.test(p.name));
          const url = new URL(gaps.dataset.queryPage, location.href);
          url.searchParams.set("name", q.name);
          url.searchParams.set(param.name, gaps.dataset.iri);
          url.searchParams.set("run", "1");
          const li = document.createElement("li");
          const a = document.createElement("a");
          a.href = url.pathname + url.search;
          a.textContent = q.title || q.name;
          li.appendChild(a);
          if (q.tag) { const s = document.createElement("span"); s.className = "muted small"; s.textContent = ` (${q.tag})`; li.appendChild(s); }
          gaps.appendChild(li);
        }
      })
      .catch(() => { gaps.textContent = ""; });
  }
})();
