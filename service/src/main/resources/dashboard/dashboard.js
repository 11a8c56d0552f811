// The dashboard: one page, two views (creator, admin) over the service's own analytics API. The API
// key stays in this tab's sessionStorage and goes in an Authorization header, never in a URL.
'use strict';

const $ = (id) => document.getElementById(id);
const state = { key: sessionStorage.getItem('engagement-key'), me: null, charts: {} };

async function api(path, params = {}, format = 'json') {
  const query = new URLSearchParams({ ...params, ...(format === 'json' ? {} : { format }) });
  let response = await fetch(path + '?' + query, { headers: { Authorization: 'Bearer ' + state.key } });
  // A busy service answers 503 with Retry-After (service.analytics.max-concurrent): wait and ask again.
  for (let attempt = 0; response.status === 503 && response.headers.get('Retry-After') && attempt < 10; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 1000 * Number(response.headers.get('Retry-After'))));
    response = await fetch(path + '?' + query, { headers: { Authorization: 'Bearer ' + state.key } });
  }
  if (!response.ok) {
    let message = response.status + ' ' + response.statusText;
    try { message = (await response.json()).error || message; } catch (e) { /* not JSON */ }
    throw new Error(message);
  }
  return format === 'json' ? (await response.json()).data : await response.blob();
}

function pad(n) { return String(n).padStart(2, '0'); }
function isoDate(d) { return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()); }

/** The selected period as whole UTC days: from (inclusive), last day (inclusive), and the day after. */
function period() {
  let first;
  let last;
  if ($('period').value === 'custom') {
    first = new Date($('from').value + 'T00:00:00Z');
    last = new Date($('to').value + 'T00:00:00Z');
    if (isNaN(first) || isNaN(last) || last < first) {
      throw new Error('from and to must be dates YYYY-MM-DD, to not before from');
    }
  } else {
    last = new Date(isoDate(new Date()) + 'T00:00:00Z');
    first = new Date(last.getTime() - (Number($('period').value) - 1) * 86400000);
  }
  const after = new Date(last.getTime() + 86400000);
  return { from: isoDate(first), last: isoDate(last), until: isoDate(after) };
}

function show(id, value) { $(id).textContent = value === undefined || value === null ? '-' : value; }

function fillTable(id, rows, columns) {
  const body = $(id).querySelector('tbody');
  body.replaceChildren(...rows.map((row) => {
    const tr = document.createElement('tr');
    columns.forEach((c) => {
      const td = document.createElement('td');
      td.textContent = row[c] === null || row[c] === undefined ? '' : row[c];
      tr.appendChild(td);
    });
    return tr;
  }));
}

function chart(id, option) {
  if (!state.charts[id]) {
    state.charts[id] = echarts.init($(id));
  }
  state.charts[id].setOption(option, true);
}

async function download(path, params, format, filename) {
  const blob = format === 'json'
    ? new Blob([JSON.stringify(await api(path, params), null, 2)], { type: 'application/json' })
    : await api(path, params, format);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
}

function creatorId() {
  return state.me.role === 'creator' ? state.me.creator_id : $('creator').value.trim();
}

async function loadCreator() {
  const creator = encodeURIComponent(creatorId());
  const p = period();
  const range = { from: p.from, to: p.until };
  const days = { from: p.from, to: p.last };
  const content = $('content').value;
  const base = '/v1/creators/' + creator;
  const [totals, list] = await Promise.all([api(base + '/analytics', range), api(base + '/content', { ...days, sort: 'views', page_size: 100 })]);
  const selected = $('content').value;
  $('content').replaceChildren(new Option('all content', ''), ...list.map((c) => new Option(c.content_id, c.content_id)));
  $('content').value = list.some((c) => c.content_id === selected) ? selected : '';
  const t = totals[0] || {};
  if (content) {
    const c = (await api('/v1/content/' + encodeURIComponent(content) + '/metrics', range))[0] || {};
    const listed = list.find((x) => x.content_id === content) || {};
    show('card-views', c.total_views);
    show('card-unique-viewers', c.unique_viewers);
    show('card-watch', c.total_watch_s);
    show('card-completion', c.completion_pct);
    show('card-engagement', listed.engagement_pct);
    show('card-contents', 1);
  } else {
    show('card-views', t.views ?? 0);
    show('card-unique-viewers', t.unique_viewers ?? 0);
    show('card-watch', t.watch_s ?? 0);
    show('card-completion', t.completion_pct ?? 0);
    show('card-engagement', t.engagement_pct ?? 0);
    show('card-contents', t.contents ?? 0);
  }
  const comparison = await api(base + '/comparison', range);
  fillTable('comparison', comparison, ['metric', 'current', 'previous', 'change_pct']);
  const viewsChange = comparison.find((r) => r.metric === 'views');
  show('card-views-change', content ? '' : viewsChange && viewsChange.change_pct !== null ? viewsChange.change_pct + ' % against the period before' : '');
  fillTable('top-content', list.slice(0, 10), ['content_id', 'total_views', 'watch_s', 'completion_pct', 'engagement_pct', 'avg_quality_score']);

  // Spikes and drops the job raised (creator_alerts), newest first: what changed, on which content.
  const kinds = { spike: 'spike: far above typical', drop: 'drop: far below typical', day_high: 'day far above typical', day_low: 'day far below typical' };
  const alerts = await api(base + '/alerts', {});
  fillTable('alerts', alerts.map((a) => ({ ...a, kind: kinds[a.kind] || a.kind, content_id: a.content_id || '(all content)' })),
    ['window_end', 'kind', 'content_id', 'observed_views', 'typical_views', 'ratio']);
  const realtime = await api(base + '/realtime', { minutes: 60 });
  const now = Math.floor(Date.now() / 60000) * 60000;
  const lastHour = Array.from({ length: 60 }, (_, i) => now - (60 - i) * 60000);
  const byMinute = new Map(realtime.map((r) => [r.minute_epoch * 1000, r]));
  chart('chart-realtime', {
    title: { text: 'Last 60 minutes: views per minute', textStyle: { fontSize: 13 } }, tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: lastHour.map((t) => new Date(t).toISOString().substring(11, 16)) }, yAxis: { type: 'value' },
    series: [{ type: 'bar', data: lastHour.map((t) => (byMinute.get(t) || {}).minute_views || 0) }]
  });
  show('card-realtime', realtime.reduce((sum, r) => sum + r.minute_views, 0));
  // The last 48 hours by hour; the open hour is its running value (provisional), drawn lighter.
  const hourNow = Math.floor(Date.now() / 3600000) * 3600000;
  const hourText = (t) => { const d = new Date(t); return isoDate(d) + ' ' + pad(d.getUTCHours()) + ':00:00'; };
  const hours = await api(base + '/timeline', { grain: 'hour', from: hourText(hourNow - 47 * 3600000), to: hourText(hourNow + 3600000) });
  const byHour = new Map(hours.map((r) => [r.window_start, r]));
  const last48 = Array.from({ length: 48 }, (_, i) => hourText(hourNow - (47 - i) * 3600000));
  chart('chart-48h', {
    title: { text: 'Last 48 hours: views per hour (open hour so far, lighter)', textStyle: { fontSize: 13 } }, tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: last48.map((h) => h.substring(5, 13) + 'h') }, yAxis: { type: 'value' },
    series: [{ type: 'bar', data: last48.map((h) => {
      const row = byHour.get(h) || {};
      return { value: row.views || 0, itemStyle: row.provisional ? { opacity: 0.45 } : undefined };
    }) }]
  });
  const reachPath = content ? '/v1/content/' + encodeURIComponent(content) + '/reach' : base + '/reach';
  const [timeline, breakdowns, countries, reach] = await Promise.all([
    api(base + '/timeline', { grain: 'day', ...range }), api(base + '/breakdowns', range), api(base + '/countries', days),
    api(reachPath, range)]);
  const r = reach[0] || {};
  show('card-ctr', r.click_through_pct ?? '-');
  chart('chart-funnel', {
    title: { text: 'From impression to follow', textStyle: { fontSize: 13 } }, tooltip: {},
    xAxis: { type: 'category', data: ['impressions', 'views', 'completions', 'likes', 'follows'], axisLabel: { interval: 0 } }, yAxis: { type: 'value' },
    series: [{ type: 'bar', data: [r.impression_count, r.view_count, r.completion_count, r.like_count, r.follow_count].map((v) => v || 0) }]
  });
  const sources = ['for_you', 'following', 'profile', 'hashtag', 'search', 'direct', 'other'];
  chart('chart-sources', {
    title: { text: 'Views by traffic source', textStyle: { fontSize: 13 } }, tooltip: {},
    series: [{ type: 'pie', radius: '60%', data: sources.map((s) => ({ name: s.replace('_', ' '), value: r['from_' + s] || 0 })) }]
  });
  chart('chart-timeline', {
    title: { text: 'Views and watch time per day', textStyle: { fontSize: 13 } }, tooltip: { trigger: 'axis' },
    legend: { top: 22, data: ['views', 'watch (s)'] }, grid: { top: 60 },
    xAxis: { type: 'category', data: timeline.map((r) => r.window_start.substring(0, 10)) },
    yAxis: [{ type: 'value', name: 'views' }, { type: 'value', name: 'seconds' }],
    series: [{ name: 'views', type: 'bar', data: timeline.map((r) => r.views) },
      { name: 'watch (s)', type: 'line', yAxisIndex: 1, data: timeline.map((r) => r.watch_s) }]
  });
  // Audience retention of the chosen content, else of the creator's most viewed one in the period.
  state.retentionContent = content || (list[0] || {}).content_id || '';
  const retention = state.retentionContent
    ? await api('/v1/content/' + encodeURIComponent(state.retentionContent) + '/retention', range) : [];
  const hold = retention.length && retention[0].intro_hold_pct !== null ? ', ' + retention[0].intro_hold_pct + ' % still watching at 30 s' : '';
  show('card-intro-hold', retention.length && retention[0].intro_hold_pct !== null ? retention[0].intro_hold_pct : '-');
  // Typical performance of the same content: its first 24 hours against the creator's other recent contents.
  const typical = state.retentionContent
    ? (await api('/v1/content/' + encodeURIComponent(state.retentionContent) + '/typical', { age_hours: 24 }))[0] || {} : {};
  show('card-typical', typical.vs_creator_pct === undefined || typical.vs_creator_pct === null
    ? '-' : (typical.vs_creator_pct > 0 ? '+' : '') + typical.vs_creator_pct + ' % (#' + typical.rank_among_creator + ')');
  chart('chart-retention', {
    title: { text: 'Audience retention' + (state.retentionContent ? ' of ' + state.retentionContent : '') + hold, textStyle: { fontSize: 13 } },
    tooltip: { trigger: 'axis' }, legend: { top: 22, data: ['still watching %', 'typical median', 'typical p25', 'typical p75'] }, grid: { top: 60 },
    xAxis: { type: 'category', data: retention.map((r) => r.position_pct + ' %') }, yAxis: { type: 'value', max: 100 },
    series: [{ name: 'still watching %', type: 'line', data: retention.map((r) => r.still_watching_pct) },
      { name: 'typical median', type: 'line', lineStyle: { type: 'dashed' }, data: retention.map((r) => r.typical_median_pct) },
      { name: 'typical p25', type: 'line', lineStyle: { type: 'dotted' }, data: retention.map((r) => r.typical_p25_pct) },
      { name: 'typical p75', type: 'line', lineStyle: { type: 'dotted' }, data: retention.map((r) => r.typical_p75_pct) }]
  });
  const b = breakdowns[0] || {};
  chart('chart-completion', {
    title: { text: 'Where plays ended', textStyle: { fontSize: 13 } }, tooltip: {},
    xAxis: { type: 'category', data: ['completed', '> 75 %', '> 50 %', '> 25 %', '< 25 %'] }, yAxis: { type: 'value' },
    series: [{ type: 'bar', data: [b.completed, b.over_75, b.over_50, b.over_25, b.under_25].map((v) => v || 0) }]
  });
  chart('chart-devices', {
    title: { text: 'Views by device', textStyle: { fontSize: 13 } }, tooltip: {},
    series: [{ type: 'pie', radius: '60%', data: ['mobile', 'tablet', 'desktop', 'tv', 'other_device']
      .map((d) => ({ name: d.replace('_device', ''), value: b[d] || 0 })) }]
  });
  chart('chart-countries', {
    title: { text: 'Views by country', textStyle: { fontSize: 13 } }, tooltip: {},
    xAxis: { type: 'category', data: countries.map((c) => c.country) }, yAxis: { type: 'value' },
    series: [{ type: 'bar', data: countries.map((c) => c.country_views) }]
  });
}

async function loadAdmin() {
  const p = period();
  const range = { from: p.from, to: p.until };
  const stats = (await api('/v1/admin/stats', range))[0] || {};
  show('admin-views', stats.total_views ?? 0);
  show('admin-unique-viewers', stats.unique_viewers ?? 0);
  show('admin-sessions', stats.total_sessions ?? 0);
  show('admin-accepted', stats.accepted ?? 0);
  show('admin-dead-letter-pct', stats.dead_letter_pct ?? 0);
  show('admin-late-pct', stats.late_pct ?? 0);
  const live = await api('/v1/admin/live', { minutes: 60 });
  const minuteNow = Math.floor(Date.now() / 60000) * 60000;
  const lastMinutes = Array.from({ length: 60 }, (_, i) => minuteNow - (59 - i) * 60000);
  const liveByMinute = new Map(live.map((r) => [r.minute_epoch * 1000, r]));
  chart('chart-live', {
    title: { text: 'Live throughput: events per minute, last 60 minutes', textStyle: { fontSize: 13 } }, tooltip: { trigger: 'axis' },
    legend: { top: 22, data: ['accepted', 'dead letters'] }, grid: { top: 60 },
    xAxis: { type: 'category', data: lastMinutes.map((t) => new Date(t).toISOString().substring(11, 16)) }, yAxis: { type: 'value' },
    series: [{ name: 'accepted', type: 'bar', data: lastMinutes.map((t) => (liveByMinute.get(t) || {}).accepted || 0) },
      { name: 'dead letters', type: 'bar', data: lastMinutes.map((t) => (liveByMinute.get(t) || {}).dead_letters || 0) }]
  });
  show('admin-live-accepted', live.reduce((sum, r) => sum + r.accepted, 0));
  // A lag over a day means no closed minute in the last day: nothing live to measure.
  const lag = live.length ? live[0].seconds_since_newest_closed_minute : null;
  show('admin-lag', lag !== null && lag >= 0 && lag < 86400 ? lag : '-');
  chart('chart-pipeline', {
    title: { text: 'Pipeline input in the period', textStyle: { fontSize: 13 } }, tooltip: {},
    xAxis: { type: 'category', data: ['accepted', 'too late', 'duplicates', 'dead letters'] }, yAxis: { type: 'value' },
    series: [{ type: 'bar', data: [stats.accepted, stats.too_late, stats.duplicates, stats.dead_lettered].map((v) => v || 0) }]
  });
  const trending = await api('/v1/trending', { limit: 20 });
  fillTable('trending', trending, ['content_id', 'creator_id', 'views_per_hour', 'views_last_24h', 'trend']);
  const labels = await api('/v1/trending/labels', { kind: $('label-kind').value, limit: 10 });
  fillTable('trending-labels', labels, ['label', 'content_count', 'label_views_per_hour', 'views_24h', 'growth_pct']);
  await loadExperiment();
  if ($('creator').value.trim()) {
    $('creator-view').hidden = false;
    await loadCreator();
  } else {
    $('creator-view').hidden = true;
  }
}

// An experiment's variants (GET /v1/experiments/{id}): per-user means, each variant against the
// control with an always-valid interval (may be looked at any time), and the sample-ratio check.
async function loadExperiment() {
  const id = $('experiment-id').value.trim();
  if (!id) {
    fillTable('experiments', [], []);
    show('experiment-srm', '');
    return;
  }
  const p = period();
  const params = { from: p.from, to: p.until };
  if ($('experiment-split').value.trim()) {
    params.split = $('experiment-split').value.trim();
  }
  const rows = await api('/v1/experiments/' + encodeURIComponent(id), params);
  fillTable('experiments', rows.map((r) => ({
    ...r,
    variant: r.variant + (r.is_control ? ' (control)' : ''),
    interval: r.ci_low === null ? '' : r.ci_low + ' .. ' + r.ci_high,
    significant: r.significant === null ? '' : (r.significant ? 'yes' : 'no')
  })), ['variant', 'users', 'metric', 'mean', 'difference', 'interval', 'significant']);
  if (!rows.length) {
    show('experiment-srm', 'no events of experiment ' + id + ' in the period');
  } else {
    const r = rows[0];
    show('experiment-srm', (r.sample_ratio_mismatch
      ? 'Sample ratio mismatch: the users per variant do not fit the design split; do not trust the differences'
      : 'Sample ratio fits the design split') + ' (log Bayes factor ' + r.srm_log_bayes_factor + '; '
      + r.users_in_several_variants + ' users seen in several variants left out)');
    $('experiment-srm').className = r.sample_ratio_mismatch ? 'error' : '';
  }
}

async function refresh() {
  $('status').textContent = 'loading...';
  $('status').className = '';
  try {
    if (state.me.role === 'admin') {
      await loadAdmin();
    } else {
      await loadCreator();
    }
    $('status').textContent = 'updated ' + new Date().toISOString().substring(11, 19) + ' UTC';
    $('status').dataset.loaded = String(Date.now());
  } catch (e) {
    $('status').textContent = e.message;
    $('status').className = 'error';
  }
}

async function signIn() {
  try {
    const response = await fetch('/v1/me', { headers: { Authorization: 'Bearer ' + state.key } });
    if (!response.ok) {
      throw new Error(response.status === 403 ? 'a tracking key cannot read analytics' : 'unknown API key');
    }
    state.me = await response.json();
  } catch (e) {
    sessionStorage.removeItem('engagement-key');
    $('sign-in-error').textContent = e.message;
    return;
  }
  sessionStorage.setItem('engagement-key', state.key);
  $('sign-in-panel').hidden = true;
  $('sign-out').hidden = false;
  $('filters').hidden = false;
  $('who').textContent = state.me.role + (state.me.creator_id ? ' ' + state.me.creator_id : '');
  $('creator-pick').hidden = state.me.role !== 'admin';
  $('admin-view').hidden = state.me.role !== 'admin';
  $('creator-view').hidden = state.me.role !== 'creator';
  await refresh();
}

function exportFile(path, params, format) {
  download(path, params, format, path.split('/').filter(Boolean).slice(1).join('-') + '.' + format)
    .catch((e) => { $('status').textContent = e.message; $('status').className = 'error'; });
}

window.addEventListener('DOMContentLoaded', () => {
  $('sign-in').addEventListener('click', () => { state.key = $('api-key').value.trim(); signIn(); });
  $('sign-out').addEventListener('click', () => { sessionStorage.removeItem('engagement-key'); location.reload(); });
  $('apply').addEventListener('click', refresh);
  $('label-kind').addEventListener('change', refresh);
  $('experiment-show').addEventListener('click', refresh);
  const creatorBase = () => '/v1/creators/' + encodeURIComponent(creatorId());
  const range = () => { const p = period(); return { from: p.from, to: p.until }; };
  $('export-analytics-csv').addEventListener('click', () => exportFile(creatorBase() + '/analytics', range(), 'csv'));
  $('export-analytics-json').addEventListener('click', () => exportFile(creatorBase() + '/analytics', range(), 'json'));
  $('export-content-csv').addEventListener('click', () => {
    const p = period();
    exportFile(creatorBase() + '/content', { from: p.from, to: p.last, sort: 'views', page_size: 100 }, 'csv');
  });
  $('export-retention-csv').addEventListener('click', () => {
    if (state.retentionContent) {
      exportFile('/v1/content/' + encodeURIComponent(state.retentionContent) + '/retention', range(), 'csv');
    }
  });
  $('export-stats-csv').addEventListener('click', () => exportFile('/v1/admin/stats', range(), 'csv'));
  $('export-trending-csv').addEventListener('click', () => exportFile('/v1/trending', { limit: 20 }, 'csv'));
  window.addEventListener('resize', () => Object.values(state.charts).forEach((c) => c.resize()));
  if (state.key) {
    signIn();
  }
});
