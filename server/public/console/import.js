import { importText as T } from './import-text.js';
import { api, el, mountShell } from './shell.js';

export async function render(main) {
  document.title = `${T.title} · 民声`;
  const user = await mountShell('import');
  const file = el('input', { id: 'import-file', type: 'file', accept: '.xlsx,.csv,.jsonl,.txt' });
  const previewButton = el('button', { type: 'submit', class: 'primary', text: T.preview });
  const status = el('p', { class: 'message', role: 'status', 'aria-live': 'polite' });
  const error = el('p', { class: 'error', role: 'alert' });
  const mappingBox = el('section', { class: 'mapping card', hidden: true });
  const report = el('section', { class: 'report card', hidden: true, 'aria-live': 'polite' });
  const resultBox = el('section', { class: 'result card', hidden: true });
  let mapping;
  // Counts file choices: a preview answered after another file was picked is dropped.
  let selection = 0;

  const send = async (step, chosen, chosenMapping, extra = {}) => {
    const query = new URLSearchParams({ filename: chosen.name, ...extra });
    if (chosenMapping) query.set('mapping', JSON.stringify(chosenMapping));
    return api(`/api/console/import/${step}?${query}`, {
      method: 'POST',
      body: chosen,
      headers: { 'content-type': 'application/octet-stream' },
    });
  };

  /** No report stays on screen that is not about the file selected now: its confirm button would import another. */
  const clearPreview = () => {
    mappingBox.hidden = true;
    mappingBox.replaceChildren();
    report.hidden = true;
    report.replaceChildren();
  };

  const table = (columns, rows) =>
    el(
      'table',
      {},
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          columns.map((c) => el('th', { scope: 'col', text: c })),
        ),
      ),
      el(
        'tbody',
        {},
        rows.map((cells) =>
          el(
            'tr',
            {},
            cells.map((c) => el('td', { text: c })),
          ),
        ),
      ),
    );

  const showMapping = (preview) => {
    const selects = preview.fields.map((field) => {
      const select = el(
        'select',
        { id: `map-${field.key}`, name: field.key },
        el('option', { value: '', text: T.notImported }),
        preview.headers.map((h, i) =>
          el('option', { value: String(i), text: T.column(i, h), selected: preview.mapping[field.key] === i }),
        ),
      );
      return [field, select];
    });
    const again = el('button', { type: 'button', text: T.repreview });
    again.addEventListener('click', () => {
      mapping = Object.fromEntries(selects.filter(([, s]) => s.value !== '').map(([f, s]) => [f.key, Number(s.value)]));
      void runPreview();
    });
    mappingBox.replaceChildren(
      el('h2', { text: T.mappingTitle }),
      el('p', { class: 'muted', text: T.mappingHint }),
      el(
        'div',
        { class: 'mapping-grid' },
        selects.map(([field, select]) =>
          el(
            'div',
            { class: 'field' },
            el('label', { for: select.id, text: `${field.label}${field.required ? ' *' : ''}` }),
            select,
          ),
        ),
      ),
      again,
    );
    mappingBox.hidden = preview.format === 'jsonl' || preview.headers.length === 0;
  };

  const showReport = (preview, shown) => {
    const publish = el('input', { type: 'checkbox', id: 'import-publish' });
    const confirmButton = el('button', {
      type: 'button',
      class: 'primary',
      text: T.confirm(preview.validCount),
      disabled: preview.validCount === 0 || preview.problems.length > 0,
    });
    confirmButton.addEventListener('click', async () => {
      confirmButton.disabled = true;
      status.textContent = T.applying;
      try {
        const result = await send('apply', shown.file, shown.mapping, {
          publish: String(publish.checked),
          previewHash: shown.hash,
        });
        status.textContent = '';
        resultBox.replaceChildren(
          el('p', { class: 'banner ok', text: T.result(result) }),
          result.skipped.length
            ? table(
                T.errorColumns,
                result.skipped.map((s) => [T.line(s.line), `${s.id}：${s.reason}`]),
              )
            : '',
          el('a', { href: '/console?status=draft', text: T.draftsLink }),
        );
        resultBox.hidden = false;
      } catch (e) {
        status.textContent = '';
        error.textContent = e.message;
        confirmButton.disabled = false;
      }
    });
    report.replaceChildren(
      el('h2', { text: T.summary(preview.total, preview.validCount, preview.errorCount) }),
      preview.problems.length
        ? el(
            'div',
            { class: 'banner warn' },
            el('h3', { text: T.problemsTitle }),
            el(
              'ul',
              {},
              preview.problems.map((p) => el('li', { text: p })),
            ),
          )
        : '',
      preview.errors.length
        ? el(
            'div',
            { class: 'row-errors' },
            el('h3', { text: T.errorsTitle }),
            table(
              T.errorColumns,
              preview.errors.map((e) => [T.line(e.line), e.messages.join('；')]),
            ),
          )
        : '',
      preview.warnings.length
        ? el(
            'div',
            { class: 'row-warnings' },
            el('h3', { text: T.warningsTitle }),
            table(
              T.errorColumns,
              preview.warnings.map((e) => [T.line(e.line), e.messages.join('；')]),
            ),
          )
        : '',
      preview.sample.length
        ? el(
            'div',
            { class: 'sample' },
            el('h3', { text: T.sampleTitle }),
            table(
              T.sampleColumns,
              preview.sample.map((r) => [String(r.line), r.id ?? '', r.question, r.answer]),
            ),
          )
        : '',
      el(
        'div',
        { class: 'confirm' },
        user.role === 'admin' ? el('label', { class: 'check' }, publish, T.publish) : '',
        confirmButton,
      ),
    );
    report.hidden = false;
  };

  async function runPreview() {
    error.textContent = '';
    resultBox.hidden = true;
    clearPreview();
    status.textContent = T.reading;
    const chosen = file.files[0];
    const chosenMapping = mapping;
    const chosenSelection = selection;
    try {
      const preview = await send('preview', chosen, chosenMapping);
      // Another file was picked while this one was read: its report would no longer match the selection.
      if (chosenSelection !== selection) return;
      status.textContent = '';
      showMapping(preview);
      // Confirming imports the file and mapping this report describes, whatever the file input holds by then.
      showReport(preview, { file: chosen, mapping: chosenMapping, hash: preview.previewHash });
    } catch (e) {
      if (chosenSelection !== selection) return;
      status.textContent = '';
      error.textContent = e.status === 413 ? T.tooLarge : e.message;
    }
  }

  const form = el(
    'form',
    { class: 'card upload' },
    el('h2', { text: T.importTitle }),
    el('p', { class: 'muted', text: T.importHint }),
    el('label', { for: 'import-file', text: T.file }),
    file,
    previewButton,
  );
  file.addEventListener('change', () => {
    selection++;
    clearPreview();
    resultBox.hidden = true;
    error.textContent = '';
    if (file.files[0]) status.textContent = T.previewFirst;
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!file.files[0]) return;
    mapping = undefined;
    void runPreview();
  });
  const exportBox = el(
    'section',
    { class: 'card' },
    el('h2', { text: T.exportTitle }),
    el('p', { class: 'muted', text: T.exportHint }),
    Object.entries(T.exportFormats).map(([format, label]) =>
      el('a', { class: 'button', href: `/api/console/export?format=${format}`, download: '', text: label }),
    ),
  );
  main.replaceChildren(
    el('h1', { text: T.title }),
    user.role === 'reviewer' ? '' : form,
    status,
    error,
    mappingBox,
    report,
    resultBox,
    exportBox,
  );
}
