// A fake GitHub REST API for tests that holds every request to GitHub's published OpenAPI description
// (@octokit/openapi): a request the real API would reject gets a 422 here and is recorded as a contract
// violation, which tests assert to be empty. Handlers are registered by operationId and keep just enough
// state (pull requests, files, comments, check runs) to answer like GitHub; their answers are validated too.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as openapiBackend from 'openapi-backend';
import * as ajvFormats from 'ajv-formats';
import { repoRoot } from '../harness/run-action.ts';

// CommonJS default-export interop: the class is `.default` under ts-jest and `.default.default` under Node.
type Backend = openapiBackend.OpenAPIBackend;
const moduleDefault = (openapiBackend as unknown as { default: { default?: typeof openapiBackend.OpenAPIBackend } & typeof openapiBackend.OpenAPIBackend }).default;
const OpenAPIBackend: typeof openapiBackend.OpenAPIBackend = moduleDefault.default ?? moduleDefault;

export const GITHUB_SPEC_PATH = join(repoRoot, 'node_modules/@octokit/openapi/generated/api.github.com.json');

export interface GitHubRequest {
  operationId: string;
  method: string;
  path: string;
  /** Path parameters, as strings. */
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: any;
}

export interface GitHubResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send `body` as text with this content type (raw media types); skips response validation. */
  rawContentType?: string;
}

export type OperationHandler = (request: GitHubRequest, fake: GitHubApiFake) => GitHubResponse;

export interface ContractViolation {
  kind: 'request' | 'response' | 'unknown-route' | 'unimplemented';
  method: string;
  path: string;
  operationId?: string;
  errors: string[];
}

export interface RecordedCall {
  operationId?: string;
  method: string;
  path: string;
  status: number;
  body: unknown;
}

export interface PullRequestFixture {
  files: { filename: string; status?: string; patch?: string; previous_filename?: string }[];
}

export interface Comment {
  id: number;
  issueNumber: number;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeDeploymentStatus {
  id: number;
  state: string;
  description: string;
  environment: string;
  logUrl: string;
  environmentUrl: string;
  createdAt: string;
}

export interface FakeDeployment {
  id: number;
  ref: string;
  sha: string;
  task: string;
  environment: string;
  description: string | null;
  payload: unknown;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  createdAt: string;
  statuses: FakeDeploymentStatus[];
}

export interface RepoState {
  pulls: Map<number, PullRequestFixture>;
  /** `${ref}:${path}` → content. */
  files: Map<string, string>;
  comments: Comment[];
  checkRuns: { id: number; name: string; head_sha: string; status?: string; conclusion?: string; output?: any }[];
  /** Oldest first; statuses of each oldest first. */
  deployments: FakeDeployment[];
  /** State for operations added with `fake.on` (e.g. `deployments`), by collection name. */
  collections: Map<string, unknown[]>;
}

export interface GitHubApiFake {
  url: string;
  violations: ContractViolation[];
  calls: RecordedCall[];
  /** Answer write operations with 403, as GitHub does for a fork pull request's read-only token. */
  readOnlyToken: boolean;
  repo(owner: string, repo: string): RepoState;
  on(operationId: string, handler: OperationHandler): void;
  nextId(): number;
  /** A full, schema-valid `simple-user`. */
  user(login?: string): Record<string, unknown>;
  close(): Promise<void>;
}

let backendPromise: Promise<Backend> | undefined;

/** Parses and indexes the 13 MB description once per process (≈0.7 s); later fakes reuse it. */
export function loadGitHubSpec(): Promise<Backend> {
  backendPromise ??= (async () => {
    const definition = JSON.parse(await readFile(GITHUB_SPEC_PATH, 'utf8'));
    // GitHub's description uses formats (uri, date-time, email); check them rather than warn about them.
    const addFormats = ((ajvFormats as unknown as { default: { default?: unknown } }).default.default ?? (ajvFormats as unknown as { default: unknown }).default) as (ajv: unknown) => unknown;
    const api = new OpenAPIBackend({
      definition,
      quick: true,
      strict: false,
      validate: true,
      ajvOpts: { strict: false },
      customizeAjv: (ajv: unknown) => {
        addFormats(ajv);
        return ajv;
      },
    } as never);
    await api.init();
    return api;
  })();
  return backendPromise;
}

const WRITE_METHODS = new Set(['post', 'patch', 'put', 'delete']);

export async function startGitHubApiFake(handlers: Record<string, OperationHandler> = {}): Promise<GitHubApiFake> {
  const api = await loadGitHubSpec();
  const operationHandlers = new Map<string, OperationHandler>(Object.entries({ ...defaultHandlers, ...handlers }));
  const repos = new Map<string, RepoState>();
  let lastId = 1000;

  const fake: GitHubApiFake = {
    url: '',
    violations: [],
    calls: [],
    readOnlyToken: false,
    repo(owner, repo) {
      const key = `${owner}/${repo}`.toLowerCase();
      let state = repos.get(key);
      if (!state) {
        state = { pulls: new Map(), files: new Map(), comments: [], checkRuns: [], deployments: [], collections: new Map() };
        repos.set(key, state);
      }
      return state;
    },
    on(operationId, handler) {
      operationHandlers.set(operationId, handler);
    },
    nextId: () => ++lastId,
    user: (login = 'github-actions[bot]') => simpleUser(fake.url, login),
    close: () => Promise.resolve(),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toLowerCase();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        return reject(res, { kind: 'request', method, path: url.pathname, errors: ['request body is not JSON'] }, 400);
      }
    }
    const query = Object.fromEntries(url.searchParams);
    const request = { method, path: url.pathname, query, headers, body };
    const operation = api.matchOperation(request as never);
    if (!operation) {
      return reject(res, { kind: 'unknown-route', method, path: url.pathname, errors: [`GitHub has no ${method.toUpperCase()} ${url.pathname}`] }, 404);
    }
    const operationId = operation.operationId as string;
    const validation = api.validateRequest(request as never, operation);
    if (!validation.valid) {
      const errors = (validation.errors ?? []).map((e: { instancePath?: string; message?: string; params?: unknown }) => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
      return reject(res, { kind: 'request', method, path: url.pathname, operationId, errors }, 422);
    }
    const handler = operationHandlers.get(operationId);
    if (!handler) {
      return reject(res, { kind: 'unimplemented', method, path: url.pathname, operationId, errors: [`the fake has no handler for ${operationId}`] }, 501);
    }
    if (fake.readOnlyToken && WRITE_METHODS.has(method)) {
      return respond(res, { operationId, method, path: url.pathname }, { status: 403, body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest', status: '403' } });
    }
    const params = api.router.parseRequest(request as never, operation).params as Record<string, string>;
    const response = handler({ operationId, method, path: url.pathname, params: decodeParams(params), query, headers, body }, fake);
    if (response.rawContentType === undefined && response.status < 300) {
      const check = api.validateResponse(response.body, operation, response.status);
      if (!check.valid) {
        fake.violations.push({
          kind: 'response',
          method,
          path: url.pathname,
          operationId,
          errors: (check.errors ?? []).map((e: { instancePath?: string; message?: string }) => `${e.instancePath || '/'} ${e.message}`),
        });
      }
    }
    respond(res, { operationId, method, path: url.pathname }, response);
  };

  const respond = (res: ServerResponse, call: Omit<RecordedCall, 'status' | 'body'>, response: GitHubResponse) => {
    fake.calls.push({ ...call, status: response.status, body: response.body });
    if (response.rawContentType !== undefined) {
      res.writeHead(response.status, { 'content-type': response.rawContentType, ...response.headers });
      res.end(String(response.body ?? ''));
      return;
    }
    res.writeHead(response.status, { 'content-type': 'application/json; charset=utf-8', ...response.headers });
    res.end(response.body === undefined ? '' : JSON.stringify(response.body));
  };

  const reject = (res: ServerResponse, violation: ContractViolation, status: number) => {
    fake.violations.push(violation);
    respond(res, violation, { status, body: { message: `contract violation: ${violation.errors.join('; ')}`, documentation_url: 'https://docs.github.com/rest', status: String(status) } });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      fake.violations.push({ kind: 'unimplemented', method: req.method ?? '', path: req.url ?? '', errors: [`fake crashed: ${error.stack ?? error.message}`] });
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

const decodeParams = (params: Record<string, string>) => Object.fromEntries(Object.entries(params).map(([k, v]) => [k, decodeURIComponent(v)]));

/** One page of `items` as GitHub pages it, with a Link header pointing at the next and last pages. */
export function paginate<T>(fake: GitHubApiFake, request: GitHubRequest, items: T[]): GitHubResponse {
  const perPage = Math.min(100, Number(request.query.per_page ?? 30));
  const page = Math.max(1, Number(request.query.page ?? 1));
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string) => {
    const query = new URLSearchParams({ ...request.query, per_page: String(perPage), page: String(n) });
    return `<${fake.url}${request.path}?${query}>; rel="${rel}"`;
  };
  const links = [];
  if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'));
  if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
  return { status: 200, body: items.slice((page - 1) * perPage, page * perPage), headers: links.length ? { link: links.join(', ') } : {} };
}

const notFound = (): GitHubResponse => ({ status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } });

function simpleUser(base: string, login: string): Record<string, unknown> {
  const url = `${base}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id: 41898282,
    node_id: 'MDM6Qm90NDE4OTgyODI=',
    avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
    gravatar_id: '',
    url,
    html_url: `https://github.com/apps/${encodeURIComponent(login.replace(/\[bot\]$/, ""))}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: 'Bot',
    site_admin: false,
  };
}

function commentJson(fake: GitHubApiFake, request: GitHubRequest, comment: Comment) {
  const { owner, repo } = request.params;
  const apiRepo = `${fake.url}/repos/${owner}/${repo}`;
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url: `${apiRepo}/issues/comments/${comment.id}`,
    html_url: `https://github.com/${owner}/${repo}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: fake.user(),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: `${apiRepo}/issues/${comment.issueNumber}`,
    author_association: 'NONE',
  };
}

function checkRunJson(fake: GitHubApiFake, request: GitHubRequest, run: RepoState['checkRuns'][number]) {
  const { owner, repo } = request.params;
  return {
    id: run.id,
    head_sha: run.head_sha,
    node_id: `CR_${run.id}`,
    external_id: null,
    url: `${fake.url}/repos/${owner}/${repo}/check-runs/${run.id}`,
    html_url: `https://github.com/${owner}/${repo}/runs/${run.id}`,
    details_url: null,
    status: run.status ?? 'completed',
    conclusion: run.conclusion ?? null,
    started_at: new Date().toISOString(),
    completed_at: run.status === 'completed' ? new Date().toISOString() : null,
    output: {
      title: run.output?.title ?? null,
      summary: run.output?.summary ?? null,
      text: null,
      annotations_count: run.output?.annotations?.length ?? 0,
      annotations_url: `${fake.url}/repos/${owner}/${repo}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: 1 },
    app: null,
    pull_requests: [],
  };
}

/** GitHub's own limit on deployment and status descriptions, which the published description does not state. */
const DEPLOYMENT_DESCRIPTION_LIMIT = 140;

/** A 422 for a rule GitHub enforces beyond the published schema, recorded as a contract violation too. */
function beyondSchema(fake: GitHubApiFake, request: GitHubRequest, message: string): GitHubResponse {
  fake.violations.push({ kind: 'request', method: request.method, path: request.path, operationId: request.operationId, errors: [message] });
  return { status: 422, body: { message: `Validation Failed: ${message}`, documentation_url: 'https://docs.github.com/rest', status: '422' } };
}

const tooLong = (text: unknown): boolean => typeof text === 'string' && Array.from(text).length > DEPLOYMENT_DESCRIPTION_LIMIT;

/** GitHub's sha for a ref the fake has no git history for: the ref itself when it is a sha, else a stable hash-like. */
const shaOf = (ref: string): string => (/^[0-9a-f]{40}$/.test(ref) ? ref : Buffer.from(ref).toString('hex').slice(0, 40).padEnd(40, '0'));

function deploymentJson(fake: GitHubApiFake, request: GitHubRequest, deployment: FakeDeployment) {
  const { owner, repo } = request.params;
  const apiRepo = `${fake.url}/repos/${owner}/${repo}`;
  const url = `${apiRepo}/deployments/${deployment.id}`;
  const updated = deployment.statuses.at(-1)?.createdAt ?? deployment.createdAt;
  return {
    url,
    id: deployment.id,
    node_id: `DE_${deployment.id}`,
    sha: deployment.sha,
    ref: deployment.ref,
    task: deployment.task,
    payload: deployment.payload,
    original_environment: deployment.environment,
    environment: deployment.environment,
    description: deployment.description,
    creator: fake.user(),
    created_at: deployment.createdAt,
    updated_at: updated,
    statuses_url: `${url}/statuses`,
    repository_url: apiRepo,
    transient_environment: deployment.transientEnvironment,
    production_environment: deployment.productionEnvironment,
  };
}

function deploymentStatusJson(fake: GitHubApiFake, request: GitHubRequest, deployment: FakeDeployment, status: FakeDeploymentStatus) {
  const { owner, repo } = request.params;
  const apiRepo = `${fake.url}/repos/${owner}/${repo}`;
  const deploymentUrl = `${apiRepo}/deployments/${deployment.id}`;
  return {
    url: `${deploymentUrl}/statuses/${status.id}`,
    id: status.id,
    node_id: `DES_${status.id}`,
    state: status.state,
    creator: fake.user(),
    description: status.description,
    environment: status.environment,
    // GitHub sends "" for a status without a log, but the description requires a URI here: the deployment's
    target_url: status.logUrl || deploymentUrl,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    deployment_url: deploymentUrl,
    repository_url: apiRepo,
    ...(status.environmentUrl ? { environment_url: status.environmentUrl } : {}),
    ...(status.logUrl ? { log_url: status.logUrl } : {}),
  };
}

/** Handlers for the operations the actions use; add more with `fake.on(operationId, handler)`. */
export const defaultHandlers: Record<string, OperationHandler> = {
  'pulls/list-files': (request, fake) => {
    const { owner, repo, pull_number } = request.params;
    const pull = fake.repo(owner, repo).pulls.get(Number(pull_number));
    if (!pull) return notFound();
    const entries = pull.files.map((file, index) => {
      const sha = (index + 1).toString(16).padStart(40, 'a');
      const encoded = file.filename.split('/').map(encodeURIComponent).join('/');
      const additions = (file.patch ?? '').split('\n').filter((l) => l.startsWith('+')).length;
      const deletions = (file.patch ?? '').split('\n').filter((l) => l.startsWith('-')).length;
      return {
        sha,
        filename: file.filename,
        status: file.status ?? 'modified',
        additions,
        deletions,
        changes: additions + deletions,
        blob_url: `https://github.com/${owner}/${repo}/blob/${sha}/${encoded}`,
        raw_url: `https://github.com/${owner}/${repo}/raw/${sha}/${encoded}`,
        contents_url: `${fake.url}/repos/${owner}/${repo}/contents/${encoded}?ref=${sha}`,
        ...(file.patch !== undefined ? { patch: file.patch } : {}),
        ...(file.previous_filename ? { previous_filename: file.previous_filename } : {}),
      };
    });
    return paginate(fake, request, entries);
  },

  'repos/get-content': (request, fake) => {
    const { owner, repo, path } = request.params;
    const ref = request.query.ref ?? 'HEAD';
    const content = fake.repo(owner, repo).files.get(`${ref}:${path}`);
    if (content === undefined) return notFound();
    if ((request.headers.accept ?? '').includes('raw')) return { status: 200, body: content, rawContentType: 'application/vnd.github.raw' };
    const encodedPath = path.split('/').map(encodeURIComponent).join('/');
    const sha = Buffer.from(`${ref}:${path}`).toString('hex').slice(0, 40).padEnd(40, '0');
    const self = `${fake.url}/repos/${owner}/${repo}/contents/${encodedPath}?ref=${encodeURIComponent(ref)}`;
    const html = `https://github.com/${owner}/${repo}/blob/${ref}/${encodedPath}`;
    const git = `${fake.url}/repos/${owner}/${repo}/git/blobs/${sha}`;
    return {
      status: 200,
      body: {
        type: 'file',
        encoding: 'base64',
        size: Buffer.byteLength(content),
        name: path.split('/').pop(),
        path,
        content: Buffer.from(content).toString('base64').replace(/(.{60})/g, '$1\n'),
        sha,
        url: self,
        git_url: git,
        html_url: html,
        download_url: `https://raw.githubusercontent.com/${owner}/${repo}/${ref}/${encodedPath}`,
        _links: { self, git, html },
      },
    };
  },

  'issues/list-comments': (request, fake) => {
    const { owner, repo, issue_number } = request.params;
    const comments = fake.repo(owner, repo).comments.filter((c) => c.issueNumber === Number(issue_number));
    return paginate(fake, request, comments.map((c) => commentJson(fake, request, c)));
  },

  'issues/create-comment': (request, fake) => {
    const { owner, repo, issue_number } = request.params;
    const now = new Date().toISOString();
    const comment: Comment = { id: fake.nextId(), issueNumber: Number(issue_number), body: request.body.body, createdAt: now, updatedAt: now };
    fake.repo(owner, repo).comments.push(comment);
    return { status: 201, body: commentJson(fake, request, comment), headers: { location: `${fake.url}/repos/${owner}/${repo}/issues/comments/${comment.id}` } };
  },

  'issues/update-comment': (request, fake) => {
    const { owner, repo, comment_id } = request.params;
    const comment = fake.repo(owner, repo).comments.find((c) => c.id === Number(comment_id));
    if (!comment) return notFound();
    comment.body = request.body.body;
    comment.updatedAt = new Date().toISOString();
    return { status: 200, body: commentJson(fake, request, comment) };
  },

  'checks/create': (request, fake) => {
    const { owner, repo } = request.params;
    const run = { id: fake.nextId(), name: request.body.name, head_sha: request.body.head_sha, status: request.body.status, conclusion: request.body.conclusion, output: request.body.output };
    fake.repo(owner, repo).checkRuns.push(run);
    return { status: 201, body: checkRunJson(fake, request, run) };
  },

  'checks/update': (request, fake) => {
    const { owner, repo, check_run_id } = request.params;
    const run = fake.repo(owner, repo).checkRuns.find((r) => r.id === Number(check_run_id));
    if (!run) return notFound();
    const annotations = [...(run.output?.annotations ?? []), ...(request.body.output?.annotations ?? [])];
    Object.assign(run, { ...request.body, output: { ...run.output, ...request.body.output, annotations } });
    return { status: 200, body: checkRunJson(fake, request, run) };
  },

  'repos/create-deployment': (request, fake) => {
    const { owner, repo } = request.params;
    const body = request.body;
    if (tooLong(body.description)) return beyondSchema(fake, request, `description is too long (maximum is ${DEPLOYMENT_DESCRIPTION_LIMIT} characters)`);
    const environment = body.environment ?? 'production';
    const deployment: FakeDeployment = {
      id: fake.nextId(),
      ref: body.ref,
      sha: shaOf(body.ref),
      task: body.task ?? 'deploy',
      environment,
      description: body.description ?? '',
      payload: body.payload ?? {},
      transientEnvironment: body.transient_environment ?? false,
      productionEnvironment: body.production_environment ?? environment === 'production',
      createdAt: new Date().toISOString(),
      statuses: [],
    };
    fake.repo(owner, repo).deployments.push(deployment);
    return { status: 201, body: deploymentJson(fake, request, deployment) };
  },

  'repos/list-deployments': (request, fake) => {
    const { owner, repo } = request.params;
    const { sha, ref, task, environment } = request.query;
    const matching = fake
      .repo(owner, repo)
      .deployments.filter((d) => (sha === undefined || d.sha === sha) && (ref === undefined || d.ref === ref) && (task === undefined || d.task === task) && (environment === undefined || d.environment === environment))
      .reverse();
    return paginate(fake, request, matching.map((d) => deploymentJson(fake, request, d)));
  },

  'repos/create-deployment-status': (request, fake) => {
    const { owner, repo, deployment_id } = request.params;
    const state = fake.repo(owner, repo);
    const deployment = state.deployments.find((d) => d.id === Number(deployment_id));
    if (!deployment) return notFound();
    const body = request.body;
    if (tooLong(body.description)) return beyondSchema(fake, request, `description is too long (maximum is ${DEPLOYMENT_DESCRIPTION_LIMIT} characters)`);
    const now = new Date().toISOString();
    const previous = deployment.statuses.at(-1);
    const status: FakeDeploymentStatus = {
      id: fake.nextId(),
      state: body.state,
      description: body.description ?? '',
      environment: body.environment ?? previous?.environment ?? deployment.environment,
      logUrl: body.log_url ?? body.target_url ?? '',
      environmentUrl: body.environment_url ?? '',
      createdAt: now,
    };
    deployment.statuses.push(status);
    // GitHub's auto_inactive: a success retires earlier successful deployments of the same environment
    if (status.state === 'success' && body.auto_inactive !== false) {
      for (const other of state.deployments) {
        if (other === deployment || other.environment !== status.environment || other.transientEnvironment || other.productionEnvironment) continue;
        if (other.statuses.at(-1)?.state !== 'success') continue;
        other.statuses.push({ ...other.statuses.at(-1)!, id: fake.nextId(), state: 'inactive', description: '', createdAt: now });
      }
    }
    return { status: 201, body: deploymentStatusJson(fake, request, deployment, status) };
  },
};
