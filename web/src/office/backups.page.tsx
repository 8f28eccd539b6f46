import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { describeError } from '../api/api-error';
import type { BackupJob, BackupList, StoredBackup } from '../api/api.types';
import { storeApi } from '../api/store-api.client';
import { formatDateTime } from '../format/dates.format';
import { useAnnounce } from '../ui/announcer.context';
import { ErrorNotice } from '../ui/error-notice.component';
import { Loading } from '../ui/loading.component';
import { usePageTitle } from '../ui/page-title.hook';
import { asSentence, backupPollDelayMs, formatBytes, formatDuration } from './backup.format';
import { useElapsedSeconds } from './elapsed-seconds.hook';
import { saveFile } from './save-file';

const BACKUPS = ['office', 'backups'] as const;

/** A listing refused while following a backup (e.g. the hourly budget spent): ask again slowly. */
const AFTER_A_REFUSAL_MS = 30_000;

const startedAtOf = (job: BackupJob | undefined): number | undefined =>
  job?.state === 'running' && job.startedAt ? Date.parse(job.startedAt) : undefined;

/**
 * The store's backups: start one now and follow it to its end, download any of the verified
 * ones, and the settings that decide when they are written, how many are kept and whether the
 * keys of personal data are in them.
 */
export function BackupsPage() {
  usePageTitle('Backups');
  const queryClient = useQueryClient();
  const backups = useQuery({
    queryKey: BACKUPS,
    queryFn: () => storeApi.backups(),
    // While a backup runs (started here, by another employee or by the schedule), follow it.
    refetchInterval: (query) => {
      const startedAt = startedAtOf(query.state.data?.job);
      if (startedAt === undefined) return false;
      if (query.state.status === 'error') return AFTER_A_REFUSAL_MS;
      return backupPollDelayMs(Date.now() - startedAt);
    },
  });
  const start = useMutation({
    mutationFn: () => storeApi.startBackup(),
    // The answer is the running job: following it starts from there, without asking again.
    onSuccess: (job) => {
      if (queryClient.getQueryData<BackupList>(BACKUPS))
        queryClient.setQueryData<BackupList>(BACKUPS, (list) => list && { ...list, job });
      else void queryClient.invalidateQueries({ queryKey: BACKUPS });
    },
  });
  const list = backups.data;
  const job = list?.job;
  const running = job?.state === 'running';
  const elapsed = useElapsedSeconds(startedAtOf(job));

  return (
    <>
      <h1>Backups</h1>
      <p>
        A backup is a copy of the store’s five databases in one archive, checked before it is
        listed. Download one to keep it somewhere other than the store’s server; it is restored with{' '}
        <code>restore &lt;file&gt;</code> on the command line.
      </p>
      {list?.warning && (
        <div className="notice warning" role="alert">
          <h2>Backups are overdue</h2>
          <p>{asSentence(list.warning)}</p>
        </div>
      )}
      {list &&
        (list.keysIncluded ? (
          <p className="muted">
            Each backup holds the keys that open personal data, sealed under the backup passphrase
            (BACKUP_PASSPHRASE). Keep the passphrase apart from the backups: a restore needs it.
          </p>
        ) : (
          <div className="notice warning">
            <h2>Personal data needs the keys kept separately</h2>
            <p>
              These backups do not include the keys that open names, addresses and sign-in secrets.
              Keep DATA_ENCRYPTION_KEYS (or the data folder’s data-keys.json) safe apart from the
              backups, or a restored store cannot read that data. Setting BACKUP_PASSPHRASE seals
              the keys into each backup.
            </p>
          </div>
        ))}
      {list && (
        <dl className="totals panel form-narrow">
          <div>
            <dt>Schedule</dt>
            <dd>
              {list.schedule ? (
                <>
                  <code>{list.schedule}</code> <span className="muted">(cron)</span>
                </>
              ) : (
                'Backups run only when started here'
              )}
            </dd>
          </div>
          <div>
            <dt>Backups kept</dt>
            <dd>The newest {list.keep}</dd>
          </div>
          <div>
            <dt>Keys of personal data</dt>
            <dd>{list.keysIncluded ? 'Included, sealed' : 'Not included'}</dd>
          </div>
        </dl>
      )}
      <div className="actions">
        <button type="button" disabled={start.isPending || running} onClick={() => start.mutate()}>
          {start.isPending || running ? 'Backing up…' : 'Back up now'}
        </button>
      </div>
      {list && (
        <div role="status" aria-live="polite">
          {running && (
            <p>
              <span className="spinner" aria-hidden="true" /> Backing up
              {job.trigger === 'schedule' ? ' (started by the schedule)' : ''}: copying each
              database, then checking the archive…{' '}
              {/* Not read out every second: the outcome is. */}
              <span aria-hidden="true">{elapsed} s</span>
            </p>
          )}
          {job?.state === 'done' && job.backup && (
            <div className="notice success">
              <p>
                Backed up{job.trigger === 'schedule' ? ' by the schedule' : ''}
                {job.finishedAt ? ` on ${formatDateTime(job.finishedAt)}` : ''}:{' '}
                <strong>{job.backup.name}</strong> ({formatBytes(job.backup.bytes)}), written and
                verified
                {job.startedAt && job.finishedAt
                  ? ` in ${formatDuration(Date.parse(job.finishedAt) - Date.parse(job.startedAt))}`
                  : ''}
                .
              </p>
            </div>
          )}
        </div>
      )}
      {job?.state === 'failed' && (
        <div className="notice error" role="alert">
          <h2>The last backup failed</h2>
          <p>{job.error ?? 'The store did not say why.'}</p>
          <p>
            {job.startedAt ? `Started on ${formatDateTime(job.startedAt)}` : 'Started'}
            {job.trigger === 'schedule' ? ' by the schedule' : ''}. Nothing was added to the list.
          </p>
        </div>
      )}
      <ErrorNotice error={start.error} title="The backup did not start" />
      <ErrorNotice error={backups.error} />
      {backups.isPending && <Loading label="Loading backups…" />}
      {list &&
        (list.items.length === 0 ? (
          <p className="muted">No backups yet: each one is listed here once written and checked.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>
                {list.items.length} backup{list.items.length === 1 ? '' : 's'}, newest first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Backup</th>
                  <th scope="col">Written</th>
                  <th scope="col" className="num">
                    Size
                  </th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((backup) => (
                  <BackupRow key={backup.name} backup={backup} />
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </>
  );
}

/** One verified backup, downloaded with the access token. */
function BackupRow({ backup }: { backup: StoredBackup }) {
  const announce = useAnnounce();
  const download = useMutation({
    mutationFn: () => storeApi.backupFile(backup.name),
    onSuccess: (file) => {
      saveFile(file, backup.name);
      announce(`${backup.name} downloaded`);
    },
  });
  return (
    <tr>
      <td>{backup.name}</td>
      <td>{formatDateTime(backup.createdAt)}</td>
      <td className="num">{formatBytes(backup.bytes)}</td>
      <td>
        <button
          type="button"
          className="secondary"
          disabled={download.isPending}
          onClick={() => download.mutate()}
        >
          {download.isPending ? 'Downloading…' : 'Download'}
          <span className="visually-hidden"> {backup.name}</span>
        </button>
        {download.error && (
          <div className="field-error" role="alert">
            {describeError(download.error)}
          </div>
        )}
      </td>
    </tr>
  );
}
