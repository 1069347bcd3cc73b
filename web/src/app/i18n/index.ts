import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { enUS } from './en-US';
import { zhCN } from './zh-CN';

export const LANGUAGES = ['zh-CN', 'en-US'] as const;
export type Language = (typeof LANGUAGES)[number];

export const DEFAULT_LANGUAGE: Language = 'zh-CN';
export const LANG_STORAGE_KEY = 'agri-oms.lang';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language the user picked explicitly, if any. */
export function storedLanguage(): Language | null {
  try {
    const value = window.localStorage.getItem(LANG_STORAGE_KEY);
    return isLanguage(value) ? value : null;
  } catch {
    return null;
  }
}

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: {
    'zh-CN': { translation: zhCN },
    'en-US': { translation: enUS },
  },
  lng: storedLanguage() ?? DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false },
  initAsync: false,
});

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
}

/** Switches the UI language; `persist` records it as the user's explicit choice. */
export async function changeLanguage(language: Language, persist = true): Promise<void> {
  if (persist) {
    try {
      window.localStorage.setItem(LANG_STORAGE_KEY, language);
    } catch {
      // storage may be unavailable (private mode); the switch still applies to this tab
    }
  }
  await i18n.changeLanguage(language);
}

function applyDocumentLanguage(language: Language): void {
  dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
  document.documentElement.lang = language;
  document.title = i18n.t('app.name');
}

applyDocumentLanguage(currentLanguage());
i18n.on('languageChanged', () => applyDocumentLanguage(currentLanguage()));
