import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { readProblem } from '../lib/problem';

/** A problem from the API as a readable message: what went wrong and, for bad input, each field and its rule. */
export function ProblemAlert({ error, action }: { error: unknown; action?: React.ReactNode }) {
  const { t, i18n } = useTranslation();
  const p = readProblem(error);
  const known = p.code && i18n.exists(`problem.code.${p.code}`) ? t(`problem.code.${p.code}`) : undefined;
  const message = p.code === 'NETWORK' ? t('problem.network') : (known ?? (p.title === 'unexpected' ? t('problem.unexpected') : p.title));
  const description = (
    <>
      {p.detail && p.code !== 'NETWORK' && <div>{p.detail}</div>}
      {p.fields.length > 0 && (
        <>
          <div>{t('problem.fields')}</div>
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {p.fields.map((f) => (
              <li key={`${f.field}-${f.rule}`} data-field={f.field}>
                {t('problem.field', { field: f.field, message: f.message })}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
  return <Alert type="error" showIcon role="alert" title={message} description={description} action={action} />;
}
