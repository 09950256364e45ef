import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import type { JourneyDetail, Me } from './api.ts';
import { forgetKey, openJourney, rememberKey, storedKey, whoAmI } from './api.ts';
import { Editor } from './Editor.tsx';
import type { EditorView } from './Editor.tsx';
import { describeError } from './errors.ts';
import type { Lang } from './i18n.ts';
import { DEFAULT_LANG, I18nContext, htmlLang, makeI18n, translate } from './i18n.ts';
import { blankDoc, fromGraph } from './journey/model.ts';
import { SignInScreen } from './panels/SignInScreen.tsx';
import { SessionContext, makeSession } from './session.ts';
import { NotFound, Shell } from './Shell.tsx';
import { navigate, useLocation } from './router.tsx';
import { paths, parseRoute } from './routes.ts';
import type { Route } from './routes.ts';
import type { ComponentType, ReactNode } from 'react';

// Each workspace page is loaded when first visited: drawing a journey needs none of them.
const page = <K extends string, P extends object>(load: () => Promise<Record<K, ComponentType<P>>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] }));
const RunsPage = page(() => import('./pages/runs/RunsPage.tsx'), 'RunsPage');
const OverviewPage = page(() => import('./pages/overview/OverviewPage.tsx'), 'OverviewPage');
const SegmentsPage = page(() => import('./pages/segments/SegmentsPage.tsx'), 'SegmentsPage');
const CustomersPage = page(() => import('./pages/customers/CustomersPage.tsx'), 'CustomersPage');
const ImportsPage = page(() => import('./pages/imports/ImportsPage.tsx'), 'ImportsPage');
const SchedulesPage = page(() => import('./pages/schedules/SchedulesPage.tsx'), 'SchedulesPage');
const OptOutsPage = page(() => import('./pages/opt-outs/OptOutsPage.tsx'), 'OptOutsPage');
const KeysPage = page(() => import('./pages/keys/KeysPage.tsx'), 'KeysPage');
const AuditPage = page(() => import('./pages/audit/AuditPage.tsx'), 'AuditPage');
const SettingsPage = page(() => import('./pages/settings/SettingsPage.tsx'), 'SettingsPage');
const InboxView = page(() => import('./inbox/InboxView.tsx'), 'InboxView');

const HomePage = page(() => import('./pages/home/HomePage.tsx'), 'HomePage');

const LANG_KEY = 'huitou.lang';

function initialLang(): Lang {
  const stored = localStorage.getItem(LANG_KEY);
  return stored === 'en' || stored === 'zh' ? stored : DEFAULT_LANG;
}

type SignIn =
  | { readonly state: 'checking' }
  | { readonly state: 'out'; readonly error?: string }
  | { readonly state: 'in'; readonly me: Me };
/** The journey the address names, once loaded (missing: the engine has no such journey). */
type Current = { readonly journey: JourneyDetail | null; readonly missing?: true } | null;

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

  const url = useLocation();
  const route = parseRoute(url.pathname);
  const journeyId = 'journeyId' in route ? route.journeyId : null;

  // A journey's address (editor, run monitor, report) opens it; sign-in lands on Home.
  const signedIn = signIn.state === 'in';
  useEffect(() => {
    if (!signedIn || !journeyId) return;
    if (current?.journey?.id === journeyId) return;
    openJourney(journeyId).then(
      (journey) => setCurrent({ journey }),
      () => setCurrent({ journey: null, missing: true }),
    );
    // `current` is read only to skip reloading the journey just opened, not reacted to.
  }, [signedIn, journeyId]);

  const onOpenJourney = useCallback((journey: JourneyDetail) => {
    setCurrent({ journey });
    navigate(paths.journey(journey.id));
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
  } else if (session) {
    const workspace = workspacePage(route);
    if (workspace) {
      screen = (
        <SessionContext.Provider value={session}>
          <Shell screen={route.screen}>
            <Suspense fallback={null}>{workspace}</Suspense>
          </Shell>
        </SessionContext.Provider>
      );
    } else if (current?.missing && journeyId) {
      screen = (
        <SessionContext.Provider value={session}>
          <Shell screen="notFound">
            <NotFound />
          </Shell>
        </SessionContext.Provider>
      );
    } else if (current?.journey && current.journey.id === journeyId) {
      const { journey } = current;
      screen = (
        <SessionContext.Provider value={session}>
          <ReactFlowProvider key={journey.id}>
            <Editor journey={journey} initial={doc} view={editorView(route)} onOpenJourney={onOpenJourney} />
          </ReactFlowProvider>
        </SessionContext.Provider>
      );
    }
  }
  return <I18nContext.Provider value={i18n}>{screen}</I18nContext.Provider>;
}

/** Which of the journey's screens the editor shows: the canvas, a run's monitor, the report. */
function editorView(route: Route): EditorView {
  if (route.screen === 'run') return { screen: 'run', runId: route.runId };
  return { screen: route.screen === 'journeyReport' ? 'report' : 'canvas' };
}

/** The page a workspace address shows inside the shell; null for the editor's own screens. */
function workspacePage(route: Route): ReactNode {
  switch (route.screen) {
    case 'home':
      return <HomePage />;
    case 'runs':
      return <RunsPage />;
    case 'overview':
      return <OverviewPage />;
    case 'segments':
      return <SegmentsPage />;
    case 'segment':
      return <SegmentsPage segmentId={route.segmentId} />;
    case 'customers':
      return <CustomersPage />;
    case 'customer':
      return <CustomersPage customerId={route.customerId} />;
    case 'inbox':
      return <InboxView onClose={() => navigate(paths.home)} />;
    case 'imports':
      return <ImportsPage />;
    case 'schedules':
      return <SchedulesPage />;
    case 'optOuts':
      return <OptOutsPage />;
    case 'keys':
      return <KeysPage />;
    case 'audit':
      return <AuditPage />;
    case 'settings':
      return <SettingsPage />;
    case 'notFound':
      return <NotFound />;
    case 'journey':
    case 'run':
    case 'journeyReport':
      return null;
  }
}
