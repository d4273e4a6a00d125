// Errand's dashboard: polls the service's JSON endpoints and draws them. No framework and no build
// step. Everything from the server is put in the page as text, never as HTML: dead letters carry
// whatever a sender wrote.
'use strict';

const POLL_MS = 2000;
const HISTORY = 90; // depths the service keeps per queue: three minutes at one reading every 2 s
const selected = new Set();
let deadLetterFilters = { queue: '', reason: '' };

function api(path, options = {}) {
  // location.origin never carries user:password, so a URL-authenticated page can still fetch.
  return fetch(new URL(path, location.origin), Object.assign({ credentials: 'same-origin' }, options));
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === 'class') node.className = value;
    else if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(child);
  return node;
}

function td(value, className) {
  return el('td', className ? { class: className, text: String(value) } : { text: String(value) });
}

function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  if (seconds < 60) return Math.round(seconds) + ' s';
  if (seconds < 3600) return Math.floor(seconds / 60) + ' min ' + Math.round(seconds % 60) + ' s';
  return Math.floor(seconds / 3600) + ' h ' + Math.round((seconds % 3600) / 60) + ' min';
}

function rate(value) {
  return value >= 10 ? Math.round(value).toString() : value.toFixed(1);
}

function sparkline(values) {
  const width = 110, height = 26;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  if (values.length > 1) {
    const max = Math.max(1, ...values);
    const step = width / (HISTORY - 1);
    const offset = width - step * (values.length - 1);
    const points = values.map((v, i) => `${(offset + i * step).toFixed(1)},${(height - 2 - (v / max) * (height - 4)).toFixed(1)}`);
    const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    line.setAttribute('points', points.join(' '));
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', '#2f6fde');
    line.setAttribute('stroke-width', '1.5');
    svg.append(line);
  }
  return svg;
}

function renderQueues(queues, outbox) {
  const body = document.querySelector('#queues tbody');
  body.replaceChildren(...queues.map(q => {
    const history = q.depthHistory.slice(-HISTORY);
    const row = el('tr', { 'data-queue': q.queue },
      td(q.queue + (q.deadLetters ? ' (DLQ)' : '')), td(q.depth, 'num depth'), el('td', {}, sparkline(history)),
      td(rate(q.inPerSecond), 'num'), td(rate(q.outPerSecond), 'num'), td(q.inFlight, 'num'),
      td(q.scheduled, 'num'), td(duration(q.oldestAgeSeconds), 'num'));
    return row;
  }));
  document.getElementById('outbox').textContent =
    `${outbox.backlog} waiting` + (outbox.backlog > 0 ? `, oldest ${duration(outbox.oldestAgeSeconds)}` : '');
}

function renderProgress(batches) {
  const container = document.getElementById('progress');
  if (batches.length === 0) {
    container.replaceChildren(el('p', { class: 'empty', text: 'Nothing in progress yet.' }));
    return;
  }
  container.replaceChildren(...batches.map(b => {
    const percent = Math.floor(b.percent);
    const bar = el('div', {
      class: 'bar' + (b.finished ? (b.failed > 0 ? ' failures' : ' done') : ''),
      role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(percent),
      'data-progress-id': `${b.kind}:${b.id}`
    }, el('div', { style: `width: ${b.percent}%` }));
    const pace = b.finished ? 'finished' : `${rate(b.perSecond)}/s, ETA ${b.etaSeconds === null ? '–' : duration(b.etaSeconds)}`;
    const head = [el('strong', { text: `${b.name} (#${b.id})` }), el('span', { class: 'percent', text: `${percent}%` })];
    if (b.kind === 'workflow' && !b.finished) {
      head.push(cancelButton(b));
    }
    return el('div', { class: 'progress-item' },
      el('div', { class: 'progress-head' }, ...head),
      bar,
      el('div', { class: 'meta', text: `${b.status}: ${b.done} done, ${b.failed} failed of ${b.total} · ${pace}` }));
  }));
}

// What an action's answer says, in the status line under its section: what it did, or the problem.
async function answer(response, elementId, done) {
  const message = document.getElementById(elementId);
  if (response.ok) {
    message.textContent = await done();
    message.className = 'message';
  } else {
    const problem = await response.json().catch(() => ({}));
    message.textContent = `${problem.title || 'HTTP ' + response.status}: ${problem.detail || ''}`;
    message.className = 'message error';
  }
}

// An admin's cancel: the workflow and every call under it stop (POST /errand/calls/{id}/cancel).
function cancelButton(workflow) {
  const button = el('button', { type: 'button', class: 'cancel', text: 'Cancel', 'data-cancel': workflow.id });
  button.addEventListener('click', async () => {
    const response = await api(`/errand/calls/${encodeURIComponent(workflow.id)}/cancel`, { method: 'POST' });
    await answer(response, 'progress-message',
      async () => `Cancelled ${workflow.name} (#${workflow.id}): ${(await response.json()).cancelled} call(s)`);
    await refreshSnapshot();
  });
  return button;
}

function renderFlow(breakers, consumers) {
  const chips = document.getElementById('breakers');
  chips.replaceChildren(...(breakers.length === 0
    ? [el('li', { text: 'no circuit breakers' })]
    : breakers.map(b => el('li', { class: 'state-' + b.state, 'data-breaker': b.name,
        text: `${b.name}: ${b.state.toLowerCase().replace('_', '-')} (pauses ${b.consumers.join(', ')})` }))));
  document.querySelector('#consumers tbody').replaceChildren(...consumers.map(c => el('tr', { 'data-consumer': c.channel },
    td(c.channel), td(c.concurrencyLimit, 'num'), td(c.running, 'num'), td(c.waiting, 'num'), td(c.started, 'num'),
    td(c.pausedFor.length === 0 ? 'running' : c.pausedFor.join(', ').toLowerCase(), c.pausedFor.length ? 'paused' : ''),
    el('td', {}, pauseButton(c)))));
}

// An operator's pause: the consumer starts nothing new until resumed; its messages stay on the broker.
function pauseButton(consumer) {
  const paused = consumer.pausedFor.includes('OPERATOR');
  const button = el('button', { type: 'button', class: paused ? 'resume' : 'pause', text: paused ? 'Resume' : 'Pause' });
  button.addEventListener('click', async () => {
    const action = paused ? 'resume' : 'pause';
    const response = await api(`/errand/consumers/${encodeURIComponent(consumer.channel)}/${action}`, { method: 'POST' });
    await answer(response, 'consumer-message', async () => `${paused ? 'Resumed' : 'Paused'} ${consumer.channel}`);
    await refreshSnapshot();
  });
  return button;
}

async function refreshSnapshot() {
  const response = await api('/errand/dashboard');
  if (!response.ok) throw new Error(`dashboard: HTTP ${response.status}`);
  const snapshot = await response.json();
  renderQueues(snapshot.queues, snapshot.outbox);
  renderProgress(snapshot.progress);
  renderFlow(snapshot.breakers, snapshot.consumers);
  renderBackground(snapshot.background);
  renderHistory(snapshot.history);
}

// What Errand keeps (markers, steps, calls, dead letters) and whether retention keeps up with it.
function renderHistory(history) {
  const line = document.getElementById('history');
  line.textContent = history.summary;
  line.className = history.pastRetention ? 'paused' : '';
}

// The background's limit as the foreground-first controller set it, and why.
function renderBackground(background) {
  const line = document.getElementById('background');
  line.textContent = background.summary;
  line.className = background.heldBack ? 'paused' : '';
}

function fillSelect(select, values, current) {
  const options = [el('option', { value: '', text: 'all' })];
  for (const value of values) options.push(el('option', { value, text: value }));
  select.replaceChildren(...options);
  select.value = values.includes(current) ? current : '';
}

function deadLetterRow(letter) {
  const box = el('input', { type: 'checkbox', 'aria-label': `select ${letter.id}`, class: 'select' });
  box.checked = selected.has(letter.id);
  box.addEventListener('change', () => {
    if (box.checked) selected.add(letter.id); else selected.delete(letter.id);
    updateSelectionButtons();
  });
  const history = (letter.history || []).map(h => `#${h.attempt} ${h.at}: ${h.error}`).join('\n');
  const detail = el('details', {}, el('summary', { text: 'details' }),
    el('pre', { text: `message-id: ${letter.messageId}\nconsumer: ${letter.consumer}\nsubject: ${letter.subject}\n` +
      `error: ${letter.errorClass}: ${letter.errorMessage}\n\nhistory:\n${history || '(none)'}\n\nbody:\n${letter.body}` }));
  const replay = el('button', { type: 'button', class: 'replay', text: 'Replay' });
  replay.addEventListener('click', () => act(`/errand/dead-letters/${letter.id}/replay`, 'POST', `Replayed ${letter.id}`));
  const discard = el('button', { type: 'button', class: 'discard danger', text: 'Delete' });
  discard.addEventListener('click', () => act(`/errand/dead-letters/${letter.id}`, 'DELETE', `Deleted ${letter.id}`));
  return el('tr', { 'data-dead-letter-id': String(letter.id) },
    el('td', {}, box), td(letter.id, 'num'), td(letter.queue), td(letter.reason),
    el('td', {}, el('span', { text: letter.errorMessage || letter.errorClass || '' }), detail),
    td(letter.attempts, 'num'), td(new Date(letter.deadLetteredAt).toLocaleString()), el('td', {}, replay, ' ', discard));
}

async function refreshDeadLetters() {
  const summary = await (await api('/errand/dead-letters/summary')).json();
  fillSelect(document.getElementById('filter-queue'), [...new Set(summary.map(t => t.queue))], deadLetterFilters.queue);
  fillSelect(document.getElementById('filter-reason'), [...new Set(summary.map(t => t.reason))], deadLetterFilters.reason);
  const query = new URLSearchParams({ size: '100' });
  if (deadLetterFilters.queue) query.set('queue', deadLetterFilters.queue);
  if (deadLetterFilters.reason) query.set('reason', deadLetterFilters.reason);
  const page = await (await api('/errand/dead-letters?' + query)).json();
  const shown = new Set(page.items.map(l => l.id));
  for (const id of [...selected]) if (!shown.has(id)) selected.delete(id);
  // Keep open details open across refreshes: only redraw when the list changed.
  const body = document.querySelector('#dead-letters tbody');
  const signature = page.items.map(l => `${l.id}:${l.status}`).join(',');
  if (body.dataset.signature !== signature) {
    body.dataset.signature = signature;
    body.replaceChildren(...page.items.map(deadLetterRow));
  }
  document.getElementById('dead-letter-total').textContent =
    page.total > page.items.length ? `(${page.items.length} of ${page.total})` : `(${page.total})`;
  updateSelectionButtons();
}

function updateSelectionButtons() {
  document.getElementById('replay-selected').disabled = selected.size === 0;
  document.getElementById('discard-selected').disabled = selected.size === 0;
}

function say(text, error) {
  const message = document.getElementById('dead-letter-message');
  message.textContent = text;
  message.className = 'message' + (error ? ' error' : '');
}

async function act(path, method, done, body) {
  const options = { method };
  if (body) {
    options.headers = { 'Content-Type': 'application/json' };
    options.body = JSON.stringify(body);
  }
  const response = await api(path, options);
  if (response.ok) {
    say(done);
  } else {
    const problem = await response.json().catch(() => ({}));
    say(`${problem.title || 'HTTP ' + response.status}: ${problem.detail || ''}`, true);
  }
  await refreshDeadLetters();
}

function actOnSelection(action) {
  const ids = [...selected];
  const verb = action === 'replay' ? 'Replayed' : 'Deleted';
  selected.clear();
  return act(`/errand/dead-letters/selection/${action}`, 'POST', `${verb} ${ids.length} dead letter(s)`, { ids });
}

async function poll() {
  const status = document.getElementById('status');
  try {
    await Promise.all([refreshSnapshot(), refreshDeadLetters()]);
    status.textContent = 'updated ' + new Date().toLocaleTimeString();
    status.className = 'status';
  } catch (error) {
    status.textContent = 'cannot reach the service: ' + error.message;
    status.className = 'status error';
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('filter-queue').addEventListener('change', e => {
    deadLetterFilters.queue = e.target.value;
    refreshDeadLetters();
  });
  document.getElementById('filter-reason').addEventListener('change', e => {
    deadLetterFilters.reason = e.target.value;
    refreshDeadLetters();
  });
  document.getElementById('select-all').addEventListener('change', e => {
    document.querySelectorAll('#dead-letters tbody tr').forEach(row => {
      const id = Number(row.dataset.deadLetterId);
      row.querySelector('input.select').checked = e.target.checked;
      if (e.target.checked) selected.add(id); else selected.delete(id);
    });
    updateSelectionButtons();
  });
  document.getElementById('replay-selected').addEventListener('click', () => actOnSelection('replay'));
  document.getElementById('discard-selected').addEventListener('click', () => actOnSelection('discard'));
  poll();
});
