import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { startI18n } from './i18n';
import { SessionStore } from './lib/auth';
import { SESSION_KEY } from './lib/session';
import './styles.css';

startI18n();
const store = new SessionStore(localStorage, window.location.origin);
// A sign-in, refresh or sign-out in another tab.
window.addEventListener('storage', (e) => {
  if (e.key === SESSION_KEY) store.adopt(e.newValue);
});
createRoot(document.getElementById('root')!).render(<App store={store} />);
