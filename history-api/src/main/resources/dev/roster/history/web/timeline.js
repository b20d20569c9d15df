// The timeline page: plain JavaScript and SVG over the REST API, no build step.
// Every text from the API goes in with textContent, never as HTML.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const ROW = 22;          // height of one member's row
const LABEL = 150;       // width of the member-name column
const TOP = 46;          // room for two rows of version labels and the time axis
const REFRESH_MS = 5000;

const state = { token: sessionStorage.getItem('roster-token') || '', versions: [], instance: null, selected: null };

class Unauthorized extends Error {}

async function api(path) {
  const headers = state.token ? { Authorization: 'Bearer ' + state.token } : {};
  const response = await fetch(path, { headers });
  if (response.status === 401) {
    document.getElementById('token-form').hidden = false;
    throw new Unauthorized('this API needs a token');
  }
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.error + ': ' + body.detail);
  }
  return body;
}

function el(name, attributes, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes || {})) {
    node.setAttribute(key, value);
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function html(name, attributes, text) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes || {})) {
    node.setAttribute(key, value);
  }
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

function windowParams() {
  const seconds = document.getElementById('window').value;
  if (seconds === 'all') {
    return '';
  }
  return '?from=' + encodeURIComponent(new Date(Date.now() - seconds * 1000).toISOString());
}

/** Every config version of the chosen instance, following the cursor. */
async function loadVersions() {
  let first = await api('/api/configs?limit=1000' + (state.instance ? '&instance=' + encodeURIComponent(state.instance) : ''));
  const select = document.getElementById('instance');
  if (select.options.length !== first.instances.length) {
    select.replaceChildren(...first.instances.map(name => html('option', { value: name }, name)));
  }
  state.instance = first.instance;
  if (state.instance) {
    select.value = state.instance;
  }
  const versions = first.versions.slice();
  let next = first.next;
  while (next) {
    const page = await api('/api/configs?limit=1000&instance=' + encodeURIComponent(state.instance) +
        '&cursor=' + encodeURIComponent(next));
    versions.push(...page.versions);
    next = page.next;
  }
  state.versions = versions;
}

function label(date) {
  const iso = date.toISOString();
  return iso.substring(0, 10) + ' ' + iso.substring(11, 19);
}

function drawPool(timeline, width) {
  let from = Date.parse(timeline.from);
  if (document.getElementById('window').value === 'all' && state.versions.length > 0) {
    // The whole history also shows configs rendered before the pool's first member (such as the empty one).
    from = Math.min(from, Date.parse(state.versions[0].at));
  }
  let to = Date.parse(timeline.to);
  if (to <= from) {
    to = from + 1000;
  }
  const right = width - 16;
  const x = t => LABEL + (Math.min(Math.max(t, from), to) - from) / (to - from) * (right - LABEL);
  const rows = Math.max(timeline.members.length, 1);
  const height = TOP + rows * ROW + 8;
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, height: height, 'data-pool': timeline.pool });

  const axis = el('g', { class: 'axis' });
  axis.append(el('line', { x1: LABEL, x2: right, y1: TOP - 4, y2: TOP - 4 }));
  for (let i = 0; i <= 4; i++) {
    const t = from + (to - from) * i / 4;
    axis.append(el('line', { x1: x(t), x2: x(t), y1: TOP - 8, y2: TOP - 4 }));
    axis.append(el('text', { x: x(t), y: TOP - 10, 'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle' },
        label(new Date(t))));
  }
  svg.append(axis);

  timeline.members.forEach((member, i) => {
    const y = TOP + i * ROW;
    svg.append(el('line', { class: 'row-line', x1: 0, x2: right, y1: y + ROW, y2: y + ROW }));
    svg.append(el('text', { class: 'member-label', x: 4, y: y + ROW / 2 + 4 }, member.member));
    for (const segment of member.segments) {
      const start = x(Date.parse(segment.from));
      const end = segment.to ? x(Date.parse(segment.to)) : x(to);
      const classes = ['bar', 'bar-' + segment.state];
      if (segment.endedBy === 'member-failed') {
        classes.push('ended-failed');
      }
      const bar = el('rect', { class: classes.join(' '), x: start, y: y + 4, width: Math.max(end - start, 2),
        height: ROW - 8, rx: 2, 'data-member': member.member, 'data-state': segment.state });
      bar.append(el('title', {}, `${member.member}: ${segment.state} from ${segment.from}` +
          (segment.startedBy ? ` (${segment.startedBy})` : '') +
          (segment.to ? ` to ${segment.to} (${segment.endedBy})` : ', still')));
      svg.append(bar);
      if (segment.endedBy === 'member-failed' || segment.endedBy === 'member-left') {
        const mark = segment.endedBy === 'member-failed' ? 'end-failed' : 'end-left';
        svg.append(el('rect', { class: mark, x: end - 2, y: y + 2, width: 4, height: ROW - 4,
          'data-member': member.member }));
      }
    }
  });

  let lastLabel = -Infinity;
  let labelRow = 0;
  for (const version of state.versions) {
    const t = Date.parse(version.at);
    if (t < from || t > to) {
      continue;
    }
    // Versions close in time would print over each other: alternate between two rows of labels.
    labelRow = x(t) - lastLabel < 28 ? 1 - labelRow : 0;
    lastLabel = x(t);
    const rejected = version.status !== 'applied' ? ' rejected' : '';
    svg.append(el('line', { class: 'version-marker' + rejected, x1: x(t), x2: x(t), y1: TOP - 4, y2: height - 4 }));
    const text = el('text', { class: 'version-label' + rejected + (state.selected === version.version ? ' selected' : ''),
      x: x(t) + 2, y: 11 + labelRow * 12, 'data-version': version.version }, 'v' + version.version);
    text.append(el('title', {}, `config version ${version.version} (${version.status}) at ${version.at}`));
    text.addEventListener('click', () => showVersion(version.version));
    svg.append(text);
  }
  return svg;
}

async function render() {
  const pools = await api('/api/pools');
  await loadVersions();
  const width = Math.max(document.getElementById('pools').clientWidth || 0, 640);
  const sections = [];
  for (const pool of pools) {
    const timeline = await api('/api/pools/' + encodeURIComponent(pool.pool) + '/timeline' + windowParams());
    const section = html('section', { class: 'pool', 'data-pool': pool.pool });
    const title = html('h2', {}, pool.pool);
    title.append(html('small', {}, `version ${pool.version}, ${pool.members} member${pool.members === 1 ? '' : 's'}` +
        (timeline.truncated ? ', window cut short: choose a shorter one' : '')));
    section.append(title, drawPool(timeline, width));
    sections.push(section);
  }
  const main = document.getElementById('pools');
  if (sections.length === 0) {
    main.replaceChildren(html('p', { class: 'empty' }, 'No pool has had a member yet.'));
  } else {
    main.replaceChildren(...sections);
  }
  document.getElementById('status').textContent = `${pools.length} pool${pools.length === 1 ? '' : 's'}, ` +
      `${state.versions.length} config version${state.versions.length === 1 ? '' : 's'} · ${label(new Date())} UTC`;
}

function showDiff(target, diff) {
  target.replaceChildren();
  if (!diff) {
    target.textContent = '(no difference)';
    return;
  }
  for (const line of diff.split('\n')) {
    if (line === '') {
      continue;
    }
    const kind = line.startsWith('+++') || line.startsWith('---') ? '' : line.startsWith('+') ? 'diff-add'
        : line.startsWith('-') ? 'diff-del' : line.startsWith('@@') ? 'diff-hunk' : '';
    const span = html('span', kind ? { class: kind } : {}, line);
    target.append(span, kind ? '' : '\n');
  }
}

async function showVersion(number) {
  state.selected = number;
  location.hash = 'version=' + number;
  const instance = '?instance=' + encodeURIComponent(state.instance);
  const panel = document.getElementById('version-panel');
  panel.hidden = false;
  panel.dataset.state = 'loading';
  document.querySelectorAll('.version-label').forEach(label =>
      label.classList.toggle('selected', Number(label.dataset.version) === number));
  try {
    const version = await api('/api/configs/' + number + instance);
    document.getElementById('version-title').textContent = 'Config version ' + number;
    document.getElementById('version-meta').textContent = `${version.status} at ${version.at}` +
        (version.reason ? ` — ${version.reason}` : '') + ` · sha256 ${version.sha256.substring(0, 12)}`;
    document.getElementById('version-text').textContent = version.config;
    const diffTarget = document.getElementById('version-diff');
    if (number > 1) {
      document.getElementById('version-diff-title').textContent = `Diff from version ${number - 1}`;
      const diff = await api('/api/configs/' + (number - 1) + '/diff/' + number + instance);
      showDiff(diffTarget, diff.diff);
    } else {
      document.getElementById('version-diff-title').textContent = 'Diff to the version before';
      diffTarget.textContent = '(the first version: nothing before it)';
    }
    panel.dataset.state = 'ready';
  } catch (e) {
    panel.dataset.state = 'error';
    document.getElementById('version-meta').replaceChildren(html('span', { class: 'error' }, e.message));
  }
}

async function refresh() {
  try {
    await render();
    document.body.dataset.state = 'ready';
  } catch (e) {
    if (!(e instanceof Unauthorized)) {
      document.getElementById('status').replaceChildren(html('span', { class: 'error' }, e.message));
    }
    document.body.dataset.state = 'error';
  }
}

document.getElementById('token-form').addEventListener('submit', event => {
  event.preventDefault();
  state.token = document.getElementById('token').value;
  sessionStorage.setItem('roster-token', state.token);
  document.getElementById('token-form').hidden = true;
  refresh();
});
document.getElementById('window').addEventListener('change', refresh);
document.getElementById('instance').addEventListener('change', event => {
  state.instance = event.target.value;
  refresh();
});
document.getElementById('close-panel').addEventListener('click', () => {
  document.getElementById('version-panel').hidden = true;
  state.selected = null;
  history.replaceState(null, '', location.pathname);
  document.querySelectorAll('.version-label.selected').forEach(label => label.classList.remove('selected'));
});

refresh().then(() => {
  const wanted = /^#version=(\d+)$/.exec(location.hash);
  if (wanted && state.instance) {
    showVersion(Number(wanted[1]));
  }
});
setInterval(() => {
  if (document.getElementById('live').checked && document.visibilityState !== 'hidden') {
    refresh();
  }
}, REFRESH_MS);
