import { ReactFlowProvider } from '@xyflow/react';
import { useParams } from 'react-router';
import { loadCatalogue } from '../api/catalogue.js';
import { playbooksApi } from '../api/playbooks.js';
import { ErrorMessage, Loading } from '../ui/states.js';
import { useAsync } from '../ui/use-async.js';
import { PlaybookEditor } from './playbook-editor.js';

/** /playbooks/:key — loads the playbook and what it is checked against, then opens the editor. */
export function EditorPage() {
  const { key = '' } = useParams();
  const loaded = useAsync(
    async (signal) => {
      const [stored, catalogue] = await Promise.all([playbooksApi.get(key, signal), loadCatalogue(signal)]);
      return { stored, catalogue };
    },
    [key],
  );
  if (loaded.status === 'loading') return <Loading what="the playbook" />;
  if (loaded.status === 'error')
    return (
      <div className="page">
        <h1>Playbook {key}</h1>
        <ErrorMessage error={loaded.error} onRetry={loaded.reload} />
      </div>
    );
  return (
    <ReactFlowProvider>
      <PlaybookEditor key={key} stored={loaded.data.stored.playbook} catalogue={loaded.data.catalogue} />
    </ReactFlowProvider>
  );
}
