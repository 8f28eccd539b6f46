import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../api/api-error';
import type { SynonymGroup } from '../api/api.types';
import { storeApi } from '../api/store-api.client';
import { formatDateTime } from '../format/dates.format';
import { useAnnounce } from '../ui/announcer.context';
import { ErrorNotice } from '../ui/error-notice.component';
import { Loading } from '../ui/loading.component';
import { usePageTitle } from '../ui/page-title.hook';
import { TextField } from '../ui/text-field.component';
import { formatTerms, groupCount, parseTerms } from './synonyms.format';

const SYNONYMS = ['office', 'synonyms'] as const;

/** What the store said about the words themselves (invalid, or already in another group). */
const termsProblem = (error: unknown): string | undefined =>
  error instanceof ApiError ? error.fieldMessage('terms') : undefined;

/** The groups of words the search treats as the same: list, add, change and remove them. */
export function SynonymsPage() {
  usePageTitle('Search synonyms');
  const groups = useQuery({ queryKey: SYNONYMS, queryFn: () => storeApi.synonymGroups() });
  const list = groups.data;

  return (
    <>
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <ol>
          <li>
            <Link to="/office/search">Search index</Link>
          </li>
          <li aria-current="page">Synonyms</li>
        </ol>
      </nav>
      <h1>Search synonyms</h1>
      <p>
        Words a search treats as the same. With <em>crisps</em> and <em>chips</em> in one group, a
        search for either also finds products named with the other. Changes count from the next
        search.
      </p>
      <NewGroupForm />
      <ErrorNotice error={groups.error} />
      {groups.isPending && <Loading label="Loading synonyms…" />}
      {list &&
        (list.length === 0 ? (
          <p className="muted">No synonyms yet: each group you add is listed here.</p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption>{groupCount(list.length)}, by first word</caption>
              <thead>
                <tr>
                  <th scope="col">Words</th>
                  <th scope="col">Changed</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                {list.map((group) => (
                  <SynonymRow key={group.id} group={group} />
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </>
  );
}

function NewGroupForm() {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const [added, setAdded] = useState<SynonymGroup>();
  const create = useMutation({
    mutationFn: () => storeApi.createSynonymGroup(parseTerms(text)),
    onSuccess: (group) => {
      setAdded(group);
      setText('');
      void queryClient.invalidateQueries({ queryKey: SYNONYMS });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setAdded(undefined);
    create.mutate();
  };
  const problem = termsProblem(create.error);
  return (
    <form onSubmit={submit} noValidate className="panel form-narrow">
      <h2>Add a group</h2>
      <TextField
        id="synonyms-new"
        label="Words that mean the same"
        value={text}
        onChange={setText}
        autoComplete="off"
        placeholder="crisps, chips"
        problem={problem}
        alert
        describedBy="synonyms-new-hint"
      >
        <span id="synonyms-new-hint" className="hint">
          Two to twenty words, separated by commas or spaces; a word can be in one group only.
        </span>
      </TextField>
      {!problem && <ErrorNotice error={create.error} title="The group was not added" />}
      {added && (
        <div className="notice success" role="status">
          <p>Added: {formatTerms(added.terms)}.</p>
        </div>
      )}
      <div className="actions">
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add group'}
        </button>
      </div>
    </form>
  );
}

/** One group: its words, changed in place from the version shown, or removed. */
function SynonymRow({ group }: { group: SynonymGroup }) {
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [text, setText] = useState('');
  const words = formatTerms(group.terms);
  const refresh = () => queryClient.invalidateQueries({ queryKey: SYNONYMS });
  const update = useMutation({
    mutationFn: () => storeApi.updateSynonymGroup(group.id, parseTerms(text), group.version),
    onSuccess: (updated) => {
      setEditing(false);
      announce(`Saved: ${formatTerms(updated.terms)}`);
      void refresh();
    },
    // Someone else saved first: show their words, keep what was typed to compare and retry.
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'VERSION_CONFLICT') void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => storeApi.deleteSynonymGroup(group.id),
    onSuccess: () => {
      announce(`Removed: ${words}`);
      void refresh();
    },
    onError: (error) => {
      setConfirming(false);
      // Already removed elsewhere: the list drops it.
      if (error instanceof ApiError && error.status === 404) void refresh();
    },
  });
  const startEditing = () => {
    update.reset();
    setText(words);
    setEditing(true);
  };
  const save = (event: FormEvent) => {
    event.preventDefault();
    update.mutate();
  };
  const problem = termsProblem(update.error);

  return (
    <tr>
      <td>
        {editing ? (
          <form id={`synonym-${group.id}`} onSubmit={save} noValidate>
            <TextField
              id={`synonym-${group.id}-words`}
              label={`Words of the group ${words}`}
              value={text}
              onChange={setText}
              autoComplete="off"
              problem={problem}
              alert
            />
            {!problem && <ErrorNotice error={update.error} title="Not saved" />}
          </form>
        ) : (
          words
        )}
      </td>
      <td>
        {formatDateTime(group.updatedAt)}
        <div className="muted">version {group.version}</div>
      </td>
      <td>
        {editing ? (
          <span className="actions">
            <button type="submit" form={`synonym-${group.id}`} disabled={update.isPending}>
              {update.isPending ? 'Saving…' : 'Save'}
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </span>
        ) : confirming ? (
          <span role="group" aria-label={`Confirm removing ${words}`} className="actions">
            <span>Remove this group?</span>
            <button
              type="button"
              className="danger"
              disabled={remove.isPending}
              onClick={() => remove.mutate()}
            >
              Yes, remove
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </span>
        ) : (
          <span className="actions">
            <button type="button" className="secondary" onClick={startEditing}>
              Edit<span className="visually-hidden"> {words}</span>
            </button>
            <button type="button" className="danger" onClick={() => setConfirming(true)}>
              Remove<span className="visually-hidden"> {words}</span>
            </button>
          </span>
        )}
        {remove.error && (
          <div className="field-error" role="alert">
            {remove.error instanceof ApiError ? remove.error.message : 'Not removed'}
          </div>
        )}
      </td>
    </tr>
  );
}
