// The browser check before a place in the queue (server/src/queue/check.rs).
// A worker (pow-worker.js) solves the page's challenge with pow.wasm; this
// shows its progress and posts the solution, which takes the place. The page
// stays responsive meanwhile: the hashing never runs on this thread.
(function () {
  "use strict";
  var card = document.querySelector("[data-challenge]");
  var form = document.querySelector('[data-testid="queue-check-form"]');
  if (!card || !form) return;
  var bar = card.querySelector("progress");
  var status = document.getElementById("check-status");
  function broken() {
    status.textContent = card.dataset.failed;
  }
  function show(share) {
    var percent = Math.floor(share * 100);
    bar.value = percent;
    status.textContent = card.dataset.checked.replace("#", percent);
  }
  if (typeof Worker === "undefined" || typeof WebAssembly === "undefined") return broken();
  var worker;
  try {
    worker = new Worker("/pow-worker.js");
  } catch (e) {
    return broken();
  }
  worker.onmessage = function (event) {
    var message = event.data;
    if (typeof message.progress === "number") {
      show(Math.min(message.progress, 0.99));
    } else if (message.solution) {
      show(1);
      // A challenge that expired meanwhile (its fourth field, Unix ms) would be
      // refused: a fresh one instead.
      var expires = Number(card.dataset.challenge.split(".")[3]);
      if (Date.now() > expires - 5000) return location.reload();
      form.elements.solution.value = message.solution;
      form.submit();
    } else {
      broken();
    }
  };
  worker.onerror = broken;
  worker.postMessage({
    challenge: card.dataset.challenge,
    bits: Number(card.dataset.bits),
    parts: Number(card.dataset.parts),
  });
})();
