import { unwrap } from '@steward/api-client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Flex, Modal, Progress, Statistic, Table, Typography } from 'antd';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../app/session-context';
import { formatNumber } from '../../lib/format';
import { ProblemAlert } from '../../ui/ProblemAlert';
import { displayFilename, filenameHeader, isFinished, jobPercent, MAX_IMPORT_BYTES, pollDelayMs, sortedRowErrors, type ImportJob, type ImportRowError } from './import-job';

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const id = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(id);
      reject(signal.reason);
    });
  });

const looksLikeCsv = (file: File) => /\.csv$/i.test(file.name) || file.type === 'text/csv';

/**
 * The CSV import: choose a file, send it (importAccounts answers 200 with the finished job, or 202
 * while it runs), follow the job (getAccountImport) until it ends, then its counts and row errors.
 */
export function ImportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [inputKey, setInputKey] = useState(0);
  const abort = useRef<AbortController | null>(null);
  const lang = i18n.language;

  // Closing the page stops following the job (the import itself goes on on the server).
  useEffect(() => () => abort.current?.abort(), []);

  const run = useMutation({
    mutationFn: async ({ file, signal }: { file: File; signal: AbortSignal }) => {
      const csv = await file.text();
      let current = await unwrap(
        api.POST('/v1/accounts:import', {
          params: { header: { 'X-Filename': filenameHeader(file.name) } },
          body: csv,
          bodySerializer: (body: string) => body,
          headers: { 'Content-Type': 'text/csv' },
          signal,
        }),
      );
      setJob(current);
      for (let attempt = 0; !isFinished(current); attempt++) {
        await sleep(pollDelayMs(attempt), signal);
        current = await unwrap(api.GET('/v1/account-imports/{id}', { params: { path: { id: current.id } }, signal }));
        setJob(current);
      }
      return current;
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['accounts'] }),
  });

  const start = () => {
    if (!file) return;
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setJob(null);
    run.mutate({ file, signal: controller.signal });
  };

  const reset = () => {
    abort.current?.abort();
    abort.current = null;
    run.reset();
    setJob(null);
    setFile(null);
    setFileError(null);
    setInputKey((k) => k + 1);
  };

  const close = () => {
    // A job still running goes on; the list is refreshed so that what it did so far shows.
    if (run.isPending) void queryClient.invalidateQueries({ queryKey: ['accounts'] });
    reset();
    onClose();
  };

  const onFile = (chosen: File | undefined) => {
    run.reset();
    setJob(null);
    if (!chosen) {
      setFile(null);
      setFileError(null);
      return;
    }
    if (!looksLikeCsv(chosen)) {
      setFile(null);
      setFileError(t('accounts.import.notCsv'));
    } else if (chosen.size > MAX_IMPORT_BYTES) {
      setFile(null);
      setFileError(t('accounts.import.tooLarge', { size: `${formatNumber(MAX_IMPORT_BYTES / 1024 / 1024, lang)} MB` }));
    } else {
      setFile(chosen);
      setFileError(null);
    }
  };

  const running = run.isPending;
  const finished = job && isFinished(job) ? job : null;
  // The job was accepted but could not be followed to its end.
  const lostTrack = !!job && !finished && !!run.error;

  const ruleLabel = (rule: string) => (i18n.exists(`accounts.import.rules.${rule}`) ? t(`accounts.import.rules.${rule}`) : '—');

  return (
    <Modal
      open={open}
      title={t('accounts.import.title')}
      onCancel={close}
      maskClosable={!running}
      width={760}
      footer={
        <Flex justify="end" gap={8}>
          <Button onClick={close}>{finished ? t('actions.close') : t('actions.cancel')}</Button>
          {finished ? (
            <Button onClick={reset}>{t('accounts.import.another')}</Button>
          ) : (
            <Button type="primary" data-testid="import-submit" data-action="write" disabled={!file || running} loading={running} onClick={start}>
              {running ? t('accounts.import.running') : t('accounts.import.submit')}
            </Button>
          )}
        </Flex>
      }
    >
      <Flex vertical gap={16}>
        <div>
          <Typography.Paragraph style={{ marginBottom: 4 }}>{t('accounts.import.intro')}</Typography.Paragraph>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {t('accounts.import.columns')}
          </Typography.Paragraph>
        </div>

        <Flex vertical gap={4}>
          <label htmlFor={inputId}>
            <Typography.Text strong>{t('accounts.import.file')}</Typography.Text>
          </label>
          <input
            key={inputKey}
            id={inputId}
            type="file"
            accept=".csv,text/csv"
            data-testid="import-file"
            aria-label={t('accounts.import.file')}
            disabled={running}
            onChange={(e) => onFile(e.target.files?.[0])}
          />
          {file && <Typography.Text type="secondary">{t('accounts.import.chosen', { name: file.name, size: `${formatNumber(Math.max(1, Math.round(file.size / 1024)), lang)} KB` })}</Typography.Text>}
          {fileError && <Alert type="error" showIcon title={fileError} />}
        </Flex>

        {(running || job) && (
          <div>
            <Progress
              data-testid="import-progress"
              aria-label={t('accounts.import.progress')}
              percent={job ? jobPercent(job) : 0}
              status={finished?.status === 'failed' ? 'exception' : finished ? 'success' : 'active'}
            />
            {job && (
              <Typography.Text type="secondary" aria-live="polite">
                {t('accounts.import.progressText', { processed: formatNumber(job.processedRows, lang), total: formatNumber(job.totalRows, lang) })}
              </Typography.Text>
            )}
          </div>
        )}

        {run.error && !lostTrack && <ProblemAlert error={run.error} />}
        {lostTrack && (
          <Flex vertical gap={8}>
            <Alert type="warning" showIcon title={t('accounts.import.lost')} />
            <ProblemAlert error={run.error} />
          </Flex>
        )}

        {finished && <ImportResult job={finished} ruleLabel={ruleLabel} />}
      </Flex>
    </Modal>
  );
}

function ImportResult({ job, ruleLabel }: { job: ImportJob; ruleLabel: (rule: string) => string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const n = (v: number) => formatNumber(v, lang);
  const errors = sortedRowErrors(job.errors);
  const filename = displayFilename(job.filename);
  const counts: Array<[string, string, number]> = [
    ['total', t('accounts.import.totalRows'), job.totalRows],
    ['created', t('accounts.import.created'), job.created],
    ['updated', t('accounts.import.updated'), job.updated],
    ['unchanged', t('accounts.import.unchanged'), job.unchanged],
    ['rejected', t('accounts.import.rejected'), job.failed],
  ];
  return (
    <Flex vertical gap={12} data-testid="import-result" data-status={job.status}>
      {job.status === 'completed' ? (
        <Alert type="success" showIcon title={t('accounts.import.completed')} />
      ) : (
        <Alert type="error" showIcon title={t('accounts.import.failed')} description={job.failureReason ?? undefined} />
      )}
      <section aria-label={t('accounts.import.result')}>
        {filename && (
          <Typography.Paragraph style={{ marginBottom: 8 }}>
            {t('accounts.import.file_name', { name: filename })}
          </Typography.Paragraph>
        )}
        <Flex wrap gap={32}>
          {counts.map(([key, label, value]) => (
            <div key={key} data-count={key}>
              <Statistic title={label} value={n(value)} />
            </div>
          ))}
        </Flex>
      </section>
      {errors.length > 0 ? (
        <Table<ImportRowError & { key: string }>
          data-testid="import-errors"
          aria-label={t('accounts.import.errors')}
          title={() => (
            <Typography.Title level={2} style={{ margin: 0, fontSize: 16 }}>
              {t('accounts.import.errors')}
            </Typography.Title>
          )}
          size="small"
          dataSource={errors.map((e, i) => ({ ...e, key: `${e.line}-${e.field}-${i}` }))}
          pagination={errors.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
          columns={[
            { key: 'line', dataIndex: 'line', title: t('accounts.import.line'), width: 80, render: (v: number) => n(v) },
            { key: 'field', dataIndex: 'field', title: t('accounts.import.field'), width: 160 },
            { key: 'rule', dataIndex: 'rule', title: t('accounts.import.rule'), width: 180, render: (rule: string) => ruleLabel(rule) },
            { key: 'message', dataIndex: 'message', title: t('accounts.import.message') },
          ]}
        />
      ) : (
        job.status === 'completed' && <Typography.Text>{t('accounts.import.noErrors')}</Typography.Text>
      )}
    </Flex>
  );
}
