import { statusBadges, day, time, useTimeZone } from './entry-status.js';
import { editorText as T } from './entry-editor-text.js';
import { api, el, mountShell } from './shell.js';

const longFields = ['similar', 'answer'];
const groups = {
  content: ['question', 'similar', 'answer'],
  scope: ['category', 'department', 'region', 'tags'],
  source: ['validFrom', 'validTo', 'sourceTitle', 'sourceNumber', 'sourceUrl'],
};

const splitTags = (text) =>
  text
    .split(/[、,，;；\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
const splitLines = (text) =>
  text
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);

/** Renders one field's change: a character diff for question and answer, added/removed for lists. */
function changeView(change) {
  const body =
    change.kind === 'text'
      ? el(
          'p',
          { class: 'text-diff' },
          change.pieces.map((p) => (p.op === 'same' ? p.text : el(p.op === 'add' ? 'ins' : 'del', { text: p.text }))),
        )
      : change.kind === 'list'
        ? el(
            'div',
            {},
            change.added.length ? el('p', {}, T.added, ...change.added.map((x) => el('ins', { text: x }))) : null,
            change.removed.length ? el('p', {}, T.removed, ...change.removed.map((x) => el('del', { text: x }))) : null,
          )
        : el(
            'p',
            {},
            el('del', { text: change.before ?? T.empty }),
            ' → ',
            el('ins', { text: change.after ?? T.empty }),
          );
  return el('div', { class: 'change', 'data-field': change.field }, el('h4', { text: change.label }), body);
}

const stashKey = () => `minsheng.console.unsaved:${location.pathname}`;

export async function render(main) {
  const user = await mountShell('entries');
  useTimeZone(user.timeZone);
  const id = decodeURIComponent(location.pathname.split('/').pop());
  const isNew = id === 'new';
  const canEdit = user.role === 'knowledge' || user.role === 'admin';
  const canReview = user.role === 'reviewer' || user.role === 'admin';
  const facets = await api('/api/console/entries/facets');
  let entry = isNew ? null : await api(`/api/console/entries/${encodeURIComponent(id)}`);

  const message = el('p', { class: 'message', role: 'status', 'aria-live': 'polite' });
  const error = el('p', { class: 'error', role: 'alert' });
  const say = (text) => {
    error.textContent = '';
    message.textContent = text;
  };
  const fail = (e) => {
    message.textContent = '';
    error.textContent = e.message;
  };

  const inputs = {};
  const datalists = { category: facets.categories, department: facets.departments, region: facets.regions };
  for (const field of Object.values(groups).flat()) {
    const attrs = { id: `f-${field}`, name: field };
    let input;
    if (longFields.includes(field)) input = el('textarea', { ...attrs, rows: field === 'answer' ? 8 : 4 });
    else if (field === 'validFrom' || field === 'validTo') input = el('input', { ...attrs, type: 'date' });
    else if (field === 'sourceUrl') input = el('input', { ...attrs, type: 'url', placeholder: 'https://' });
    else input = el('input', { ...attrs, type: 'text', list: datalists[field] ? `list-${field}` : undefined });
    if (field === 'question' || field === 'answer') input.required = true;
    inputs[field] = input;
  }
  const form = el(
    'form',
    { class: 'editor card' },
    Object.entries(groups).map(([group, fields]) =>
      el(
        'fieldset',
        { class: group },
        el('legend', { text: T.groups[group] }),
        fields.map((field) =>
          el(
            'div',
            { class: `field ${field}` },
            el('label', { for: `f-${field}`, text: T.fields[field] }),
            inputs[field],
          ),
        ),
      ),
    ),
    Object.entries(datalists).map(([field, values]) =>
      el(
        'datalist',
        { id: `list-${field}` },
        values.map((v) => el('option', { value: v })),
      ),
    ),
  );

  const fill = (content) => {
    for (const [field, input] of Object.entries(inputs)) {
      const value = content?.[field];
      if (field === 'similar') input.value = (value ?? []).join('\n');
      else if (field === 'tags') input.value = (value ?? []).join('、');
      else if (field === 'validFrom' || field === 'validTo') input.value = day(value);
      else input.value = value ?? '';
    }
  };
  const read = () => {
    const content = {};
    for (const [field, input] of Object.entries(inputs)) {
      if (field === 'similar') content.similar = splitLines(input.value);
      else if (field === 'tags') content.tags = splitTags(input.value);
      else content[field] = input.value.trim() || null;
    }
    content.question = content.question ?? '';
    content.answer = content.answer ?? '';
    return content;
  };

  const header = el('div', { class: 'entry-header' });
  const banners = el('div', { class: 'banners' });
  const note = el('textarea', { id: 'review-note', rows: 2, placeholder: T.reviewNote, 'aria-label': T.reviewNote });
  const buttons = el('div', { class: 'workflow' });
  const diffBox = el('section', { class: 'diff card', 'aria-label': T.diffTitle });
  const versions = el('section', { class: 'versions card' });
  const events = el('section', { class: 'events card' });

  // The working version as this page last loaded it ('none': there was none). Saves and workflow steps send it, so
  // a change someone made since (a save, a resubmitted version) is refused instead of overwritten or published unseen.
  let seen = 'none';
  // The form as loaded or last saved: anything else is unsaved input.
  let baseline = '';
  const dirty = () => JSON.stringify(read()) !== baseline;

  const act = async (action, extra = {}) => {
    try {
      entry = await api(`/api/console/entries/${encodeURIComponent(entry.id)}/actions`, {
        method: 'POST',
        body: {
          action,
          ...(note.value.trim() ? { note: note.value.trim() } : {}),
          expectedUpdatedAt: seen,
          ...extra,
        },
      });
      note.value = '';
      await show();
      say(T.done[action]);
    } catch (e) {
      fail(e);
    }
  };
  const save = async () => {
    if (!form.reportValidity()) return false;
    try {
      if (!entry) {
        entry = await api('/api/console/entries', { method: 'POST', body: read() });
        sessionStorage.removeItem(stashKey()); // kept under /console/entries/new, the address about to change
        history.replaceState(null, '', `/console/entries/${encodeURIComponent(entry.id)}`);
      } else {
        entry = await api(`/api/console/entries/${encodeURIComponent(entry.id)}/draft`, {
          method: 'PUT',
          body: { content: read(), expectedUpdatedAt: seen },
        });
      }
      sessionStorage.removeItem(stashKey());
      await show();
      say(T.saved);
      return true;
    } catch (e) {
      fail(e);
      return false;
    }
  };
  const button = (key, handler, primary = false) => {
    const b = el('button', {
      type: 'button',
      class: primary ? 'primary' : '',
      'data-action': key,
      text: T.buttons[key],
    });
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        await handler();
      } finally {
        b.disabled = false;
      }
    });
    return b;
  };

  async function showDiff(from, to, title) {
    const query = new URLSearchParams({ from: String(from) });
    if (to) query.set('to', String(to));
    const { changes } = await api(`/api/console/entries/${encodeURIComponent(entry.id)}/diff?${query}`);
    diffBox.replaceChildren(
      el('h2', { text: title }),
      ...(changes.length ? changes.map(changeView) : [el('p', { class: 'muted', text: T.noChanges })]),
    );
    diffBox.hidden = false;
  }

  async function show() {
    const working = entry?.working ?? null;
    const editable = canEdit && entry?.status !== 'archived' && working?.state !== 'review';
    document.title = `${entry ? (working?.content ?? entry.live).question : T.newTitle} · 民声`;
    fill(working?.content ?? entry?.live ?? null);
    baseline = JSON.stringify(read());
    seen = working?.updatedAt ?? 'none';
    for (const input of Object.values(inputs)) input.readOnly = !editable;
    for (const input of [inputs.validFrom, inputs.validTo]) input.disabled = !editable;

    header.replaceChildren(
      el('a', { href: '/console', class: 'back', text: `← ${T.back}` }),
      el('h1', { text: entry ? (working?.content ?? entry.live).question : T.newTitle }),
      entry
        ? el(
            'p',
            {},
            statusBadges(entry.status, working, (working?.content ?? entry.live)?.validTo),
            ' ',
            el('span', { class: 'muted', text: `${entry.id} · ${T.liveVersion(entry.live ? entry.revision : 0)}` }),
          )
        : null,
    );
    banners.replaceChildren();
    if (entry?.live && working) {
      banners.append(
        el('p', {
          class: 'banner info',
          text: T.workingBanner(entry.revision, working.number, T.reviewState[working.state]),
        }),
      );
    }
    if (working?.reviewNote && working.reviewedBy && working.state === 'draft') {
      banners.append(el('p', { class: 'banner warn', text: T.returned(working.reviewedBy, working.reviewNote) }));
    }
    if (working?.state === 'review' && canEdit && !canReview)
      banners.append(el('p', { class: 'banner', text: T.readOnlyReview }));

    const controls = [];
    if (!entry) controls.push(button('create', save, true));
    else {
      if (editable) controls.push(button('save', save, !working || working.state === 'draft'));
      if (canEdit && entry.status !== 'archived' && (working?.state === 'draft' || !working)) {
        controls.push(button('submit', async () => (await save()) && entry.working && act('submit')));
      }
      if (canEdit && working?.state === 'review') controls.push(button('withdraw', () => act('withdraw')));
      if (
        canEdit &&
        working?.state === 'draft' &&
        entry.live &&
        entry.status !== 'draft' &&
        entry.status !== 'review'
      ) {
        controls.push(button('discard', () => confirm(T.confirm.discard) && act('discard')));
      }
      if (canReview && (working?.state === 'review' || (user.role === 'admin' && working))) {
        controls.push(
          button('publish', () => act('publish'), true),
          button('reject', () => act('reject')),
        );
      }
      if (canReview && entry.status !== 'archived')
        controls.push(
          button(
            'archive',
            () =>
              confirm(
                working ? T.confirm.archiveWorking(working.number, T.reviewState[working.state]) : T.confirm.archive,
              ) && act('archive'),
          ),
        );
      if (canReview && entry.status === 'archived') controls.push(button('restore', () => act('restore')));
    }
    buttons.replaceChildren(...controls, canReview && working ? note : '');

    diffBox.hidden = true;
    if (entry?.live && working) await showDiff('live', undefined, T.diffTitle);

    versions.hidden = !entry?.versions.length;
    if (entry?.versions.length) {
      const numbers = new Set(entry.versions.map((v) => v.number));
      versions.replaceChildren(
        el('h2', { text: T.versionsTitle }),
        el(
          'table',
          {},
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              T.versionColumns.map((c) => el('th', { scope: 'col', text: c })),
            ),
          ),
          el(
            'tbody',
            {},
            entry.versions.map((v) => {
              const tools = el('td', { class: 'tools' });
              if (numbers.has(v.number - 1)) {
                const b = el('button', { type: 'button', class: 'link', text: T.buttons.showDiff });
                b.addEventListener(
                  'click',
                  () => void showDiff(v.number - 1, v.number, T.diffBetween(v.number - 1, v.number)).catch(fail),
                );
                tools.append(b);
              }
              if (
                canEdit &&
                entry.status !== 'archived' &&
                working?.state !== 'review' &&
                v.state !== 'review' &&
                v.number !== working?.number
              ) {
                const b = el('button', {
                  type: 'button',
                  class: 'link',
                  'data-action': 'rollback',
                  text: T.buttons.rollback,
                });
                b.addEventListener('click', async () => {
                  if (!confirm(T.confirm.rollback(v.number))) return;
                  try {
                    entry = await api(`/api/console/entries/${encodeURIComponent(entry.id)}/rollback`, {
                      method: 'POST',
                      body: { version: v.number },
                    });
                    await show();
                    say(T.done.rollback);
                  } catch (e) {
                    fail(e);
                  }
                });
                tools.append(b);
              }
              return el(
                'tr',
                { 'data-version': v.number },
                el('td', { text: T.version(v.number) }),
                el('td', { text: T.versionStates[v.state] ?? v.state }),
                el('td', { text: T.origins[v.origin] ?? v.origin }),
                el('td', { text: v.createdBy === v.updatedBy ? v.createdBy : `${v.createdBy}、${v.updatedBy}` }),
                el('td', { text: time(v.updatedAt) }),
                el('td', { text: v.reviewedBy ? `${v.reviewedBy} ${time(v.reviewedAt)}` : '' }),
                tools,
              );
            }),
          ),
        ),
      );
    }
    events.hidden = !entry?.events.length;
    if (entry?.events.length) {
      events.replaceChildren(
        el('h2', { text: T.eventsTitle }),
        el(
          'ol',
          {},
          entry.events.map((e) =>
            el(
              'li',
              {},
              el('time', { datetime: e.at, text: time(e.at) }),
              ` ${e.actor}（${T.roles[e.actorRole] ?? e.actorRole}）${T.actions[e.action] ?? e.action}`,
              e.version ? ` ${T.version(e.version)}` : '',
              e.note ? el('q', { text: e.note }) : '',
            ),
          ),
        ),
      );
    }
  }

  main.replaceChildren(header, banners, message, error, form, buttons, diffBox, versions, events);
  await show();
  keepUnsavedInput();

  /**
   * What was typed survives a session that ended during the work: it is kept in this tab's sessionStorage
   * while the login page is shown, put back when the editor loads again, and dropped once saved or when
   * the user leaves the page otherwise. Leaving with unsaved input asks first.
   */
  function keepUnsavedInput() {
    let toLogin = false;
    window.addEventListener('console:session-expired', () => {
      if (!dirty()) return;
      sessionStorage.setItem(stashKey(), JSON.stringify({ content: read(), seen }));
      toLogin = true;
    });
    window.addEventListener('beforeunload', (event) => {
      if (toLogin || !dirty()) return;
      event.preventDefault();
      event.returnValue = '';
    });
    window.addEventListener('pagehide', () => {
      if (!toLogin) sessionStorage.removeItem(stashKey());
    });
    const stashed = sessionStorage.getItem(stashKey());
    const editable = canEdit && entry?.status !== 'archived' && entry?.working?.state !== 'review';
    if (!stashed || !editable) return;
    try {
      const kept = JSON.parse(stashed);
      fill(kept.content);
      // The version the text was written against: a change made meanwhile is still refused at the next save.
      if (entry) seen = kept.seen;
      say(T.restored);
    } catch {
      sessionStorage.removeItem(stashKey());
    }
  }
}
