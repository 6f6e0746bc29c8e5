import type Router from '@koa/router';
import { newRouter } from '../router.js';
import { apiKeyAuth } from '../middleware/auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { documented, validate } from '../validation.js';
import { getWorkspace, updateWorkspace } from '../../workspaces/workspaces.js';
import { UpdateWorkspaceBody } from '../../workspaces/settings-schemas.js';
import { WorkspaceView } from '../../workspaces/schemas.js';

/** `GET/PATCH /api/workspace`: the key's own workspace, its time zone and attribution model. */
export function workspaceSettingsRoutes(): Router {
  const router = newRouter('/api/workspace');
  router.use(apiKeyAuth(), jsonBody());
  router.get('/', documented({ responses: { 200: WorkspaceView } }), async (ctx) => {
    ctx.body = await getWorkspace(ctx.state.workspaceId);
  });
  router.patch('/', validate({ body: UpdateWorkspaceBody, responses: { 200: WorkspaceView } }), async (ctx) => {
    ctx.body = await updateWorkspace(ctx.state.workspaceId, ctx.request.body as UpdateWorkspaceBody);
  });
  return router;
}
