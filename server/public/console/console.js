// Router of the console's entry pages (one HTML shell): each page is a module with its own text module.
const path = location.pathname.replace(/\/+$/, '') || '/console';
const page =
  path === '/console/login'
    ? import('./login.js')
    : path === '/console/import'
      ? import('./import.js')
      : path.startsWith('/console/entries/')
        ? import('./entry-editor.js')
        : import('./entry-list.js');
page.then((module) => module.render(document.getElementById('main')));
