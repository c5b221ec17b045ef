// The Inpaint page: open a photo, paint the damage, send photo and mask to POST /v1/repair, compare and download.
// Plain browser JavaScript, no build step and no network but this server.
"use strict";

const $ = (id) => document.getElementById(id);
const photoCanvas = $("photo");
const paintCanvas = $("paint");
const paint = paintCanvas.getContext("2d");

const state = {
  file: null,          // what is sent as 'image' (the opened file, or a repaired result)
  name: "photo",       // file name without extension, for the download
  strokes: [],         // {erase, width, points: [[x, y], ...]} in photo pixels, or {layer} (found damage); replayed for undo
  current: null,
  erase: false,
  beforeUrl: null,
  afterUrl: null,      // the chosen variant's
  variants: [],        // the repaired photos (Blobs), one per fill
  variantUrls: [],
  maxHoleShare: 0.6,   // the server's limit on the share of holes (from /v1/model)
};

// ---- messages ---------------------------------------------------------------------------------------------------

function showMessage(text, kind = "error") {
  const box = $("message");
  box.textContent = text;
  box.className = kind === "info" ? "message info" : "message";
  box.hidden = false;
}

function clearMessage() {
  $("message").hidden = true;
}

/** One clear sentence for a refused request: the server's problem details carry the CLI's message in 'detail'. */
async function describeFailure(response, action = "The repair") {
  let detail = "";
  try {
    const problem = await response.json();
    detail = problem.detail || problem.title || "";
  } catch {
    detail = response.statusText;
  }
  switch (response.status) {
    case 400: return `The server could not use this input: ${detail}`;
    case 413: return `Too large for this server: ${detail}`;
    case 429:
    case 503: return `The server is busy: ${detail}. Please try again in a moment.`;
    case 501: return `${action} is not available on this server: ${detail}`;
    default: return `${action} failed (${response.status}): ${detail}`;
  }
}

// ---- the model --------------------------------------------------------------------------------------------------

async function showModel() {
  try {
    const response = await fetch("v1/model");
    if (!response.ok) throw new Error(`status ${response.status}`);
    const m = await response.json();
    const device = m.provider === "Cuda" ? "GPU (CUDA)" : "CPU";
    $("model").textContent = `Model ${m.architecture} (${m.family}, ${m.file}) on ${device}`;
    $("model").title = m.fallbackReason ? `On the CPU because ${m.fallbackReason}` : "";
    if (m.limits?.maxVariants) $("variants").max = String(m.limits.maxVariants);
    if (m.limits?.maxHoleShare) state.maxHoleShare = m.limits.maxHoleShare;
    // Find damage is offered only when the server has a damage detector.
    $("detect").hidden = $("detectHint").hidden = !m.detector;
    if (m.detector) $("detect").title = `Mark what the damage detector (${m.detector.file}) finds: scratches, dust, captions`;
  } catch (e) {
    $("model").textContent = `The model is unknown: the server did not answer (${e.message}).`;
  }
}

// ---- opening a photo --------------------------------------------------------------------------------------------

const accepted = ["image/png", "image/jpeg", "image/webp", "image/bmp"];

async function open(file, name) {
  clearMessage();
  if (!file) return;
  if (file.type && !accepted.includes(file.type)) {
    showMessage(`'${file.name}' is not a PNG, JPEG, WebP or BMP image.`);
    return;
  }
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    showMessage(`'${file.name || "the file"}' cannot be read as an image (damaged, or not an image).`);
    return;
  }
  state.file = file;
  state.name = name ?? (file.name || "photo").replace(/\.[^.]*$/, "");
  state.strokes = [];
  photoCanvas.width = paintCanvas.width = bitmap.width;
  photoCanvas.height = paintCanvas.height = bitmap.height;
  photoCanvas.getContext("2d").drawImage(bitmap, 0, 0);
  bitmap.close();
  redraw();
  show("editor");
}

function show(section) {
  for (const id of ["open", "editor", "result"]) $(id).hidden = id !== section;
}

$("file").addEventListener("change", (e) => {
  open(e.target.files[0]);
  e.target.value = "";
});

// Drag and drop anywhere on the page.
let dragDepth = 0;
document.addEventListener("dragenter", (e) => { e.preventDefault(); dragDepth++; document.body.classList.add("dragging"); });
document.addEventListener("dragleave", () => { if (--dragDepth <= 0) { dragDepth = 0; document.body.classList.remove("dragging"); } });
document.addEventListener("dragover", (e) => e.preventDefault());
document.addEventListener("drop", (e) => {
  e.preventDefault();
  dragDepth = 0;
  document.body.classList.remove("dragging");
  const file = e.dataTransfer?.files?.[0];
  if (file) open(file);
});

for (const id of ["another", "anotherResult"]) $(id).addEventListener("click", () => { clearMessage(); show("open"); });

// ---- painting ---------------------------------------------------------------------------------------------------

const sizeInput = $("size");
sizeInput.addEventListener("input", () => { $("sizeValue").textContent = sizeInput.value; });

function setTool(erase) {
  state.erase = erase;
  $("brush").setAttribute("aria-pressed", String(!erase));
  $("eraser").setAttribute("aria-pressed", String(erase));
}
$("brush").addEventListener("click", () => setTool(false));
$("eraser").addEventListener("click", () => setTool(true));

/** Pointer position in photo pixels (the canvas is shown scaled). */
function toPhoto(e) {
  const r = paintCanvas.getBoundingClientRect();
  return [(e.clientX - r.left) * paintCanvas.width / r.width, (e.clientY - r.top) * paintCanvas.height / r.height];
}

const brushColour = "#ff2d55";

function drawStroke(s) {
  if (s.layer) {
    paint.drawImage(s.layer, 0, 0);
    return;
  }
  paint.save();
  paint.globalCompositeOperation = s.erase ? "destination-out" : "source-over";
  paint.strokeStyle = paint.fillStyle = brushColour;
  paint.lineWidth = s.width;
  paint.lineCap = paint.lineJoin = "round";
  if (s.points.length === 1) {
    paint.beginPath();
    paint.arc(s.points[0][0], s.points[0][1], s.width / 2, 0, 2 * Math.PI);
    paint.fill();
  } else {
    paint.beginPath();
    paint.moveTo(...s.points[0]);
    for (const p of s.points.slice(1)) paint.lineTo(...p);
    paint.stroke();
  }
  paint.restore();
}

function redraw() {
  paint.clearRect(0, 0, paintCanvas.width, paintCanvas.height);
  for (const s of state.strokes) drawStroke(s);
  const painted = state.strokes.some((s) => !s.erase);
  $("undo").disabled = state.strokes.length === 0;
  $("clear").disabled = state.strokes.length === 0;
  $("repair").disabled = !painted;
}

paintCanvas.addEventListener("pointerdown", (e) => {
  if (e.button !== 0) return;
  e.preventDefault();
  paintCanvas.setPointerCapture(e.pointerId);
  // The slider is in screen pixels: the brush looks the same size whatever the photo's resolution.
  const scale = paintCanvas.width / paintCanvas.getBoundingClientRect().width;
  state.current = { erase: state.erase, width: Number(sizeInput.value) * scale, points: [toPhoto(e)] };
  state.strokes.push(state.current);
  redraw();
});

paintCanvas.addEventListener("pointermove", (e) => {
  if (!state.current) return;
  const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
  for (const c of events.length ? events : [e]) state.current.points.push(toPhoto(c));
  redraw();
});

for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) {
  paintCanvas.addEventListener(type, () => { state.current = null; });
}

$("undo").addEventListener("click", () => { state.strokes.pop(); redraw(); });
$("clear").addEventListener("click", () => { state.strokes = []; redraw(); });

/**
 * The mask the server gets: the photo's size, white where painted, black elsewhere. The painted layer's coverage
 * decides (>= half covered is white), so the brush's soft edge gives a clean two-level mask.
 */
function maskBlob() {
  return maskOf(paint.getImageData(0, 0, paintCanvas.width, paintCanvas.height).data, paintCanvas.width, paintCanvas.height);
}

/** The share of the photo the painted mask marks as holes (the same coverage rule as maskBlob). */
function holeShare() {
  const painted = paint.getImageData(0, 0, paintCanvas.width, paintCanvas.height).data;
  let holes = 0;
  for (let i = 3; i < painted.length; i += 4) if (painted[i] >= 128) holes++;
  return holes / (painted.length / 4);
}

function maskOf(painted, w, h) {
  const canvas = document.createElement("canvas");
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext("2d");
  const mask = ctx.createImageData(w, h);
  for (let i = 0; i < painted.length; i += 4) {
    const v = painted[i + 3] >= 128 ? 255 : 0;
    mask.data[i] = mask.data[i + 1] = mask.data[i + 2] = v;
    mask.data[i + 3] = 255;
  }
  ctx.putImageData(mask, 0, 0);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

// ---- talking to the server -------------------------------------------------------------------------------------

/** A form holding the photo as 'image' (the opened file, or a repaired result). */
function photoForm() {
  const form = new FormData();
  form.append("image", state.file, state.file.name || `${state.name}.png`);
  return form;
}

/** Posts a form; the response when the server answered it, else null once the page has said why. */
async function send(path, form, action) {
  let response;
  try {
    response = await fetch(path, { method: "POST", body: form });
  } catch (e) {
    showMessage(`The server cannot be reached (${e.message}). Is it still running?`);
    return null;
  }
  if (!response.ok) {
    showMessage(await describeFailure(response, action));
    return null;
  }
  return response;
}

/**
 * A request under way: its button and the photo say what is happening, and neither request can start again until
 * it ends (idle restores them). One at a time: a detection arriving after a repair started would change the mask.
 */
function busy(button, text) {
  $("detect").disabled = $("repair").disabled = true;
  button.textContent = text;
  $("stage").dataset.busy = text;
  $("stage").classList.add("busy");
}

function idle() {
  $("detect").disabled = false;
  $("detect").textContent = "Find damage";
  $("repair").textContent = "Repair";
  $("stage").classList.remove("busy");
  redraw(); // Repair is enabled again only when something is painted
}

// ---- finding damage --------------------------------------------------------------------------------------------

/** A detected mask (white = damage) as a layer of the brush's colour, opaque where damage is and clear elsewhere. */
async function damageLayer(maskBlob) {
  const bitmap = await createImageBitmap(maskBlob);
  const layer = document.createElement("canvas");
  layer.width = paintCanvas.width;
  layer.height = paintCanvas.height;
  const ctx = layer.getContext("2d");
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const pixels = ctx.getImageData(0, 0, layer.width, layer.height);
  const [r, g, b] = [0xff, 0x2d, 0x55];
  let found = 0;
  for (let i = 0; i < pixels.data.length; i += 4) {
    const damage = pixels.data[i] >= 128;
    if (damage) found++;
    pixels.data[i] = r;
    pixels.data[i + 1] = g;
    pixels.data[i + 2] = b;
    pixels.data[i + 3] = damage ? 255 : 0;
  }
  ctx.putImageData(pixels, 0, 0);
  return { layer, found };
}

$("detect").addEventListener("click", async () => {
  clearMessage();
  busy($("detect"), "Finding damage…");
  const photo = state.file; // the answer is this photo's: dropped if another was opened meanwhile
  try {
    const response = await send("v1/detect", photoForm(), "Finding damage");
    if (!response || state.file !== photo) return;
    const { layer, found } = await damageLayer(await response.blob());
    if (found === 0) {
      showMessage("The detector found no damage in this photo. Paint what should be repaired.", "info");
      return;
    }
    // One step of the history: Undo takes the whole detection back.
    state.strokes.push({ layer });
    redraw();
    const share = (100 * found / (paintCanvas.width * paintCanvas.height)).toFixed(1);
    showMessage(`The detector marked ${found.toLocaleString("en")} pixels (${share} % of the photo). Erase what is not damage, paint what it missed, then press Repair.`, "info");
  } finally {
    idle();
  }
});

// ---- repairing --------------------------------------------------------------------------------------------------

const extensions = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/bmp": "bmp" };

$("repair").addEventListener("click", async () => {
  clearMessage();
  // The server's rule, asked before sending: a mask over most of the photo is usually a mistake.
  const share = holeShare(), limit = state.maxHoleShare;
  if (share >= 1) {
    showMessage("The mask covers the whole photo: nothing is left to repair from. Erase the parts to keep.");
    return;
  }
  const allowLarge = share > limit;
  if (allowLarge && !window.confirm(`The mask covers ${Math.round(share * 100)} % of the photo, more than ${Math.round(limit * 100)} %. Repair it anyway?`)) {
    showMessage(`The mask covers ${Math.round(share * 100)} % of the photo. Paint only what should be repaired.`, "info");
    return;
  }
  busy($("repair"), "Repairing…");
  try {
    const form = photoForm();
    form.append("mask", await maskBlob(), "mask.png");
    form.append("fill", $("fill").value);
    const variants = Math.max(1, Math.min(Number($("variants").max), Math.round(Number($("variants").value) || 1)));
    form.append("variants", String(variants));
    if (allowLarge) form.append("allowLargeHoles", "true");
    const response = await send("v1/repair", form, "The repair");
    if (!response) return;
    showResult(await variantsOf(response), response);
  } finally {
    idle();
  }
});

// One repaired photo is the body itself; several come as a multipart form of parts variant-1, variant-2, ...
async function variantsOf(response) {
  if (!(response.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) return [await response.blob()];
  const form = await response.formData();
  return [...form.keys()].filter((k) => k.startsWith("variant-")).sort((a, b) => Number(a.slice(8)) - Number(b.slice(8))).map((k) => form.get(k));
}

function showResult(blobs, response) {
  if (state.beforeUrl) URL.revokeObjectURL(state.beforeUrl);
  for (const url of state.variantUrls) URL.revokeObjectURL(url);
  state.beforeUrl = URL.createObjectURL(state.file);
  state.variants = blobs;
  state.variantUrls = blobs.map((b) => URL.createObjectURL(b));
  $("before").src = state.beforeUrl;
  const choices = $("choices");
  choices.replaceChildren(...state.variantUrls.map((url, i) => {
    const button = document.createElement("button");
    button.type = "button";
    button.setAttribute("aria-label", `Fill ${i + 1} of ${blobs.length}`);
    const img = document.createElement("img");
    img.src = url;
    img.alt = `Fill ${i + 1}`;
    button.append(img);
    button.addEventListener("click", () => choose(i));
    return button;
  }));
  choices.hidden = blobs.length < 2;
  choose(0);
  const holes = Number(response.headers.get("X-Inpaint-Hole-Pixels") ?? 0);
  const timing = /repair;dur=([\d.]+)/.exec(response.headers.get("Server-Timing") ?? "");
  const textured = Number(response.headers.get("X-Inpaint-Texture-Regions") ?? 0);
  $("stats").textContent = `${holes.toLocaleString("en")} pixels repaired` + (timing ? ` in ${(Number(timing[1]) / 1000).toFixed(2)} s` : "") +
    (textured > 0 ? `, ${textured} region${textured === 1 ? "" : "s"} with texture` : "") + "." +
    (blobs.length > 1 ? " Pick a fill above; slide to compare before and after." : " Slide to compare before and after.");
  $("split").value = 50;
  $("compare").style.setProperty("--split", "50%");
  show("result");
}

// Shows variant i as the "after" photo and the one to download or repair further.
function choose(i) {
  const blob = state.variants[i];
  state.result = blob;
  state.afterUrl = state.variantUrls[i];
  $("after").src = state.afterUrl;
  const ext = extensions[blob.type] ?? "png";
  $("download").href = state.afterUrl;
  $("download").download = `${state.name}-repaired${state.variants.length > 1 ? `-${i + 1}` : ""}.${ext}`;
  [...$("choices").children].forEach((b, k) => b.setAttribute("aria-pressed", String(k === i)));
}

$("split").addEventListener("input", (e) => $("compare").style.setProperty("--split", `${e.target.value}%`));
$("back").addEventListener("click", () => show("editor"));
$("again").addEventListener("click", () => {
  // Go on from the repaired photo: it becomes the photo sent next time.
  const type = state.result.type || "image/png";
  open(new File([state.result], `${state.name}.${extensions[type] ?? "png"}`, { type }), state.name);
});

showModel();
