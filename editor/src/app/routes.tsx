import { lazy, Suspense } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { EditorPage } from '../canvas/editor-page.js';
import { NewPlaybookPage } from '../playbooks/new-playbook-page.js';
import { PlaybookListPage } from '../playbooks/list-page.js';
import { RunPage } from '../runs/run-page.js';
import { TemplateListPage } from '../templates/list-page.js';
import { opsRoutes } from '../ops/routes.js';
import { Loading } from '../ui/states.js';
import { Layout, RouteError } from './layout.js';
import { NotFoundPage } from './not-found.js';

// The code editor (CodeMirror) is only needed on the template screen, so it loads when that screen opens.
const TemplateEditorPage = lazy(() =>
  import('../templates/template-editor-page.js').then((m) => ({ default: m.TemplateEditorPage })),
);

export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Navigate to="/playbooks" replace /> },
      { path: 'playbooks', element: <PlaybookListPage /> },
      { path: 'playbooks/new', element: <NewPlaybookPage /> },
      { path: 'playbooks/:key', element: <EditorPage /> },
      { path: 'runs/:workflowId', element: <RunPage /> },
      { path: 'templates', element: <TemplateListPage /> },
      {
        path: 'templates/:key',
        element: (
          <Suspense fallback={<Loading what="the template editor" />}>
            <TemplateEditorPage />
          </Suspense>
        ),
      },
      ...opsRoutes,
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
