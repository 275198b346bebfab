// Router of the console's entry pages (one HTML shell): each page is a module with its own text module.
const path = location.pathname.replace(/\/+$/, '') || '/console';
const main = document.getElementById('main');
const page =
  path === '/console/login'
    ? import('./login.js')
    : path === '/console/import'
      ? import('./import.js')
      : path.startsWith('/console/entries/')
        ? import('./entry-editor.js')
        : import('./entry-list.js');
page
  .then((module) => module.render(main))
  .catch((error) => {
    // Without a session the API call has already sent the browser to the login page.
    if (error?.status === 401) return;
    const shown = document.createElement('p');
    shown.className = 'error';
    shown.setAttribute('role', 'alert');
    shown.textContent = error?.message ?? String(error);
    main.replaceChildren(shown);
  });
