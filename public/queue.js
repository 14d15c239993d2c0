// The holding page's updates (server/src/queue/page.rs). It asks only the
// queue's public progress, the same for every visitor and kept a second by
// any cache on the way, and moves the page's numbers; it reloads the page
// when the visitor's number has come (the server then admits them), when the
// draw is made (to learn their number: spread over half the time before the
// first turn, so a million visitors do not ask Valkey in the same second),
// when the opening moves, or when the sale sells out. After a presale's
// first draw, a visitor still without a number is in the general sale's
// draw: the page waits for that (`data-general`) and reloads after it,
// spread over half a minute.
(function () {
  "use strict";
  var card = document.querySelector("[data-progress]");
  if (!card || card.dataset.soldOut === "true") return;
  var number = Number(card.dataset.number);
  var opens = Number(card.dataset.opens);
  var general = Number(card.dataset.general);
  var inGeneralDraw = number === 0 && general > 0 && card.dataset.drawn === "true";
  var every = 3000;
  function show(id, value) {
    var el = document.querySelector('[data-testid="' + id + '"]');
    if (el) el.textContent = value;
  }
  // The same steps as the server's `estimate`.
  function words(secs) {
    var d = card.dataset;
    secs = Math.floor(secs);
    if (secs < 60) return d.waitUnder;
    if (secs < 120) return d.waitMinute;
    if (secs < 5400) return d.waitMinutes.replace("#", Math.ceil(secs / 60));
    if (secs < 129600) return d.waitHours.replace("#", Math.floor((secs + 1800) / 3600));
    return d.waitDays.replace("#", Math.floor((secs + 43200) / 86400));
  }
  function reload(spread) {
    setTimeout(function () { location.reload(); }, Math.random() * spread);
  }
  function ask() {
    fetch(card.dataset.progress, { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (p) {
        if (p.sold_out || p.opens_ms !== opens || (p.general_ms || 0) !== general) return reload(0);
        if (inGeneralDraw) {
          if (Date.now() >= general) return reload(30000);
          show("queue-waiting-count", p.waiting);
          show("queue-wait", words(Math.max(0, general - Date.now()) / 1000));
        } else if (number === 0) {
          if (p.drawn) return reload(Math.max(1000, (p.turns_ms - Date.now()) / 2));
          show("queue-waiting-count", p.waiting);
          show("queue-wait", words(Math.max(0, opens - Date.now()) / 1000));
        } else {
          if (number <= p.admitted_to) return reload(0);
          var position = number - p.admitted_to;
          show("queue-position", position);
          show("queue-waiting-count", p.waiting);
          show("queue-wait", words((position - 1) / p.per_sec + Math.max(0, p.turns_ms - Date.now()) / 1000));
        }
        setTimeout(ask, every);
      })
      .catch(function () { setTimeout(ask, 2 * every); });
  }
  setTimeout(ask, every);
})();
