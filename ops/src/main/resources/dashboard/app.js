'use strict';
// The streamlearn dashboard page: renders each snapshot the server pushes on /events (server-sent
// events; the browser reconnects by itself) and sends pin / follow requests. Elements are built
// once and updated in place, so charts keep their state between snapshots.

const COLORS = {
  accent: '#5aa9ff', good: '#3ecf8e', warn: '#ffb547', bad: '#ff5d6c',
  forecast: '#c792ea', muted: '#8b96ad', grid: '#273149', loss: '#ffb547',
};
Chart.defaults.color = COLORS.muted;
Chart.defaults.borderColor = COLORS.grid;
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.plugins.legend.labels.boxWidth = 12;

// Metrics the trainer reports, in order of preference; each has a "baseline.<name>" twin.
const PREFERRED_METRICS = ['fadingAccuracy', 'accuracy', 'fadingMae', 'mae', 'fadingLogLoss', 'logLoss'];
// A forecaster's baselines beside persistence ("baseline."): [metric prefix, label, CSS class].
const OTHER_BASELINES = [['seasonalNaive', 'seasonal naive', 'seasonal-naive'], ['autoRegression', 'AR', 'auto-regression']];
// The kinds of score, one per score topic (DashboardState.SCORE_KINDS): the snapshot's scorer has
// <kind>Scores, <kind>PerSecond and <kind>Rate for each.
const SCORE_KINDS = ['text', 'series', 'vector', 'image'];
const RATE_COLORS = { text: COLORS.accent, series: COLORS.good, vector: COLORS.warn, image: COLORS.forecast };
const modelViews = new Map();
let seriesChart = null;
let rateChart = null;

const $ = (id) => document.getElementById(id);

function esc(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  })[c]);
}

function clock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}

function ago(ms, now) {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  if (s < 86400) return `${Math.round(s / 3600)}h ago`;
  return `${Math.round(s / 86400)}d ago`;
}

function num(value, digits = 3) {
  if (value === null || value === undefined || typeof value !== 'number') return '–';
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString();
  return value.toPrecision(digits);
}

function lowerIsBetter(metric) {
  return /mae|rmse|loss/i.test(metric);
}

function primaryMetric(metrics) {
  if (!metrics) return null;
  for (const m of PREFERRED_METRICS) {
    if (typeof metrics[m] === 'number' && typeof metrics['baseline.' + m] === 'number') return m;
  }
  return Object.keys(metrics).find((m) => typeof metrics['baseline.' + m] === 'number') || null;
}

function timeAxis() {
  return { type: 'linear', ticks: { maxTicksLimit: 5, maxRotation: 0, callback: (v) => clock(v) }, grid: { color: COLORS.grid } };
}

function toast(message, isError) {
  const t = $('toast');
  t.textContent = message;
  t.className = 'toast show' + (isError ? ' error' : '');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.className = 'toast'; }, 5000);
}

async function control(action, model, version) {
  const params = new URLSearchParams({ model });
  if (version !== undefined) params.set('version', version);
  try {
    const response = await fetch(`/api/${action}?${params}`, {
      method: 'POST', headers: { 'X-Streamlearn': 'dashboard' },
    });
    const body = await response.json();
    toast(body.message, !body.ok);
  } catch (e) {
    toast(`${action} failed: ${e}`, true);
  }
}

// ---- models -------------------------------------------------------------------------------

function modelView(name) {
  if (modelViews.has(name)) return modelViews.get(name);
  const node = $('model-template').content.firstElementChild.cloneNode(true);
  node.dataset.model = name;
  node.querySelector('.model-name').textContent = name;
  node.querySelector('.follow').addEventListener('click', () => control('follow', name));
  $('models').appendChild(node);
  $('models-empty').hidden = true;
  const training = new Chart(node.querySelector('.training-chart'), {
    type: 'line',
    data: { datasets: [
      { label: 'model', borderColor: COLORS.accent, backgroundColor: COLORS.accent, data: [], pointRadius: 0, borderWidth: 2, yAxisID: 'y' },
      { label: 'baseline', borderColor: COLORS.muted, backgroundColor: COLORS.muted, borderDash: [6, 4], data: [], pointRadius: 0, borderWidth: 1.5, yAxisID: 'y' },
      { label: 'training loss', borderColor: COLORS.loss, backgroundColor: COLORS.loss, data: [], pointRadius: 0, borderWidth: 1, yAxisID: 'y1' },
      // A forecaster's other baselines on the same points (training-metrics seasonalNaive.*,
      // autoRegression.*); empty for models that publish none.
      { label: 'seasonal naive', borderColor: COLORS.good, backgroundColor: COLORS.good, borderDash: [2, 3], data: [], pointRadius: 0, borderWidth: 1.5, yAxisID: 'y' },
      { label: 'AR', borderColor: COLORS.warn, backgroundColor: COLORS.warn, borderDash: [10, 3], data: [], pointRadius: 0, borderWidth: 1.5, yAxisID: 'y' },
    ] },
    options: {
      parsing: false,
      plugins: {
        title: { display: true, text: 'prequential metric vs baseline', align: 'start' },
        // Only the lines a model has: a text model publishes no seasonal naive or AR.
        legend: { labels: { filter: (item, data) => data.datasets[item.datasetIndex].data.length > 0 } },
      },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'examples seen' }, ticks: { maxTicksLimit: 6 } },
        y: { position: 'left' },
        y1: { position: 'right', grid: { drawOnChartArea: false }, title: { display: true, text: 'loss' } },
      },
    },
  });
  const timeline = new Chart(node.querySelector('.timeline-chart'), {
    type: 'line',
    data: { datasets: [
      { label: 'version', stepped: true, borderColor: COLORS.good, backgroundColor: COLORS.good, data: [], pointRadius: 3, borderWidth: 2 },
      // The promotion gate's decisions (model-events): promoted and rolled back to, rejected.
      { label: 'promoted', showLine: false, borderColor: COLORS.accent, backgroundColor: COLORS.accent, data: [], pointRadius: 5, pointStyle: 'triangle' },
      { label: 'rejected', showLine: false, borderColor: COLORS.loss, backgroundColor: COLORS.loss, data: [], pointRadius: 5, pointStyle: 'crossRot' },
      // The trainer's drift detections (DRIFT on model-events), at the newest version before each.
      { label: 'drift', showLine: false, borderColor: COLORS.forecast, backgroundColor: COLORS.forecast, data: [], pointRadius: 6, pointStyle: 'rectRot' },
    ] },
    options: {
      parsing: false,
      plugins: {
        legend: { display: false },
        title: { display: true, text: 'versions published', align: 'start' },
        tooltip: { callbacks: { label: (c) => (c.raw.reason
          ? `v${c.raw.y} ${c.raw.decision.toLowerCase()} · ${c.raw.reason}`
          : `v${c.raw.y} · ${c.raw.examples.toLocaleString()} examples`) } },
      },
      scales: { x: timeAxis(), y: { ticks: { precision: 0 } } },
    },
  });
  const view = { node, training, timeline };
  modelViews.set(name, view);
  return view;
}

function renderModel(model, now) {
  const { node, training, timeline } = modelView(model.name);
  const kind = node.querySelector('.kind');
  kind.textContent = model.kind;
  kind.hidden = !model.kind || model.kind === model.name; // the default model is named after its kind
  const serving = node.querySelector('.serving-version');
  serving.textContent = `v${model.serving}`;
  serving.dataset.version = model.serving;
  const mode = node.querySelector('.mode');
  const gated = model.policy === 'gated';
  mode.textContent = model.pinned ? (model.pinHeld ? `pinned to v${model.pinnedVersion}` : `pin v${model.pinnedVersion} gone`)
    : gated ? (model.candidate ? `gated · v${model.candidate} in shadow` : 'gated') : 'follows latest';
  mode.className = 'badge mode ' + (model.pinned ? 'pinned' : 'follow');
  mode.title = model.controlReason ? `${model.controlReason} (${clock(model.controlAt)})` : '';
  node.querySelector('.follow').disabled = !model.pinned;

  const lastTraining = model.training[model.training.length - 1];
  const lastVersion = model.versions[model.versions.length - 1];
  const metrics = (lastTraining && lastTraining.metrics) || (lastVersion && lastVersion.metrics) || {};
  const metric = primaryMetric(metrics);
  const facts = [`latest <b>v${model.latest}</b>`];
  if (lastVersion) {
    facts.push(`published <b>${ago(lastVersion.createdAt, now)}</b>`);
    facts.push(`examples seen <b>${lastVersion.examplesSeen.toLocaleString()}</b>`);
  }
  if (metric) {
    const mine = metrics[metric];
    const base = metrics['baseline.' + metric];
    const better = lowerIsBetter(metric) ? mine < base : mine > base;
    facts.push(`${esc(metric)} <b class="${better ? 'better' : 'worse'}">${num(mine)}</b> vs baseline <b>${num(base)}</b>`);
    // A forecaster scores persistence (the baseline above), seasonal naive and online AR on the
    // very points it is scored on: whether it earns its place, at a glance.
    for (const [key, label, css] of OTHER_BASELINES) {
      const other = metrics[key + '.' + metric];
      if (typeof other !== 'number') continue;
      const beats = lowerIsBetter(metric) ? mine < other : mine > other;
      facts.push(`${label} <b class="${css} ${beats ? 'better' : 'worse'}">${num(other)}</b>`);
    }
  }
  if (lastTraining && typeof lastTraining.examplesPerSecond === 'number') {
    facts.push(`training <b>${num(lastTraining.examplesPerSecond)}</b> examples/s`);
  }
  // Absent from trainers older than TrainingMetrics v2.
  if (lastTraining && typeof lastTraining.lagMillis === 'number') {
    facts.push(`trainer lag <b class="lag">${num(lastTraining.lagMillis / 1000)} s</b>`);
  }
  if (lastTraining && typeof lastTraining.batchSize === 'number') {
    facts.push(`mini-batch <b class="batch-size">${lastTraining.batchSize}</b>`);
  }
  if (model.scoredAt) {
    facts.push(`last score by <b>v${model.scoredWith}</b> ${ago(model.scoredAt, now)}`);
  }
  const decisions = model.decisions || [];
  // The trainer's DRIFT records share model-events with the gate's decisions but decide nothing.
  const gateDecisions = decisions.filter((d) => d.decision !== 'DRIFT');
  const lastDecision = gateDecisions[gateDecisions.length - 1];
  if (lastDecision) {
    facts.push(`gate: v${lastDecision.version} <b class="${lastDecision.decision === 'PROMOTED' ? 'better' : 'worse'} gate-decision">`
      + `${lastDecision.decision.toLowerCase().replace('_', ' ')}</b> <span class="hint">${esc(lastDecision.reason)}</span>`);
  }
  const drifts = decisions.filter((d) => d.decision === 'DRIFT');
  const lastDrift = drifts[drifts.length - 1];
  if (lastDrift) {
    facts.push(`drift at <b class="worse drift" title="${esc(lastDrift.reason)}">v${lastDrift.version}</b> ${ago(lastDrift.at, now)}`);
  }
  if (model.rejectedVersions > 0) {
    // Signature refusals (unsigned, unknown key, tampered) are named apart: someone wrote them.
    const untrusted = model.untrustedVersions > 0
      ? `, <b class="worse untrusted">${model.untrustedVersions}</b> for their signature` : '';
    facts.push(`<b class="worse" title="${esc(model.lastRefusal || '')}">${model.rejectedVersions}</b>`
      + ` versions refused${untrusted}`);
    if (model.lastRefusal) {
      facts.push(`last refused: <span class="refusal">${esc(model.lastRefusal)}</span>`);
    }
  }
  node.querySelector('.model-facts').innerHTML = facts.map((f) => `<span>${f}</span>`).join('');

  node.querySelector('.held-list').innerHTML = model.held.slice().reverse().map((v) =>
    `<button type="button" data-version="${v}" class="${v === model.serving ? 'serving' : ''}"`
    + ` title="${v === model.serving ? 'serving now' : 'pin this version'}">v${v}</button>`).join(' ');
  node.querySelectorAll('.held-list button').forEach((b) => {
    b.addEventListener('click', () => control('pin', model.name, b.dataset.version));
  });

  const points = model.training.length ? model.training : model.versions;
  if (metric) {
    training.data.datasets[0].label = metric;
    training.data.datasets[1].label = 'baseline ' + metric;
    training.data.datasets[0].data = points.filter((p) => p.metrics && typeof p.metrics[metric] === 'number')
      .map((p) => ({ x: p.examplesSeen, y: p.metrics[metric] }));
    training.data.datasets[1].data = points.filter((p) => p.metrics && typeof p.metrics['baseline.' + metric] === 'number')
      .map((p) => ({ x: p.examplesSeen, y: p.metrics['baseline.' + metric] }));
  }
  training.data.datasets[2].data = model.training.filter((p) => typeof p.loss === 'number')
    .map((p) => ({ x: p.examplesSeen, y: p.loss }));
  OTHER_BASELINES.forEach(([key], i) => {
    const name = key + '.' + metric;
    training.data.datasets[3 + i].data = metric
      ? points.filter((p) => p.metrics && typeof p.metrics[name] === 'number')
        .map((p) => ({ x: p.examplesSeen, y: p.metrics[name] }))
      : [];
  });
  training.update('none');

  timeline.data.datasets[0].data = model.versions.map((v) => ({ x: v.createdAt, y: v.version, examples: v.examplesSeen }));
  const decided = (kinds) => decisions.filter((d) => kinds.includes(d.decision))
    .map((d) => ({ x: d.at, y: d.version, decision: d.decision, reason: d.reason }));
  timeline.data.datasets[1].data = decided(['PROMOTED', 'ROLLED_BACK']);
  timeline.data.datasets[2].data = decided(['REJECTED']);
  timeline.data.datasets[3].data = decided(['DRIFT']);
  timeline.update('none');
  // What the timeline drew, for a reader of the DOM (the browser test): per series, the points
  // that landed inside the plot area.
  const area = timeline.chartArea;
  if (area) {
    timeline.canvas.dataset.drawn = timeline.data.datasets.map((d, i) => `${d.label} ${timeline.getDatasetMeta(i).data
      .filter((p) => !p.skip && p.x >= area.left - 1 && p.x <= area.right + 1 && p.y >= area.top - 1 && p.y <= area.bottom + 1)
      .length}`).join(', ');
  }

  node.querySelector('.metric-head').textContent = metric || 'metric';
  node.querySelector('.versions tbody').innerHTML = model.versions.slice(-6).reverse().map((v) => `
    <tr class="${v.version === model.serving ? 'serving-row' : ''}">
      <td>v${v.version}${v.version === model.serving ? ' ◀ serving' : ''}</td>
      <td>${clock(v.createdAt)} <span class="hint">${ago(v.createdAt, now)}</span></td>
      <td>${v.examplesSeen.toLocaleString()}</td>
      <td>${metric ? num(v.metrics[metric]) : '–'}</td>
      <td class="sha">${esc(v.sha256.slice(0, 12))}</td>
    </tr>`).join('');
}

// ---- scorer, series, text, dead letters -------------------------------------------------------

function renderScorer(scorer, series, deadLetters) {
  $('kpi-text-rate').textContent = num(scorer.textPerSecond);
  $('kpi-series-rate').textContent = num(scorer.seriesPerSecond);
  // The families a default pipeline lacks get a rate of their own once they have scored.
  for (const kind of ['vector', 'image']) {
    $(`kpi-${kind}-rate`).textContent = num(scorer[kind + 'PerSecond']);
    $(`kpi-${kind}-rate`).parentElement.hidden = !(scorer[kind + 'Scores'] > 0);
  }
  const seen = SCORE_KINDS.filter((k) => scorer[k + 'Scores'] > 0);
  $('kpi-scores').textContent = seen.reduce((sum, k) => sum + scorer[k + 'Scores'], 0).toLocaleString();
  // Per kind on hover, on the KPI's box so the value's element stays as it was.
  $('kpi-scores').parentElement.title = seen.map((k) => `${k} ${scorer[k + 'Scores'].toLocaleString()}`).join(' · ');
  $('kpi-anomalies').textContent = series.anomalies.toLocaleString();
  $('kpi-dead').textContent = deadLetters.total.toLocaleString();
  $('kpi-dead').className = 'value' + (deadLetters.total > 0 ? ' bad' : '');
  $('kpi-anomalies').className = 'value' + (series.anomalies > 0 ? ' warn' : '');
  if (!rateChart) {
    rateChart = new Chart($('rate-chart'), {
      type: 'line',
      data: { datasets: SCORE_KINDS.map((kind) => ({
        label: kind, borderColor: RATE_COLORS[kind], backgroundColor: RATE_COLORS[kind], data: [], pointRadius: 0, borderWidth: 2,
      })) },
      options: {
        parsing: false,
        // Only the kinds that have scored: a pipeline of CNNs alone shows one line, named image.
        plugins: { legend: { labels: { filter: (item, data) => data.datasets[item.datasetIndex].data.length > 0 } } },
        scales: { x: timeAxis(), y: { beginAtZero: true, title: { display: true, text: 'events/s' } } },
      },
    });
  }
  SCORE_KINDS.forEach((kind, i) => {
    rateChart.data.datasets[i].data = seen.includes(kind) ? scorer[kind + 'Rate'].map(([t, c]) => ({ x: t, y: c })) : [];
  });
  rateChart.update('none');
  // What the chart drew, for a reader of the DOM (the browser test): a canvas's pixels are not in it.
  $('rate-chart').dataset.drawn = rateChart.legend.legendItems.map((item) => item.text).join(', ');
  const groups = Object.entries(scorer.lag);
  if (groups.length > 0) {
    $('lag').innerHTML = groups.map(([group, lag]) =>
      `<span class="group" data-group="${esc(group)}">${esc(group)} <b class="${lag > 1000 ? 'worse' : ''}">${lag.toLocaleString()}</b></span>`).join('');
  }
}

function renderSeries(series) {
  $('anomaly-threshold').textContent = series.threshold;
  const ids = Object.keys(series.series);
  $('series-empty').hidden = ids.length > 0;
  const select = $('series-select');
  const chosen = ids.includes(select.value) ? select.value : ids[0];
  select.innerHTML = ids.map((id) => `<option value="${esc(id)}">${esc(id)}</option>`).join('');
  if (chosen !== undefined) select.value = chosen;
  if (!seriesChart) {
    seriesChart = new Chart($('series-chart'), {
      type: 'line',
      data: { datasets: [
        { label: 'actual', borderColor: COLORS.accent, backgroundColor: COLORS.accent, data: [], pointRadius: 0, borderWidth: 2 },
        { label: 'forecast', borderColor: COLORS.forecast, backgroundColor: COLORS.forecast, borderDash: [5, 3], data: [], pointRadius: 0, borderWidth: 2 },
        { label: "model's forecast", borderColor: COLORS.muted, backgroundColor: COLORS.muted, borderDash: [2, 3], data: [], pointRadius: 0, borderWidth: 1, spanGaps: false },
        { label: 'anomaly', type: 'scatter', borderColor: COLORS.bad, backgroundColor: COLORS.bad, data: [], pointRadius: 5, pointHoverRadius: 7 },
      ] },
      options: {
        parsing: false,
        plugins: { legend: { display: false },
          tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${num(c.raw.y, 4)}${c.raw.score ? ` (anomaly score ${num(c.raw.score)})` : ''}` } } },
        scales: { x: timeAxis(), y: {} },
      },
    });
  }
  const points = chosen === undefined ? [] : series.series[chosen];
  seriesChart.data.datasets[0].data = points.map((p) => ({ x: p[0], y: p[1] }));
  seriesChart.data.datasets[1].data = points.map((p) => ({ x: p[0], y: p[2] }));
  // Fields 5-8: forecastBy, modelForecast, recentModelMae, recentPersistenceMae (SeriesBoard).
  seriesChart.data.datasets[2].data = points.map((p) => ({ x: p[0], y: p[5] !== null && p[5] !== undefined && p[5] !== 'model' ? p[6] : null }));
  seriesChart.data.datasets[3].data = points.filter((p) => p[3] !== null && p[3] >= series.threshold)
    .map((p) => ({ x: p[0], y: p[1], score: p[3] }));
  seriesChart.update('none');
  const latest = [...points].reverse().find((p) => p[5] !== null && p[5] !== undefined);
  const badge = $('series-forecast-by');
  badge.hidden = latest === undefined;
  if (latest !== undefined) {
    badge.textContent = `forecast by ${latest[5]}`;
    badge.className = `badge ${latest[5]}`;
    badge.title = latest[7] === null ? 'no recent errors yet'
      : `recent MAE: whole model ${num(latest[7], 4)}, persistence ${num(latest[8], 4)}`;
  }
  const by = series.scoredBy || {};
  const total = Object.values(by).reduce((a, b) => a + b, 0);
  $('series-scored-by').textContent = total === 0 ? ''
    : 'points forecast by ' + Object.entries(by).map(([k, n]) => `${k} ${n.toLocaleString()}`).join(', ')
      + ' (each series by the expert with the lowest recent error)';
}

// Tokens are the tokenizer's: lower-cased maximal runs of letters and digits.
function highlight(text, contributions) {
  return text.split(/([\p{L}\p{N}]+)/u).map((part) => {
    const c = contributions.get(part.toLowerCase());
    if (c === undefined) return esc(part);
    return `<mark class="token ${c >= 0 ? 'pos' : 'neg'}" title="${c >= 0 ? '+' : ''}${num(c)}">${esc(part)}</mark>`;
  }).join('');
}

// An attention-text-classifier's score: each token shaded by the attention paid to it, the
// strongest one at full strength (weights sum to 1 over a text, so they are scaled to the largest).
function shade(text, attention) {
  const weights = new Map(attention.map((a) => [a.token, a.weight]));
  const max = Math.max(1e-12, ...attention.map((a) => a.weight));
  return text.split(/([\p{L}\p{N}]+)/u).map((part) => {
    const w = weights.get(part.toLowerCase());
    if (w === undefined) return esc(part);
    return `<mark class="token attn" style="--attn:${(w / max).toFixed(3)}" title="attention ${num(w, 3)}">${esc(part)}</mark>`;
  }).join('');
}

function contributionChip(t) {
  return `<mark class="token chip ${t.contribution >= 0 ? 'pos' : 'neg'}">${esc(t.token)} ${t.contribution >= 0 ? '+' : ''}${num(t.contribution, 2)}</mark>`;
}

// Beside an attention score: its most attended tokens, then the exact contributions the
// embedding bag's score of the same text gives, when that score is among the latest.
function attentionChips(s, latest) {
  const max = Math.max(1e-12, ...s.attention.map((a) => a.weight));
  const top = [...s.attention].sort((a, b) => b.weight - a.weight).slice(0, 8)
    .map((a) => `<mark class="token chip attn" style="--attn:${(a.weight / max).toFixed(3)}">${esc(a.token)} ${num(a.weight, 3)}</mark>`).join('');
  const bag = latest.find((o) => o !== s && o.eventId === s.eventId && !o.attention && o.topTokens.length > 0);
  const beside = bag === undefined ? ''
    : `<span class="beside">${esc(bag.model)} v${bag.modelVersion}:</span>${bag.topTokens.map(contributionChip).join('')}`;
  return `<span class="beside">attention:</span>${top}${beside}`;
}

function millis(ms) {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function renderText(text) {
  if (text.latencyMs) {
    $('kpi-latency').textContent = `${millis(text.latencyMs.p50)} · ${millis(text.latencyMs.p99)}`;
  }
  $('text-accuracy').textContent = text.labelled > 0
    ? `${text.correct.toLocaleString()} of ${text.labelled.toLocaleString()} labelled scores right (${(100 * text.correct / text.labelled).toFixed(1)}%)`
    : '';
  if (text.latest.length === 0) return;
  $('text-scores').innerHTML = text.latest.map((s) => {
    const contributions = new Map(s.topTokens.map((t) => [t.token, t.contribution]));
    const p = s.probabilities[s.predictedLabel];
    const verdict = s.trueLabel === null ? ''
      : s.trueLabel === s.predictedLabel ? '<span class="verdict right">✓ right</span>'
        : `<span class="verdict wrong">✗ was ${esc(s.trueLabel)}</span>`;
    const attention = Array.isArray(s.attention) ? s.attention : null;
    const body = s.text === null ? '<span class="empty">text not read yet</span>'
      : attention ? shade(s.text, attention) : highlight(s.text, contributions);
    const chips = attention ? attentionChips(s, text.latest) : s.topTokens.map(contributionChip).join('');
    return `<div class="text-score" data-event="${esc(s.eventId)}" data-version="${s.modelVersion}">
      <div class="meta"><span class="pred ${esc(s.predictedLabel)}">${esc(s.predictedLabel)}</span>
        <span>${typeof p === 'number' ? (100 * p).toFixed(1) + '%' : ''}</span>${verdict}
        <span>${esc(s.model)} v${s.modelVersion}</span><span>${esc(s.eventId)}</span><span>${clock(s.scoredAt)}</span></div>
      <div class="text-body">${body}</div>
      <div class="tokens">${chips}</div>
    </div>`;
  }).join('');
}

// A vector card appears once an mlp-classifier model has scored something.
function renderVector(vector) {
  if (!vector || vector.latest.length === 0) return;
  $('vector-card').hidden = false;
  $('vector-accuracy').textContent = vector.labelled > 0
    ? `${vector.correct.toLocaleString()} of ${vector.labelled.toLocaleString()} labelled scores right (${(100 * vector.correct / vector.labelled).toFixed(1)}%)`
    : '';
  $('vector-scores').innerHTML = vector.latest.map((s) => {
    const p = s.probabilities[s.predictedLabel];
    const verdict = s.trueLabel === null ? ''
      : s.trueLabel === s.predictedLabel ? '<span class="verdict right">✓ right</span>'
        : `<span class="verdict wrong">✗ was ${esc(s.trueLabel)}</span>`;
    const chips = s.contributions.map((c, i) =>
      `<mark class="token chip ${c >= 0 ? 'pos' : 'neg'}" title="feature ${i}">x${i} ${c >= 0 ? '+' : ''}${num(c, 2)}</mark>`).join('');
    return `<div class="text-score vector-score" data-event="${esc(s.eventId)}" data-version="${s.modelVersion}">
      <div class="meta"><span class="pred">${esc(s.predictedLabel)}</span>
        <span>${typeof p === 'number' ? (100 * p).toFixed(1) + '%' : ''}</span>${verdict}
        <span>${esc(s.model)} v${s.modelVersion}</span><span>${esc(s.eventId)}</span><span>${clock(s.scoredAt)}</span></div>
      <div class="tokens">${chips}</div>
    </div>`;
  }).join('');
}

// A digit card appears once a cnn-classifier model has scored something: the newest scored image
// whose pixels the page has, drawn large under its saliency grid, and the ones before it small.
function renderImage(image) {
  if (!image || image.latest.length === 0) return;
  $('image-card').hidden = false;
  $('image-accuracy').textContent = image.labelled > 0
    ? `${image.correct.toLocaleString()} of ${image.labelled.toLocaleString()} labelled scores right (${(100 * image.correct / image.labelled).toFixed(1)}%)`
    : '';
  const drawable = image.latest.filter((s) => s.image !== null);
  const shown = drawable.length > 0 ? drawable[0] : image.latest[0];
  const verdict = (s) => (s.trueLabel === null ? ''
    : s.trueLabel === s.predictedLabel ? '<span class="verdict right">✓ right</span>'
      : `<span class="verdict wrong">✗ was ${esc(s.trueLabel)}</span>`);
  const p = shown.probabilities[shown.predictedLabel];
  const top = Object.entries(shown.probabilities).sort((a, b) => b[1] - a[1]).slice(0, 3)
    .map(([label, q]) => `<span>${esc(label)} ${(100 * q).toFixed(1)}%</span>`).join('');
  const main = $('image-main');
  main.dataset.event = shown.eventId;
  main.dataset.version = shown.modelVersion;
  $('image-meta').innerHTML = `<div><span class="pred">${esc(shown.predictedLabel)}</span>
      <span>${typeof p === 'number' ? (100 * p).toFixed(1) + '%' : ''}</span>${verdict(shown)}</div>
    <div class="top">${top}</div>
    <div>${esc(shown.model)} v${shown.modelVersion} · ${esc(shown.eventId)} · ${clock(shown.scoredAt)}</div>
    ${shown.image === null ? '<div class="empty">image not read yet</div>' : ''}`;
  drawImage($('image-canvas'), shown, 224);
  $('image-strip').innerHTML = '';
  drawable.slice(1).forEach((s) => {
    const cell = document.createElement('div');
    cell.className = 'image-thumb';
    cell.dataset.event = s.eventId;
    const canvas = document.createElement('canvas');
    cell.appendChild(canvas);
    const label = document.createElement('div');
    label.innerHTML = `<span class="pred">${esc(s.predictedLabel)}</span>${verdict(s)}`;
    cell.appendChild(label);
    $('image-strip').appendChild(cell);
    drawImage(canvas, s, 56);
  });
}

// The image as it is (greyscale, or RGB for 3 channels), scaled without smoothing to `side` pixels
// wide, under a translucent grid of its saliency cells: green where the region pushed toward the
// predicted label, red where it pushed away, the strongest at 60% opacity. Cells are spread evenly
// over the image (exact when its size is a multiple of the cell, as 28 is of 4).
function drawImage(canvas, s, side) {
  const ctx = canvas.getContext('2d');
  const image = s.image;
  if (image === null) {
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    return;
  }
  const { width, height, channels } = image;
  canvas.width = side;
  canvas.height = Math.max(1, Math.round(side * height / width));
  const bytes = Uint8Array.from(atob(image.pixels), (c) => c.charCodeAt(0));
  const source = document.createElement('canvas');
  source.width = width;
  source.height = height;
  const pixels = source.getContext('2d').createImageData(width, height);
  for (let i = 0; i < width * height; i++) {
    const r = bytes[i * channels];
    pixels.data[i * 4] = r;
    pixels.data[i * 4 + 1] = channels === 3 ? bytes[i * channels + 1] : r;
    pixels.data[i * 4 + 2] = channels === 3 ? bytes[i * channels + 2] : r;
    pixels.data[i * 4 + 3] = 255;
  }
  source.getContext('2d').putImageData(pixels, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(source, 0, 0, canvas.width, canvas.height);
  const cellsWide = s.saliencyWidth;
  const cellsHigh = s.saliencyHeight;
  const strongest = Math.max(0, ...s.saliency.map(Math.abs));
  let shaded = 0;
  // What was drawn, for a reader of the DOM (the browser test): a canvas's pixels are not in it.
  canvas.dataset.drawn = `${width}x${height}x${channels}, ${shaded} cells shaded`;
  if (strongest === 0 || cellsWide === 0 || cellsHigh === 0) return;
  for (let cy = 0; cy < cellsHigh; cy++) {
    for (let cx = 0; cx < cellsWide; cx++) {
      const v = s.saliency[cy * cellsWide + cx];
      if (v === 0) continue;
      shaded++;
      const alpha = (0.6 * Math.abs(v) / strongest).toFixed(3);
      ctx.fillStyle = v > 0 ? `rgba(62, 207, 142, ${alpha})` : `rgba(255, 93, 108, ${alpha})`;
      const x0 = Math.round(cx * canvas.width / cellsWide);
      const y0 = Math.round(cy * canvas.height / cellsHigh);
      const x1 = Math.round((cx + 1) * canvas.width / cellsWide);
      const y1 = Math.round((cy + 1) * canvas.height / cellsHigh);
      ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
    }
  }
  canvas.dataset.drawn = `${width}x${height}x${channels}, ${shaded} cells shaded`;
}

function renderDeadLetters(deadLetters) {
  if (deadLetters.reasons.length === 0) return;
  $('dead-letters').innerHTML = deadLetters.reasons.map((r) => `
    <div class="dl">
      <div class="dl-head"><span class="dl-count">${r.count.toLocaleString()}</span>
        <span class="badge">${esc(r.stage)}</span><span class="dl-reason">${esc(r.reason)}</span></div>
      ${r.latest.slice(0, 2).map((e) => `<div class="dl-example">${esc(e.sourceTopic)}[${e.partition}]@${e.offset} · ${clock(e.at)}
        ${e.value === null ? '' : `· <code>${esc(e.value.slice(0, 90))}</code>`}</div>`).join('')}
    </div>`).join('');
}

// ---- wiring ---------------------------------------------------------------------------------

function render(snapshot) {
  const now = snapshot.now;
  Object.values(snapshot.models).forEach((m) => renderModel(m, now));
  renderScorer(snapshot.scorer, snapshot.series, snapshot.deadLetters);
  renderSeries(snapshot.series);
  renderText(snapshot.text);
  renderVector(snapshot.vector);
  renderImage(snapshot.image);
  renderDeadLetters(snapshot.deadLetters);
  const status = $('status');
  if (snapshot.feedProblem) {
    status.classList.add('problem');
    $('status-text').textContent = snapshot.feedProblem;
  } else {
    status.classList.remove('problem');
    $('status-text').textContent = `live · updated ${clock(now)}`;
  }
}

// ?snapshots=N stops listening after N updates and freezes the view: for a printout, and for a
// headless browser, whose virtual clock stands still while a request (the stream) is open.
const snapshotLimit = Number(new URLSearchParams(location.search).get('snapshots')) || Infinity;

function connect() {
  const status = $('status');
  const events = new EventSource('/events');
  let received = 0;
  events.addEventListener('open', () => { status.className = 'status live'; });
  events.addEventListener('error', () => {
    status.className = 'status down';
    $('status-text').textContent = 'disconnected · retrying';
  });
  events.addEventListener('snapshot', (e) => {
    const snapshot = JSON.parse(e.data);
    render(snapshot);
    if (++received >= snapshotLimit) {
      events.close();
      status.className = 'status';
      $('status-text').textContent = `frozen after ${received} live updates · ${clock(snapshot.now)}`;
    }
  });
}

$('series-select').addEventListener('change', () => fetch('/api/snapshot').then((r) => r.json()).then(render));
fetch('/api/snapshot').then((r) => r.json()).then(render).finally(connect);
