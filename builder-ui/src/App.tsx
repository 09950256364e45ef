import { useCallback, useEffect, useMemo, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import type { JourneyDetail, Me } from './api.ts';
import { forgetKey, openJourney, rememberKey, storedKey, whoAmI } from './api.ts';
import { Editor } from './Editor.tsx';
import { describeError } from './errors.ts';
import type { Lang } from './i18n.ts';
import { DEFAULT_LANG, I18nContext, htmlLang, makeI18n, translate } from './i18n.ts';
import { blankDoc, fromGraph } from './journey/model.ts';
import { SignInScreen } from './panels/SignInScreen.tsx';
import { SessionContext, makeSession } from './session.ts';

const LANG_KEY = 'huitou.lang';
const JOURNEY_KEY = 'huitou.journeyId';

function initialLang(): Lang {
  const stored = localStorage.getItem(LANG_KEY);
  return stored === 'en' || stored === 'zh' ? stored : DEFAULT_LANG;
}

type SignIn =
  | { readonly state: 'checking' }
  | { readonly state: 'out'; readonly error?: string }
  | { readonly state: 'in'; readonly me: Me };
/** The journey being edited: null until one is opened or created (the gallery shows first). */
type Current = { readonly journey: JourneyDetail | null } | null;

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [signIn, setSignIn] = useState<SignIn>(() => (storedKey() ? { state: 'checking' } : { state: 'out' }));
  const [current, setCurrent] = useState<Current>(null);
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

  // A stored key is checked once: revoked keys land on the sign-in screen with the reason.
  useEffect(() => {
    const key = storedKey();
    if (!key) return;
    whoAmI(key).then(
      (me) => setSignIn({ state: 'in', me }),
      (error: unknown) => {
        forgetKey();
        setSignIn({
          state: 'out',
          error: describeError(
            error,
            makeI18n(initialLang(), () => undefined),
          ),
        });
      },
    );
  }, []);

  // The last journey opened comes back; a missing one (deleted database) opens the gallery.
  const signedIn = signIn.state === 'in';
  useEffect(() => {
    if (!signedIn) return;
    const id = localStorage.getItem(JOURNEY_KEY);
    if (!id) return setCurrent({ journey: null });
    openJourney(id).then(
      (journey) => setCurrent({ journey }),
      () => setCurrent({ journey: null }),
    );
  }, [signedIn]);

  const onOpenJourney = useCallback((journey: JourneyDetail) => {
    localStorage.setItem(JOURNEY_KEY, journey.id);
    setCurrent({ journey });
  }, []);

  const signOut = useCallback(() => {
    forgetKey();
    setCurrent(null);
    setSignIn({ state: 'out' });
  }, []);
  const session = useMemo(() => (signIn.state === 'in' ? makeSession(signIn.me, signOut) : null), [signIn, signOut]);
  // Made once per journey opened: the editor's history starts from it.
  const doc = useMemo(() => {
    const journey = current?.journey;
    return journey?.draft
      ? fromGraph(journey.draft)
      : blankDoc(journey?.name ?? translate(initialLang(), 'untitledJourney'));
  }, [current]);

  let screen = null;
  if (signIn.state === 'out') {
    screen = (
      <SignInScreen
        initialError={signIn.error}
        onSignedIn={(key, me) => {
          rememberKey(key);
          setSignIn({ state: 'in', me });
        }}
      />
    );
  } else if (session && current) {
    const { journey } = current;
    screen = (
      <SessionContext.Provider value={session}>
        <ReactFlowProvider key={journey?.id ?? 'none'}>
          <Editor journey={journey} initial={doc} startWithGallery={journey === null} onOpenJourney={onOpenJourney} />
        </ReactFlowProvider>
      </SessionContext.Provider>
    );
  }
  return <I18nContext.Provider value={i18n}>{screen}</I18nContext.Provider>;
}
