import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { StewardApiError } from '@steward/api-client';
import type { SessionStore } from '../lib/auth';
import { createRouter } from './router';
import { SessionProvider } from './session-context';
import { THEME } from './theme';

/** Server state: cached per query key, refetched when stale; a 4xx is not retried (it would fail the same way). */
function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (count, error) => !(error instanceof StewardApiError && error.status < 500) && count < 2,
      },
    },
  });
}

export function App({ store }: { store: SessionStore }) {
  const { i18n } = useTranslation();
  const queryClient = useMemo(() => createQueryClient(), []);
  const router = useMemo(() => createRouter(), []);
  const zh = i18n.language === 'zh-CN';
  useEffect(() => {
    dayjs.locale(zh ? 'zh-cn' : 'en');
  }, [zh]);
  // Signing out (here or in another tab) forgets everything cached for the previous user.
  useEffect(() => store.subscribe(() => !store.current() && queryClient.clear()), [store, queryClient]);

  return (
    <ConfigProvider locale={zh ? zhCN : enUS} theme={THEME}>
      <QueryClientProvider client={queryClient}>
        <SessionProvider store={store}>
          <RouterProvider router={router} />
        </SessionProvider>
      </QueryClientProvider>
    </ConfigProvider>
  );
}
