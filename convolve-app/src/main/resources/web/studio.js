// Convolve studio: streams the webcam (or an uploaded picture) to the server, shows what comes back.
// Protocol (docs/vision.md): binary frames "CVF1" + width, height (u16 BE) + id (u32 BE) + RGBA; JSON text for
// settings, stats and errors; JPEG bytes back, each preceded by its {"type": "frame", ...} stats.
(() => {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const MAX_IN_FLIGHT = 2;          // frames sent and not yet answered (the server keeps only the latest)
  const LOST_AFTER_MS = 3000;       // a frame with no answer by then is given up

  const stats = {
    connected: false, mode: "camera", running: true,
    sent: 0, received: 0, dropped: 0, errors: 0, lastError: "", uploads: 0,
    fps: 0, serverMs: 0, filterMs: 0, encodeMs: 0, roundTripMs: 0,
    serverMsSum: 0, filterMsSum: 0, encodeMsSum: 0,   // sums over all answers, for means over any window
    width: 0, height: 0, outWidth: 0, outHeight: 0, settings: null, cameraReady: false,
  };
  window.convolveStats = stats;

  const inputCanvas = $("input"), outputCanvas = $("output"), video = $("video");
  const inputCtx = inputCanvas.getContext("2d", { willReadFrequently: true });
  const outputCtx = outputCanvas.getContext("2d", { willReadFrequently: true });

  let ws = null, nextId = 1, stream = null;
  const inFlight = new Map();       // id -> {t, image}
  let expect = null;                // the stats of the JPEG that comes next
  const arrivals = [];              // times of the last answers, for frames per second
  let lastPair = null;              // {id, input ImageData, output ImageBitmap}
  const shown = { serverMs: 0, filterMs: 0, encodeMs: 0, roundTripMs: 0 };

  function setStatus(text, ok) {
    const s = $("status");
    s.textContent = text;
    s.className = "status " + (ok === true ? "ok" : ok === false ? "bad" : "");
  }

  function showError(message) {
    stats.errors++;
    stats.lastError = message;
    $("lastError").textContent = message;
  }

  // ------------------------------------------------------------------ settings

  function currentSettings() {
    const k = $("kernel").value;
    const size = $("size").value.trim();
    return {
      type: "settings",
      kernel: k === "custom" ? $("custom").value : k,
      sigma: Number($("sigma").value) || 1,
      size: size === "" ? 0 : Math.round(Number(size)),
      stride: Number($("stride").value),
      border: $("border").value,
      quality: Math.round(Number($("quality").value)) || 80,
    };
  }

  function sendSettings() {
    $("customLabel").hidden = $("kernel").value !== "custom";
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(currentSettings()));
    if (stats.mode === "upload") upload();
  }

  // For tests and the console: convolveSettings({kernel: "sobel-x", stride: 2}).
  window.convolveSettings = (s) => {
    if (s.kernel !== undefined) {
      const known = [...$("kernel").options].some((o) => o.value === s.kernel);
      $("kernel").value = known ? s.kernel : "custom";
      if (!known) $("custom").value = s.kernel;
    }
    if (s.sigma !== undefined) $("sigma").value = s.sigma;
    if (s.size !== undefined) $("size").value = s.size || "";
    if (s.stride !== undefined) $("stride").value = String(s.stride);
    if (s.border !== undefined) $("border").value = s.border;
    if (s.quality !== undefined) $("quality").value = s.quality;
    sendSettings();
  };
  window.convolveSetRunning = (on) => { stats.running = !!on; $("pause").textContent = on ? "pause" : "resume"; if (on) pump(); };

  async function loadKernels() {
    try {
      const list = await (await fetch("api/kernels")).json();
      const sel = $("kernel");
      sel.innerHTML = "";
      for (const k of list) {
        const o = document.createElement("option");
        o.value = k.name; o.textContent = k.name; o.title = k.description;
        sel.appendChild(o);
      }
      const c = document.createElement("option");
      c.value = "custom"; c.textContent = "custom matrix";
      sel.appendChild(c);
      sel.value = "gaussian";
    } catch (e) {
      showError("cannot load the kernel list: " + e);
    }
  }

  // ------------------------------------------------------------------ the WebSocket

  function connect() {
    ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
    ws.binaryType = "arraybuffer";
    ws.onopen = () => { stats.connected = true; setStatus("connected", true); ws.send(JSON.stringify(currentSettings())); pump(); };
    ws.onclose = () => {
      stats.connected = false;
      setStatus("disconnected; reconnecting…", false);
      inFlight.clear();
      setTimeout(connect, 1000);
    };
    ws.onmessage = (ev) => (typeof ev.data === "string" ? onText(ev.data) : onJpeg(ev.data));
  }

  function onText(text) {
    let m;
    try { m = JSON.parse(text); } catch (e) { showError("bad message from the server"); return; }
    if (m.type === "frame") {
      expect = m;
    } else if (m.type === "settings" || m.type === "hello") {
      stats.settings = m;
      $("kernelInfo").textContent = `${m.name} ${m.rows}x${m.cols}${m.separable ? " (separable)" : ""}, stride ${m.stride}`;
      if (m.type === "hello") setStatus("connected (" + m.implementation + ")", true);
    } else if (m.type === "error") {
      showError(m.message);
    }
  }

  async function onJpeg(data) {
    const m = expect;
    expect = null;
    if (!m) { showError("an image arrived without its stats"); return; }
    const now = performance.now();
    const sent = inFlight.get(m.id);
    for (const id of [...inFlight.keys()]) if (id <= m.id) inFlight.delete(id);   // older ones were replaced
    let bitmap;
    try {
      bitmap = await createImageBitmap(new Blob([data], { type: "image/jpeg" }));
    } catch (e) {
      showError("cannot decode the JPEG: " + e);
      pump();
      return;
    }
    if (outputCanvas.width !== bitmap.width || outputCanvas.height !== bitmap.height) {
      outputCanvas.width = bitmap.width;
      outputCanvas.height = bitmap.height;
    }
    outputCtx.drawImage(bitmap, 0, 0);
    if (sent) lastPair = { id: m.id, input: sent.image, output: bitmap };
    stats.received++;
    stats.dropped = m.dropped;
    stats.serverMs = m.serverMs; stats.filterMs = m.filterMs; stats.encodeMs = m.encodeMs;
    stats.serverMsSum += m.serverMs; stats.filterMsSum += m.filterMs; stats.encodeMsSum += m.encodeMs;
    stats.outWidth = m.width; stats.outHeight = m.height;
    if (sent) stats.roundTripMs = now - sent.t;
    // What the page shows: means over about the last 20 frames (the counters above keep the last values).
    const k = 0.1, ema = (old, v) => (old ? old + k * (v - old) : v);
    shown.serverMs = ema(shown.serverMs, m.serverMs);
    shown.filterMs = ema(shown.filterMs, m.filterMs);
    shown.encodeMs = ema(shown.encodeMs, m.encodeMs);
    if (sent) shown.roundTripMs = ema(shown.roundTripMs, stats.roundTripMs);
    arrivals.push(now);
    while (arrivals.length && arrivals[0] < now - 2000) arrivals.shift();
    stats.fps = arrivals.length > 1 ? (arrivals.length - 1) * 1000 / (arrivals[arrivals.length - 1] - arrivals[0]) : 0;
    pump();
  }

  // ------------------------------------------------------------------ the camera

  async function startCamera() {
    stopCamera();
    const [w, h] = $("resolution").value.split("x").map(Number);
    stats.cameraReady = false;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: w, height: h }, audio: false });
    } catch (e) {
      showError("camera: " + e.name + " " + e.message + " (use the upload mode, or open the page on http://localhost)");
      setStatus("no camera", false);
      return;
    }
    video.srcObject = stream;
    await video.play();
    inputCanvas.width = w;
    inputCanvas.height = h;
    stats.width = w; stats.height = h;
    $("inSize").textContent = `${w}x${h}`;
    stats.cameraReady = true;
    pump();
  }

  function stopCamera() {
    if (stream) for (const t of stream.getTracks()) t.stop();
    stream = null;
    stats.cameraReady = false;
  }

  // Sends frames while fewer than MAX_IN_FLIGHT are unanswered: the pace is set by the answers, not the camera.
  function pump() {
    if (!stats.running || stats.mode !== "camera" || !stats.cameraReady || !ws || ws.readyState !== WebSocket.OPEN) return;
    const now = performance.now();
    for (const [id, f] of inFlight) if (now - f.t > LOST_AFTER_MS) inFlight.delete(id);
    while (inFlight.size < MAX_IN_FLIGHT && ws.bufferedAmount < 8 << 20) sendFrame();
  }

  function sendFrame() {
    const w = inputCanvas.width, h = inputCanvas.height;
    inputCtx.drawImage(video, 0, 0, w, h);
    const image = inputCtx.getImageData(0, 0, w, h);
    const id = nextId++ >>> 0;
    const msg = new Uint8Array(12 + image.data.length);
    const head = new DataView(msg.buffer);
    head.setUint32(0, 0x43564631);       // "CVF1"
    head.setUint16(4, w);
    head.setUint16(6, h);
    head.setUint32(8, id);
    msg.set(image.data, 12);
    inFlight.set(id, { t: performance.now(), image });
    ws.send(msg.buffer);
    stats.sent++;
  }

  setInterval(() => { pump(); render(); }, 250);

  // ------------------------------------------------------------------ upload mode

  async function upload() {
    const file = $("file").files[0];
    if (!file) return;
    try {
      const bmp = await createImageBitmap(file);
      inputCanvas.width = bmp.width; inputCanvas.height = bmp.height;
      inputCtx.drawImage(bmp, 0, 0);
      $("inSize").textContent = `${bmp.width}x${bmp.height}`;
      const s = currentSettings();
      const q = new URLSearchParams({ kernel: s.kernel, sigma: s.sigma, size: s.size, stride: s.stride, border: s.border, format: "png" });
      const t0 = performance.now();
      const res = await fetch("api/filter?" + q, { method: "POST", body: file });
      if (!res.ok) { showError((await res.json()).message); return; }
      const out = await createImageBitmap(await res.blob());
      outputCanvas.width = out.width; outputCanvas.height = out.height;
      outputCtx.drawImage(out, 0, 0);
      stats.uploads++;
      stats.serverMs = Number(res.headers.get("X-Convolve-Server-Ms"));
      stats.filterMs = Number(res.headers.get("X-Convolve-Filter-Ms"));
      stats.roundTripMs = performance.now() - t0;
      stats.outWidth = out.width; stats.outHeight = out.height;
    } catch (e) {
      showError("upload: " + e);
    }
  }

  function setMode(mode) {
    stats.mode = mode;
    $("fileLabel").hidden = mode !== "upload";
    $("resolutionLabel").hidden = mode !== "camera";
    if (mode === "camera") startCamera(); else { stopCamera(); upload(); }
  }

  // ------------------------------------------------------------------ display and test hooks

  function render() {
    const f = (x, d) => (x ? x.toFixed(d) : "–");
    $("fps").textContent = f(stats.fps, 1);
    const camera = stats.mode === "camera";
    $("serverMs").textContent = f(camera ? shown.serverMs : stats.serverMs, 1);
    $("filterMs").textContent = f(camera ? shown.filterMs : stats.filterMs, 1);
    $("encodeMs").textContent = f(camera ? shown.encodeMs : stats.encodeMs, 1);
    $("rtt").textContent = f(camera ? shown.roundTripMs : stats.roundTripMs, 1);
    $("sent").textContent = stats.sent;
    $("received").textContent = stats.received;
    $("dropped").textContent = stats.dropped;
    $("outSize").textContent = stats.outWidth ? `${stats.outWidth}x${stats.outHeight}` : "";
  }

  function png(source, w, h) {
    const c = document.createElement("canvas");
    c.width = w; c.height = h;
    const ctx = c.getContext("2d");
    if (source instanceof ImageData) ctx.putImageData(source, 0, 0); else ctx.drawImage(source, 0, 0);
    return c.toDataURL("image/png");
  }

  // The last answered frame and its answer, as PNG data URLs: what was sent, and the decoded JPEG that came back.
  window.convolveSnapshot = () => lastPair && {
    id: lastPair.id,
    input: png(lastPair.input, lastPair.input.width, lastPair.input.height),
    output: png(lastPair.output, lastPair.output.width, lastPair.output.height),
  };

  for (const id of ["kernel", "sigma", "size", "stride", "border", "quality", "custom"]) $(id).addEventListener("change", sendSettings);
  $("resolution").addEventListener("change", startCamera);
  $("mode").addEventListener("change", () => setMode($("mode").value));
  $("file").addEventListener("change", upload);
  $("pause").addEventListener("click", () => window.convolveSetRunning(!stats.running));

  loadKernels().then(() => { connect(); setMode($("mode").value); });
})();
