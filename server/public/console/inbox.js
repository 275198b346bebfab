// The learning inbox: clusters of questions the bot did not serve, and what to do with each.
// Every piece of data goes into the page as text (el() builds text nodes), never as HTML.
import { api, el, mountShell } from '/console/shell.js';
import { errorText } from '/console/shell-text.js';
import { inboxText as T } from '/console/inbox-text.js';

const main = document.getElementById('main');
const statuses = ['open', 'dismissed', 'resolved'];
// The tab lives in the URL (?status=resolved), so reload and Back keep it.
const statusFromUrl = () => {
  const status = new URLSearchParams(location.search).get('status');
  return statuses.includes(status) ? status : 'open';
};
const state = { status: statusFromUrl(), user: null };
/** Drafting and adding similar questions go through the editorial workflow: editors and administrators only. */
const canEdit = () => state.user?.role === 'knowledge' || state.user?.role === 'admin';
const statusLine = el('p', { class: 'status', role: 'status' });
const list = el('ul', { class: 'plain', 'aria-label': T.title });
const detail = el('section', { class: 'card', hidden: true, 'aria-labelledby': 'detail-title', tabindex: '-1' });

function say(text, error = false) {
  statusLine.textContent = text;
  statusLine.classList.toggle('error', error);
}

function sourceBadges(sources) {
  return Object.entries(sources).map(([source, n]) =>
    el('span', { class: `badge ${source}` }, `${T.sources[source] ?? source} ${n}`),
  );
}

async function act(path, body, done) {
  try {
    const result = await api(path, { method: 'POST', body: body ?? {} });
    say(done(result));
    await load();
    return result;
  } catch (error) {
    say(errorText(error), true);
    return undefined;
  }
}

function clusterItem(c) {
  const buttons = el('div', { class: 'row' });
  if (c.status === 'open') {
    buttons.append(
      el('button', { type: 'button', class: 'primary', onclick: () => openDetail(c.id) }, T.open),
      el(
        'button',
        { type: 'button', onclick: () => act(`/api/console/inbox/${c.id}/dismiss`, {}, () => T.dismissed) },
        T.dismiss,
      ),
    );
  } else if (c.status === 'dismissed') {
    buttons.append(
      el(
        'button',
        { type: 'button', onclick: () => act(`/api/console/inbox/${c.id}/reopen`, {}, () => T.reopened) },
        T.reopen,
      ),
    );
  }
  if (c.entryId) {
    // Node.append() writes null as the text "null": only the badges that apply are passed.
    const badges = [
      c.entryStatus ? el('span', { class: 'badge' }, T.entryStatus[c.entryStatus] ?? c.entryStatus) : null,
      c.workingState && c.entryStatus === 'published'
        ? el('span', { class: 'badge' }, T.workingState[c.workingState])
        : null,
    ].filter(Boolean);
    buttons.append(
      el('span', {}, `${T.resolvedAs[c.resolution] ?? ''}${c.entryId}`),
      ...badges,
      el('a', { href: `/console/entries/${encodeURIComponent(c.entryId)}` }, T.openEditor),
      el('a', { href: `/console/try?${new URLSearchParams({ entry: c.entryId, q: c.label })}` }, T.tryIt),
    );
    if (c.workingState === 'draft') buttons.append(workflowButton(c.entryId, 'submit'));
    if (c.workingState === 'review') buttons.append(workflowButton(c.entryId, 'publish'));
  }
  return el(
    'li',
    { class: 'card cluster', 'data-cluster': String(c.id) },
    el('h2', {}, c.label),
    el('div', { class: 'row muted' }, el('strong', {}, T.count(c.questionCount)), ...sourceBadges(c.sources)),
    el('div', { class: 'muted' }, T.examples),
    el(
      'ul',
      { class: 'plain' },
      c.examples.map((q) => el('li', {}, q)),
    ),
    buttons,
  );
}

/** The editorial workflow's next step for the entry a cluster went to: submit (editors), publish (reviewers). */
function workflowButton(entryId, action) {
  const role = state.user?.role;
  const allowed =
    action === 'submit' ? role === 'knowledge' || role === 'admin' : role === 'reviewer' || role === 'admin';
  if (!allowed) return el('span', { class: 'muted' }, action === 'submit' ? T.submitHint : T.publishHint);
  return el(
    'button',
    {
      type: 'button',
      class: 'primary',
      [`data-${action}`]: entryId,
      onclick: () =>
        act(`/api/console/entries/${encodeURIComponent(entryId)}/actions`, { action }, () =>
          action === 'submit' ? T.submitted(entryId) : T.published(entryId),
        ),
    },
    action === 'submit' ? T.submit : T.publish,
  );
}

let loads = 0;
async function load() {
  // Only the latest request fills the list: a slow answer for the previous tab must not overwrite it.
  const mine = ++loads;
  list.replaceChildren(el('li', { class: 'muted' }, T.loading));
  try {
    const { items } = await api(`/api/console/inbox?status=${state.status}`);
    if (mine !== loads) return;
    list.replaceChildren(...(items.length ? items.map(clusterItem) : [el('li', { class: 'muted' }, T.empty)]));
  } catch (error) {
    if (mine !== loads) return;
    list.replaceChildren();
    say(errorText(error), true);
  }
}

async function openDetail(id) {
  let c;
  try {
    c = await api(`/api/console/inbox/${id}`);
  } catch (error) {
    say(errorText(error), true);
    return;
  }
  const suggestions = c.suggestedEntries.length
    ? el(
        'ul',
        { class: 'plain' },
        c.suggestedEntries.map((e) =>
          el(
            'li',
            { class: 'row' },
            el('span', { class: 'grow' }, `${e.question}（${e.id}，${e.score.toFixed(2)}）`),
            el(
              'button',
              {
                type: 'button',
                disabled: !canEdit(),
                title: canEdit() ? undefined : T.editorsOnly,
                onclick: () =>
                  act(`/api/console/inbox/${c.id}/similar`, { entryId: e.id }, (r) =>
                    T.addedSimilar(r.entryId, r.added.length),
                  ).then((r) => r && (detail.hidden = true)),
              },
              T.addSimilar,
            ),
          ),
        ),
      )
    : el('p', { class: 'muted' }, T.noSuggestion);

  const idInput = el('input', { id: 'draft-id', maxlength: '64' });
  const questionInput = el('input', {
    id: 'draft-question',
    maxlength: '500',
    required: true,
    value: c.label,
    class: 'grow',
  });
  const answerInput = el('textarea', { id: 'draft-answer', maxlength: '10000', required: true });
  answerInput.value = c.staffAnswers[0] ?? '';
  const departmentInput = el('input', { id: 'draft-department', maxlength: '200' });
  const form = el(
    'form',
    { 'aria-label': T.draftTitle },
    el('h3', {}, T.draftTitle),
    el('label', { for: 'draft-id' }, T.draftId),
    idInput,
    el('label', { for: 'draft-question' }, T.draftQuestion),
    questionInput,
    el('label', { for: 'draft-answer' }, T.draftAnswer),
    answerInput,
    el('label', { for: 'draft-department' }, T.draftDepartment),
    departmentInput,
    el('div', { class: 'row' }, el('button', { type: 'submit', class: 'primary' }, T.draftSubmit)),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { question: questionInput.value.trim(), answer: answerInput.value.trim() };
    if (idInput.value.trim()) body.id = idInput.value.trim();
    if (departmentInput.value.trim()) body.department = departmentInput.value.trim();
    const result = await act(`/api/console/inbox/${c.id}/draft`, body, (r) => T.drafted(r.entryId));
    if (result) detail.hidden = true;
  });

  detail.replaceChildren(
    el(
      'div',
      { class: 'row' },
      el('h2', { id: 'detail-title', class: 'grow' }, T.detailTitle(c.label)),
      el('button', { type: 'button', onclick: () => (detail.hidden = true) }, T.close),
    ),
    el('h3', {}, T.questions),
    el(
      'ul',
      { class: 'plain' },
      c.questions.map((q) =>
        el('li', {}, el('span', { class: `badge ${q.source}` }, T.sources[q.source] ?? q.source), q.text),
      ),
    ),
    c.staffAnswers.length ? el('h3', {}, T.staffAnswers) : null,
    c.staffAnswers.length
      ? el(
          'ul',
          { class: 'plain' },
          c.staffAnswers.map((a) => el('li', {}, a)),
        )
      : null,
    el('h3', {}, T.suggested),
    suggestions,
    // A reviewer would only get a 403 after typing the whole entry: the form is not offered.
    canEdit() ? form : el('p', { class: 'muted', 'data-draft-hint': '' }, T.editorsOnly),
  );
  detail.hidden = false;
  detail.focus();
}

async function start() {
  document.title = `${T.title} · 民声`;
  state.user = await mountShell('inbox');
  const tabs = el('div', { class: 'tabs', role: 'group', 'aria-label': T.tabsLabel });
  const show = (status) => {
    state.status = status;
    for (const b of tabs.children) b.setAttribute('aria-pressed', String(b.dataset.status === status));
    detail.hidden = true;
    say('');
    return load();
  };
  for (const status of statuses) {
    tabs.append(
      el(
        'button',
        {
          type: 'button',
          'aria-pressed': String(status === state.status),
          'data-status': status,
          onclick: () => {
            if (status === state.status) return;
            const query = status === 'open' ? '' : `?${new URLSearchParams({ status })}`;
            history.pushState(null, '', `${location.pathname}${query}`);
            void show(status);
          },
        },
        T.tabs[status],
      ),
    );
  }
  addEventListener('popstate', () => void show(statusFromUrl()));
  main.replaceChildren(
    el('h1', {}, T.title),
    el('p', { class: 'intro' }, T.intro),
    tabs,
    statusLine,
    el('div', { class: 'layout' }, list, detail),
  );
  await load();
}

start().catch((error) => say(errorText(error), true));
