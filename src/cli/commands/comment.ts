import type { Command } from 'commander';
import {
  DEFAULT_MARKER_ID,
  markerFor,
  postOneComment,
  type CommentOutcome,
  type CommentTarget,
} from '../../ci/comment.js';
import { githubSettingsFromEnv, githubTarget } from '../../ci/github.js';
import { gitlabSettingsFromEnv, gitlabTarget } from '../../ci/gitlab.js';
import { DEFAULT_HTTP_TIMEOUT_MS } from '../../ci/http.js';
import { readReport } from '../../ci/report-file.js';
import { appendStepSummary, warningCommand } from '../../ci/step-summary.js';
import { InputError, redactUrl } from '../../core/errors.js';
import { intFlag } from '../flags.js';
import { printNote } from '../io.js';
import { version } from '../../core/version.js';

interface CommentFlags {
  github?: boolean;
  gitlab?: boolean;
  marker: string;
  pr?: string;
  stepSummary: boolean;
  timeout?: string;
}

export function registerComment(program: Command): void {
  program
    .command('comment')
    .description(
      "Post a report as the pull request's one schemapilot comment (GitHub) or merge request note (GitLab), updated in place on every run",
    )
    .argument('<report.md>', 'the markdown to post (e.g. from check --format markdown -o report.md)')
    .option('--github', 'comment on the GitHub pull request named by the GitHub Actions environment')
    .option('--gitlab', 'add a note to the GitLab merge request named by the GitLab CI environment')
    .option(
      '--marker <id>',
      'which schemapilot comment to update: one per id on a pull request (hidden as <!-- schemapilot:ID -->)',
      DEFAULT_MARKER_ID,
    )
    .option(
      '--pr <number>',
      'the pull request number (GitHub) or merge request IID (GitLab), instead of the environment',
    )
    .option('--no-step-summary', 'do not append the report to $GITHUB_STEP_SUMMARY')
    .option(
      '--timeout <seconds>',
      `give up an API request after this long (default ${DEFAULT_HTTP_TIMEOUT_MS / 1000})`,
    )
    .addHelpText(
      'after',
      `
Finds the earlier comment by its hidden marker (listing every page of comments), edits it, and
creates one only when there is none: a pull request carries one schemapilot comment per
--marker however often the job runs. A report over the platform's limit (GitHub: 65536
characters) is cut at a line with a note saying where the full report is.

GitHub (--github), from the environment GitHub Actions provides:
  GITHUB_TOKEN        the token (needs permissions: pull-requests: write, or issues: write)
  GITHUB_REPOSITORY   owner/repo
  GITHUB_EVENT_PATH   the event JSON with pull_request.number (or --pr NUMBER)
  GITHUB_API_URL      default https://api.github.com; GitHub Enterprise: https://HOST/api/v3
  GITHUB_STEP_SUMMARY when set, the report is appended to it too (--no-step-summary: not)
GitLab (--gitlab), from a merge request pipeline:
  GITLAB_TOKEN        a project access token with the api scope (CI_JOB_TOKEN cannot post notes)
  CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID (or --pr IID)

A 403 or 404 from the API (a pull request from a fork gets a read-only token) is not a failure:
a warning on stderr (and a ::warning:: annotation under GitHub Actions), the step summary
still written, exit 0. The token is never printed.

Exit codes: 0 the comment was created or updated, or the API refused it (403/404) as above;
1 the API kept failing (5xx, 429, no answer) after 3 attempts; 2 bad input: a missing
variable, a bad event or report file, a token the API rejects (401).

Examples:
  schemapilot check migrations/ --format markdown -o report.md
  schemapilot comment report.md --github
  schemapilot comment fleet.md --github --marker fleet
  GITLAB_TOKEN=… schemapilot comment report.md --gitlab`,
    )
    .action(async (reportPath: string, flags: CommentFlags) => {
      if (Boolean(flags.github) === Boolean(flags.gitlab))
        throw new InputError('comment: pass one of --github or --gitlab');
      const marker = markerFor(flags.marker);
      const timeoutMs = timeoutFlag(flags.timeout);
      const pr = intFlag('--pr', flags.pr, { min: 1, max: 2_147_483_647 });
      const report = readReport(reportPath);
      const options = { userAgent: `schemapilot/${version}`, timeoutMs };
      const target: CommentTarget = flags.github
        ? githubTarget(githubSettingsFromEnv(process.env, pr), options)
        : gitlabTarget(gitlabSettingsFromEnv(process.env, pr), options);
      // Written first: whatever the API does next, the job's page shows the report.
      const summaryPath =
        flags.github && flags.stepSummary ? process.env['GITHUB_STEP_SUMMARY']?.trim() : undefined;
      if (summaryPath) appendStepSummary(summaryPath, report);
      const outcome = await postOneComment(target, report, {
        marker,
        whereFull: summaryPath ? "this job's step summary" : "the CI job's artifacts",
      });
      reportOutcome(target, outcome, Boolean(summaryPath));
    });
}

function reportOutcome(target: CommentTarget, outcome: CommentOutcome, summaryWritten: boolean): void {
  if (outcome.action !== 'skipped') {
    const { id, url } = outcome.comment;
    process.stderr.write(
      redactUrl(`· ${outcome.action} ${target.noun} ${id} on ${target.where}${url ? `: ${url}` : ''}`) + '\n',
    );
    return;
  }
  const { status, apiMessage } = outcome.error;
  const why =
    target.platform === 'GitHub'
      ? 'A pull request from a fork gets a read-only token; otherwise the job needs permissions: pull-requests: write.'
      : 'The token needs the api scope and at least the Reporter role in the project.';
  const message =
    `could not comment on ${target.where}: ${target.platform} answered ${status}` +
    `${apiMessage ? ` (${apiMessage})` : ''}; ` +
    `${summaryWritten ? 'the report is in the step summary' : 'nothing was posted'}. ${why}`;
  printNote('warning', message);
  if (process.env['GITHUB_ACTIONS'] === 'true')
    process.stdout.write(`${warningCommand('schemapilot comment', redactUrl(message))}\n`);
}

function timeoutFlag(value: string | undefined): number {
  if (value === undefined) return DEFAULT_HTTP_TIMEOUT_MS;
  const n = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n >= 0.1 && n <= 600))
    throw new InputError(`--timeout must be a number of seconds from 0.1 to 600; got "${value}"`);
  return Math.round(n * 1000);
}
