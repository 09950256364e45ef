import { useEffect, useMemo, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { loadDraft } from './api.ts';
import { Editor } from './Editor.tsx';
import type { Lang } from './i18n.ts';
import { DEFAULT_LANG, I18nContext, htmlLang, makeI18n, translate } from './i18n.ts';
import type { JourneyDoc } from './journey/model.ts';
import { blankDoc, fromGraph } from './journey/model.ts';

const LANG_KEY = 'huitou.lang';

function initialLang(): Lang {
  const stored = localStorage.getItem(LANG_KEY);
  return stored === 'en' || stored === 'zh' ? stored : DEFAULT_LANG;
}

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [start, setStart] = useState<{ doc: JourneyDoc; hadDraft: boolean } | null>(null);
  const i18n = useMemo(
    () =>
      makeI18n(lang, (next) => {
        localStorage.setItem(LANG_KEY, next);
        setLang(next);
      }),
    [lang],
  );

  useEffect(() => {
    document.documentElement.lang = htmlLang[lang];
    document.title = translate(lang, 'appName');
  }, [lang]);

  useEffect(() => {
    void loadDraft().then((graph) => setStart(graph ? { doc: fromGraph(graph), hadDraft: true } : { doc: blankDoc(translate(initialLang(), 'untitledJourney')), hadDraft: false }));
  }, []);

  if (start === null) return null;
  return (
    <I18nContext.Provider value={i18n}>
      <ReactFlowProvider>
        <Editor initial={start.doc} startWithGallery={!start.hadDraft} />
      </ReactFlowProvider>
    </I18nContext.Provider>
  );
}
