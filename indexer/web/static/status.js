// The ingest page's counts, refreshed every 2 s, and the indexing rate measured from the indexed count.
(function () {
  const counts = document.getElementById("counts");
  if (!counts) return;
  let last = null;
  async function refresh() {
    try {
      const response = await fetch(counts.dataset.api, {headers: {"Accept": "application/json"}});
      if (!response.ok) return;
      const s = await response.json();
      for (const name of ["inbox", "processing", "processed", "failed"]) {
        document.getElementById("count-" + name).textContent = s[name];
      }
      document.getElementById("count-indexed").textContent = s.indexed === null ? "Elasticsearch down" : s.indexed;
      if (last && s.indexed !== null && last.indexed !== null && s.time > last.time) {
        const rate = (s.indexed - last.indexed) / (s.time - last.time);
        document.getElementById("rate").textContent =
          rate > 0 || s.processing > 0 ? rate.toFixed(1) + " articles/s" : "idle";
      }
      last = s;
    } catch (e) { /* the server is restarting: try again next time */ }
  }
  refresh();
  setInterval(refresh, 2000);
})();
