/**
 * The i18n layer (runtime: browser): one context holding the language, which main remembers.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { Language } from '../../../preload/contract';
import { translate, type MessageKey } from './messages';

interface I18n {
  lang: Language;
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  setLang: (lang: Language) => void;
}

const Ctx = createContext<I18n>({ lang: 'id', t: (k, v) => translate('id', k, v), setLang: () => undefined });

export function I18nProvider({ lang, setLang, children }: { lang: Language; setLang: (l: Language) => void; children: ReactNode }) {
  return <Ctx.Provider value={{ lang, setLang, t: (k, v) => translate(lang, k, v) }}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  return useContext(Ctx);
}
