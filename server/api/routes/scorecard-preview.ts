import { ScorecardPreview } from '../../../engine/health/preview.js';
import { Scorecard } from '../../../engine/health/scorecard.js';
import type { AppContext } from '../../context.js';
import { previewScorecard } from '../../health/preview.js';
import { route } from '../route.js';
import { DESIGNERS } from '../roles.js';

export const scorecardPreviewRoutes = (ctx: AppContext) => [
  route({
    method: 'post',
    path: '/api/scorecard/preview',
    tag: 'health',
    // Those who may save a scorecard see what a draft would do; it records nothing.
    access: { roles: DESIGNERS, scope: 'read' },
    summary:
      'Scores every account now under a draft scorecard and under the saved one, without recording anything: accounts by risk level under each, and how many would move between levels.',
    body: Scorecard,
    response: ScorecardPreview,
    errors: [400],
    async handler({ body }) {
      return previewScorecard(ctx.database.db, body);
    },
  }),
];
