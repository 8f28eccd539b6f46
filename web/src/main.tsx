import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { ApiError } from './api/api-error';
import { router } from './app.routes';
import { session } from './auth/session.store';
import { CartProvider } from './cart/cart.context';
import { AnnouncerProvider } from './ui/announcer.context';
import './styles.css';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // A refused request (4xx) will be refused again; a busy or unreachable store may answer
      // a moment later.
      retry: (failures, error) =>
        failures < 2 && !(error instanceof ApiError && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

// A kept session comes back on reload before the first page asks for user data.
void session.restore();

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <CartProvider>
        <AnnouncerProvider>
          <RouterProvider router={router} />
        </AnnouncerProvider>
      </CartProvider>
    </QueryClientProvider>
  </StrictMode>,
);
