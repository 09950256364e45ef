import { useState } from 'react';
import type { Me } from '../api.ts';
import { whoAmI } from '../api.ts';
import { describeError } from '../errors.ts';
import { useI18n } from '../i18n.ts';

/** Asks once for an API key (an admin creates them with POST /api/keys) and checks it with GET /api/me. */
export function SignInScreen(props: { initialError?: string; onSignedIn: (key: string, me: Me) => void }) {
  const i18n = useI18n();
  const { t, lang, setLang } = i18n;
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>(props.initialError);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      props.onSignedIn(key.trim(), await whoAmI(key.trim()));
    } catch (e) {
      setError(describeError(e, i18n));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin" data-testid="signin">
      <form
        className="signin-card"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="brand">
          <span className="brand-mark">回</span>
          <span className="brand-name">{t('appName')}</span>
          <button
            type="button"
            className="btn btn-ghost lang"
            onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
            data-testid="lang-toggle"
          >
            {t('languageToggle')}
          </button>
        </div>
        <h2>{t('signInTitle')}</h2>
        <label className="field-label" htmlFor="api-key">
          {t('apiKey')}
        </label>
        <input
          id="api-key"
          className="input mono"
          type="password"
          autoComplete="off"
          value={key}
          onChange={(e) => setKey(e.target.value)}
          placeholder="hk_…"
          data-testid="api-key"
        />
        <div className="field-help">{t('apiKeyHelp')}</div>
        {error && (
          <div className="field-error" role="alert" data-testid="signin-error">
            {error}
          </div>
        )}
        <button
          type="submit"
          className="btn btn-primary"
          disabled={busy || key.trim() === ''}
          data-testid="signin-submit"
        >
          {t('signIn')}
        </button>
      </form>
    </div>
  );
}
