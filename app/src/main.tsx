import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { AppRoutes } from './routes';
import { SessionProvider } from './session';
import './app.css';

const root = document.getElementById('root');
if (!root) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <SessionProvider>
      <BrowserRouter basename="/app">
        <AppRoutes />
      </BrowserRouter>
    </SessionProvider>
  </StrictMode>,
);
