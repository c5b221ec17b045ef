// Runs an Inpaint freeform model in ONNX Runtime for Node.js, as a consumer that knows only the contract would:
// image and mask in, inpainted out, known pixels untouched. When the model takes a caller's pre-fill (metadata
// inpaint.prefilled = 1) and the pre-fill model is given, the output fed with that pre-fill must match the output of
// the graph's own. A cross-check for consumers, not a dependency of the product:
//   npm install --prefix /tmp/node-check onnxruntime-node
//   NODE_PATH=/tmp/node-check/node_modules node scripts/node-check.mjs models/inpaint-freeform.onnx models/inpaint-prefill.onnx
import { createRequire } from 'node:module';
const require = createRequire(process.env.NODE_PATH ? `${process.env.NODE_PATH}/` : import.meta.url);
const ort = require('onnxruntime-node');

const [modelPath, prefillPath] = process.argv.slice(2);
if (!modelPath) { console.error('usage: node scripts/node-check.mjs MODEL.onnx [PREFILL.onnx]'); process.exit(2); }
const h = 96, w = 136, plane = h * w;
const image = new Float32Array(3 * plane), mask = new Float32Array(plane);
for (let c = 0; c < 3; c++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++)
  image[c * plane + y * w + x] = (x * (c + 1) * 3 + y * 2 + ((x * y) % 17)) % 256;
for (let y = 0; y < h; y++) for (let x = 0; x < w; x++)
  if (Math.abs(x - y) < 4 || (x > 90 && x < 120 && y > 20 && y < 50)) mask[y * w + x] = 255;
const feeds = { image: new ort.Tensor('float32', image, [1, 3, h, w]), mask: new ort.Tensor('float32', mask, [1, 1, h, w]) };

let failed = false;
const fail = (why) => { console.error(`FAIL: ${why}`); failed = true; };
const session = await ort.InferenceSession.create(modelPath, { logSeverityLevel: 3 });
console.log(`${modelPath}: inputs ${session.inputNames.join(', ')}; outputs ${session.outputNames.join(', ')}`);
const own = (await session.run(feeds)).inpainted.data;
let changed = 0, outside = 0;
for (let c = 0; c < 3; c++) for (let p = 0; p < plane; p++) {
  const v = own[c * plane + p];
  if (!(v >= 0 && v <= 255)) outside++;
  if (mask[p] < 127.5 && v !== image[c * plane + p]) changed++;
}
console.log(`two inputs: ${changed} known values changed, ${outside} values outside 0..255`);
if (changed || outside) fail('the contract says known pixels are copied and values are 0..255');

if (prefillPath) {
  // The optional input is an overridable initialiser: ONNX Runtime lists it apart from the inputs, and
  // onnxruntime-node passes on only the feeds its input list names. Whether it arrives is reported, not required:
  // either way the graph must give the contract's output.
  const prefill = await ort.InferenceSession.create(prefillPath, { logSeverityLevel: 3 });
  const prefilled = (await prefill.run(feeds)).inpainted.data;
  const given = (await session.run({ ...feeds, prefilled: new ort.Tensor('float32', prefilled, [1, 3, h, w]) })).inpainted.data;
  const grey = new Float32Array(3 * plane).fill(128);
  const other = (await session.run({ ...feeds, prefilled: new ort.Tensor('float32', grey, [1, 3, h, w]) })).inpainted.data;
  let max = 0, moved = 0;
  for (let i = 0; i < given.length; i++) {
    max = Math.max(max, Math.abs(given[i] - own[i]));
    moved = Math.max(moved, Math.abs(other[i] - own[i]));
  }
  console.log(`fed the pre-fill of ${prefillPath}: max |difference| = ${max.toExponential(2)}`);
  if (!(max <= 0.01)) fail('fed the model\'s own pre-fill, the output must be the graph\'s (exporter tolerance 0.01)');
  console.log(moved > 1
    ? `the optional input 'prefilled' reaches the graph (a grey pre-fill moves the repair by up to ${moved.toFixed(1)})`
    : `this runtime does not pass the optional input 'prefilled' on: the graph ran its own pre-fill`);
}
process.exit(failed ? 1 : 0);
