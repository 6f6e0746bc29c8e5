import { expect } from 'chai';
import { useService } from '../support/service.js';
import { dashboardUser, PageClient, TEST_PASSWORD, uniqueEmail } from '../support/dashboard.js';
import { testDatabase } from '../support/hooks.js';

describe('Dashboard settings: workspace, API keys, members', () => {
  const suite = useService();
  beforeEach(() => testDatabase().db('sign_in_failures').delete());

  it('saves the workspace name, time zone and attribution model, which the API then reports', async () => {
    const user = await dashboardUser(suite.running);
    await user.client.get('/app/settings');
    const saved = await user.client.post('/app/settings/workspace', { name: 'Renamed', timezone: 'Europe/Bucharest', attribution_model: 'first_click' });
    expect(saved.status).to.equal(303);
    expect((await user.client.get('/app/settings')).html).to.contain('Workspace settings saved.');
    const workspace = await suite.api.get('/api/workspace', { key: user.key });
    expect(workspace.body).to.include({ name: 'Renamed', timezone: 'Europe/Bucharest', attribution_model: 'first_click' });
  });

  it('refuses an unknown time zone with the same rule as the API, changing nothing', async () => {
    const user = await dashboardUser(suite.running);
    await user.client.get('/app/settings');
    const refused = await user.client.post('/app/settings/workspace', { name: 'Kept?', timezone: 'Mars/Olympus', attribution_model: 'last_click' });
    expect(refused.status).to.equal(400);
    expect(refused.html).to.contain('timezone');
    expect((await suite.api.get('/api/workspace', { key: user.key })).body.timezone).to.equal('UTC');
  });

  it('shows a new API key once: it works, no later page shows it, and revoking it stops it', async () => {
    const user = await dashboardUser(suite.running);
    await user.client.get('/app/settings');
    const created = await user.client.post('/app/settings/api-keys');
    expect(created.status).to.equal(201);
    const key = /syx_[A-Za-z0-9_-]{32}/.exec(created.html)![0];
    expect((await suite.api.get('/api/campaigns', { key })).status).to.equal(200);
    for (const path of ['/app', '/app/settings', '/app/campaigns', '/app/sources', '/app/conversions']) {
      expect((await user.client.get(path)).html, path).not.to.contain(key);
    }
    const revoked = await user.client.post(`/app/settings/api-keys/${key.slice(0, 12)}/revoke`);
    expect(revoked.status).to.equal(303);
    expect((await suite.api.get('/api/campaigns', { key })).status).to.equal(401);
  });

  it('cannot revoke another workspace\'s key by its prefix', async () => {
    const user = await dashboardUser(suite.running);
    const other = await dashboardUser(suite.running);
    await user.client.get('/app/settings');
    const refused = await user.client.post(`/app/settings/api-keys/${other.key.slice(0, 12)}/revoke`);
    expect(refused.status).to.equal(404);
    expect((await suite.api.get('/api/campaigns', { key: other.key })).status).to.equal(200);
  });

  it('invites a new person by a one-time link: they choose a password and see the workspace, as a member', async () => {
    const owner = await dashboardUser(suite.running, { workspaceName: 'Shared shop' });
    await owner.client.get('/app/settings');
    const email = uniqueEmail('invitee');
    const invited = await owner.client.post('/app/settings/invites', { email, role: 'member' });
    expect(invited.status).to.equal(201);
    const link = new URL(/http:\/\/[^"<\s]+\/invite\?token=[A-Za-z0-9_-]+/.exec(invited.html)![0]);
    expect((await owner.client.get('/app/settings')).html).to.contain(email).and.not.to.contain(link.searchParams.get('token')!);

    const invitee = new PageClient(suite.running.url);
    expect((await invitee.get(`${link.pathname}${link.search}`)).html).to.contain(email);
    expect((await invitee.post('/invite', { token: link.searchParams.get('token')!, password: TEST_PASSWORD })).status).to.equal(303);
    const settings = await invitee.get('/app/settings');
    expect(settings.html).to.contain('Shared shop').and.to.contain('Only an owner can invite');

    // A member cannot invite, and the link works once.
    expect((await invitee.post('/app/settings/invites', { email: uniqueEmail(), role: 'owner' })).status).to.equal(403);
    expect((await new PageClient(suite.running.url).post('/invite', { token: link.searchParams.get('token')!, password: TEST_PASSWORD })).status).to.equal(400);
  });

  it('lets someone with an account join by an invite to their address, and switch between their workspaces', async () => {
    const owner = await dashboardUser(suite.running, { workspaceName: 'Second shop' });
    const joiner = await dashboardUser(suite.running, { workspaceName: 'First shop' });
    await owner.client.get('/app/settings');
    const invited = await owner.client.post('/app/settings/invites', { email: joiner.email, role: 'member' });
    const link = new URL(/http:\/\/[^"<\s]+\/invite\?token=[A-Za-z0-9_-]+/.exec(invited.html)![0]);
    expect((await joiner.client.get(`${link.pathname}${link.search}`)).html).to.contain('Join workspace');
    expect((await joiner.client.post('/invite', { token: link.searchParams.get('token')! })).status).to.equal(303);
    const overview = await joiner.client.get('/app');
    expect(overview.html).to.contain('Second shop').and.to.contain('First shop');
    expect((await joiner.client.post('/app/workspace', { workspace_id: joiner.workspaceId })).status).to.equal(303);
    expect((await joiner.client.get('/app/settings')).html).to.contain('value="First shop"');
  });

  it('refuses an invite opened by someone signed in as another address', async () => {
    const owner = await dashboardUser(suite.running);
    const stranger = await dashboardUser(suite.running);
    await owner.client.get('/app/settings');
    const invited = await owner.client.post('/app/settings/invites', { email: uniqueEmail('intended'), role: 'member' });
    const token = /invite\?token=([A-Za-z0-9_-]+)/.exec(invited.html)![1];
    await stranger.client.get(`/invite?token=${token}`);
    const refused = await stranger.client.post('/invite', { token });
    expect(refused.status).to.equal(403);
    expect((await stranger.client.get('/app')).html).not.to.contain(owner.workspaceId);
  });

  it('never switches a session into a workspace the person does not belong to', async () => {
    const user = await dashboardUser(suite.running, { workspaceName: 'Mine' });
    const other = await dashboardUser(suite.running, { workspaceName: 'Not mine at all' });
    await user.client.get('/app');
    expect((await user.client.post('/app/workspace', { workspace_id: other.workspaceId })).status).to.equal(404);
    expect((await user.client.get('/app')).html).not.to.contain('Not mine at all');
  });

  it('removes a member, who then cannot open the workspace; the last owner stays', async () => {
    const owner = await dashboardUser(suite.running);
    await owner.client.get('/app/settings');
    const email = uniqueEmail('leaver');
    const invited = await owner.client.post('/app/settings/invites', { email, role: 'member' });
    const token = /invite\?token=([A-Za-z0-9_-]+)/.exec(invited.html)![1];
    const member = new PageClient(suite.running.url);
    await member.post('/invite', { token, password: TEST_PASSWORD });
    const userId = (await testDatabase().db('users').where({ email }).first('id')).id;
    await owner.client.get('/app/settings');
    expect((await owner.client.post(`/app/settings/members/${userId}/remove`)).status).to.equal(303);
    expect((await member.get('/app')).status).to.equal(303);
    const ownerId = (await testDatabase().db('users').where({ email: owner.email }).first('id')).id;
    expect((await owner.client.post(`/app/settings/members/${ownerId}/remove`)).status).to.equal(409);
  });

  it('refuses a wrong current password when changing it', async () => {
    const user = await dashboardUser(suite.running);
    await user.client.get('/app/settings');
    const refused = await user.client.post('/app/settings/password', { current_password: 'not my password', new_password: 'a brand new password 42' });
    expect(refused.status).to.equal(400);
    expect(refused.html).to.contain('The current password is not right.');
  });
});
