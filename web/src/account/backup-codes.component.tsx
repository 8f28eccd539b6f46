/** Backup codes, shown once: the store keeps only their hashes. */
export function BackupCodesList({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <div className="notice warning" role="status">
      <h3>Your backup codes</h3>
      <p>
        Keep these somewhere safe: each signs you in once if you lose your phone. They are shown
        only now.
      </p>
      <ul className="backup-codes" aria-label="Backup codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <button type="button" onClick={onDone}>
        I have kept them
      </button>
    </div>
  );
}
