import { statusBadges, statusLabels, day, time, useTimeZone } from './entry-status.js';
import { listText as T } from './entry-list-text.js';
import { api, el, mountShell } from './shell.js';

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
  const exports = el(
    'span',
    { class: 'exports' },
    `${T.export}：`,
    Object.entries(T.exportFormats).map(([format, label]) => {
      const link = el('a', { href: '#', class: 'export', 'data-format': format, text: label });
      link.addEventListener('click', () => {
        const query = filterQuery();
        query.set('format', format);
        link.href = `/api/console/export?${query}`;
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
  main.replaceChildren(el('h1', { text: T.title }), form, actions, summary, table, pager);

  let offset = Number(params.get('offset') ?? 0) || 0;
  const load = async () => {
    const query = filterQuery();
    history.replaceState(null, '', `/console${query.size ? `?${query}` : ''}`);
    query.set('limit', String(pageSize));
    query.set('offset', String(offset));
    const { total, items } = await api(`/api/console/entries?${query}`);
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
    prev.addEventListener('click', () => {
      offset = Math.max(0, offset - pageSize);
      void load();
    });
    next.addEventListener('click', () => {
      offset += pageSize;
      void load();
    });
    pager.replaceChildren(prev, el('span', { text: T.page(current, pages) }), next);
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    offset = 0;
    void load();
  });
  for (const control of [category, department, region, status, expiring]) {
    control.addEventListener('change', () => {
      offset = 0;
      void load();
    });
  }
  await load();
}
