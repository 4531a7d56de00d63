// boilerline serve: a page's lines coloured by the model's p(content), with labels a person
// flips by click or key, saved to the pages folder; retraining started and followed here.
// Plain JavaScript served by the server itself: no build step, nothing from the network.
"use strict";

const $ = (id) => document.getElementById(id);
const CONTENT = "content";
const CHROME = "chrome";
// How often the training's progress is asked for, in milliseconds.
const TRAINING_POLL_MS = 1000;

// The page shown: the server's view of it, the labels as the person has set them, the line selected.
const view = { page: null, labels: [], selected: -1, rows: [] };

async function api(path, body) {
  const request = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  const response = await fetch(path, request);
  const data = await response.json().catch(() => ({ error: `${response.status} ${response.statusText}` }));
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

function say(text, isError = false) {
  $("message").textContent = text;
  $("message").classList.toggle("error", isError);
}

// Red at 0, yellow at the threshold, green at 1: the doubtful lines stand out.
function colourOf(p, threshold) {
  const hue = p < threshold ? 60 * p / threshold : 60 + 60 * (p - threshold) / (1 - threshold);
  return `hsl(${hue.toFixed(0)}, 75%, 88%)`;
}

async function loadModels(choose) {
  const data = await api("/api/models");
  const select = $("model");
  const current = choose || select.value || data.first;
  select.replaceChildren(...data.models.map((model) => new Option(model.name, model.key)));
  select.value = data.models.some((model) => model.key === current) ? current : data.first;
  $("retrain").disabled = !data.can_train;
  $("retrain").title = data.can_train ? "Train a model on the saved pages and the --data folders"
    : "Start the server with --models DIR to retrain";
}

async function loadFiles() {
  const data = await api("/api/files");
  const files = $("files");
  files.replaceChildren(...data.folders.map((folder, index) => {
    const group = document.createElement("optgroup");
    group.label = folder.name + (folder.cut ? " (first files only)" : "");
    group.append(...folder.files.map((file) => new Option(file, JSON.stringify({ folder: index, file }))));
    return group;
  }));
  $("saved").replaceChildren(...data.saved.map((name) => new Option(name, name)));
}

async function classify(source) {
  say("classifying…");
  try {
    showPage(await api("/api/classify", { model: $("model").value, ...source }));
    say("");
  } catch (error) {
    say(error.message, true);
  }
}

function showPage(page) {
  view.page = page;
  view.labels = page.lines.map((line) => line.label);
  view.selected = -1;
  view.rows = page.lines.map((line, index) => lineRow(line, index, page.threshold));
  $("lines").replaceChildren(...view.rows);
  $("page-id").textContent = page.id;
  $("save").disabled = false;
  view.rows.forEach((row, index) => paint(index));
  describePage();
  applyFilter();
  move(1);
  $("lines").focus({ preventScroll: true });
}

function lineRow(line, index, threshold) {
  const row = document.createElement("li");
  row.className = "line";
  row.dataset.index = index;
  if (line.label === null) {
    row.classList.add("blank");
    return row;
  }
  row.style.background = colourOf(line.p_content, threshold);
  const label = document.createElement("button");
  label.type = "button";
  label.className = "label";
  label.tabIndex = -1;
  label.addEventListener("click", () => {
    select(index);
    flip(index);
    $("lines").focus({ preventScroll: true });
  });
  const p = document.createElement("span");
  p.className = "p";
  p.textContent = line.p_content.toFixed(2);
  const text = document.createElement("span");
  text.className = "text";
  text.dir = "auto";
  text.textContent = line.text;
  row.append(label, p, text);
  row.addEventListener("click", (event) => { if (event.target !== label) select(index); });
  return row;
}

// The row's label as set now, marked edited when it differs from the model's.
function paint(index) {
  const line = view.page.lines[index];
  if (line.label === null) return;
  const label = view.labels[index];
  const button = view.rows[index].querySelector(".label");
  button.textContent = label;
  button.className = `label ${label}`;
  button.title = `model: ${line.model_label} (p ${line.p_content.toFixed(3)}); click to flip`;
  view.rows[index].classList.toggle("edited", label !== line.model_label);
  view.rows[index].dataset.label = label;
}

function describePage() {
  const page = view.page;
  const lines = page.lines.filter((line) => line.label !== null).length;
  const content = view.labels.filter((label) => label === CONTENT).length;
  const edited = view.labels.filter((label, index) => label !== page.lines[index].model_label).length;
  const saved = page.saved_as ? `, saved as ${page.saved_as}` : "";
  const notes = page.notes.length ? ` · ${page.notes.join("; ")}` : "";
  $("page-info").textContent =
    `${lines} lines, ${content} content, ${edited} changed · threshold ${page.threshold.toFixed(2)}${saved}${notes}`;
}

function setLabel(index, label) {
  if (index < 0 || view.labels[index] === null) return;
  view.labels[index] = label;
  paint(index);
  describePage();
}

function flip(index) {
  setLabel(index, view.labels[index] === CONTENT ? CHROME : CONTENT);
}

function select(index) {
  if (view.selected >= 0) view.rows[view.selected].classList.remove("selected");
  view.selected = index;
  if (index < 0) return;
  view.rows[index].classList.add("selected");
  view.rows[index].scrollIntoView({ block: "nearest" });
}

function isDoubtful(index) {
  const line = view.page.lines[index];
  return line.label !== null && Math.abs(line.p_content - view.page.threshold) <= Number($("margin").value);
}

function isShown(index) {
  return view.page.lines[index].label !== null && !view.rows[index].classList.contains("hidden");
}

// Select the next (step 1) or previous (step -1) shown line that has a label.
function move(step) {
  for (let index = view.selected + step; index >= 0 && index < view.rows.length; index += step) {
    if (isShown(index)) {
      select(index);
      return;
    }
  }
}

function applyFilter() {
  if (!view.page) return;
  const onlyDoubtful = $("doubtful").checked;
  view.rows.forEach((row, index) => row.classList.toggle("hidden", onlyDoubtful && !isDoubtful(index)));
  if (view.selected >= 0 && !isShown(view.selected)) {
    select(-1);
    move(1);
  }
}

async function save() {
  try {
    const data = await api("/api/save", { token: view.page.token, labels: view.labels });
    view.page.saved_as = data.saved;
    describePage();
    say(`saved as ${data.saved} in the pages folder`);
    await loadFiles();
  } catch (error) {
    say(error.message, true);
  }
}

async function retrain() {
  try {
    showTraining(await api("/api/training", {}));
  } catch (error) {
    showTraining({ state: "failed", error: error.message });
  }
}

async function pollTraining() {
  showTraining(await api("/api/training"));
}

function showTraining(status) {
  const line = $("training");
  const last = status.log && status.log.length ? status.log[status.log.length - 1] : "";
  line.classList.toggle("error", status.state === "failed");
  if (status.state === "running") {
    $("retrain").disabled = true;
    line.textContent = `training (${status.seconds} s): ${last}`;
    setTimeout(pollTraining, TRAINING_POLL_MS);
  } else if (status.state === "done") {
    line.textContent = `new model ${status.model} in ${status.seconds} s: chosen for the next page`;
    $("retrain").disabled = false;
    loadModels("models/" + status.model);
  } else if (status.state === "failed") {
    line.textContent = `training failed: ${status.error}`;
    $("retrain").disabled = false;
  }
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || !view.page) return;
  const target = event.target;
  if (target.closest("input, textarea, select")) return;
  // A focused button (Open, Save) takes its own space and enter.
  if (target.closest("button") && (event.key === " " || event.key === "Enter")) return;
  const actions = {
    j: () => move(1), ArrowDown: () => move(1), k: () => move(-1), ArrowUp: () => move(-1),
    " ": () => flip(view.selected), Enter: () => flip(view.selected),
    c: () => setLabel(view.selected, CONTENT), x: () => setLabel(view.selected, CHROME),
  };
  const action = actions[event.key];
  if (!action) return;
  event.preventDefault();
  action();
}

function start() {
  $("lines").tabIndex = -1;
  $("classify-paste").addEventListener("click", () => classify({ text: $("paste").value, html: $("paste-html").checked }));
  $("open-file").addEventListener("click", () => {
    if ($("files").value) classify(JSON.parse($("files").value));
  });
  $("open-saved").addEventListener("click", () => {
    if ($("saved").value) classify({ saved: $("saved").value });
  });
  $("save").addEventListener("click", save);
  $("retrain").addEventListener("click", retrain);
  $("doubtful").addEventListener("change", applyFilter);
  $("margin").addEventListener("input", applyFilter);
  document.addEventListener("keydown", onKey);
  Promise.all([loadModels(), loadFiles(), pollTraining()]).catch((error) => say(error.message, true));
}

start();
