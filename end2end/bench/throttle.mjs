// DevTools' "Slow 4G" preset (Chromium's NetworkManager: 1.6 Mbit/s × 0.9 down,
// 750 kbit/s × 0.9 up, 150 ms × 3.75 latency), for the benches' throttled phone.
export const SLOW_4G = {
  offline: false,
  downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9,
  uploadThroughput: ((750 * 1000) / 8) * 0.9,
  latency: 150 * 3.75,
};
