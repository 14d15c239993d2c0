// Solves the queue's challenge (app/src/backend/queue/challenge.rs) in a
// worker, with pow.wasm (frontend/pow): for each part i, the first nonce
// whose SHA-256 with "<challenge>.<i>" starts with `bits` zero bits. Asked in
// ranges of 65,536 nonces, reporting progress after each (against the
// expected 2^bits tries per part).
"use strict";
var STEP = 65536;
onmessage = function (event) {
  var job = event.data;
  fetch("/pow.wasm")
    .then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.arrayBuffer();
    })
    .then(function (bytes) {
      return WebAssembly.instantiate(bytes, {});
    })
    .then(function (result) {
      var wasm = result.instance.exports;
      var encoder = new TextEncoder();
      var expected = Math.pow(2, job.bits);
      var nonces = [];
      for (var part = 0; part < job.parts; part++) {
        var input = encoder.encode(job.challenge + "." + part);
        // pow.wasm's buffer holds 512 bytes.
        if (input.length > 512) throw new Error("challenge too long");
        new Uint8Array(wasm.memory.buffer, wasm.input(), input.length).set(input);
        var from = 0;
        var found = -1;
        while (found < 0) {
          found = wasm.solve_range(input.length, job.bits, from, STEP);
          from += STEP;
          postMessage({ progress: (part + Math.min(from / expected, 0.95)) / job.parts });
        }
        nonces.push(String(found));
      }
      postMessage({ solution: nonces.join(".") });
    })
    .catch(function () {
      postMessage({ error: true });
    });
};
