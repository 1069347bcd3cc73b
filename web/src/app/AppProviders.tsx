import { QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AuthProvider } from './auth';
import { FeedbackProvider } from './components/FeedbackProvider';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from './i18n';
import { queryClient } from './query-client';

const ANTD_LOCALES = { 'zh-CN': zhCN, 'en-US': enUS } satisfies Record<Language, typeof zhCN>;

const THEME = { token: { colorPrimary: '#389e0d' } };

/** Server texts (role names, setting labels, problems) follow Accept-Language: refetch on switch. */
function useRefetchOnLanguageChange(): void {
  const { i18n } = useTranslation();
  useEffect(() => {
    const refetch = () => void queryClient.invalidateQueries();
    i18n.on('languageChanged', refetch);
    return () => i18n.off('languageChanged', refetch);
  }, [i18n]);
}

export function AppProviders({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const language = isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
  useRefetchOnLanguageChange();

  return (
    <QueryClientProvider client={queryClient}>
      <ConfigProvider locale={ANTD_LOCALES[language]} theme={THEME}>
        <FeedbackProvider>
          <AuthProvider>{children}</AuthProvider>
        </FeedbackProvider>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
