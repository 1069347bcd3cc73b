import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, DEFAULT_LANGUAGE, isLanguage, type Language } from '../i18n';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const value = isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
  return (
    <Segmented<Language>
      data-testid="lang-switch"
      size="small"
      value={value}
      options={[
        { label: t('language.zhCN'), value: 'zh-CN' },
        { label: t('language.enUS'), value: 'en-US' },
      ]}
      onChange={(language) => void changeLanguage(language)}
    />
  );
}
