import { entries } from './labels';

/** One `<option>` per code of a label module, in its order, labelled in French. */
export function CodeOptions({ labels }: { labels: Record<string, string> }) {
  return (
    <>
      {entries(labels).map(([code, label]) => (
        <option key={code} value={code}>
          {label}
        </option>
      ))}
    </>
  );
}
