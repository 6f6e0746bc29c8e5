import type Router from '@koa/router';
import { newRouter } from '../router.js';
import { adminAuth } from '../middleware/auth.js';
import { jsonBody } from '../middleware/json-body.js';
import { validate } from '../validation.js';
import { CreatedWorkspace, CreateWorkspaceBody } from '../../workspaces/schemas.js';
import { createWorkspace } from '../../workspaces/workspaces.js';

export function workspaceRoutes(adminToken: string): Router {
  const router = newRouter();
  router.post('/api/workspaces', adminAuth(adminToken), jsonBody(), validate({ body: CreateWorkspaceBody, responses: { 201: CreatedWorkspace } }), async (ctx) => {
    const { name } = ctx.request.body as CreateWorkspaceBody;
    ctx.status = 201;
    ctx.body = await createWorkspace(name);
  });
  return router;
}
