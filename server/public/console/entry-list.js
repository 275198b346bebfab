import { statusBadges, statusLabels, day, time, useTimeZone } from './entry-status.js';
import { listText as T } from './entry-list-text.js';
import { api, el, mountShell } from './shell.js';
import { errorText } from './shell-text.js';

const pageSize = 50;

export async function render(main) {
  document.title = `${T.title} · 民声`;
  const user = await mountShell('entries');
  useTimeZone(user.timeZone);
  const params = new URLSearchParams(location.search);
  const facets = await api('/api/console/entries/facets');

  const q = el('input', {
    type: 'search',
    name: 'q',
    placeholder: T.searchPlaceholder,
    'aria-label': T.searchLabel,
    value: params.get('q') ?? '',
  });
  const select = (name, all, options, labels = {}) =>
    el(
      'select',
      { name, 'aria-label': all },
      el('option', { value: '', text: all }),
      options.map((o) => el('option', { value: o, text: labels[o] ?? o, selected: params.get(name) === o })),
    );
  const category = select('category', T.allCategories, facets.categories);
  const department = select('department', T.allDepartments, facets.departments);
  const region = select('region', T.allRegions, facets.regions);
  const status = select('status', T.allStatuses, Object.keys(statusLabels), statusLabels);
  const expiring = el('input', { type: 'checkbox', name: 'expiring', checked: params.get('expiring') === '30' });
  const form = el(
    'form',
    { class: 'filters', role: 'search' },
    q,
    category,
    department,
    region,
    status,
    el('label', { class: 'check' }, expiring, T.expiring),
    el('button', { type: 'submit', class: 'primary', text: T.search }),
  );
  const filterQuery = () => {
    const query = new URLSearchParams();
    if (q.value.trim()) query.set('q', q.value.trim());
    for (const s of [category, department, region, status]) if (s.value) query.set(s.name, s.value);
    if (expiring.checked) query.set('expiring', '30');
    return query;
  };
  /** Puts a URL's filters into the controls (a select keeps '' when the value is no longer offered). */
  const showFilters = (query) => {
    q.value = query.get('q') ?? '';
    for (const s of [category, department, region, status]) s.value = query.get(s.name) ?? '';
    expiring.checked = query.get('expiring') === '30';
  };
  const exports = el(
    'span',
    { class: 'exports' },
    `${T.export}：`,
    Object.entries(T.exportFormats).map(([format, label]) => {
      const link = el('a', { href: '#', class: 'export', 'data-format': format, text: label });
      link.addEventListener('click', (event) => {
        event.preventDefault();
        void download(format);
      });
      return link;
    }),
  );
  const actions = el(
    'div',
    { class: 'actions' },
    user.role !== 'reviewer'
      ? el('a', { class: 'button primary', href: '/console/entries/new', text: T.newEntry })
      : null,
    user.role !== 'reviewer' ? el('a', { class: 'button', href: '/console/import', text: T.importExport }) : null,
    exports,
  );
  const summary = el('p', { class: 'muted', 'aria-live': 'polite', text: T.loading });
  const error = el('p', { class: 'error', role: 'alert' });
  const body = el('tbody');
  const table = el(
    'table',
    { class: 'entries' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        T.columns.map((c) => el('th', { scope: 'col', text: c })),
      ),
    ),
    body,
  );
  const pager = el('nav', { class: 'pager' });
  main.replaceChildren(el('h1', { text: T.title }), form, actions, error, summary, table, pager);

  // The filters and the page are the URL (/console?category=…&offset=50): Back, reload and a shared link
  // show the same list. `shown` is the query of the table on screen; a failed load puts it back.
  const offsetOf = (query) => Math.max(0, Math.floor(Number(query.get('offset')) / pageSize) * pageSize || 0);
  const urlOf = (query) => `/console${query.size ? `?${query}` : ''}`;
  let shown = new URLSearchParams(location.search);
  let loads = 0;
  /** Loads the list for `query` (filters and offset); `push` adds a history entry once it is on screen. */
  const load = async (query, { push = false } = {}) => {
    const mine = ++loads;
    const offset = offsetOf(query);
    if (offset) query.set('offset', String(offset));
    else query.delete('offset');
    const request = new URLSearchParams(query);
    request.set('limit', String(pageSize));
    request.set('offset', String(offset));
    let result;
    try {
      result = await api(`/api/console/entries?${request}`);
    } catch (e) {
      if (mine !== loads) return;
      // The table still shows the previous list: so do the filters and the address.
      error.textContent = errorText(e);
      if (summary.textContent === T.loading) summary.textContent = '';
      showFilters(shown);
      history.replaceState(null, '', urlOf(shown));
      return;
    }
    // A slower answer to an older request must not replace the newer one.
    if (mine !== loads) return;
    error.textContent = '';
    if (push && urlOf(query) !== urlOf(shown)) history.pushState(null, '', urlOf(query));
    else history.replaceState(null, '', urlOf(query));
    shown = query;
    render(result, offset);
  };
  const render = ({ total, items }, offset) => {
    summary.textContent = total ? T.total(total) : T.empty;
    body.replaceChildren(
      ...items.map((e) =>
        el(
          'tr',
          { 'data-id': e.id },
          el('td', {}, el('a', { href: `/console/entries/${encodeURIComponent(e.id)}`, text: e.question })),
          el('td', { text: e.category ?? '' }),
          el('td', { text: e.department ?? '' }),
          el('td', { text: e.region ?? '' }),
          el('td', {}, statusBadges(e.status, e.working, e.validTo)),
          el('td', { text: day(e.validTo) }),
          el('td', {
            class: 'muted',
            text: `${e.working?.updatedBy ?? e.updatedBy ?? ''} ${time(e.working?.updatedAt ?? e.updatedAt)}`,
          }),
        ),
      ),
    );
    const pages = Math.max(1, Math.ceil(total / pageSize));
    const current = Math.floor(offset / pageSize) + 1;
    const prev = el('button', { type: 'button', text: T.previous, disabled: current <= 1 });
    const next = el('button', { type: 'button', text: T.next, disabled: current >= pages });
    const page = (to) => () => {
      const query = new URLSearchParams(shown);
      query.set('offset', String(to));
      void load(query, { push: true });
    };
    prev.addEventListener('click', page(Math.max(0, offset - pageSize)));
    next.addEventListener('click', page(offset + pageSize));
    pager.replaceChildren(prev, el('span', { text: T.page(current, pages) }), next);
  };
  // A new search or filter starts at the first page.
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load(filterQuery(), { push: true });
  });
  for (const control of [category, department, region, status, expiring]) {
    control.addEventListener('change', () => void load(filterQuery(), { push: true }));
  }
  addEventListener('popstate', () => {
    const query = new URLSearchParams(location.search);
    showFilters(query);
    void load(query);
  });

  /** Downloads the export of the current filter, named by the hotline's day (not the UTC one). */
  const download = async (format) => {
    const query = filterQuery();
    query.set('format', format);
    try {
      const response = await api(`/api/console/export?${query}`, { raw: true });
      const link = el('a', {
        href: URL.createObjectURL(await response.blob()),
        download: T.exportFileName(day(new Date().toISOString()), format),
      });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
      error.textContent = '';
    } catch (e) {
      error.textContent = errorText(e);
    }
  };

  await load(new URLSearchParams(shown));
}
